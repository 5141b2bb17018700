/// @file supervisor.hpp
/// @brief Waiting for a child while passing signals on to it: the loop of the runtime and
/// of the container's init.
#pragma once

#include <chrono>
#include <optional>

#include <sys/types.h>

namespace container {

/// Which children a supervisor reaps.
enum class Reap {
    /// Only the supervised child: the runtime, which may run in a process with others.
    child_only,
    /// Every child: PID 1 of a PID namespace, which inherits every orphan of it and
    /// must reap them, or they stay zombies for the namespace's whole life.
    every_child,
};

/// Waits until @p child exits, passing on to it every signal of forwarded_signals()
/// that another process sent us (not those the terminal sent to the whole process
/// group: the child has its own). The caller must have blocked supervised_signals()
/// before @p child was created (BlockedSignals), so that none is lost or acted on.
///
/// Once it has passed on a SIGTERM or a SIGINT, the child has @p stop_timeout to exit;
/// then it gets SIGKILL, which nothing can ignore (as `docker stop` does). With
/// std::nullopt it may take for ever. A Ctrl-C at the terminal is not passed on (the
/// child got its own) and starts no clock: an interactive shell ignores it, rightly.
/// @return the child's exit status, 128+N when it was killed by signal N (137 for SIGKILL).
/// @throws std::system_error when waiting fails.
[[nodiscard]] int supervise(pid_t child, Reap reap,
                            std::optional<std::chrono::seconds> stop_timeout);

/// Kills every other process of the caller's PID namespace (kill(-1, SIGKILL) from its
/// PID 1) and reaps them all. Afterwards nothing of the container runs any more: nothing
/// can hold a volume busy, or write into it after the runtime is gone.
void end_remaining_processes() noexcept;

}  // namespace container
