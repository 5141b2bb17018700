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
/// In order: die with the runtime (@p runtime is its pidfd, see die_with_parent());
/// make every mount private; set the hostname; bind @p rootfs onto itself; mount /proc
/// and /dev; set up the volumes (setup_container_volumes()); pivot_root into the rootfs;
/// start the command; forward signals and reap zombies until it exits; kill what is
/// left; clean the volumes up from inside (cleanup_container_volumes() with
/// `Rootfs("/")`), and /proc if the image had none; exit with the command's status.
/// The other mounts (the rootfs, /dev, /proc) vanish with the mount namespace.
///
/// A failure before the command runs prints one line and exits with kExitRuntimeError,
/// after undoing what was done (the mounts would die with the namespace anyway, but
/// the directories created in the image would not). A failure of the cleanup prints
/// "container: warning: ..." and the exit status stays the command's.
[[noreturn]] void run_container_init(const RunOptions& options,
                                     const std::filesystem::path& rootfs,
                                     UniqueFd runtime) noexcept;

}  // namespace container
