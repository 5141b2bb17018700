/// @file setup.cpp
/// @brief Step 1 (reference): open a volume's host source and create its mount point
///        inside the container's root filesystem, both held open from here on.
#include "container/volume_steps.hpp"

#include <fcntl.h>     // open(2), openat(2), O_* flags, AT_REMOVEDIR
#include <sys/stat.h>  // fstat(2), mkdirat(2), fchmod(2)
#include <unistd.h>    // unlinkat(2)

#include <cerrno>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "container/error.hpp"
#include "container/identity.hpp"
#include "container/rootfs.hpp"

namespace container {
namespace {

/// `mkdir -p` of a source on the host, every directory it creates with mode exactly 0755,
/// each one recorded in @p made. Each directory is made in the one held before it and
/// changed through the descriptor it was opened with: chmod(2) of a path would follow
/// whatever symlink someone put at that path since mkdir(2), and could make any file of
/// the host world-readable.
UniqueFd create_source_directories(const std::filesystem::path& source,
                                   std::vector<CreatedEntry>& made) {
    UniqueFd directory(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!directory) throw_errno("open", "/");
    std::filesystem::path current = "/";
    for (const auto& name : source.relative_path()) {
        current /= name;
        if (::mkdirat(directory.get(), name.c_str(), 0755) == 0) {
            // Made by us: open it, never through a symlink, and set the mode mkdir(2)
            // filtered through the umask (umask 077 gives 0700). Read-only, because
            // fchmod(2) refuses an O_PATH descriptor.
            UniqueFd created(::openat(directory.get(), name.c_str(),
                                      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!created) throw_errno("open", current);
            made.push_back({current, std::move(directory), name.string(), identity_of(created), true});
            if (::fchmod(created.get(), 0755) != 0) throw_errno("chmod", current);
            directory = std::move(created);
        } else if (errno == EEXIST) {
            // The user's (or made meanwhile): it keeps its mode. A symlink here is the
            // user's too, and followed as the path would be.
            UniqueFd next(::openat(directory.get(), name.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
            if (!next) throw_errno("open", current);
            directory = std::move(next);
        } else {
            throw_errno("mkdir", current);
        }
    }
    return directory;
}

/// Removes the directories @p made lists, innermost first, each only while its name still
/// leads to what was made, and only when empty: the volume failed, and leaves nothing.
void remove_made(const std::vector<CreatedEntry>& made) noexcept {
    for (auto it = made.rbegin(); it != made.rend(); ++it) {
        try {
            const EntryStatus now = look_at(it->parent, it->name);
            if (now.exists && !now.mount_root && now.identity == it->identity) {
                ::unlinkat(it->parent.get(), it->name.c_str(), AT_REMOVEDIR);
            }
        } catch (const std::exception&) {
            // leave it: the error to report is the one that brought us here
        }
    }
}

}  // namespace

MountPoint setup_volume(const Volume& volume, const Rootfs& rootfs) {
    std::vector<CreatedEntry> source_made;  // the source's directories this call creates
    try {
        // 1. The host source, opened once. open(2) follows symlinks: what gets mounted is
        //    what they point to, as the user meant.
        UniqueFd source(::open(volume.source.c_str(), O_PATH | O_CLOEXEC));
        if (!source) {
            if (errno != ENOENT) throw_errno("open", volume.source);
            // `--mount` refuses a missing source (Docker does too); `-v` creates it.
            if (!volume.create_missing_source) {
                throw_error(ENOENT, "source path does not exist:", volume.source);
            }
            // 2. Created, and held: the descriptor of the last directory made.
            source = create_source_directories(volume.source, source_made);
        }

        // 3. Its kind, read from the descriptor: a name could be swapped in between.
        struct stat info {};
        if (::fstat(source.get(), &info) != 0) throw_errno("stat", volume.source);

        // 4. The mount point, of the same kind as the source: mount(2) refuses to bind a
        //    directory onto a file or a file onto a directory (ENOTDIR). Rootfs resolves
        //    the destination inside the image, creates what is missing relative to
        //    descriptors, and hands everything back held open, with identities.
        Made made = S_ISDIR(info.st_mode) ? rootfs.create_directories(volume.destination)
                                          : rootfs.create_file(volume.destination);

        // 5. Keep what you hold: re-opening the destination by its path now could reach
        //    something else than what was just made.
        return MountPoint{
            .volume = volume.spec,
            .destination = std::move(made.path),
            .read_only = volume.read_only,
            .source = std::move(source),
            .target = std::move(made.object),
            .parent = std::move(made.parent),
            .name = std::move(made.name),
            .identity = made.identity,
            .mount_id = 0,
            .created = std::move(made.created),
        };
    } catch (const std::system_error& error) {
        // All or nothing: what this call created for the source goes again (Rootfs
        // already undid its own part). Then one line that says which volume, as the user
        // wrote it.
        remove_made(source_made);
        rethrow_for_volume(volume, error);
    }
}

}  // namespace container
