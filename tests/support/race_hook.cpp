/// @file race_hook.cpp
/// @brief The test binaries' own versions of the C library's file-system calls, each an
///        "act" before which an armed swap may run (see race_hook.hpp).
///
/// These definitions take the place of the C library's for every object of a test
/// binary: the executable's own definition of a symbol wins over a shared library's. They
/// forward to the kernel with syscall(2), exactly as the C library would.
// The declarations of <fcntl.h> must be the plain ones, not fortified inline wrappers.
#undef _FORTIFY_SOURCE

#include "race_hook.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <system_error>
#include <utility>

namespace container::test_support {
namespace {

struct Armed {
    int before_act = 0;
    int acts = 0;
    bool swapped = false;
    bool in_swap = false;
    std::string swapped_before;
    std::string swap_error;
    std::function<void()> swap;
};

Armed* armed = nullptr;

/// Called at the start of every interposed act. Never throws: the C library's functions
/// do not (a swap that fails is reported by RaceHook::swap_error()).
void act(const char* name) noexcept {
    if (armed == nullptr || armed->in_swap) return;
    ++armed->acts;
    if (armed->swapped || armed->acts != armed->before_act) return;
    const int saved_errno = errno;
    armed->in_swap = true;  // the swap's own calls are not acts
    armed->swapped = true;
    armed->swapped_before = name;
    try {
        armed->swap();
    } catch (const std::exception& error) {
        armed->swap_error = error.what();
    }
    armed->in_swap = false;
    errno = saved_errno;
}

}  // namespace

RaceHook::RaceHook(int before_act, std::function<void()> swap) {
    armed = new Armed;
    armed->before_act = before_act;
    armed->swap = std::move(swap);
}

RaceHook::~RaceHook() {
    delete armed;
    armed = nullptr;
}

int RaceHook::acts() const {
    return armed->acts;
}
bool RaceHook::swapped() const {
    return armed->swapped;
}
const std::string& RaceHook::swapped_before() const {
    return armed->swapped_before;
}
const std::string& RaceHook::swap_error() const {
    return armed->swap_error;
}

int count_acts(const std::function<void()>& action) {
    const RaceHook hook(0, [] {});
    action();  // what it throws is the test's failure (or "not implemented yet")
    return hook.acts();
}

void swap_for_symlink(const std::filesystem::path& path, const std::filesystem::path& target) {
    const std::filesystem::path moved = path.string() + ".moved";
    if (::rename(path.c_str(), moved.c_str()) != 0 ||
        ::symlink(target.c_str(), path.c_str()) != 0) {
        throw std::system_error(errno, std::generic_category(), "swap " + path.string());
    }
}

void exchange(const std::filesystem::path& a, const std::filesystem::path& b) {
    if (::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) != 0) {
        throw std::system_error(errno, std::generic_category(),
                                "exchange " + a.string() + " and " + b.string());
    }
}

}  // namespace container::test_support

// The C library's functions, as the test binaries see them. Each is one act.

using container::test_support::act;

extern "C" {

int mkdir(const char* path, mode_t mode) noexcept {
    act("mkdir");
    return static_cast<int>(syscall(SYS_mkdirat, AT_FDCWD, path, mode));
}

int mkdirat(int directory, const char* path, mode_t mode) noexcept {
    act("mkdirat");
    return static_cast<int>(syscall(SYS_mkdirat, directory, path, mode));
}

int chmod(const char* path, mode_t mode) noexcept {
    act("chmod");
    return static_cast<int>(syscall(SYS_fchmodat, AT_FDCWD, path, mode));
}

int fchmod(int fd, mode_t mode) noexcept {
    act("fchmod");
    return static_cast<int>(syscall(SYS_fchmod, fd, mode));
}

int rmdir(const char* path) noexcept {
    act("rmdir");
    return static_cast<int>(syscall(SYS_unlinkat, AT_FDCWD, path, AT_REMOVEDIR));
}

int unlink(const char* path) noexcept {
    act("unlink");
    return static_cast<int>(syscall(SYS_unlinkat, AT_FDCWD, path, 0));
}

int unlinkat(int directory, const char* path, int flags) noexcept {
    act("unlinkat");
    return static_cast<int>(syscall(SYS_unlinkat, directory, path, flags));
}

int rename(const char* from, const char* to) noexcept {
    act("rename");
    return static_cast<int>(syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, 0));
}

int renameat(int from_directory, const char* from, int to_directory, const char* to) noexcept {
    act("renameat");
    return static_cast<int>(syscall(SYS_renameat2, from_directory, from, to_directory, to, 0));
}

int renameat2(int from_directory, const char* from, int to_directory, const char* to,
              unsigned int flags) noexcept {
    act("renameat2");
    return static_cast<int>(syscall(SYS_renameat2, from_directory, from, to_directory, to, flags));
}

// open(2) and openat(2) create only with O_CREAT (or O_TMPFILE): only then are they acts,
// and only then do they take a mode.
static int open_at(int directory, const char* path, int flags, va_list arguments) noexcept {
    mode_t mode = 0;
    if ((flags & (O_CREAT | __O_TMPFILE)) != 0) {
        mode = static_cast<mode_t>(va_arg(arguments, unsigned int));
        act(directory == AT_FDCWD ? "open" : "openat");
    }
    return static_cast<int>(syscall(SYS_openat, directory, path, flags, mode));
}

int open(const char* path, int flags, ...) {
    va_list arguments;
    va_start(arguments, flags);
    const int fd = open_at(AT_FDCWD, path, flags, arguments);
    va_end(arguments);
    return fd;
}

int openat(int directory, const char* path, int flags, ...) {
    va_list arguments;
    va_start(arguments, flags);
    const int fd = open_at(directory, path, flags, arguments);
    va_end(arguments);
    return fd;
}

int mount(const char* source, const char* target, const char* type, unsigned long flags,
          const void* data) noexcept {
    act("mount");
    return static_cast<int>(syscall(SYS_mount, source, target, type, flags, data));
}

int umount(const char* target) noexcept {
    act("umount");
    return static_cast<int>(syscall(SYS_umount2, target, 0));
}

int umount2(const char* target, int flags) noexcept {
    act("umount2");
    return static_cast<int>(syscall(SYS_umount2, target, flags));
}

int open_tree(int directory, const char* path, unsigned int flags) noexcept {
    act("open_tree");
    return static_cast<int>(syscall(SYS_open_tree, directory, path, flags));
}

int move_mount(int from_directory, const char* from, int to_directory, const char* to,
               unsigned int flags) noexcept {
    act("move_mount");
    return static_cast<int>(syscall(SYS_move_mount, from_directory, from, to_directory, to, flags));
}

int mount_setattr(int directory, const char* path, unsigned int flags, struct mount_attr* attr,
                  size_t size) noexcept {
    act("mount_setattr");
    return static_cast<int>(syscall(SYS_mount_setattr, directory, path, flags, attr, size));
}

// The look before an act: a swap right before it shows whether the code acts on what it
// looked at (a descriptor) or on a name looked up again.
int statx(int directory, const char* path, int flags, unsigned int mask,
          struct statx* buffer) noexcept {
    act("statx");
    return static_cast<int>(syscall(SYS_statx, directory, path, flags, mask, buffer));
}

}  // extern "C"
