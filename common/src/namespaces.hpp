/// @file namespaces.hpp
/// @brief Creating the container's process in its own namespaces.
#pragma once

#include <sys/types.h>

namespace container {

/// Starts a child process in new mount, UTS, PID and IPC namespaces, the way fork(2)
/// does: it returns twice, 0 in the child and the child's PID in the parent.
/// The child is PID 1 of its PID namespace; its end is reported with SIGCHLD.
/// @throws std::system_error when the kernel refuses (EPERM when not root, ...).
[[nodiscard]] pid_t clone_into_namespaces();

/// Makes every mount of the calling process's mount namespace private, recursively.
/// The first thing to do in a new mount namespace: the copy keeps the host's propagation,
/// and on systemd hosts "/" is shared, so every later mount or unmount would be
/// replayed in the host's namespace.
/// @throws std::system_error naming "/".
void make_mounts_private();

}  // namespace container
