/// @file runtime.hpp
/// @brief Starting a container: namespaces, root filesystem, init, and the volumes.
#pragma once

#include "container/cli.hpp"

namespace container {

/// Runs `options.command` in a new container and waits for it.
///
/// The life of one run: clone into new mount, UTS, PID and IPC namespaces; make "/"
/// recursively private (systemd makes it shared, and shared mounts would leak to the
/// host); mount the container's own writable layer over the image (an overlay, so that
/// the image itself is never modified, see overlay_root.hpp); mount /proc and /dev; set
/// up the volumes (setup_container_volumes()); pivot_root into the overlay; start the
/// command under a small init that forwards signals and reaps zombies; when the command
/// exits, end every remaining process, clean the volumes up (cleanup_container_volumes())
/// and exit. The runtime then removes the layer's empty directory.
///
/// @return the command's exit status (128+N when killed by signal N), or
///         kExitRuntimeError / kExitCannotExecute / kExitNotFound.
int run_container(const RunOptions& options);

}  // namespace container
