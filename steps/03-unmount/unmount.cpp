/// @file unmount.cpp
/// @brief Step 3: unmount a volume, make sure it is gone, then remove exactly what
///        step 1 created for it.
///
/// Read steps/03-unmount/README.md first: each TODO below is a task there, with hints.
/// The contracts (what the checks expect) are the comments of unmount_volume() and
/// remove_mount_point() in common/include/container/volume_steps.hpp.
#include "container/volume_steps.hpp"

#include <sys/mount.h>  // umount2(2), mount(2), MNT_DETACH, UMOUNT_NOFOLLOW, MS_PRIVATE
#include <sys/stat.h>   // lstat(2)
#include <unistd.h>     // rmdir(2), unlink(2)

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <thread>

#include "container/error.hpp"   // throw_errno(), throw_error(), not_implemented()
#include "container/mounts.hpp"  // is_mount_point()
#include "container/rootfs.hpp"  // Rootfs::resolve(), FollowLast

namespace container {

void unmount_volume([[maybe_unused]] const MountPoint& mount_point,
                    [[maybe_unused]] const Rootfs& rootfs) {
    // TODO 1: Turn `mount_point.destination` (a container path) into the host path to
    //         unmount, through `rootfs`, WITHOUT following a final symlink: the image
    //         is not yours to trust.

    // TODO 2: Check that it is a mount point at all (mounts.hpp); if it is not, throw an
    //         error naming the path that says so (umount2(2) would only say EINVAL,
    //         "Invalid argument"). Then unmount it with umount2(2): which flag refuses to
    //         follow a symlink at the path? Any failure other than EBUSY names the path.

    // TODO 3: EBUSY means something still uses the mount (a working directory, an open
    //         file, a mount below it). Try again a few times with a short pause in
    //         between. If it stays busy, detach it lazily (which umount2(2) flag?) so that
    //         it leaves the tree now and the kernel frees it when its last user lets go.
    //         But first make the volume's subtree private (mount(2) with the propagation
    //         flags, in a call of its own): a lazy detach travels along shared
    //         propagation and would also unmount the host's mounts below the source.

    // TODO 4: Verify before you delete anything: the path must no longer be a mount
    //         point. If it still is, throw; removing it now could delete the host's files.

    // TODO 5: Only now remove what step 1 created: call remove_mount_point().

    not_implemented("unmount_volume");
}

void remove_mount_point([[maybe_unused]] const MountPoint& mount_point,
                        [[maybe_unused]] const Rootfs& rootfs) {
    // TODO 6: Walk `mount_point.created` from the innermost path to the outermost one.
    //         Resolve each inside `rootfs` without following a final symlink; skip a
    //         path that is gone, and one that is (still, or again) a mount point.

    // TODO 7: Remove each one with the call that cannot delete more than one empty thing:
    //         a directory only if it is empty, the mount-point file only if it is a plain,
    //         empty file. A directory that is no longer empty, or something that is no
    //         longer what step 1 made (a symlink, say), stays where it is. Never remove
    //         recursively (no std::filesystem::remove_all, no `rm -rf`). Which errnos of
    //         rmdir(2) mean "not empty", "busy" or "already gone", i.e. "leave it"?

    not_implemented("remove_mount_point");
}

}  // namespace container
