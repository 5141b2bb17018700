/// @file temp_dir.hpp
/// @brief A temporary directory for one test, removed without ever deleting through a mount.
#pragma once

#include <filesystem>
#include <string_view>

namespace container::test_support {

/// A fresh directory under $TMPDIR (or /tmp), mode 0755, removed when the object goes.
///
/// The destructor first looks for mounts left at or below the directory: each one fails
/// the running test (gtest ADD_FAILURE, listing them), is made private and detached
/// (MNT_DETACH, deepest first), and the table is checked again. Then the tree is removed
/// without following symlinks and without entering any directory that is (still) a
/// mount point: rather than delete through a mount, it leaves the directory behind and
/// says so on stderr.
class TempDir {
public:
    /// Creates `<$TMPDIR or /tmp>/<prefix>-XXXXXX`; path() is its canonical path
    /// (symlinks resolved), so it compares equal to what /proc/self/mountinfo shows.
    explicit TempDir(std::string_view prefix = "volumes-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    /// The directory.
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    /// path() / @p relative (a leading "/" of @p relative is ignored).
    [[nodiscard]] std::filesystem::path operator/(const std::filesystem::path& relative) const;

private:
    std::filesystem::path path_;
};

}  // namespace container::test_support
