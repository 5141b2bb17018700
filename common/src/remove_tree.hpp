/// @file remove_tree.hpp
/// @brief Removing a directory tree the runtime itself just made, and only that.
#pragma once

#include <filesystem>

namespace container {

/// Removes @p directory and everything in it, like `rm -rf`, but only while it is sure
/// to be removing what a fresh unpack made: it never follows a symlink, and it refuses
/// (std::system_error, EBUSY, naming the path, before removing anything below it) to
/// enter a mount point or another file system, so that a bind mount that got there
/// somehow cannot take the files of its source with it.
/// For a partly unpacked image; never for a rootfs or a path that can hold volumes.
void remove_unpacked_tree(const std::filesystem::path& directory);

}  // namespace container
