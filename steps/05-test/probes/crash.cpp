// Not a fault for students: a probe of the grader itself (`make grade-selfcheck`).
// Step 02's GoogleTest checks linked with this file and `-Wl,--wrap=<mount_volume>`:
// mount_volume() dies of SIGSEGV, like a student's dangling pointer. The grader must
// report "crashed (SIGSEGV)".
//
// Wrap: _ZN9container12mount_volumeERNS_10MountPointE
#include <csignal>
#include "container/mount_point.hpp"

extern "C" void __wrap__ZN9container12mount_volumeERNS_10MountPointE(
    container::MountPoint& /*mount_point*/) {
    std::raise(SIGSEGV);
}
