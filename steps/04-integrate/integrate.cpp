/// @file integrate.cpp
/// @brief Step 4: set up every volume of a container at start-up, and clean them all up
///        when it exits.
///
/// Read steps/04-integrate/README.md first: each TODO below is a task there, with hints.
/// The contracts (what the checks expect) are the comments of setup_container_volumes()
/// and cleanup_container_volumes() in common/include/container/volume_steps.hpp.
#include "container/volume_steps.hpp"

#include <exception>
#include <filesystem>
#include <vector>

#include "container/error.hpp"   // not_implemented()
#include "container/mounts.hpp"  // make_read_only()
#include "container/rootfs.hpp"  // Rootfs::resolve()
#include "container/volume.hpp"  // sort_parents_first()

namespace container {

std::vector<MountPoint> setup_container_volumes([[maybe_unused]] const std::vector<Volume>& volumes,
                                                [[maybe_unused]] const Rootfs& rootfs) {
    // TODO 1: Put the volumes in an order where "/d" is mounted before "/d/in", however
    //         the user ordered them. volume.hpp has a helper for it.

    // TODO 2: For each volume: prepare it (step 1), find the host path of its mount point
    //         through `rootfs`, and bind-mount it (step 2). Keep a list of what is mounted.

    // TODO 3: When any volume fails, do not leave a half-built container behind: remove
    //         the mount point of the volume that failed (it may have been created but not
    //         mounted), undo the volumes already mounted, newest first, then let the
    //         original error go on (`throw;` keeps it as it was).

    // TODO 4: Read-only comes last, once every mount point exists: a volume nested inside
    //         a read-only one needs its mount point created first. Which helper of
    //         mounts.hpp makes a volume read-only, submounts included? It wants host paths.
    //         A failure here is undone like in TODO 3.

    // TODO 5: Return the mounted volumes, in the order they were mounted.

    not_implemented("setup_container_volumes");
}

void cleanup_container_volumes([[maybe_unused]] const std::vector<MountPoint>& mounted,
                               [[maybe_unused]] const Rootfs& rootfs) {
    // TODO 6: Unmount the volumes in the reverse of the mounting order (step 3), so that
    //         "/d/in" goes before "/d".

    // TODO 7: One failure must not stop the others: catch it, remember the first one
    //         (std::exception_ptr), go on with the next volume, and rethrow it at the end.

    not_implemented("cleanup_container_volumes");
}

}  // namespace container
