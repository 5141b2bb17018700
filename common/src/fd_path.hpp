/// @file fd_path.hpp
/// @brief Naming an open file to mount(2): "/proc/self/fd/N".
#pragma once

#include <string>

#include "container/unique_fd.hpp"

namespace container {

/// "/proc/self/fd/N" for @p fd. mount(2) follows this link to the very file the
/// descriptor holds, so a target opened inside the rootfs (Rootfs::open) is mounted on
/// without its path being looked up again: nothing can swap a symlink in between.
/// Needs the host's /proc, i.e. before pivot_root.
[[nodiscard]] inline std::string fd_path(const UniqueFd& fd) {
    return "/proc/self/fd/" + std::to_string(fd.get());
}

}  // namespace container
