/// @file volume_steps.hpp
/// @brief The volume code students write: one function group per step of the workshop.
///
/// Declared once here; defined twice, by the skeletons in `steps/NN-name/` and by the
/// reference code in `solutions/NN-name/`. The compiler keeps both in step with this
/// header, and the runtime links whichever set the build picks.
#pragma once

#include <filesystem>
#include <vector>

#include "container/rootfs.hpp"
#include "container/volume.hpp"

namespace container {

/// What setup_volume() prepared for one volume: where it goes, and what the runtime
/// had to create for it, so that cleanup removes exactly that and nothing more.
struct MountPoint {
    /// Container path of the mount point, e.g. "/data", as Rootfs::canonical() resolves
    /// it: where the mount really sits, found again later without following symlinks.
    std::filesystem::path destination;
    /// Container paths the runtime created (missing parents, then the mount point
    /// itself), outermost first. Empty when everything already existed in the image.
    std::vector<std::filesystem::path> created;

    /// Member-wise comparison (used by the checks).
    bool operator==(const MountPoint&) const = default;
};

/// @name Step 1: set up the volume's directories
/// @{

/// Makes sure the host source of @p volume exists and creates its mount point in @p rootfs.
///
/// - A missing source is created (with missing parents), mode exactly 0755 whatever
///   the umask, when `volume.create_missing_source`; otherwise it is an error,
///   "source path does not exist: <source>". An existing source keeps its mode.
/// - The mount point matches the source: a directory, or an empty file when the source
///   is a file (bind mounts refuse a file on a directory and the reverse, ENOTDIR).
///   Missing parents are created; nothing that already exists is touched.
///
/// @return the destination (resolved with Rootfs::canonical()) and every path created
///         inside the rootfs, outermost first.
/// @throws std::system_error naming the path that could not be created.
MountPoint setup_volume(const Volume& volume, const Rootfs& rootfs);
/// @}

/// @name Step 2: bind mount
/// @{

/// Bind-mounts @p source onto @p target, recursively, so that mounts below the source
/// are visible too (`MS_BIND | MS_REC`).
///
/// - A missing source is an error: "source path does not exist: <source>".
/// - When @p target is already a mount point of @p source, nothing is stacked on it.
///
/// @param source host path of a directory or file
/// @param target host path of an existing mount point of the same type
/// @throws std::system_error naming the paths and the errno.
void mount_volume(const std::filesystem::path& source, const std::filesystem::path& target);
/// @}

/// @name Step 3: unmount and clean up
/// @{

/// Unmounts the volume at `mount_point.destination`, then removes what setup created.
///
/// - The destination is resolved inside @p rootfs without following a final symlink,
///   and unmounted with UMOUNT_NOFOLLOW.
/// - EBUSY (a process still uses it) is retried briefly, then the mount is detached
///   lazily (MNT_DETACH) so that it disappears from the tree.
/// - Afterwards the path must no longer be a mount point; only then is
///   remove_mount_point() called.
///
/// @throws std::system_error when the destination is not a mount point, or stays one.
void unmount_volume(const MountPoint& mount_point, const Rootfs& rootfs);

/// Removes what setup created for @p mount_point, innermost first, and nothing else:
/// an empty directory with rmdir(2), the empty mount-point file with unlink(2),
/// never recursively and never a path that is still a mount point. A directory that is
/// no longer empty, or something that is no longer what setup made (say, a symlink),
/// is left where it is.
void remove_mount_point(const MountPoint& mount_point, const Rootfs& rootfs);
/// @}

/// @name Step 4: integrate into the container's start-up
/// @{

/// Sets up and mounts every volume inside @p rootfs: parents first, whatever their
/// order in @p volumes; read-only applied once every mount point exists. When one
/// volume fails, the ones already mounted are unmounted again (in reverse order) and
/// their mount points removed before the error goes on.
/// @return the mounted volumes, in the order they were mounted.
std::vector<MountPoint> setup_container_volumes(const std::vector<Volume>& volumes,
                                                const Rootfs& rootfs);

/// Unmounts @p mounted in reverse order and removes their mount points. Carries on
/// past a failure so that every volume gets its chance, then throws the first error.
void cleanup_container_volumes(const std::vector<MountPoint>& mounted, const Rootfs& rootfs);
/// @}

}  // namespace container
