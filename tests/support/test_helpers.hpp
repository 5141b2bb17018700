/// @file test_helpers.hpp
/// @brief Small tools for the step checks: files, modes, umask, busy mounts, tmpfs, the
///        mount table.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "container/identity.hpp"
#include "container/mount_point.hpp"
#include "container/mountinfo.hpp"
#include "container/volume.hpp"

namespace container::test_support {

/// Writes @p content to @p file (created or truncated). Throws std::system_error.
void write_file(const std::filesystem::path& file, std::string_view content);

/// The whole content of @p file. Throws std::system_error.
[[nodiscard]] std::string read_file(const std::filesystem::path& file);

/// Creates a directory with exactly @p mode (whatever the umask). Throws std::system_error.
void make_directory(const std::filesystem::path& directory, mode_t mode = 0755);

/// Permission bits (mode & 07777) of @p path, without following a final symlink.
/// Throws std::system_error.
[[nodiscard]] mode_t mode_of(const std::filesystem::path& path);

/// @p mode as four octal digits, e.g. "0755", for messages.
[[nodiscard]] std::string octal(mode_t mode);

/// True when @p path is a directory itself (not a symlink to one).
[[nodiscard]] bool is_real_directory(const std::filesystem::path& path);

/// True when @p path is a regular file itself (not a symlink to one).
[[nodiscard]] bool is_real_file(const std::filesystem::path& path);

/// True when @p path is a symlink.
[[nodiscard]] bool is_symlink_no_follow(const std::filesystem::path& path);

/// True when something (even a dangling symlink) is at @p path.
[[nodiscard]] bool exists_no_follow(const std::filesystem::path& path);

/// Names in @p directory, sorted ("" when it cannot be read), for messages:
/// "[a, b, c]".
[[nodiscard]] std::string listing(const std::filesystem::path& directory);

/// errno of creating and writing the file @p file (0 when it worked; the file is then
/// removed again). EROFS on a read-only mount.
[[nodiscard]] int write_errno(const std::filesystem::path& file);

/// errno of opening the existing file @p file for writing and appending a byte to it
/// (0 when it worked). EROFS on a read-only mount.
[[nodiscard]] int append_errno(const std::filesystem::path& file);

/// The mountinfo entries mounted exactly at @p path, bottom first.
[[nodiscard]] std::vector<MountInfo> mounts_at(const std::filesystem::path& path);

/// The mountinfo entries mounted at or below @p path.
[[nodiscard]] std::vector<MountInfo> mounts_below(const std::filesystem::path& path);

/// Mount points of @p mounts, one a line, for messages.
[[nodiscard]] std::string describe(const std::vector<MountInfo>& mounts);

/// The id of the mount @p path lies on (statx STATX_MNT_ID). Throws std::system_error.
[[nodiscard]] std::uint64_t mount_id_of(const std::filesystem::path& path);

/// Detaches every mount at or below @p path, deepest first, each made private first so
/// the detach cannot propagate. Returns how many it detached.
std::size_t detach_mounts_below(const std::filesystem::path& path);

/// What @p action throws: the what() of a std::exception, or "" when it throws nothing.
/// (Also usable to run an action whose error does not matter to the test.)
/// container::NotImplemented (a skeleton not filled in yet) is not caught: it goes on.
std::string thrown_message(const std::function<void()>& action);

/// The errno of the std::system_error @p action throws (0 when it throws nothing or
/// something else; NotImplemented goes on).
[[nodiscard]] int thrown_errno(const std::function<void()>& action);

/// The container paths of what setup created for @p mount_point, outermost first.
[[nodiscard]] std::vector<std::filesystem::path> created_paths(const MountPoint& mount_point);

/// Paths for messages: "[/a/b, /a/b/c]".
[[nodiscard]] std::string show(const std::vector<std::filesystem::path>& paths);

/// The device and inode of @p path, not following a final symlink. Throws std::system_error.
[[nodiscard]] FileIdentity identity_at(const std::filesystem::path& path);

/// Every entry below @p directory, one a line: relative path, type, mode, size ("" when it
/// cannot be read). Two listings are equal when nothing below was added, removed, renamed
/// or changed in type, mode or size: for "the canary is untouched".
[[nodiscard]] std::string tree_listing(const std::filesystem::path& directory);

/// A Volume as the command-line parser would make it.
[[nodiscard]] Volume make_volume(const std::filesystem::path& source,
                                 const std::filesystem::path& destination, bool read_only = false,
                                 bool create_missing_source = true);

/// Sets the process umask for the object's lifetime.
class ScopedUmask {
public:
    explicit ScopedUmask(mode_t mask);
    ~ScopedUmask();
    ScopedUmask(const ScopedUmask&) = delete;
    ScopedUmask& operator=(const ScopedUmask&) = delete;

private:
    mode_t previous_;
};

/// A child process whose working directory is @p directory until the object goes: it
/// keeps a mount there busy (umount2 gives EBUSY). The constructor returns once the child
/// is in the directory; the destructor ends it and waits for it.
class ChildInDirectory {
public:
    explicit ChildInDirectory(const std::filesystem::path& directory);
    ~ChildInDirectory();
    ChildInDirectory(const ChildInDirectory&) = delete;
    ChildInDirectory& operator=(const ChildInDirectory&) = delete;

    [[nodiscard]] pid_t pid() const noexcept { return pid_; }

private:
    pid_t pid_ = -1;
    int release_fd_ = -1;  // closing it tells the child to exit
};

/// A tmpfs mounted on the existing directory @p where for the object's lifetime (a
/// "submount" of whatever contains it). The destructor unmounts it if it is still there
/// (made private and detached, so it never takes other mounts along).
class ScopedTmpfs {
public:
    explicit ScopedTmpfs(const std::filesystem::path& where);
    ~ScopedTmpfs();
    ScopedTmpfs(const ScopedTmpfs&) = delete;
    ScopedTmpfs& operator=(const ScopedTmpfs&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return where_; }

private:
    std::filesystem::path where_;
    std::uint64_t mount_id_ = 0;
};

/// Makes @p directory a private mount of its own (bound onto itself, then
/// MS_REC | MS_PRIVATE) for the object's lifetime: below it, mount events do not
/// propagate, as in the container's namespace after the runtime made "/" private.
/// The destructor fails the running test (gtest ADD_FAILURE) when mounts other than this
/// one are left below the directory, then detaches it all.
class PrivateSubtree {
public:
    explicit PrivateSubtree(const std::filesystem::path& directory);
    ~PrivateSubtree();
    PrivateSubtree(const PrivateSubtree&) = delete;
    PrivateSubtree& operator=(const PrivateSubtree&) = delete;

    /// The mounts below the directory other than its own, private mount.
    [[nodiscard]] std::vector<MountInfo> other_mounts() const;

private:
    std::filesystem::path directory_;
    std::uint64_t mount_id_ = 0;
};

}  // namespace container::test_support
