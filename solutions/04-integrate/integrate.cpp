/// @file integrate.cpp
/// @brief Step 4 (reference): set up every volume of a container at start-up, and clean
///        them all up when it exits.
#include "container/volume_steps.hpp"

#include <exception>
#include <utility>
#include <vector>

#include "container/error.hpp"
#include "container/mounts.hpp"
#include "container/rootfs.hpp"
#include "container/volume.hpp"

namespace container {

std::vector<MountPoint> setup_container_volumes(const std::vector<Volume>& volumes,
                                                const Rootfs& rootfs) {
    // Parents first: "/d/in" is created inside the volume mounted at "/d", so "/d" must
    // be mounted before it, or "/d" would hide it.
    const std::vector<Volume> sorted = sort_parents_first(volumes);
    std::vector<MountPoint> mounted;
    try {
        for (const Volume& volume : sorted) {
            MountPoint mount_point = setup_volume(volume, rootfs);
            try {
                // Two destinations can be one place once resolved (a symlink of the
                // image, or of a volume already mounted): compare what is held, by
                // identity, never the strings.
                if (const MountPoint* other = same_place(mount_point, mounted)) {
                    throw UsageError("duplicate mount point: " + volume.destination.string() +
                                     " (same as " + other->destination.string() + ")");
                }
                mount_volume(mount_point);
            } catch (...) {
                try {
                    remove_mount_point(mount_point);  // created, never mounted
                } catch (...) {
                }
                throw;
            }
            mounted.push_back(std::move(mount_point));
        }

        // Read-only last, once every mount point exists: a nested volume's mount point
        // lies in its parent's source and cannot be created once the parent is read-only.
        make_read_only(mounted);
    } catch (...) {
        // Leave no half-built container: undo what is mounted, newest first, then let
        // the original error go on (a cleanup error would only hide it).
        try {
            cleanup_container_volumes(std::move(mounted));
        } catch (...) {
        }
        throw;
    }
    return mounted;
}

void cleanup_container_volumes(std::vector<MountPoint> mounted) {
    // Reverse order: "/d/in" before "/d", which is busy while something is mounted in it
    // (or while the descriptors of /d/in's MountPoint, held inside /d, are open: each
    // MountPoint is handed over to unmount_volume(), which closes them).
    std::exception_ptr first_error;
    for (auto it = mounted.rbegin(); it != mounted.rend(); ++it) {
        try {
            unmount_volume(std::move(*it));
        } catch (...) {
            if (!first_error) first_error = std::current_exception();  // and carry on
        }
    }
    if (first_error) std::rethrow_exception(first_error);
}

}  // namespace container
