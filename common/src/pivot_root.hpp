/// @file pivot_root.hpp
/// @brief Making the image the container's "/" with pivot_root(2), and the host unreachable.
#pragma once

#include <filesystem>

namespace container {

/// Bind-mounts @p directory onto itself, recursively, so that it is a mount point:
/// pivot_root(2) only accepts a mount as the new root. Everything mounted into the
/// rootfs afterwards (volumes, /proc, /dev) sits on this mount and moves with it.
/// @throws std::system_error naming the directory.
void bind_onto_itself(const std::filesystem::path& directory);

/// Makes @p new_root (a mount point, see bind_onto_itself()) the root of the calling
/// process's mount namespace and detaches the old root: afterwards no path leads back
/// to the host's files. The working directory ends as the new "/".
/// Chroot would not do: it changes one process's root only, and `cd ..` tricks or a
/// second chroot climb out of it; the old root would also stay mounted in the namespace.
/// @throws std::system_error naming the new root.
void enter_root(const std::filesystem::path& new_root);

}  // namespace container
