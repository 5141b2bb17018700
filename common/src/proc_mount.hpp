/// @file proc_mount.hpp
/// @brief The container's own /proc: a fresh proc file system of its PID namespace.
#pragma once

#include "container/rootfs.hpp"

namespace container {

/// Mounts a new proc file system at /proc inside @p rootfs. It shows the processes of
/// the calling process's PID namespace, so the caller must already be in the container's.
/// /proc is resolved inside the rootfs (a symlink in the image cannot send it to the
/// host); when the image has none it is created, in the container's own writable layer
/// (mount_overlay_root()), never in the image.
/// Nothing needs undoing: the mount, and a /proc created for it, go away with the
/// container's mount namespace, with every other mount of it at once (each unmount call
/// would wait for the kernel's RCU grace period, and the exit is timed).
/// @throws std::system_error naming the mount point.
void mount_proc(const Rootfs& rootfs);

}  // namespace container
