/// @file mount.cpp
/// @brief Step 2 (reference): bind-mount a volume's held source onto its held mount point.
#include "container/volume_steps.hpp"

#include <fcntl.h>      // AT_* flags
#include <sys/mount.h>  // open_tree(2), move_mount(2), OPEN_TREE_*, MOVE_MOUNT_*

#include "container/error.hpp"
#include "container/identity.hpp"

namespace container {

void mount_volume(MountPoint& mount_point) {
    // Mounting twice would stack a second mount on the first: each unmount then removes
    // only one of them. A mount of the source sits there when the name of the mount point
    // leads to the root of a mount that is the source's own directory.
    const EntryStatus there = look_at(mount_point.parent, mount_point.name);
    if (there.mount_root && there.identity == identity_of(mount_point.source)) {
        mount_point.mount_id = there.mount_id;
        return;
    }

    // The new mount API works on descriptors from end to end. open_tree(2) with
    // OPEN_TREE_CLONE makes a copy of the mount tree at the held source, not attached
    // anywhere yet (the bind of MS_BIND); AT_RECURSIVE takes the mounts below the source
    // along (MS_REC); AT_EMPTY_PATH means "the descriptor itself", no path.
    const UniqueFd tree(::open_tree(mount_point.source.get(), "",
                                    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH));
    if (!tree) throw_errno("bind (open_tree) the source of volume '" + mount_point.volume + "' for", mount_point.destination);

    // move_mount(2) attaches it on the held mount point, wherever that is now: nothing is
    // looked up by name, so a directory renamed or swapped for a symlink since setup
    // cannot redirect it.
    if (::move_mount(tree.get(), "", mount_point.target.get(), "",
                     MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0) {
        throw_errno("mount (move_mount) volume '" + mount_point.volume + "' on", mount_point.destination);
    }

    // Remember which mount is ours: cleanup unmounts that one and nothing else. The tree's
    // descriptor is the root of the new mount.
    mount_point.mount_id = mount_id_of(tree);
}

}  // namespace container
