/// @file terminal_guard.cpp
/// @brief A seccomp filter, written by hand: ioctl(TIOCSTI) and ioctl(TIOCLINUX) fail.
#include "terminal_guard.hpp"

#include <fcntl.h>
#include <linux/audit.h>    // AUDIT_ARCH_*: which ABI made a system call
#include <linux/filter.h>   // struct sock_filter, BPF_STMT, BPF_JUMP
#include <linux/seccomp.h>  // struct seccomp_data, SECCOMP_RET_*
#include <sys/ioctl.h>      // TIOCSTI, TIOCLINUX
#include <sys/prctl.h>      // prctl(2), PR_SET_SECCOMP
#include <unistd.h>         // isatty(3)

#include <array>
#include <bit>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "container/error.hpp"
#include "container/unique_fd.hpp"

namespace container {

namespace {

/// ioctl(2) as one ABI of this machine numbers it. The filter sees the system calls of
/// every program of the container, and a 32-bit program makes them with its own numbers:
/// the filter must know ioctl there too, or a 32-bit program would get through.
struct IoctlCall {
    std::uint32_t arch;    ///< seccomp_data.arch: AUDIT_ARCH_* of the ABI
    std::uint32_t number;  ///< seccomp_data.nr of ioctl(2) in that ABI
};

#if defined(__x86_64__)
constexpr std::array kIoctlCalls{
    IoctlCall{AUDIT_ARCH_X86_64, 16},
    IoctlCall{AUDIT_ARCH_X86_64, 0x40000000U | 514U},  // x32: 64-bit ABI, 32-bit pointers
    IoctlCall{AUDIT_ARCH_I386, 54},
};
#elif defined(__aarch64__)
constexpr std::array kIoctlCalls{
    IoctlCall{AUDIT_ARCH_AARCH64, 29},
    IoctlCall{AUDIT_ARCH_ARM, 54},
};
#elif defined(__riscv) && __riscv_xlen == 64
constexpr std::array kIoctlCalls{IoctlCall{AUDIT_ARCH_RISCV64, 29}};
#else
#error "terminal_guard.cpp: give the numbers of ioctl(2) in the ABIs of this architecture"
#endif

/// Where the filter finds a field of the system call it looks at (struct seccomp_data).
constexpr std::uint32_t kArch = offsetof(seccomp_data, arch);
constexpr std::uint32_t kNumber = offsetof(seccomp_data, nr);
/// ioctl's request, its second argument: the kernel reads only its low 32 bits, so the
/// filter compares those, whatever the high ones (flatpak's CVE-2019-10063 compared
/// all 64, and TIOCSTI | 1 << 32 went through). Which half is low depends on the byte order.
constexpr std::uint32_t kRequest =
    offsetof(seccomp_data, args[1]) + (std::endian::native == std::endian::little ? 0 : 4);

constexpr sock_filter load(std::uint32_t field) {
    return BPF_STMT(BPF_LD | BPF_W | BPF_ABS, field);
}
/// if (loaded == value) skip @p if_equal instructions, else skip @p otherwise.
constexpr sock_filter jump_if_equal(std::uint32_t value, std::uint8_t if_equal,
                                    std::uint8_t otherwise) {
    return BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, value, if_equal, otherwise);
}
constexpr sock_filter answer(std::uint32_t action) {
    return BPF_STMT(BPF_RET | BPF_K, action);
}

/// The program, a list of classic BPF instructions the kernel runs for every system call
/// (jumps count the instructions they skip):
///
///     for each ABI:   if arch == its arch and nr == its ioctl: go to CHECK
///                     allow
///     CHECK:          if request == TIOCSTI or request == TIOCLINUX: fail with EPERM
///                     allow
std::vector<sock_filter> filter_program() {
    constexpr auto kAbis = static_cast<std::uint8_t>(kIoctlCalls.size());
    std::vector<sock_filter> program;
    for (std::uint8_t i = 0; i < kAbis; ++i) {
        // 4 instructions an ABI; CHECK comes after those of the other ABIs and the allow.
        const auto to_check = static_cast<std::uint8_t>(4 * (kAbis - i - 1) + 1);
        program.push_back(load(kArch));
        program.push_back(jump_if_equal(kIoctlCalls[i].arch, 0, 2));  // else: the next ABI
        program.push_back(load(kNumber));
        program.push_back(jump_if_equal(kIoctlCalls[i].number, to_check, 0));
    }
    program.push_back(answer(SECCOMP_RET_ALLOW));  // not an ioctl
    program.push_back(load(kRequest));             // CHECK
    program.push_back(jump_if_equal(TIOCSTI, 2, 0));
    program.push_back(jump_if_equal(TIOCLINUX, 1, 0));
    program.push_back(answer(SECCOMP_RET_ALLOW));  // any other request
    program.push_back(answer(SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)));
    return program;
}

}  // namespace

bool reaches_a_terminal() noexcept {
    if (isatty(STDIN_FILENO) || isatty(STDOUT_FILENO) || isatty(STDERR_FILENO)) return true;
    // O_NONBLOCK: the open of a serial line may otherwise wait for its carrier.
    const UniqueFd terminal(open("/dev/tty", O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
    return static_cast<bool>(terminal);
}

void forbid_typing_into_terminal() {
    std::vector<sock_filter> program = filter_program();
    const sock_fprog filter{.len = static_cast<unsigned short>(program.size()),
                            .filter = program.data()};
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter, 0, 0) != 0) {
        throw_errno("load the seccomp filter against TIOCSTI", "");
    }
}

}  // namespace container
