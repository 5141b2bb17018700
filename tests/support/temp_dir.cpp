/// @file temp_dir.cpp
/// @brief A temporary directory for one test, removed without ever deleting through a mount.
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "container/error.hpp"
#include "container/mounts.hpp"
#include "test_helpers.hpp"

namespace container::test_support {
namespace {

/// Removes @p path like `rm -r`, but never follows a symlink and never enters a directory
/// that is a mount point. Returns false (and leaves things in place) when it refused.
bool remove_tree_on_this_mount(const std::filesystem::path& path) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) return errno == ENOENT;
    if (!S_ISDIR(info.st_mode)) {
        if (::unlink(path.c_str()) == 0 || errno == ENOENT) return true;
        std::cerr << "TempDir: cannot remove " << path << ": " << std::strerror(errno) << "\n";
        return false;
    }
    bool mounted = true;
    try {
        mounted = is_mount_point(path);
    } catch (const std::exception& error) {
        std::cerr << "TempDir: " << error.what() << "\n";
    }
    if (mounted) {
        std::cerr << "TempDir: " << path << " is (still) a mount point: left in place, "
                  << "not deleted through it\n";
        return false;
    }
    std::vector<std::filesystem::path> children;
    std::error_code error;
    for (std::filesystem::directory_iterator it(path, error), end; !error && it != end;
         it.increment(error)) {
        children.push_back(it->path());
    }
    bool all_removed = !error;
    for (const auto& child : children)
        all_removed = remove_tree_on_this_mount(child) && all_removed;
    if (!all_removed) return false;
    if (::rmdir(path.c_str()) == 0 || errno == ENOENT) return true;
    std::cerr << "TempDir: cannot remove " << path << ": " << std::strerror(errno) << "\n";
    return false;
}

}  // namespace

TempDir::TempDir(std::string_view prefix) {
    const char* tmpdir = std::getenv("TMPDIR");
    std::filesystem::path base = (tmpdir != nullptr && *tmpdir != '\0') ? tmpdir : "/tmp";
    std::string pattern = (base / (std::string{prefix} + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) throw_errno("mkdtemp", pattern);
    // Canonical, so that it matches the mount points /proc/self/mountinfo shows.
    path_ = std::filesystem::canonical(pattern);
    if (::chmod(path_.c_str(), 0755) != 0) throw_errno("chmod", path_);
}

std::filesystem::path TempDir::operator/(const std::filesystem::path& relative) const {
    return path_ / relative.relative_path();
}

TempDir::~TempDir() {
    try {
        const std::vector<MountInfo> left = mounts_below(path_);
        if (!left.empty()) {
            // After a failure (an exception, a fatal assertion) leftovers are expected.
            if (!::testing::Test::HasFailure()) {
                ADD_FAILURE() << "mounts were left in the test's temporary directory " << path_
                              << " at its end (every mount a test makes must be undone):\n"
                              << describe(left);
            }
            detach_mounts_below(path_);
            const std::vector<MountInfo> still = mounts_below(path_);
            if (!still.empty()) {
                std::cerr << "TempDir: could not detach, " << path_ << " is left in place:\n"
                          << describe(still);
                return;
            }
        }
        if (!remove_tree_on_this_mount(path_)) {
            std::cerr << "TempDir: " << path_ << " was not removed completely\n";
        }
    } catch (const std::exception& error) {
        std::cerr << "TempDir: cleaning " << path_ << " failed: " << error.what() << "\n";
    }
}

}  // namespace container::test_support
