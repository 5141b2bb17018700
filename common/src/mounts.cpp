/// @file mounts.cpp
/// @brief Mount questions answered with statx(2), and read-only volumes with
///        mount_setattr(2).
#include "container/mounts.hpp"

#include <fcntl.h>        // open(2), O_PATH, AT_* flags
#include <sys/mount.h>    // struct mount_attr, MOUNT_ATTR_RDONLY (includes <linux/mount.h>)
#include <sys/stat.h>     // statx(2), stat(2)
#include <sys/syscall.h>  // SYS_mount_setattr
#include <unistd.h>       // syscall(2), fchdir(2)

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "container/error.hpp"
#include "container/mountinfo.hpp"
#include "container/unique_fd.hpp"
#include "container/volume.hpp"  // is_within()

namespace container {
namespace {

/// statx(2) of @p path (@p dir_fd and AT_EMPTY_PATH for a descriptor), never following
/// a final symlink nor triggering an automount.
struct statx statx_of(int dir_fd, const char* path, int flags, unsigned int mask,
                      const std::filesystem::path& name) {
    struct statx result {};
    if (::statx(dir_fd, path, flags | AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, mask, &result) != 0) {
        throw_errno("statx", name);
    }
    return result;
}

/// The mount that is visible at a path, and whether the path is its root.
struct MountAt {
    std::uint64_t id = 0;
    bool is_root = false;
};

MountAt mount_at(int fd, const std::filesystem::path& name) {
    const struct statx info = statx_of(fd, "", AT_EMPTY_PATH, STATX_MNT_ID | STATX_TYPE, name);
    if ((info.stx_mask & STATX_MNT_ID) == 0) throw_error(ENOSYS, "statx STATX_MNT_ID", name);
    return {info.stx_mnt_id, (info.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0};
}

UniqueFd open_path(const std::filesystem::path& path) {
    UniqueFd fd(::open(path.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) throw_errno("open", path);
    return fd;
}

/// Sets MOUNT_ATTR_RDONLY on the mount @p fd is the root of; with @p recursive, on every
/// mount below it as well. mount_setattr(2) exists since Linux 5.12: ENOSYS is an error.
void set_read_only(int fd, bool recursive, const std::filesystem::path& name) {
    mount_attr attr{};
    attr.attr_set = MOUNT_ATTR_RDONLY;
    const unsigned int flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0U);
    if (::syscall(SYS_mount_setattr, fd, "", flags, &attr, sizeof attr) != 0) {
        throw_errno("make read-only", name);
    }
}

/// The mount table, as a tree.
class MountTree {
public:
    MountTree(const MountTree&) = delete;  // holds pointers into its own vector
    MountTree& operator=(const MountTree&) = delete;
    MountTree() : mounts_(read_mountinfo()) {
        for (const MountInfo& mount : mounts_) {
            by_id_.emplace(mount.mount_id, &mount);
            if (mount.parent_id != mount.mount_id) children_[mount.parent_id].push_back(&mount);
        }
    }

    [[nodiscard]] const MountInfo* find(std::uint64_t id) const {
        const auto it = by_id_.find(id);
        return it == by_id_.end() ? nullptr : it->second;
    }

    /// The mounts that sit on mount @p id (whose parent it is).
    [[nodiscard]] const std::vector<const MountInfo*>& children(std::uint64_t id) const {
        static const std::vector<const MountInfo*> none;
        const auto it = children_.find(id);
        return it == children_.end() ? none : it->second;
    }

private:
    std::vector<MountInfo> mounts_;
    std::unordered_map<std::uint64_t, const MountInfo*> by_id_;
    std::unordered_map<std::uint64_t, std::vector<const MountInfo*>> children_;
};

/// Applies read-only to the part of a volume's mount tree that belongs to it.
class ReadOnlyWalk {
public:
    ReadOnlyWalk(const MountTree& tree, const std::unordered_set<std::uint64_t>& volume_roots)
        : tree_(tree), volume_roots_(volume_roots) {
        // Mark every mount that has a volume root somewhere below it. Each walk up stops
        // at the first mount already marked, so this costs O(mounts) in total.
        for (const std::uint64_t root : volume_roots_) {
            const MountInfo* mount = tree_.find(root);
            while (mount != nullptr && mount->parent_id != mount->mount_id &&
                   holds_volume_.insert(mount->parent_id).second) {
                mount = tree_.find(mount->parent_id);
            }
        }
    }

    /// Makes @p mount (reachable through @p fd, or -1 when no path reaches it) read-only,
    /// and the mounts below it except other volumes and what lies below them.
    void apply(const MountInfo& mount, int fd, const std::filesystem::path& volume) const {
        const bool whole_subtree = !holds_volume_.contains(mount.mount_id);
        if (fd >= 0) {
            // Nothing else lies below: one call does the whole subtree, including mounts
            // hidden under other mounts, which no path reaches.
            set_read_only(fd, whole_subtree, volume);
            if (whole_subtree) return;
        }
        for (const MountInfo* child : tree_.children(mount.mount_id)) {
            if (volume_roots_.contains(child->mount_id)) continue;  // keeps its own mode
            const UniqueFd child_fd = open_path(child->mount_point);
            // A mount hidden under another one at the same place cannot be reached by a
            // path, here or in the container: there is nothing to protect in it, but the
            // mounts on top of it are its children and are visited all the same.
            const bool reachable =
                mount_at(child_fd.get(), child->mount_point).id == child->mount_id;
            if (!reachable && !covered(*child)) {
                // Not hidden, yet not where the table says: something was renamed on the
                // way (a shared source changed by another container). Refuse rather than
                // leave a part of a read-only volume writable.
                throw_error(
                    EAGAIN, "make read-only",
                    child->mount_point.string() + " (of " + volume.string() + "): it moved");
            }
            apply(*child, reachable ? child_fd.get() : -1, volume);
        }
    }

private:
    /// True when another mount covers @p mount: one mounted on its root, or a sibling
    /// mounted at or above its mount point. No path reaches a covered mount.
    [[nodiscard]] bool covered(const MountInfo& mount) const {
        for (const MountInfo* above : tree_.children(mount.mount_id)) {
            if (above->mount_point == mount.mount_point) return true;
        }
        for (const MountInfo* sibling : tree_.children(mount.parent_id)) {
            if (sibling != &mount && is_within(mount.mount_point, sibling->mount_point))
                return true;
        }
        return false;
    }

    const MountTree& tree_;
    const std::unordered_set<std::uint64_t>& volume_roots_;
    std::unordered_set<std::uint64_t> holds_volume_;
};

}  // namespace

int unmount_held(const UniqueFd& mount_point, int flags) {
    const UniqueFd previous(::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!previous || ::fchdir(mount_point.get()) != 0) {
        return ::umount2(fd_path(mount_point).c_str(), flags);  // a file, or no way back
    }
    const int result = ::umount2(".", flags);
    const int error = errno;
    // Back where it was: held open, so it is there even if renamed meanwhile. (Should
    // that fail, "/" at least lets go of the mount point's directory.)
    if (::fchdir(previous.get()) != 0) {
        [[maybe_unused]] const int ignored = ::chdir("/");
    }
    errno = error;
    return result;
}

bool is_mount_point(const std::filesystem::path& path) {
    // statx() reports the root of a mount directly, for a directory as for a file bind
    // mount, where comparing st_dev with the parent's would miss a bind on the same fs.
    const struct statx info = statx_of(AT_FDCWD, path.c_str(), 0, STATX_TYPE, path);
    if ((info.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) == 0) {
        throw_error(ENOSYS, "statx STATX_ATTR_MOUNT_ROOT", path);  // before Linux 5.8
    }
    return (info.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
}

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
    struct stat first {};
    struct stat second {};
    for (auto [path, info] : {std::pair{&a, &first}, std::pair{&b, &second}}) {
        if (::stat(path->c_str(), info) != 0) {
            if (errno == ENOENT || errno == ENOTDIR) return false;
            throw_errno("stat", *path);
        }
    }
    return first.st_dev == second.st_dev && first.st_ino == second.st_ino;
}

void make_read_only(const std::vector<MountPoint>& mounted) {
    if (std::ranges::none_of(mounted, &MountPoint::read_only)) return;

    // Which mounts are volumes: the ones mount_volume() made, reached through what each
    // volume holds, under their ids in the mount table.
    std::unordered_set<std::uint64_t> volume_roots;
    std::vector<std::uint64_t> table_ids;
    for (const MountPoint& mount_point : mounted) {
        const UniqueFd root = open_mount(mount_point);
        table_ids.push_back(mount_at(root.get(), mount_point.destination).id);
        volume_roots.insert(table_ids.back());
    }

    // One read of the mount table for all volumes: who is mounted below whom.
    const MountTree tree;
    const ReadOnlyWalk walk(tree, volume_roots);
    for (std::size_t i = 0; i < mounted.size(); ++i) {
        const MountPoint& mount_point = mounted[i];
        if (!mount_point.read_only) continue;
        // The volume's own mount, reached by its name in the directory held since setup,
        // and checked by mount id: never a path walked from the root.
        const UniqueFd root = open_mount(mount_point);
        const MountInfo* mount = tree.find(table_ids[i]);
        if (mount == nullptr) {
            throw_error(ENOENT, "make read-only",
                        mount_point.destination.string() + ": not in /proc/self/mountinfo");
        }
        walk.apply(*mount, root.get(), mount_point.destination);
    }
}

}  // namespace container
