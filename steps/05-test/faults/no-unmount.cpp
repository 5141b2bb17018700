// Fault: never unmounts its volumes, so their mount points stay in the image
// Hint: 3
//
// One of the deliberately broken runtimes of step 05: the reference runtime, linked with
// this file and `-Wl,--wrap=<unmount_volume>`, so that the cleanup's calls of
// container::unmount_volume() come here, and do nothing. The mounts themselves vanish
// with the container's mount namespace; what stays behind is every directory (and
// empty file) the runtime created in the image as a mount point: the image is no longer
// what it was.
//
// Wrap: _ZN9container14unmount_volumeERKNS_10MountPointERKNS_6RootfsE
#include "container/volume_steps.hpp"

extern "C" void __wrap__ZN9container14unmount_volumeERKNS_10MountPointERKNS_6RootfsE(
    const container::MountPoint& /*mount_point*/, const container::Rootfs& /*rootfs*/) {
    // the fault: nothing at all
}
