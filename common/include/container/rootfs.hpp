/// @file rootfs.hpp
/// @brief Paths inside the container's root filesystem, resolved so they cannot escape it,
///        and what is made there handed back held open, with its identity.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "container/identity.hpp"
#include "container/unique_fd.hpp"

namespace container {

class Journal;

/// Whether the last component of a path is followed when it is a symlink.
enum class FollowLast { yes, no };

/// What becomes of the rootfs's own file system when the container is gone: `kept` (an
/// image directory, used as it is), or `discarded` (the container's writable layer, a
/// tmpfs of its mount namespace, which goes with that namespace).
enum class Layer { kept, discarded };

/// A directory or file of the rootfs, found or made by Rootfs::create_directories() or
/// Rootfs::create_file(): held open, with where it sits and what had to be created.
struct Made {
    /// Its container path, symlinks of the image resolved ("/run" for "/var/run" when the
    /// image holds /var/run -> /run). For messages.
    std::filesystem::path path;
    /// The directory that holds it, O_PATH.
    UniqueFd parent;
    /// Its name in @ref parent.
    std::string name;
    /// It, O_PATH.
    UniqueFd object;
    /// Its identity, from @ref object.
    FileIdentity identity;
    /// What was created to make it (missing parents, then itself), outermost first,
    /// each with its identity from the descriptor it was created through. Empty when it
    /// existed already. (On a rootfs whose layer is discarded, only what was created
    /// outside that layer, in a volume.)
    std::vector<CreatedEntry> created;
};

/// The root filesystem of a container, seen from the runtime.
///
/// An image is untrusted: it may hold `/evil -> /etc` or `../../..`. Joining
/// `rootfs + "/" + destination` as strings would follow such links on the host.
/// Every lookup here goes through openat2(2) with RESOLVE_IN_ROOT, so symlinks and
/// ".." are resolved as if the rootfs were "/": they can never leave it.
///
/// And nothing is handed back as a host path to act on: a path string is looked up again
/// by every system call it is given to, and what it leads to can change in between.
/// What Rootfs finds or makes comes back as descriptors (Made), and each thing it creates
/// is created relative to the descriptor of the directory it goes in.
///
/// Container paths ("/data") are the paths the user wrote. Before pivot_root,
/// `Rootfs("images/busybox")`; after it, `Rootfs("/")` works the same way on the
/// container's own root.
///
/// A Rootfs belongs to the process that made it: it reads the paths of its own
/// descriptors (for messages) through the /proc/self/fd it opened at construction, so it
/// keeps working even if the command later unmounts the container's /proc.
class Rootfs {
public:
    /// Opens @p directory (it must exist). With a @p journal, what is created outside the
    /// rootfs's own file system (a mount point inside a volume, in a host directory) is
    /// recorded in it first, so that a run killed before its cleanup can be finished
    /// later (see `container cleanup`). With @p layer `discarded`, what is created in the
    /// rootfs's own file system is not listed in Made::created: nobody needs to remove
    /// it, the whole layer goes when the container does (and each removal would cost a
    /// lookup and an unlinkat(2) per volume).
    /// @throws std::system_error naming the directory.
    explicit Rootfs(std::filesystem::path directory, Journal* journal = nullptr,
                    Layer layer = Layer::kept);

    /// The directory given to the constructor.
    [[nodiscard]] const std::filesystem::path& directory() const noexcept { return directory_; }

    /// Where @p inside would be once the symlinks and ".." of the image are resolved inside
    /// the rootfs, as a container path: with `/var/run -> /run`, "/var/run/x" is "/run/x".
    /// The part of @p inside that does not exist yet is kept as written. For comparing
    /// destinations and for messages, never to act on.
    /// @throws std::system_error naming the container path.
    [[nodiscard]] std::filesystem::path canonical(const std::filesystem::path& inside) const;

    /// True when @p inside exists (without following a final symlink).
    [[nodiscard]] bool exists(const std::filesystem::path& inside) const;

    /// Like `mkdir -p`: finds the longest part of @p inside that exists (symlinks followed
    /// inside the rootfs), then creates each missing directory in the one before it
    /// (mkdirat(2) on its descriptor), with mode exactly 0755 whatever the umask.
    /// All or nothing: on failure it removes what it created (if it still is what it
    /// created) before throwing.
    /// @return the directory, held open, and what was created, outermost first.
    /// @throws std::system_error naming the path that could not be created or found.
    Made create_directories(const std::filesystem::path& inside) const;

    /// Creates the missing parents of @p inside like create_directories(), then an empty
    /// regular file at @p inside, mode 0644. When something is already there, it is used as
    /// it is (a symlink of the image followed inside the rootfs) and not listed as created;
    /// a directory there is an error (ENOTDIR: a file cannot be mounted on a directory).
    /// All or nothing, like create_directories().
    /// @throws std::system_error naming the path.
    Made create_file(const std::filesystem::path& inside) const;

    /// Opens @p inside with openat2(2) and RESOLVE_IN_ROOT.
    /// @param inside a container path
    /// @param flags open(2) flags, e.g. O_PATH | O_DIRECTORY (O_CLOEXEC is always added).
    /// @param follow whether a final symlink is followed
    /// @throws std::system_error naming the container path.
    [[nodiscard]] UniqueFd open(const std::filesystem::path& inside, int flags,
                                FollowLast follow = FollowLast::yes) const;

private:
    [[nodiscard]] std::filesystem::path path_of(int fd) const;
    [[nodiscard]] std::filesystem::path container_path_of(
        int fd, const std::filesystem::path& inside) const;
    [[noreturn]] void fail(int error, std::string_view action,
                           const std::filesystem::path& inside) const;
    Made place_of(UniqueFd object, const std::filesystem::path& inside) const;
    Made make_directories(const std::filesystem::path& inside) const;
    std::optional<Made> make_last_directory(const std::filesystem::path& inside) const;
    std::optional<FileIdentity> create_entry(const UniqueFd& parent, const std::string& name,
                                             const std::filesystem::path& inside, bool directory,
                                             UniqueFd& opened,
                                             std::vector<CreatedEntry>& created) const;
    void set_mode(const UniqueFd& opened, bool directory,
                  const std::filesystem::path& inside) const;

    std::filesystem::path directory_;
    UniqueFd fd_;
    UniqueFd proc_fd_;                 // /proc/self/fd of the process that made this
    std::filesystem::path real_root_;  // the rootfs as the kernel names it, for canonical()
    std::uint64_t root_mount_id_ = 0;  // the mount of the rootfs itself (statx STATX_MNT_ID)
    Journal* journal_ = nullptr;
    Layer layer_ = Layer::kept;
};

}  // namespace container
