/// @file command.hpp
/// @brief Starting the user's command inside the container.
#pragma once

#include <string>
#include <vector>

#include <sys/types.h>

namespace container {

/// Replaces this process's environment with the container's own, before the command
/// starts: the host's PATH, HOME and the rest mean nothing inside the image (a PATH full
/// of host directories costs a failed exec for each, too). Like Docker: PATH, HOME=/root,
/// HOSTNAME, and TERM when the runtime got one.
void use_container_environment(const std::string& hostname);

/// The outcome of start_command().
struct StartedCommand {
    /// The command's PID, or -1 when it could not be executed.
    pid_t pid = -1;
    /// When it could not: kExitNotFound (ENOENT) or kExitCannotExecute (EACCES, ENOEXEC...).
    int exit_status = 0;
};

/// Starts @p command (searched in $PATH like execvp(3)) as a child, with default signal
/// dispositions, an empty signal mask, and only descriptors 0, 1 and 2 of the ones it
/// inherits (a descriptor of a host directory would be a way out of the container).
/// stdin, stdout and stderr pass through untouched.
///
/// When it cannot be executed, prints "container: exec <cmd>: <errno text>" and returns
/// pid -1 with exit status 127 for ENOENT (not found), 126 otherwise.
/// @throws nothing of its own; std::bad_alloc at most.
[[nodiscard]] StartedCommand start_command(const std::vector<std::string>& command);

}  // namespace container
