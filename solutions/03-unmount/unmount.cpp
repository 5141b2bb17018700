/// @file unmount.cpp
/// @brief Step 3 (reference): unmount a volume, make sure it is gone, then remove exactly
///        what step 1 created for it.
#include "container/volume_steps.hpp"

#include <sys/mount.h>  // umount2(2), mount(2), MNT_DETACH, UMOUNT_NOFOLLOW, MS_PRIVATE
#include <sys/stat.h>   // lstat(2)
#include <unistd.h>     // rmdir(2), unlink(2)

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <system_error>
#include <thread>

#include "container/error.hpp"
#include "container/mounts.hpp"
#include "container/rootfs.hpp"

namespace container {

void unmount_volume(const MountPoint& mount_point, const Rootfs& rootfs) {
    // The image is not ours to trust: resolve inside the rootfs, and if the last component
    // is a symlink, look at the link itself, never where it points.
    const std::filesystem::path target = rootfs.resolve(mount_point.destination, FollowLast::no);
    if (!is_mount_point(target)) {
        throw_error(EINVAL, "unmount", target.string() + ": not a mount point");
    }

    // EBUSY: something still uses the mount (a working directory, an open file), or
    // mounts from the source sit below it. Give a process that is exiting a moment.
    constexpr int kAttempts = 5;
    for (int attempt = 1; ::umount2(target.c_str(), UMOUNT_NOFOLLOW) != 0; ++attempt) {
        if (errno != EBUSY) throw_errno("unmount", target);
        if (attempt == kAttempts) {
            // Still busy: detach it lazily; it leaves the tree now and the kernel frees
            // it when its last user lets go. Make the subtree private first: under shared
            // propagation, a detach also unmounts the peers of its submounts, which
            // include the host's own mounts below the source.
            if (::mount(nullptr, target.c_str(), nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
                throw_errno("make private", target);
            }
            if (::umount2(target.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) != 0) {
                throw_errno("unmount (detach)", target);
            }
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }

    // Verify before deleting anything: removing files below a path that is still a
    // mount point would delete the host's data.
    if (is_mount_point(target)) {
        throw_error(EBUSY, "unmount", target.string() + ": still a mount point");
    }
    remove_mount_point(mount_point, rootfs);
}

void remove_mount_point(const MountPoint& mount_point, const Rootfs& rootfs) {
    const auto& created = mount_point.created;
    for (auto it = created.rbegin(); it != created.rend(); ++it) {  // innermost first
        std::filesystem::path path;
        try {
            path = rootfs.resolve(*it, FollowLast::no);
        } catch (const std::system_error&) {
            continue;  // gone already
        }
        struct stat info {};
        if (::lstat(path.c_str(), &info) != 0 || is_mount_point(path)) continue;

        // EROFS: the path lies inside a read-only volume (the mount point of a nested
        // volume is created in its parent's source); it stays there, as with Docker.
        if (S_ISDIR(info.st_mode)) {
            // rmdir(2) removes an empty directory and nothing else.
            if (::rmdir(path.c_str()) != 0 && errno != ENOTEMPTY && errno != EEXIST &&
                errno != EBUSY && errno != ENOENT && errno != EROFS) {
                throw_errno("rmdir", path);
            }
        } else if (S_ISREG(info.st_mode) && info.st_size == 0) {
            // The empty file step 1 made as the mount point of a file volume.
            if (::unlink(path.c_str()) != 0 && errno != ENOENT && errno != EROFS) {
                throw_errno("unlink", path);
            }
        }
        // Anything else (a symlink, a file with data) is no longer what step 1 made: leave it.
    }
}

}  // namespace container
