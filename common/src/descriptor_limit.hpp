/// @file descriptor_limit.hpp
/// @brief Room for the descriptors the volumes are held by.
#pragma once

#include <cstddef>

namespace container {

/// Raises this process's soft limit of open files (RLIMIT_NOFILE) to its hard limit when
/// @p volumes volumes could need more than it allows. Each volume is held by a few
/// descriptors from its setup to its cleanup (its source, its mount point and the
/// directories around it), and the soft limit is often 1024. The container's command
/// inherits the raised limit.
/// Never fails: at the hard limit, the setup of a volume says EMFILE, naming it.
void make_room_for_volumes(std::size_t volumes) noexcept;

}  // namespace container
