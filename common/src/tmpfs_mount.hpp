/// @file tmpfs_mount.hpp
/// @brief Mounting `--tmpfs` volumes in the container (internal header).
#pragma once

#include <vector>

#include "container/rootfs.hpp"
#include "container/volume.hpp"

namespace container {

/// Mounts a new tmpfs at the destination of each tmpfs volume of @p volumes in @p rootfs,
/// parents first. They are mounted before the other volumes, in the container's own
/// mount namespace only: nothing of them is on the host, and they are gone, with what
/// was written in them, when the container's last process exits.
/// @throws UsageError when a tmpfs would go inside another volume (that volume, mounted
///         after it, would hide it); std::system_error naming the volume.
void mount_tmpfs_volumes(const std::vector<Volume>& volumes, const Rootfs& rootfs);

}  // namespace container
