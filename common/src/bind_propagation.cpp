/// @file bind_propagation.cpp
/// @brief Bind propagation: keeping a volume a peer of its source's host mount.
#include "bind_propagation.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <string_view>
#include <unordered_map>

#include "container/error.hpp"
#include "container/mountinfo.hpp"
#include "volume_mode.hpp"

namespace container {
namespace {

bool wants_shared(Propagation propagation) {
    return propagation == Propagation::shared || propagation == Propagation::rshared;
}

bool wants_slave(Propagation propagation) {
    return propagation == Propagation::slave || propagation == Propagation::rslave;
}

/// The mount that holds @p path: the mount point that is its longest prefix (the last
/// one listed wins: it is on top).
const MountInfo* mount_of(const std::vector<MountInfo>& mounts, const std::filesystem::path& path) {
    const MountInfo* best = nullptr;
    for (const auto& mount : mounts) {
        if (!is_within(path, mount.mount_point)) continue;
        if (best == nullptr || path_depth(mount.mount_point) >= path_depth(best->mount_point))
            best = &mount;
    }
    return best;
}

/// Docker's check and messages: "path P is mounted on M but it is not a shared mount".
void check_source_mount(const Volume& volume, const std::vector<MountInfo>& mounts) {
    std::error_code ignored;
    const auto path = std::filesystem::weakly_canonical(volume.source, ignored);
    const MountInfo* mount = mount_of(mounts, path.empty() ? volume.source : path);
    if (mount == nullptr) return;
    const auto propagation = mount->propagation();
    const bool shared = propagation.find("shared") != std::string::npos;
    const bool slave = propagation.find("slave") != std::string::npos;
    if (wants_shared(volume.propagation) && !shared) {
        throw UsageError("volume '" + volume.spec + "': path " + volume.source.string() +
                         " is mounted on " + mount->mount_point.string() +
                         " but it is not a shared mount");
    }
    if (wants_slave(volume.propagation) && !shared && !slave) {
        throw UsageError("volume '" + volume.spec + "': path " + volume.source.string() +
                         " is mounted on " + mount->mount_point.string() +
                         " but it is not a shared or slave mount");
    }
}

unsigned long propagation_flags(Propagation propagation) {
    switch (propagation) {
        case Propagation::rprivate:
            return MS_REC | MS_PRIVATE;
        case Propagation::private_:
            return MS_PRIVATE;
        case Propagation::rshared:
            return MS_REC | MS_SHARED;
        case Propagation::shared:
            return MS_SHARED;
        case Propagation::rslave:
            return MS_REC | MS_SLAVE;
        case Propagation::slave:
            return MS_SLAVE;
    }
    return MS_REC | MS_PRIVATE;
}

/// `-v` creates a missing source (step 1 does, for the other volumes): this one is opened
/// before step 1 runs, so it is created here, each missing directory with mode 0755.
void create_missing_source(const Volume& volume) {
    std::filesystem::path path;
    for (const auto& part : volume.source) {
        path /= part;
        if (::mkdir(path.c_str(), 0755) == 0) {
            if (::chmod(path.c_str(), 0755) != 0) throw_errno("chmod", path);  // the umask
        } else if (errno != EEXIST) {
            throw_errno("create", path);
        }
    }
}

}  // namespace

std::vector<UniqueFd> keep_source_peers(std::vector<Volume>& volumes) {
    std::vector<UniqueFd> copies;
    std::vector<MountInfo> mounts;
    for (auto& volume : volumes) {
        if (volume.type != VolumeType::bind ||
            (!wants_shared(volume.propagation) && !wants_slave(volume.propagation))) {
            continue;
        }
        try {
            if (volume.create_missing_source) create_missing_source(volume);
        } catch (const std::system_error& error) {
            rethrow_for_volume(volume, error);
        }
        if (mounts.empty()) mounts = read_mountinfo();
        check_source_mount(volume, mounts);
        // A copy of the source's tree, not attached anywhere: a peer of the host's mount.
        UniqueFd copy(::open_tree(AT_FDCWD, volume.source.c_str(),
                                  OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE));
        if (!copy) {
            try {
                throw_errno("bind (open_tree) the source", volume.source);
            } catch (const std::system_error& error) {
                rethrow_for_volume(volume, error);
            }
        }
        volume.source = fd_path(copy);
        volume.create_missing_source = false;
        copies.push_back(std::move(copy));
    }
    return copies;
}

void apply_propagation(const std::vector<MountPoint>& mounted, const std::vector<Volume>& volumes) {
    const auto changes_propagation = [](const Volume& volume) {
        return volume.type == VolumeType::bind && volume.propagation != Propagation::rprivate;
    };
    // Most runs: nothing to change, and nothing to look up for each volume.
    if (std::ranges::none_of(volumes, changes_propagation)) return;
    // Each mounted volume's options, by its spec: found by hash, not by a search of the
    // whole list for each volume.
    std::unordered_map<std::string_view, const Volume*> by_spec;
    for (const Volume& volume : volumes) by_spec.try_emplace(volume.spec, &volume);
    for (const auto& mount_point : mounted) {
        const auto found = by_spec.find(mount_point.volume);
        if (found == by_spec.end() || !changes_propagation(*found->second)) continue;
        const Volume* volume = found->second;
        const auto root = open_mount(mount_point);
        if (::mount(nullptr, fd_path(root).c_str(), nullptr, propagation_flags(volume->propagation),
                    nullptr) != 0) {
            try {
                throw_errno("make " + std::string{propagation_word(volume->propagation)},
                            mount_point.destination);
            } catch (const std::system_error& error) {
                rethrow_for_volume(*volume, error);
            }
        }
    }
}

}  // namespace container
