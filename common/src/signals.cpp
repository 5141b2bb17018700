/// @file signals.cpp
/// @brief Signals the runtime and the container's init pass on, without signal handlers.
///
/// Both the runtime and the init block the signals they care about and take them one
/// at a time with sigwaitinfo(2): no asynchronous handler ever runs, so there is no
/// async-signal-safety to get wrong, and a signal that arrives early simply waits
/// (pending) until the loop asks for it.
#include "signals.hpp"

#include <algorithm>
#include <cerrno>
#include <system_error>

#include <sys/wait.h>

namespace container {

sigset_t forwarded_signals() {
    sigset_t signals;
    sigemptyset(&signals);
    for (int signal : {SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGTERM, SIGWINCH}) {
        sigaddset(&signals, signal);
    }
    return signals;
}

sigset_t supervised_signals() {
    sigset_t signals = forwarded_signals();
    sigaddset(&signals, SIGCHLD);
    return signals;
}

BlockedSignals::BlockedSignals(const sigset_t& signals) {
    // A SIGCHLD inherited as SIG_IGN means "reap my children for me" (POSIX.1-2001):
    // the exit statuses would be lost. Blocked and SIG_DFL, it stays pending instead.
    struct sigaction action {};
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    sigaction(SIGCHLD, &action, nullptr);

    if (int error = pthread_sigmask(SIG_BLOCK, &signals, &previous_); error != 0) {
        throw std::system_error(error, std::generic_category(), "block signals");
    }
}

BlockedSignals::~BlockedSignals() {
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

siginfo_t wait_for_signal(const sigset_t& signals) {
    siginfo_t info{};
    while (sigwaitinfo(&signals, &info) < 0) {
        if (errno != EINTR) {
            throw std::system_error(errno, std::generic_category(), "wait for signals");
        }
    }
    return info;
}

std::optional<siginfo_t> wait_for_signal_until(const sigset_t& signals,
                                               std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        const auto left = std::max(deadline - std::chrono::steady_clock::now(),
                                   std::chrono::steady_clock::duration::zero());
        const auto seconds = std::chrono::floor<std::chrono::seconds>(left);
        const timespec timeout{
            .tv_sec = static_cast<time_t>(seconds.count()),
            .tv_nsec = static_cast<long>(std::chrono::nanoseconds(left - seconds).count())};
        siginfo_t info{};
        if (sigtimedwait(&signals, &info, &timeout) >= 0) return info;
        if (errno == EAGAIN) return std::nullopt;  // the deadline passed
        if (errno != EINTR) {
            throw std::system_error(errno, std::generic_category(), "wait for signals");
        }
    }
}

bool sent_by_process(const siginfo_t& info) noexcept {
    // SI_USER (kill), SI_QUEUE (sigqueue), SI_TKILL (tgkill) are all <= 0; the kernel's
    // own signals (SI_KERNEL, as the terminal sends them) are positive.
    return info.si_code <= 0;
}

int exit_status_of(int wait_status) noexcept {
    if (WIFSIGNALED(wait_status)) {
        return 128 + WTERMSIG(wait_status);
    }
    return WEXITSTATUS(wait_status);
}

}  // namespace container
