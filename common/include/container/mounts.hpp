/// @file mounts.hpp
/// @brief Small questions and actions about mounts, answered without scanning the mount table.
#pragma once

#include <filesystem>
#include <vector>

#include "container/mount_point.hpp"
#include "container/unique_fd.hpp"

namespace container {

/// True when @p path is the root of a mount (statx(2), STATX_ATTR_MOUNT_ROOT).
/// A final symlink is not followed.
/// @throws std::system_error naming the path when it cannot be examined.
[[nodiscard]] bool is_mount_point(const std::filesystem::path& path);

/// True when @p a and @p b are the same file (same device and inode), following symlinks.
/// False when either does not exist.
[[nodiscard]] bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

/// umount2(2) of the mount that sits on the directory @p mount_point holds (an O_PATH
/// descriptor is enough), with @p flags (0 or MNT_DETACH); returns what umount2(2)
/// returns, with its errno. The same mount as `umount2(fd_path(mount_point), flags)`,
/// reached a cheaper way: that path is walked through procfs, which makes an inode for
/// each new descriptor number (some 4 µs a volume). Here the held directory becomes the
/// working directory for the call and the path is ".": no name is looked up at all, and
/// umount2(2) goes up to the mount on top of its target (LOOKUP_MOUNTPOINT). The
/// working directory is given back before it returns, so a process with threads must not
/// rely on it meanwhile. A held file (the mount point of a file volume) cannot be a
/// working directory: it goes through fd_path().
[[nodiscard]] int unmount_held(const UniqueFd& mount_point, int flags);

/// Makes the volumes of @p mounted whose MountPoint::read_only is set read-only,
/// recursively: every mount of the volume's own tree (the submounts it brought from the
/// host) turns read-only, but a volume of @p mounted that is mounted inside it keeps its
/// mode. Each volume's mount is reached through its held mount point (open_mount()),
/// never through a path. Uses mount_setattr(2): a `MS_REMOUNT | MS_RDONLY` would change
/// the top mount only.
/// @throws std::system_error naming the volume (ENOSYS on kernels before 5.12: no silent
///         fallback).
void make_read_only(const std::vector<MountPoint>& mounted);
}  // namespace container
