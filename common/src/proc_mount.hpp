/// @file proc_mount.hpp
/// @brief The container's own /proc: a fresh proc file system of its PID namespace.
#pragma once

#include <filesystem>
#include <vector>

#include "container/rootfs.hpp"

namespace container {

/// What mount_proc() did, so that unmount_proc() undoes exactly that.
struct ProcMount {
    /// A proc file system was mounted at /proc.
    bool mounted = false;
    /// Container paths created because the image had no /proc (outermost first).
    std::vector<std::filesystem::path> created;
};

/// Mounts a new proc file system at /proc inside @p rootfs. It shows the processes of
/// the calling process's PID namespace, so the caller must already be in the container's.
/// /proc is resolved inside the rootfs (a symlink in the image cannot send it to the
/// host); when the image has none it is created, and unmount_proc() removes it again.
/// @throws std::system_error naming the mount point; nothing is left behind.
[[nodiscard]] ProcMount mount_proc(const Rootfs& rootfs);

/// Removes what mount_proc() created in @p rootfs (the same rootfs before pivot_root, or
/// `Rootfs("/")` after it): when the image had no /proc, unmounts the proc file system
/// and removes the directory (rmdir(2), and only once it is no longer a mount point).
/// When the image had a /proc there is nothing to do: the mount goes away with the
/// container's mount namespace, with every other mount of it at once (each unmount
/// call waits for the kernel's RCU grace period, and the exit is timed).
/// @throws std::system_error naming the path that could not be unmounted or removed.
void unmount_proc(const ProcMount& proc, const Rootfs& rootfs);

}  // namespace container
