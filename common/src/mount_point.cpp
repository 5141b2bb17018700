/// @file mount_point.cpp
/// @brief Finding a volume's own mount again, and two volumes at one place.
#include "container/mount_point.hpp"

#include <fcntl.h>     // openat(2), O_* flags
#include <sys/stat.h>  // statx(2)

#include <cerrno>

#include "container/error.hpp"

namespace container {

UniqueFd open_mount(const MountPoint& mount_point) {
    // The name is looked up once, in the directory held open; what it reaches is checked
    // by mount id through the descriptor obtained, so a rename in between cannot make
    // the caller act on another mount.
    UniqueFd root(::openat(mount_point.parent.get(), mount_point.name.c_str(),
                           O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (!root) throw_errno("open", mount_point.destination);
    struct statx info {};
    if (::statx(root.get(), "", AT_EMPTY_PATH, 0, &info) != 0) {
        throw_errno("stat", mount_point.destination);
    }
    const bool is_root = (info.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
    if (mount_point.mount_id == 0 || !is_root || mount_id_of(root) != mount_point.mount_id) {
        throw_error(ENOENT, "find the volume's mount at", mount_point.destination);
    }
    return root;
}

const MountPoint* same_place(const MountPoint& candidate, const std::vector<MountPoint>& earlier) {
    // What the candidate holds is what a mount would go on: is that the root of a mount,
    // and which? Asked of the descriptor itself: no name is looked up again.
    const EntryStatus held = status_of(candidate.target);
    for (const MountPoint& other : earlier) {
        if (&other == &candidate) continue;
        if (other.identity == candidate.identity) return &other;  // one mount point
        // The candidate resolved through an earlier volume onto its root: it would be
        // stacked on that volume and hide it.
        if (held.mount_root && other.mount_id != 0 && held.mount_id == other.mount_id) {
            return &other;
        }
    }
    return nullptr;
}

}  // namespace container
