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

/// Hides and makes read-only, in the /proc that mount_proc() mounted in @p rootfs, what
/// runc does by default. Hidden: /proc/kcore (the kernel's memory), /proc/keys,
/// /proc/timer_list, /proc/sched_debug and the like. Read-only: /proc/sys (the sysctl
/// settings of the whole machine: the container shares its kernel), /proc/sysrq-trigger,
/// /proc/irq, /proc/bus, /proc/fs. Paths this kernel does not have are skipped.
/// Only root with CAP_SYS_ADMIN could undo this (by unmounting): the command has not
/// got it, unless --privileged or --cap-add gave it.
/// @throws std::system_error naming the path.
void restrict_proc(const Rootfs& rootfs);

}  // namespace container
