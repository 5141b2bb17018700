/// @file mounts.hpp
/// @brief Small questions and actions about mounts, answered without scanning the mount table.
#pragma once

#include <filesystem>
#include <vector>

namespace container {

/// True when @p path is the root of a mount (statx(2), STATX_ATTR_MOUNT_ROOT).
/// A final symlink is not followed.
/// @throws std::system_error naming the path when it cannot be examined.
[[nodiscard]] bool is_mount_point(const std::filesystem::path& path);

/// True when @p a and @p b are the same file (same device and inode), following symlinks.
/// False when either does not exist.
[[nodiscard]] bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

/// Makes the volumes mounted at @p read_only_targets read-only, recursively: every
/// mount of the volume's own tree (the submounts it brought from the host) turns
/// read-only, but a volume listed in @p all_targets that is mounted inside it keeps its mode.
/// Uses mount_setattr(2): a `MS_REMOUNT | MS_RDONLY` would change the top mount only.
/// @throws std::system_error naming the target (ENOSYS on kernels before 5.12: no silent fallback).
void make_read_only(const std::vector<std::filesystem::path>& read_only_targets,
                    const std::vector<std::filesystem::path>& all_targets);

}  // namespace container
