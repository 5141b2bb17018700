/// @file copy_up_volumes.hpp
/// @brief Filling new named volumes with the image's files (internal header).
#pragma once

#include <vector>

#include "container/rootfs.hpp"
#include "container/volume.hpp"

namespace container {

/// For each named or anonymous volume of @p volumes that may be copied up and whose data
/// is empty: copies the image's files at its destination in @p rootfs into it
/// (copy_up()), as Docker does, so that `-v db:/var/lib/db` starts with what the image
/// put there. The volume's data directory is locked exclusively meanwhile (flock(2)), so
/// that two containers starting at once on a new volume copy it once. A destination
/// missing in the image, or not a directory, has nothing to copy.
/// @throws std::system_error naming the volume.
void copy_up_new_volumes(const std::vector<Volume>& volumes, const Rootfs& rootfs);

}  // namespace container
