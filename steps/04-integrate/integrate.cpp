/// @file integrate.cpp
/// @brief Step 4: set up every volume of a container at start-up, and clean them all up
///        when it exits.
///
/// Read steps/04-integrate/README.md first: each TODO below is a task there, with hints.
/// The contracts (what the checks expect) are the comments of setup_container_volumes()
/// and cleanup_container_volumes() in common/include/container/volume_steps.hpp.
#include "container/volume_steps.hpp"

#include <exception>
#include <utility>
#include <vector>

#include "container/error.hpp"        // UsageError, not_implemented()
#include "container/mount_point.hpp"  // same_place()
#include "container/mounts.hpp"       // make_read_only()
#include "container/volume.hpp"       // sort_parents_first()

namespace container {

std::vector<MountPoint> setup_container_volumes([[maybe_unused]] const std::vector<Volume>& volumes,
                                                [[maybe_unused]] const Rootfs& rootfs) {
    // TODO 1: Put the volumes in an order where "/d" is mounted before "/d/in", however
    //         the user ordered them. volume.hpp has a helper for it.

    // TODO 2: For each volume: prepare it (step 1), then bind-mount it (step 2). Keep a
    //         list of what is mounted (a MountPoint only moves: std::move it in).

    // TODO 3: Before mounting a volume, make sure its mount point is not one that an
    //         earlier volume already uses: two destinations that differ as strings can be
    //         one place once resolved. Compare what you hold (mount_point.hpp), and refuse
    //         with "duplicate mount point: <destination> (same as <other destination>)".

    // TODO 4: When any volume fails, do not leave a half-built container behind: remove
    //         the mount point of the volume that failed (it may have been created but not
    //         mounted), undo the volumes already mounted, newest first, then let the
    //         original error go on (`throw;` keeps it as it was).

    // TODO 5: Read-only comes last, once every volume is mounted: a volume nested inside a
    //         read-only one needs its mount point created first. Which helper of mounts.hpp
    //         makes the read-only volumes read-only, submounts included? A failure here is
    //         undone like in TODO 4. Then return the mounted volumes, in mounting order.

    not_implemented("setup_container_volumes");
}

void cleanup_container_volumes([[maybe_unused]] std::vector<MountPoint> mounted) {
    // TODO 6: Unmount the volumes in the reverse of the mounting order (step 3), so that
    //         "/d/in" goes before "/d". Hand each MountPoint over (std::move): unmounting
    //         closes its descriptors, and one held inside "/d" would keep "/d" busy.

    // TODO 7: One failure must not stop the others: catch it, remember the first one
    //         (std::exception_ptr), go on with the next volume, and rethrow it at the end.

    not_implemented("cleanup_container_volumes");
}

}  // namespace container
