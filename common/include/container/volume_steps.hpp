/// @file volume_steps.hpp
/// @brief The volume code students write: one function group per step of the workshop.
///
/// Declared once here; defined twice, by the skeletons in `steps/NN-name/` and by the
/// reference code in `solutions/NN-name/`. The compiler keeps both in step with this
/// header, and the runtime links whichever set the build picks.
///
/// The rule all steps share: act on what you hold, not on a name. A path is looked up
/// again by every system call it is given to, and between two calls anything that can
/// write along it (the container's command, another container sharing a source) can make
/// it lead elsewhere: that is how runc's CVE-2021-30465 mounted the host's files into a
/// container. So the volume's source and mount point are held open (MountPoint) from the
/// moment they are checked or created to the moment they are used, what setup created
/// is recorded by identity, and cleanup removes a name only while it still leads to
/// that identity.
#pragma once

#include <vector>

#include "container/mount_point.hpp"
#include "container/rootfs.hpp"
#include "container/volume.hpp"

namespace container {

/// @name Step 1: set up the volume's source and mount point
/// @{

/// Opens the host source of @p volume and creates its mount point in @p rootfs, both
/// held open in the MountPoint returned.
///
/// - The source is opened once, O_PATH, following symlinks (the user's choice): its kind
///   (directory or file) is read from that descriptor, and that descriptor is what
///   mount_volume() mounts, so what was checked is what gets mounted.
/// - A missing source is created (with missing parents), each directory made in the one
///   before it, held open, with mode exactly 0755 whatever the umask, when
///   `volume.create_missing_source`; otherwise it is an error,
///   "source path does not exist: <source>". An existing source keeps its mode.
/// - The mount point matches the source: a directory, or an empty file when the source
///   is a file (bind mounts refuse a file on a directory and the reverse, ENOTDIR).
///   Missing parents are created; nothing that already exists is touched. Every
///   created entry comes with the identity of what was created (Rootfs does it).
/// - All or nothing: a failure leaves nothing of the mount point behind, and its message
///   names the volume as the user wrote it: "volume '<spec>': ..." (rethrow_for_volume()).
///
/// @return the MountPoint: source, target, its directory and name, identity, destination
///         as resolved (Made::path), `read_only` and `volume` copied from @p volume, and
///         what was created, outermost first; `mount_id` is 0.
/// @throws std::system_error naming the volume and the path that failed.
MountPoint setup_volume(const Volume& volume, const Rootfs& rootfs);
/// @}

/// @name Step 2: bind mount
/// @{

/// Bind-mounts the source held by @p mount_point onto its mount point, recursively (the
/// mounts below the source come along), and records the new mount's id in
/// `mount_point.mount_id`.
///
/// - Only descriptors: the source and the target are the ones setup_volume() opened,
///   wherever they are now and whatever was renamed or swapped on the way to them.
/// - When the mount point already shows the source (a mount of it sits there), nothing
///   is stacked on it; `mount_id` says which mount that is.
///
/// @throws std::system_error naming the volume's destination and the errno.
void mount_volume(MountPoint& mount_point);
/// @}

/// @name Step 3: unmount and clean up
/// @{

/// Unmounts the volume of @p mount_point, then removes what setup created. Takes the
/// MountPoint over: its descriptors are closed when it returns (one held inside another
/// volume would keep that volume busy).
///
/// - What is at the mount point now is looked at in its held directory (look_at()):
///   the volume's own mount (`mount_id`) is unmounted through the held mount point
///   (umount2(2) of fd_path(), or unmount_held()), never through a path walked from a
///   root; a mount point the volume was already unmounted from (the command did it) is
///   not an error; anything else there (another mount, another file) is an error naming
///   the destination, and nothing is removed.
/// - EBUSY (a process still uses it) is retried briefly, then the mount's tree is made
///   private and the mount detached lazily (MNT_DETACH), so that it leaves the tree.
/// - Afterwards nothing may be mounted there; only then is remove_mount_point() called.
///
/// @throws std::system_error naming the destination when it is not the volume's, or
///         stays mounted.
void unmount_volume(MountPoint mount_point);

/// Removes what setup created for @p mount_point, innermost first, and nothing else:
/// each created entry only while its name, looked at in the directory held since it was
/// created, still leads to the identity recorded then, with no mount on it; an empty
/// directory with unlinkat(2) and AT_REMOVEDIR, the empty mount-point file with
/// unlinkat(2), never recursively. A directory that is no longer empty, or a name that
/// now leads to something else (a symlink, another directory), is left where it is.
void remove_mount_point(const MountPoint& mount_point);
/// @}

/// @name Step 4: integrate into the container's start-up
/// @{

/// Sets up and mounts every volume inside @p rootfs: parents first, whatever their
/// order in @p volumes; a volume whose mount point turns out to be one an earlier volume
/// already uses (same_place()) is refused, "duplicate mount point: <dest> (same as
/// <dest>)"; read-only applied once every volume is mounted. When one volume fails, its
/// own mount point is removed, the volumes already mounted are unmounted again (newest
/// first) and their mount points removed, then the original error goes on.
/// @return the mounted volumes, in the order they were mounted.
std::vector<MountPoint> setup_container_volumes(const std::vector<Volume>& volumes,
                                                const Rootfs& rootfs);

/// Unmounts @p mounted in reverse order and removes their mount points. Carries on
/// past a failure so that every volume gets its chance, then throws the first error.
void cleanup_container_volumes(std::vector<MountPoint> mounted);
/// @}

}  // namespace container
