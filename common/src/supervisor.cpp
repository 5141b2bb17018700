/// @file supervisor.cpp
/// @brief Waiting for a child while passing signals on to it: the loop of the runtime and
/// of the container's init.
#include "supervisor.hpp"

#include <cerrno>
#include <chrono>
#include <optional>
#include <system_error>

#include <signal.h>
#include <sys/wait.h>

#include "signals.hpp"

namespace container {

namespace {

/// Collects the children that have exited, without waiting. Returns the status of
/// @p child once it is among them.
std::optional<int> reap_exited(pid_t child, Reap reap) {
    std::optional<int> child_status;
    for (;;) {
        int status = 0;
        const pid_t pid = waitpid(reap == Reap::every_child ? -1 : child, &status, WNOHANG);
        if (pid == 0) {
            return child_status;  // the others still run
        }
        if (pid < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == ECHILD && child_status) {
                return child_status;
            }
            throw std::system_error(errno, std::generic_category(), "waitpid");
        }
        if (pid == child) {
            child_status = exit_status_of(status);
            if (reap == Reap::child_only) {
                return child_status;
            }
        }
        // Any other pid was an orphan of the namespace: reaped, nothing more to do.
    }
}

/// SIGTERM (kill, `docker stop`) and SIGINT (kill -INT) ask a program to stop: the others
/// passed on (SIGHUP, SIGUSR1, SIGWINCH...) often ask it to carry on differently.
bool asks_to_stop(int signal) {
    return signal == SIGTERM || signal == SIGINT;
}

}  // namespace

int supervise(pid_t child, Reap reap, std::optional<std::chrono::seconds> stop_timeout) {
    using Clock = std::chrono::steady_clock;
    constexpr Clock::time_point kNever = Clock::time_point::max();
    const sigset_t signals = supervised_signals();
    // When the child's time is up: set once a request to stop has been passed on.
    Clock::time_point kill_at = kNever;
    for (;;) {
        // SIGCHLD is blocked: one that came before this loop is still pending, and
        // several exits may share one SIGCHLD, hence a reap of every exited child.
        if (auto status = reap_exited(child, reap)) {
            return *status;
        }
        if (kill_at != kNever && Clock::now() >= kill_at) {
            // A process can catch or ignore SIGTERM, never SIGKILL. Its exit, with status
            // 128+9, comes as a SIGCHLD like any other.
            kill(child, SIGKILL);
            kill_at = kNever;
            continue;
        }
        const std::optional<siginfo_t> info =
            kill_at == kNever ? wait_for_signal(signals) : wait_for_signal_until(signals, kill_at);
        if (!info || info->si_signo == SIGCHLD || !sent_by_process(*info)) {
            continue;
        }
        kill(child, info->si_signo);
        if (stop_timeout && kill_at == kNever && asks_to_stop(info->si_signo)) {
            kill_at = Clock::now() + *stop_timeout;
        }
    }
}

void end_remaining_processes() noexcept {
    // From PID 1 of a namespace, -1 means every other process in that namespace.
    kill(-1, SIGKILL);
    for (;;) {
        if (waitpid(-1, nullptr, 0) < 0 && errno != EINTR) {
            return;  // ECHILD: all gone
        }
    }
}

}  // namespace container
