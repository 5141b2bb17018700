// One of the deliberately broken runtimes of step 05 (faults.txt): the reference runtime,
// linked with this file and `-Wl,--wrap=<unmount_volume>`, so that the cleanup's calls of
// container::unmount_volume() come here, and do nothing. The mounts themselves vanish
// with the container's mount namespace, and so do the mount points made in the
// container's own layer over the image. What stays behind is every directory (and empty
// file) the runtime created as the mount point of a volume nested in another one: those
// were made in the outer volume's source, on the host, which is no longer what it was.
//
// Wrap: _ZN9container14unmount_volumeENS_10MountPointE
#include "container/volume_steps.hpp"

extern "C" void __wrap__ZN9container14unmount_volumeENS_10MountPointE(
    container::MountPoint /*mount_point*/) {
    // the fault: nothing at all
}
