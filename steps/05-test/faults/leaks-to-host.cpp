// Fault: makes its mounts private too late, so they leak to the host
// Hint: 8
//
// One of the deliberately broken runtimes of step 05: the reference runtime, linked with
// this file and `-Wl,--wrap=<make_mounts_private>,--wrap=<enter_root>`. The container's
// init should make "/" recursively private first thing in its new mount namespace; here
// it does so only just before pivot_root (which refuses shared mounts). Until then the
// namespace's mounts are peers of the host's, wherever "/" is shared (systemd, and the
// grader's sandbox): the container's layer (its tmpfs and overlay), /proc, /dev and the
// volumes appear on the host too, and some stay there after the container has exited.
//
// Wrap: _ZN9container19make_mounts_privateEv
// Wrap: _ZN9container10enter_rootERKNSt10filesystem7__cxx114pathE
#include <sys/mount.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

extern "C" void __real__ZN9container10enter_rootERKNSt10filesystem7__cxx114pathE(
    const std::filesystem::path& new_root);

extern "C" void __wrap__ZN9container19make_mounts_privateEv() {
    // the fault: not now
}

extern "C" void __wrap__ZN9container10enter_rootERKNSt10filesystem7__cxx114pathE(
    const std::filesystem::path& new_root) {
    // ... but here, too late: everything mounted so far has already propagated.
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
        throw std::system_error(errno, std::generic_category(), "make private");
    }
    __real__ZN9container10enter_rootERKNSt10filesystem7__cxx114pathE(new_root);
}
