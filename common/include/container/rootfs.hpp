/// @file rootfs.hpp
/// @brief Paths inside the container's root filesystem, resolved so they cannot escape it.
#pragma once

#include <filesystem>
#include <vector>

#include "container/unique_fd.hpp"

namespace container {

/// Whether the last component of a path is followed when it is a symlink.
enum class FollowLast { yes, no };

/// The root filesystem of a container, seen from the runtime.
///
/// An image is untrusted: it may hold `/evil -> /etc` or `../../..`. Joining
/// `rootfs + "/" + destination` as strings would follow such links on the host.
/// Every lookup here goes through openat2(2) with RESOLVE_IN_ROOT, so symlinks and
/// ".." are resolved as if the rootfs were "/": they can never leave it.
///
/// Container paths ("/data") are the paths the user wrote; host paths are what the
/// runtime can hand to mount(2). Before pivot_root, `Rootfs("images/busybox")`;
/// after it, `Rootfs("/")` works the same way on the container's own root.
///
/// A Rootfs belongs to the process that made it: it reads the paths of its own
/// descriptors through the /proc/self/fd it opened at construction, so it keeps working
/// even if the command later unmounts the container's /proc.
class Rootfs {
public:
    /// Opens @p directory (it must exist).
    /// @throws std::system_error naming the directory.
    explicit Rootfs(std::filesystem::path directory);

    /// The directory given to the constructor.
    [[nodiscard]] const std::filesystem::path& directory() const noexcept { return directory_; }

    /// Resolves @p inside (a container path) and returns the host path it designates,
    /// free of symlinks and "..", always within the rootfs.
    /// @throws std::system_error (ENOENT, ...) naming the container path.
    [[nodiscard]] std::filesystem::path resolve(const std::filesystem::path& inside,
                                                FollowLast follow = FollowLast::yes) const;

    /// The container path that @p inside designates once symlinks and ".." are resolved
    /// inside the rootfs: with `/var/run -> /run` in the image, "/var/run/x" is "/run/x".
    /// This is where a mount at @p inside really sits, so it can be found again later
    /// without following anything.
    /// @throws std::system_error (ENOENT, ...) naming the container path.
    [[nodiscard]] std::filesystem::path canonical(const std::filesystem::path& inside) const;

    /// True when @p inside exists (without following a final symlink).
    [[nodiscard]] bool exists(const std::filesystem::path& inside) const;

    /// Like `mkdir -p`: creates each missing directory of @p inside, with mode exactly
    /// 0755 whatever the umask. Returns the container paths it created, outermost first.
    /// On failure it removes what it created before throwing.
    /// @throws std::system_error naming the path that could not be created.
    std::vector<std::filesystem::path> create_directories(const std::filesystem::path& inside) const;

    /// Creates an empty regular file at @p inside (its parent must exist), mode 0644.
    /// @return true when it created the file, false when something already was there.
    /// @throws std::system_error naming the path.
    bool create_file(const std::filesystem::path& inside) const;

    /// Opens @p inside with openat2(2) and RESOLVE_IN_ROOT.
    /// @param inside a container path
    /// @param flags open(2) flags, e.g. O_PATH | O_DIRECTORY (O_CLOEXEC is always added).
    /// @param follow whether a final symlink is followed
    /// @throws std::system_error naming the container path.
    [[nodiscard]] UniqueFd open(const std::filesystem::path& inside, int flags,
                                FollowLast follow = FollowLast::yes) const;

private:
    std::filesystem::path path_of(int fd) const;

    std::filesystem::path directory_;
    UniqueFd fd_;
    UniqueFd proc_fd_;                 // /proc/self/fd of the process that made this
    std::filesystem::path real_root_;  // the rootfs as the kernel names it, for canonical()
};

}  // namespace container
