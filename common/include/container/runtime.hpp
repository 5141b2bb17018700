/// @file runtime.hpp
/// @brief Starting a container: namespaces, root filesystem, init, and the volumes.
#pragma once

#include "container/cli.hpp"

namespace container {

/// Runs `options.command` in a new container and waits for it.
///
/// The life of one run: clone into new mount, UTS, PID and IPC namespaces; make "/"
/// recursively private (systemd makes it shared, and shared mounts would leak to the
/// host); bind the image onto itself; set up the volumes (setup_container_volumes());
/// mount /proc; pivot_root into the image; start the command under a small init that
/// forwards signals and reaps zombies; when the command exits, end every remaining
/// process, clean the volumes up (cleanup_container_volumes()) and exit.
///
/// @return the command's exit status (128+N when killed by signal N), or
///         kExitRuntimeError / kExitCannotExecute / kExitNotFound.
int run_container(const RunOptions& options);

}  // namespace container
