/// @file container_init.hpp
/// @brief PID 1 of the container: it builds the container's file system view, runs the
/// command, and takes everything down again.
#pragma once

#include <filesystem>

#include "container/cli.hpp"
#include "container/unique_fd.hpp"

namespace container {

/// The body of the process clone_into_namespaces() created; it never returns.
///
/// In order: die with the runtime (@p runtime is its pidfd, see die_with_parent()); close
/// every other inherited descriptor; make every mount private; set the hostname; mount
/// the container's writable layer over @p image (mount_overlay_root()): the container's
/// rootfs; mount /proc (restrict_proc() unless privileged) and /dev; set up the volumes
/// (setup_container_volumes()); pivot_root into the rootfs; limit the capabilities of
/// what it executes (limit_capabilities_of_programs(), unless privileged: it keeps its
/// own) and, if it has a terminal, forbid typing into it (forbid_typing_into_terminal());
/// start the command; forward signals and reap zombies until it exits, killing it when
/// it outlives its stop timeout; kill what is left; clean the volumes up from inside
/// (cleanup_container_volumes() with `Rootfs("/")`); exit with the command's status.
/// The other mounts (the layer, /proc, /dev) vanish with the mount namespace, and with
/// them every path created in the layer.
///
/// A failure before the command runs prints one line and exits with kExitRuntimeError,
/// after undoing the volumes (their mounts would die with the namespace anyway, but a
/// nested volume's mount point, made in its parent volume's source on the host, would
/// not). A failure of the cleanup prints "container: warning: ..." and the exit status
/// stays the command's.
[[noreturn]] void run_container_init(const RunOptions& options, const std::filesystem::path& image,
                                     UniqueFd runtime) noexcept;

}  // namespace container
