// Not a fault for students: a probe of the grader itself (`make grade-selfcheck`).
// Step 02's GoogleTest checks linked with this file and `-Wl,--wrap=<mount_volume>`:
// mount_volume() never returns, like a student's endless loop. The grader must stop the
// check at its timeout and say so.
//
// Wrap: _ZN9container12mount_volumeERKNSt10filesystem7__cxx114pathES4_
#include <unistd.h>

#include <filesystem>

extern "C" void __wrap__ZN9container12mount_volumeERKNSt10filesystem7__cxx114pathES4_(
    const std::filesystem::path& /*source*/, const std::filesystem::path& /*target*/) {
    for (;;) ::pause();
}
