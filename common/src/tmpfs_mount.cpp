/// @file tmpfs_mount.cpp
/// @brief Mounting `--tmpfs` volumes in the container.
#include "tmpfs_mount.hpp"

#include <sys/mount.h>

#include <algorithm>
#include <string>

#include "container/error.hpp"
#include "split.hpp"

namespace container {
namespace {

struct TmpfsMount {
    /// Docker's defaults for --tmpfs: no set-user-ID programs, devices or executables.
    unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
    std::string data;  ///< size=, mode=, ...: given to tmpfs as they are
};

/// Splits the options the parser checked into mount flags and tmpfs' own options.
TmpfsMount tmpfs_mount_of(const Volume& volume) {
    TmpfsMount mount;
    if (volume.read_only) mount.flags |= MS_RDONLY;
    if (volume.tmpfs_options.empty()) return mount;
    for (const auto option : split(volume.tmpfs_options, ',')) {
        if (option == "exec")
            mount.flags &= ~static_cast<unsigned long>(MS_NOEXEC);
        else if (option == "suid")
            mount.flags &= ~static_cast<unsigned long>(MS_NOSUID);
        else if (option == "dev")
            mount.flags &= ~static_cast<unsigned long>(MS_NODEV);
        else if (option == "noexec" || option == "nosuid" || option == "nodev" || option == "ro" ||
                 option == "rw")
            continue;  // the defaults, or read_only (parsed already)
        else
            mount.data += (mount.data.empty() ? "" : ",") + std::string{option};
    }
    return mount;
}

}  // namespace

void mount_tmpfs_volumes(const std::vector<Volume>& volumes, const Rootfs& rootfs) {
    const auto is_tmpfs = [](const Volume& volume) { return volume.type == VolumeType::tmpfs; };
    if (std::ranges::none_of(volumes, is_tmpfs)) return;  // most runs: no copy, no sort
    for (const auto& volume : sort_parents_first(volumes)) {
        if (volume.type != VolumeType::tmpfs) continue;
        for (const auto& other : volumes) {
            if (other.type != VolumeType::tmpfs &&
                is_within(volume.destination, other.destination)) {
                throw UsageError("tmpfs '" + volume.spec + "': inside volume '" + other.spec +
                                 "', which would hide it (put the tmpfs elsewhere)");
            }
        }
        try {
            // Its mount point goes in the container's own layer, through the rootfs (the
            // image's symlinks resolved inside it), and the mount goes on the directory held.
            const Made place = rootfs.create_directories(volume.destination);
            const auto mount = tmpfs_mount_of(volume);
            if (::mount("tmpfs", fd_path(place.object).c_str(), "tmpfs", mount.flags,
                        mount.data.empty() ? nullptr : mount.data.c_str()) != 0) {
                throw_errno("mount tmpfs on", volume.destination);
            }
        } catch (const std::system_error& error) {
            rethrow_for_volume(volume, error);
        }
    }
}

}  // namespace container
