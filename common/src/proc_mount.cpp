#include "proc_mount.hpp"

#include <cerrno>
#include <ranges>

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/error.hpp"
#include "container/mounts.hpp"
#include "fd_path.hpp"

namespace container {

namespace {

const std::filesystem::path kProc = "/proc";

/// The host paths of what mount_proc() created, innermost first. Resolved while /proc
/// is still mounted: Rootfs::resolve() reads /proc/self/fd, and after pivot_root that is
/// the container's own /proc.
std::vector<std::filesystem::path> resolve_created(const std::vector<std::filesystem::path>& created,
                                                   const Rootfs& rootfs) {
    std::vector<std::filesystem::path> paths;
    for (const auto& inside : std::views::reverse(created)) {
        paths.push_back(rootfs.resolve(inside, FollowLast::no));
    }
    return paths;
}

/// Removes what mount_proc() created (@p paths, innermost first): only directories that
/// are no mount point, with rmdir(2), so nothing but what was created can go.
void remove_created(const std::vector<std::filesystem::path>& paths) {
    for (const auto& path : paths) {
        struct stat status {};
        if (lstat(path.c_str(), &status) != 0) {
            throw_errno("rmdir", path);
        }
        if (!S_ISDIR(status.st_mode)) {
            throw_error(ENOTDIR, "rmdir", path);
        }
        if (is_mount_point(path)) {
            throw_error(EBUSY, "rmdir (still a mount point)", path);
        }
        if (rmdir(path.c_str()) != 0) {
            throw_errno("rmdir", path);
        }
    }
}

}  // namespace

ProcMount mount_proc(const Rootfs& rootfs) {
    ProcMount proc;
    if (!rootfs.exists(kProc)) {
        proc.created = rootfs.create_directories(kProc);
    }
    try {
        const UniqueFd target = rootfs.open(kProc, O_PATH | O_DIRECTORY);
        // nosuid, nodev, noexec: nothing in /proc is a program or a device.
        if (mount("proc", fd_path(target).c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                  nullptr) != 0) {
            throw_errno("mount proc on",
                        kProc.string() + " (in rootfs " + rootfs.directory().string() + ")");
        }
        proc.mounted = true;
    } catch (...) {
        try {
            remove_created(resolve_created(proc.created, rootfs));
        } catch (const std::exception& error) {
            print_error(std::string("warning: ") + error.what());
        }
        throw;
    }
    return proc;
}

void unmount_proc(const ProcMount& proc, const Rootfs& rootfs) {
    if (proc.created.empty()) {
        return;
    }
    const auto created = resolve_created(proc.created, rootfs);
    if (proc.mounted) {
        const auto target = rootfs.resolve(kProc);
        // Every process of the container is gone by now, and MNT_DETACH cannot fail with
        // EBUSY anyway; the directory is checked before it is removed.
        if (umount2(target.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) != 0) {
            throw_errno("unmount", target);
        }
    }
    remove_created(created);
}

}  // namespace container
