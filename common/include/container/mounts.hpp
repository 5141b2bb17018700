/// @file mounts.hpp
/// @brief Small questions and actions about mounts, answered without scanning the mount table.
#pragma once

#include <filesystem>
#include <vector>

#include "container/mount_point.hpp"

namespace container {

/// True when @p path is the root of a mount (statx(2), STATX_ATTR_MOUNT_ROOT).
/// A final symlink is not followed.
/// @throws std::system_error naming the path when it cannot be examined.
[[nodiscard]] bool is_mount_point(const std::filesystem::path& path);

/// True when @p a and @p b are the same file (same device and inode), following symlinks.
/// False when either does not exist.
[[nodiscard]] bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

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
