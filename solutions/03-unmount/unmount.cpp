/// @file unmount.cpp
/// @brief Step 3 (reference): unmount a volume through its held mount point, make sure it
///        is gone, then remove exactly what step 1 created for it, recognised by identity.
#include "container/volume_steps.hpp"

#include <fcntl.h>      // AT_REMOVEDIR, AT_EMPTY_PATH
#include <sys/mount.h>  // umount2(2), mount_setattr(2), MNT_DETACH, MS_PRIVATE
#include <sys/stat.h>   // S_IFDIR, S_IFREG
#include <unistd.h>     // unlinkat(2)

#include <cerrno>
#include <chrono>
#include <string>
#include <thread>

#include "container/error.hpp"
#include "container/identity.hpp"
#include "container/mounts.hpp"  // unmount_held()

namespace container {
namespace {

/// Makes the tree of the volume's own mount private, through a descriptor of its root.
void make_private(const MountPoint& mount_point) {
    mount_attr attr{};
    attr.propagation = MS_PRIVATE;
    const UniqueFd root = open_mount(mount_point);
    if (::mount_setattr(root.get(), "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) != 0) {
        throw_errno("make private", mount_point.destination);
    }
    // `root` is closed here: a descriptor on the mount would keep it busy.
}

}  // namespace

void unmount_volume(MountPoint mount_point) {
    const std::filesystem::path& destination = mount_point.destination;

    // 1. What is at the mount point now? Its name, looked at in the directory held since
    //    setup: nothing on the way there is walked again.
    const EntryStatus there = look_at(mount_point.parent, mount_point.name);
    const bool ours_mounted = there.mount_root && there.mount_id == mount_point.mount_id;
    const bool ours_unmounted = !there.mount_root && there.identity == mount_point.identity;
    if (!ours_mounted && !ours_unmounted) {
        // Another mount on it, or another file at its name: not ours to unmount or remove.
        throw_error(EINVAL, "unmount",
                    destination.string() + ": not the volume's mount point any more");
    }

    if (ours_mounted) {
        // 2. Unmount through the held mount point: "/proc/self/fd/N" leads the kernel to
        //    the very directory it holds, and umount2(2) takes the mount sitting on it.
        //    No other name is looked up, so a symlink planted on the way changes nothing.
        //    (UMOUNT_NOFOLLOW would refuse that link too: it is the one link to follow.)
        //    unmount_held() does just that, without the walk through /proc.
        const UniqueFd& target = mount_point.target;
        constexpr int kAttempts = 5;
        for (int attempt = 1; unmount_held(target, 0) != 0; ++attempt) {
            // EBUSY: a working directory, an open file, still in it. A process that is
            // exiting lets go within moments.
            if (errno != EBUSY) throw_errno("unmount", destination);
            if (attempt == kAttempts) {
                // 3. Still busy: detach it lazily; it leaves the tree now and the kernel
                //    frees it when its last user lets go. Make its tree private first:
                //    under shared propagation, a detach also unmounts the peers of its
                //    submounts, which include the host's own mounts below the source.
                make_private(mount_point);
                if (unmount_held(target, MNT_DETACH) != 0) {
                    throw_errno("unmount (detach)", destination);
                }
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }

    // 4. Verify before deleting anything: removing what lies below a name that is still a
    //    mount point would delete the host's data.
    if (look_at(mount_point.parent, mount_point.name).mount_root) {
        throw_error(EBUSY, "unmount", destination.string() + ": still a mount point");
    }

    // 5. Only now what setup created. Then the MountPoint, taken over by value, goes:
    //    its descriptors close, and the volume it was nested in is no longer busy.
    remove_mount_point(mount_point);
}

void remove_mount_point(const MountPoint& mount_point) {
    const auto& created = mount_point.created;
    for (auto it = created.rbegin(); it != created.rend(); ++it) {  // innermost first
        // 6. Is its name, in the directory it was made in, still what was made there?
        const EntryStatus now = look_at(it->parent, it->name);
        if (!now.exists || now.mount_root || now.identity != it->identity) {
            continue;  // gone, mounted on, or something else by that name: not ours
        }

        // 7. Remove it relative to that directory, with the call that cannot remove more
        //    than one empty thing. EROFS: it lies inside a read-only volume (the mount
        //    point of a nested volume is made in its parent's source); it stays, as with
        //    Docker.
        if (it->is_directory) {
            // AT_REMOVEDIR: rmdir(2), which removes an empty directory and nothing else.
            if (::unlinkat(it->parent.get(), it->name.c_str(), AT_REMOVEDIR) != 0 &&
                errno != ENOTEMPTY && errno != EEXIST && errno != EBUSY && errno != ENOENT &&
                errno != EROFS) {
                throw_errno("rmdir", it->path);
            }
        } else if (now.type == S_IFREG && now.size == 0) {
            // The empty file step 1 made as the mount point of a file volume.
            if (::unlinkat(it->parent.get(), it->name.c_str(), 0) != 0 && errno != ENOENT &&
                errno != EROFS) {
                throw_errno("unlink", it->path);
            }
        }
        // A file with data in it is no longer what step 1 made: leave it.
    }
}

}  // namespace container
