/// @file identity.hpp
/// @brief Knowing a file by what it is, not by its name: device and inode numbers, and
///        what a name in a directory held open leads to right now.
///
/// A path is only a way to find a file, and anyone who can write along the way can change
/// where it leads between two system calls: swap a directory for a symlink, rename
/// another directory into its place. The volume code therefore holds what it works on
/// open (a descriptor), and recognises what it made by its identity: the same device and
/// inode is the same file, whatever it is called now.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "container/unique_fd.hpp"

namespace container {

/// What the kernel knows a file by: its device and inode numbers (`st_dev`, `st_ino`).
struct FileIdentity {
    /// The device (file system) the file is on.
    dev_t device = 0;
    /// Its inode number on that device.
    ino_t inode = 0;

    /// Member-wise comparison: equal identities are the same file.
    bool operator==(const FileIdentity&) const = default;
};

/// The identity of the file @p fd holds (fstat(2) of the descriptor: no path involved).
/// @throws std::system_error when fstat(2) fails.
[[nodiscard]] FileIdentity identity_of(const UniqueFd& fd);

/// The id of the mount that holds the file @p fd holds (statx(2) of the descriptor): the
/// kernel's unique mount id where it has one (STATX_MNT_ID_UNIQUE, Linux 6.8+), never
/// given to another mount; on older kernels the mount id of /proc/self/mountinfo, which
/// the kernel may give to a new mount once this one is gone.
/// @throws std::system_error when statx(2) fails.
[[nodiscard]] std::uint64_t mount_id_of(const UniqueFd& fd);

/// What a name in a directory leads to at the moment of the call (statx(2) relative to
/// the directory's descriptor, not following a final symlink nor triggering an automount).
struct EntryStatus {
    /// False when nothing has that name (ENOENT); the other fields are then empty.
    bool exists = false;
    /// Of what the name reaches. When a mount sits on the name, that mount's root.
    FileIdentity identity;
    /// The mount that holds what the name reaches (when a mount sits on the name, that
    /// one), the same kind of id as mount_id_of() gives.
    std::uint64_t mount_id = 0;
    /// True when a mount sits on the name: what it reaches is the root of a mount.
    bool mount_root = false;
    /// The file type bits of `st_mode` (S_IFDIR, S_IFREG, S_IFLNK, ...).
    mode_t type = 0;
    /// Size in bytes.
    std::uint64_t size = 0;
};

/// Looks at @p name in the directory held by @p directory, without following it if it is
/// a symlink. Only that one name is looked up: nothing on the way to the directory is
/// walked again, whatever was renamed since it was opened.
/// @throws std::system_error for any failure other than ENOENT (naming @p name).
[[nodiscard]] EntryStatus look_at(const UniqueFd& directory, const std::string& name);

/// The same of the file @p fd holds (statx(2) of the descriptor itself, AT_EMPTY_PATH):
/// no name is looked up at all. `mount_root` says whether it is the root of a mount.
/// @throws std::system_error for any failure.
[[nodiscard]] EntryStatus status_of(const UniqueFd& fd);

/// Something the runtime created in the container's root filesystem, as the one who
/// created it recorded it: the directory it was made in (held open), its name there,
/// and its identity, taken from the descriptor it was created through. Removing it later
/// means looking at that name in that directory (look_at()), and only when it still is
/// that file, unlinkat(2) it.
struct CreatedEntry {
    /// Its container path when it was made, e.g. "/srv/www", for messages and checks.
    std::filesystem::path path;
    /// The directory it was made in, O_PATH.
    UniqueFd parent;
    /// Its name in @ref parent.
    std::string name;
    /// Its device and inode, from the descriptor it was created through.
    FileIdentity identity;
    /// A directory (removed with AT_REMOVEDIR) or an empty regular file.
    bool is_directory = false;
};

}  // namespace container
