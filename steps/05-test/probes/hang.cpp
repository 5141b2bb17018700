// Not a fault for students: a probe of the grader itself (`make grade-selfcheck`).
// Step 02's GoogleTest checks linked with this file and `-Wl,--wrap=<mount_volume>`:
// mount_volume() never returns, like a student's endless loop. The grader must stop the
// check at its timeout and say so.
//
// Wrap: _ZN9container12mount_volumeERNS_10MountPointE
#include <unistd.h>

#include "container/mount_point.hpp"

extern "C" void __wrap__ZN9container12mount_volumeERNS_10MountPointE(
    container::MountPoint& /*mount_point*/) {
    for (;;) ::pause();
}
