/// @file pivot_root.hpp
/// @brief Making the container's rootfs its "/" with pivot_root(2), and the host unreachable.
#pragma once

#include <filesystem>

namespace container {

/// Makes @p new_root (a mount point, see mount_overlay_root()) the root of the calling
/// process's mount namespace and detaches the old root: afterwards no path leads back
/// to the host's files. The working directory ends as the new "/".
/// Chroot would not do: it changes one process's root only, and `cd ..` tricks or a
/// second chroot climb out of it; the old root would also stay mounted in the namespace.
/// @throws std::system_error naming the new root.
void enter_root(const std::filesystem::path& new_root);

}  // namespace container
