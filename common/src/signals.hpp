/// @file signals.hpp
/// @brief Signals the runtime and the container's init pass on, without signal handlers.
///
/// Both the runtime and the init block the signals they care about and take them one
/// at a time with sigwaitinfo(2): no asynchronous handler ever runs, so there is no
/// async-signal-safety to get wrong, and a signal that arrives early simply waits
/// (pending) until the loop asks for it.
#pragma once

#include <chrono>
#include <optional>

#include <signal.h>

namespace container {

/// The signals passed on to the container: SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2,
/// SIGALRM, SIGTERM and SIGWINCH.
[[nodiscard]] sigset_t forwarded_signals();

/// forwarded_signals() plus SIGCHLD: everything a supervising loop waits for.
[[nodiscard]] sigset_t supervised_signals();

/// Blocks a set of signals for as long as it lives, then restores the previous mask.
/// Also makes sure SIGCHLD is not ignored (an inherited SIG_IGN would make the kernel
/// reap children by itself, and waitpid(2) would never see them).
class BlockedSignals {
public:
    /// Adds @p signals to the blocked set, remembering the mask to restore.
    /// @throws std::system_error when the mask cannot be changed.
    explicit BlockedSignals(const sigset_t& signals);
    BlockedSignals(const BlockedSignals&) = delete;
    BlockedSignals& operator=(const BlockedSignals&) = delete;
    ~BlockedSignals();

private:
    sigset_t previous_{};
};

/// Waits for the next signal of @p signals (which must be blocked), retrying on EINTR.
[[nodiscard]] siginfo_t wait_for_signal(const sigset_t& signals);

/// The same, giving up at @p deadline: std::nullopt when it passes with no signal.
[[nodiscard]] std::optional<siginfo_t> wait_for_signal_until(
    const sigset_t& signals, std::chrono::steady_clock::time_point deadline);

/// True when @p info was sent by a process (kill(2), sigqueue(3)), false when the
/// kernel generated it: the terminal's Ctrl-C (SIGINT), Ctrl-\ (SIGQUIT), a resize
/// (SIGWINCH) or a hangup (SIGHUP) go to the whole foreground process group, and the
/// command, in that group too, already has its own copy. Passing those on would deliver
/// them twice.
[[nodiscard]] bool sent_by_process(const siginfo_t& info) noexcept;

/// The exit status a shell would report for a waitpid(2) status: the exit code,
/// or 128+N when the process was killed by signal N.
[[nodiscard]] int exit_status_of(int wait_status) noexcept;

}  // namespace container
