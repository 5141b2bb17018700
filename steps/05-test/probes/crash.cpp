// Not a fault for students: a probe of the grader itself (`make grade-selfcheck`).
// Step 02's GoogleTest checks linked with this file and `-Wl,--wrap=<mount_volume>`:
// mount_volume() dies of SIGSEGV, like a student's dangling pointer. The grader must
// report "crashed (SIGSEGV)".
//
// Wrap: _ZN9container12mount_volumeERKNSt10filesystem7__cxx114pathES4_
#include <csignal>
#include <filesystem>

extern "C" void __wrap__ZN9container12mount_volumeERKNSt10filesystem7__cxx114pathES4_(
    const std::filesystem::path& /*source*/, const std::filesystem::path& /*target*/) {
    std::raise(SIGSEGV);
}
