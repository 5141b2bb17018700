/// @file unmount.cpp
/// @brief Step 3: unmount a volume through its held mount point, make sure it is gone,
///        then remove exactly what step 1 created for it, recognised by identity.
///
/// Read steps/03-unmount/README.md first: each TODO below is a task there, with hints.
/// The contracts (what the checks expect) are the comments of unmount_volume() and
/// remove_mount_point() in common/include/container/volume_steps.hpp.
#include "container/volume_steps.hpp"

#include <fcntl.h>      // AT_REMOVEDIR, AT_EMPTY_PATH
#include <sys/mount.h>  // umount2(2), mount_setattr(2), MNT_DETACH, MS_PRIVATE
#include <sys/stat.h>   // S_IFDIR, S_IFREG
#include <unistd.h>     // unlinkat(2)

#include <cerrno>
#include <chrono>
#include <string>
#include <thread>

#include "container/error.hpp"        // throw_errno(), throw_error(), not_implemented()
#include "container/identity.hpp"     // look_at(), EntryStatus
#include "container/mount_point.hpp"  // open_mount()
#include "container/unique_fd.hpp"    // fd_path()

namespace container {

void unmount_volume([[maybe_unused]] MountPoint mount_point) {
    // TODO 1: Look at what the mount point's name leads to now, in the directory you hold
    //         (identity.hpp). Three cases: the volume's own mount sits there (compare
    //         mount ids); the volume is no longer mounted there but the name still leads to
    //         the very mount point setup made (compare identities: the command may have
    //         unmounted it, that is fine); or something else is there, which is not yours:
    //         throw an error naming the destination, and remove nothing.

    // TODO 2: Unmount the volume's mount through the mount point you hold, not through a
    //         path walked from a root: which path leads the kernel straight to the file a
    //         descriptor holds? Any failure other than EBUSY names the destination.

    // TODO 3: EBUSY means something still uses the mount (a working directory, an open
    //         file). Try again a few times with a short pause in between. If it stays busy,
    //         detach it lazily (which umount2(2) flag?) so that it leaves the tree now and
    //         the kernel frees it when its last user lets go. But first make the mount's
    //         tree private (mount_setattr(2) on a descriptor of the mount, mount_point.hpp
    //         opens one): a lazy detach travels along shared propagation and would also
    //         unmount the host's mounts below the source.

    // TODO 4: Verify before you delete anything: nothing may be mounted at the mount point
    //         any more. If something still is, throw; removing it now could delete the
    //         host's files.

    // TODO 5: Only now remove what step 1 created: call remove_mount_point().

    not_implemented("unmount_volume");
}

void remove_mount_point([[maybe_unused]] const MountPoint& mount_point) {
    // TODO 6: Walk `mount_point.created` from the innermost entry to the outermost one. For
    //         each, look at its name in the directory it was made in: skip it when it is
    //         gone, when a mount sits on it, and when it is no longer the file that was
    //         made (its identity changed: someone renamed something else into its place).

    // TODO 7: Remove it relative to that directory (the *at() form of the call), with the
    //         call that cannot delete more than one empty thing: a directory only if it is
    //         empty, the mount-point file only if it is a plain, empty file. A directory
    //         that is no longer empty stays where it is. Never remove recursively (no
    //         std::filesystem::remove_all, no `rm -rf`). Which errnos mean "not empty",
    //         "busy" or "already gone", i.e. "leave it"?

    not_implemented("remove_mount_point");
}

}  // namespace container
