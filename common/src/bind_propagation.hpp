/// @file bind_propagation.hpp
/// @brief `-v SRC:DST:rshared` and friends: bind propagation (internal header).
#pragma once

#include <vector>

#include "container/mount_point.hpp"
#include "container/unique_fd.hpp"
#include "container/volume.hpp"

namespace container {

/// Called first thing in the container's mount namespace, before its mounts are made
/// private. A volume asking for shared (or slave) propagation must stay a peer of the
/// host's mount of its source, and making "/" private cuts every peer link; so for each
/// such volume this checks that the source's mount is shared (or slave, for slave) on the
/// host, with Docker's message when it is not, and takes a detached copy of the source's
/// tree (open_tree(2), OPEN_TREE_CLONE), which keeps its peer links and which the private
/// step does not touch. The volume's `source` becomes that copy ("/proc/self/fd/N").
/// @return the copies, to hold until the volumes are mounted.
/// @throws std::system_error naming the volume.
[[nodiscard]] std::vector<UniqueFd> keep_source_peers(std::vector<Volume>& volumes);

/// Gives each mounted volume the propagation its volume asks for (a call of its own:
/// propagation flags cannot be mixed with others). Nothing to do for the default,
/// rprivate: the bind of a private mount is private already.
/// @throws std::system_error naming the volume.
void apply_propagation(const std::vector<MountPoint>& mounted, const std::vector<Volume>& volumes);

}  // namespace container
