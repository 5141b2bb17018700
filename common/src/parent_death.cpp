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
