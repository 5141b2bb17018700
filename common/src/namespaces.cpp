/// @file namespaces.cpp
/// @brief Creating the container's process in its own namespaces.
#include "namespaces.hpp"

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <system_error>

#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "container/error.hpp"

namespace container {

namespace {

/// The namespaces every container gets: mount, UTS (hostname), PID and IPC.
constexpr unsigned long kContainerNamespaces =
    CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWIPC;

/// The first fields of the kernel's struct clone_args (linux/sched.h, "CLONE_ARGS_SIZE_VER0"),
/// declared here because <linux/sched.h> does not mix well with glibc's <sched.h>.
struct CloneArgs {
    std::uint64_t flags = 0;
    std::uint64_t pidfd = 0;
    std::uint64_t child_tid = 0;
    std::uint64_t parent_tid = 0;
    std::uint64_t exit_signal = 0;
    std::uint64_t stack = 0;
    std::uint64_t stack_size = 0;
    std::uint64_t tls = 0;
};
static_assert(sizeof(CloneArgs) == 64);

long clone_like_fork(unsigned long flags) {
#ifdef SYS_clone3
    // No stack given: like fork(2), the child goes on from here on a copy of our memory.
    CloneArgs args;
    args.flags = flags;
    args.exit_signal = SIGCHLD;
    long pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid >= 0 || errno != ENOSYS) {
        return pid;
    }
    // clone3 is missing (kernel before 5.3, or a seccomp filter that hides it): clone.
#endif
#if defined(__s390__) || defined(__CRIS__)
    return syscall(SYS_clone, 0L, flags | SIGCHLD, 0L, 0L, 0L);
#else
    return syscall(SYS_clone, flags | SIGCHLD, 0L, 0L, 0L, 0L);
#endif
}

}  // namespace

pid_t clone_into_namespaces() {
    long pid = clone_like_fork(kContainerNamespaces);
    if (pid < 0) {
        throw std::system_error(errno, std::generic_category(),
                                "clone into new mount, UTS, PID and IPC namespaces");
    }
    return static_cast<pid_t>(pid);
}

void make_mounts_private() {
    // A propagation change is a call of its own: mixed with other flags it is ignored or EINVAL.
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
        throw_errno("make private (MS_REC|MS_PRIVATE)", "/");
    }
}

}  // namespace container
