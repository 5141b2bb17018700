/// @file setup.cpp
/// @brief Step 1 (reference): make sure a volume's host source exists and create its
///        mount point inside the container's root filesystem.
#include "container/volume_steps.hpp"

#include <sys/stat.h>  // stat(2), mkdir(2), chmod(2)
#include <unistd.h>    // rmdir(2)

#include <cerrno>
#include <filesystem>
#include <system_error>
#include <vector>

#include "container/error.hpp"
#include "container/rootfs.hpp"

namespace container {
namespace {

/// `mkdir -p` on the host, every directory it creates with mode exactly 0755.
void create_source_directories(const std::filesystem::path& source) {
    std::filesystem::path current;
    for (const auto& component : source) {
        current /= component;
        if (::mkdir(current.c_str(), 0755) == 0) {
            // mkdir(2) clears the umask bits from the mode (umask 077 gives 0700):
            // chmod(2) is not subject to the umask.
            if (::chmod(current.c_str(), 0755) != 0) throw_errno("chmod", current);
        } else if (errno != EEXIST) {
            throw_errno("mkdir", current);  // an existing directory keeps its mode
        }
    }
}

}  // namespace

MountPoint setup_volume(const Volume& volume, const Rootfs& rootfs) {
    // 1. The host source. stat(2) follows symlinks: what gets mounted is their target.
    struct stat source {};
    if (::stat(volume.source.c_str(), &source) != 0) {
        if (errno != ENOENT) throw_errno("stat", volume.source);
        // `--mount` refuses a missing source (Docker does too); `-v` creates it.
        if (!volume.create_missing_source) {
            throw_error(ENOENT, "source path does not exist:", volume.source);
        }
        create_source_directories(volume.source);
        if (::stat(volume.source.c_str(), &source) != 0) throw_errno("stat", volume.source);
    }

    // 2. The mount point, of the same kind as the source: mount(2) refuses to bind a
    //    directory onto a file or a file onto a directory (ENOTDIR). Rootfs resolves the
    //    destination inside the image, so a symlink there cannot lead to the host.
    MountPoint mount_point{volume.destination, {}};
    if (S_ISDIR(source.st_mode)) {
        mount_point.created = rootfs.create_directories(volume.destination);
    } else {
        mount_point.created = rootfs.create_directories(volume.destination.parent_path());
        try {
            if (rootfs.create_file(volume.destination)) {
                mount_point.created.push_back(volume.destination);
            }
        } catch (...) {
            // Leave nothing behind: remove the parents made above, innermost first
            // (rmdir(2) removes nothing but an empty directory).
            for (auto it = mount_point.created.rbegin(); it != mount_point.created.rend(); ++it) {
                try {
                    ::rmdir(rootfs.resolve(*it, FollowLast::no).c_str());
                } catch (const std::system_error&) {
                    // already gone
                }
            }
            throw;
        }
    }
    // 3. Record where the mount point really is: with `/var/run -> /run` in the image,
    //    a volume at "/var/run" sits on "/run". Unmounting must not follow symlinks (the command
    //    may have planted some), so it needs the resolved path.
    mount_point.destination = rootfs.canonical(volume.destination);
    return mount_point;
}

}  // namespace container
