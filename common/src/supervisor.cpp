#include "supervisor.hpp"

#include <cerrno>
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

}  // namespace

int supervise(pid_t child, Reap reap) {
    const sigset_t signals = supervised_signals();
    for (;;) {
        // SIGCHLD is blocked: one that came before this loop is still pending, and
        // several exits may share one SIGCHLD, hence a reap of every exited child.
        if (auto status = reap_exited(child, reap)) {
            return *status;
        }
        const siginfo_t info = wait_for_signal(signals);
        if (info.si_signo != SIGCHLD && sent_by_process(info)) {
            kill(child, info.si_signo);
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
