// One of the deliberately broken runtimes of step 05 (faults.txt): the reference runtime,
// linked with this file and `-Wl,--wrap=<make_read_only>`, so that the call of
// container::make_read_only() that setup_container_volumes() makes comes here and does
// nothing: the volume is mounted, but stays writable from inside the container.
//
// Wrap: _ZN9container14make_read_onlyERKSt6vectorINS_10MountPointESaIS1_EE
#include <vector>

#include "container/mount_point.hpp"

extern "C" void __wrap__ZN9container14make_read_onlyERKSt6vectorINS_10MountPointESaIS1_EE(
    const std::vector<container::MountPoint>& /*mounted*/) {
    // the fault: nothing at all
}
