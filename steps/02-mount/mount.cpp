/// @file mount.cpp
/// @brief Step 2: bind-mount a volume's held source onto its held mount point.
///
/// Read steps/02-mount/README.md first: each TODO below is a task there, with hints.
/// The contract (what the checks expect) is the comment of mount_volume() in
/// common/include/container/volume_steps.hpp.
#include "container/volume_steps.hpp"

#include <fcntl.h>      // AT_* flags
#include <sys/mount.h>  // open_tree(2), move_mount(2), mount(2) and their flags

#include "container/error.hpp"     // throw_errno(), not_implemented()
#include "container/identity.hpp"  // look_at(), identity_of(), mount_id_of()

namespace container {

void mount_volume([[maybe_unused]] MountPoint& mount_point) {
    // TODO 1: Do not stack: if a mount of the source already sits on the mount point, the
    //         volume is mounted already and there is nothing to do but note that mount's
    //         id in `mount_point.mount_id`. identity.hpp tells you what the mount point's
    //         name, in the directory you hold, leads to now, and what the source you hold
    //         is.

    // TODO 2: Make a recursive bind of the source you hold: a copy of its mount tree,
    //         the mounts below it included, not attached anywhere yet. See open_tree(2):
    //         which flag clones, which one recurses, which one says "this descriptor, no
    //         path"? (mount(2) with MS_BIND | MS_REC does the same for a path.)

    // TODO 3: Attach it on the mount point you hold, with move_mount(2), from descriptor to
    //         descriptor: no name is looked up, so nothing renamed since setup can
    //         redirect it. On failure, report the errno naming the volume and destination.

    // TODO 4: Record the new mount's id in `mount_point.mount_id` (the tree's descriptor is
    //         the root of the new mount; identity.hpp has the helper): cleanup unmounts that
    //         mount and nothing else.

    not_implemented("mount_volume");
}

}  // namespace container
