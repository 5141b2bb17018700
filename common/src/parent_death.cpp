/// @file parent_death.cpp
/// @brief The container dies with the runtime: a SIGKILLed runtime leaves no process and
///        no mount behind.
///
/// When the runtime is killed (even with SIGKILL, which nothing can catch), the container's
/// init gets SIGKILL from the kernel (PR_SET_PDEATHSIG). The death of a PID namespace's init
/// kills every process in it, and the last process gone takes the mount namespace with it,
/// and every mount made inside, the container's writable layer included.
///
/// What a mount namespace cannot take along is what was created *on the host*: the mount
/// point of a volume nested in another one is made in the outer volume's source, a host
/// directory, and only the run's cleanup removes it. A killed run never gets there; it
/// wrote each such entry in its journal before creating it (journal.hpp), and the next
/// `container run`, or `container cleanup`, removes what is still what the run made.
#include "parent_death.hpp"

#include <cerrno>
#include <csignal>
#include <system_error>

#include <poll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "container/error.hpp"

namespace container {

UniqueFd open_own_pidfd() {
    // pidfd_open(2) always sets O_CLOEXEC: the command never inherits it.
    long fd = syscall(SYS_pidfd_open, getpid(), 0);
    if (fd < 0) {
        throw std::system_error(errno, std::generic_category(), "pidfd_open of the runtime");
    }
    return UniqueFd(static_cast<int>(fd));
}

void die_with_parent(const UniqueFd& parent) noexcept {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
        print_error("prctl PR_SET_PDEATHSIG: the container could outlive the runtime");
        _exit(kExitRuntimeError);
    }
    // A pidfd polls readable once its process has exited.
    pollfd watch{.fd = parent.get(), .events = POLLIN, .revents = 0};
    if (poll(&watch, 1, 0) != 0) {
        _exit(kExitRuntimeError);
    }
}

}  // namespace container
