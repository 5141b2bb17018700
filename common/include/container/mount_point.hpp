/// @file mount_point.hpp
/// @brief One volume between its setup and its cleanup: everything held by descriptor.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "container/identity.hpp"
#include "container/unique_fd.hpp"

namespace container {

/// What setup_volume() prepared for one volume, and mount_volume() completed: the source
/// and the mount point held open from the moment they were checked or created to the
/// moment they are used, and what was created, recorded by identity, so that cleanup
/// removes exactly that and nothing more.
///
/// No field is a path to act on. The paths are for messages: between setup and cleanup,
/// anything that can write along a path (the container's command, another container
/// sharing a source) can make it lead somewhere else.
///
/// Move-only: it owns descriptors. Unmounting consumes it (unmount_volume() takes it by
/// value), which closes them: a descriptor held on a directory inside another volume
/// keeps that volume busy.
struct MountPoint {
    /// The volume as the user wrote it (Volume::spec), for messages.
    std::string volume;
    /// Where the mount point is in the container, symlinks of the image resolved
    /// ("/run" for "/var/run" when the image has /var/run -> /run). For messages.
    std::filesystem::path destination;
    /// The volume is to be read-only (Volume::read_only): make_read_only() reads it.
    bool read_only = false;

    /// The host source, opened once (O_PATH), following symlinks as the user meant: what
    /// was checked (a directory or a file) is what gets mounted.
    UniqueFd source;
    /// The mount point itself, O_PATH, held from its creation (or lookup) to the unmount:
    /// the mount goes on this very directory or file, wherever it is then.
    UniqueFd target;
    /// The directory that holds the mount point, O_PATH, and its name there: how cleanup
    /// looks at what is mounted there now (look_at()).
    UniqueFd parent;
    /// The mount point's name in @ref parent.
    std::string name;
    /// The identity of the mount point (the directory or file under the mount).
    FileIdentity identity;
    /// The mount mount_volume() made on the mount point (statx STATX_MNT_ID); 0 until then.
    std::uint64_t mount_id = 0;
    /// What setup created for the mount point (missing parents, then the mount point
    /// itself), outermost first. Empty when everything already existed.
    std::vector<CreatedEntry> created;
};

/// The root of the mount that mount_volume() made for @p mount_point, opened O_PATH: the
/// mount point's name, looked up in its held directory, must still lead to that mount
/// (same mount id). A descriptor on a mount's root keeps it busy: close it before
/// unmounting.
/// @throws std::system_error (ENOENT) naming the destination when it does not.
[[nodiscard]] UniqueFd open_mount(const MountPoint& mount_point);

/// The volume of @p earlier whose mount point is the same place as @p candidate's, or
/// nullptr. Two destinations that are different strings can be one place: through a
/// symlink of the image (`/alias -> /aliasdir`), or because one resolves onto the root
/// of a volume already mounted (its source). Compared by identity, after resolution:
/// the same mount point, or a mount point that is the root of an earlier volume's mount.
[[nodiscard]] const MountPoint* same_place(const MountPoint& candidate,
                                           const std::vector<MountPoint>& earlier);

}  // namespace container
