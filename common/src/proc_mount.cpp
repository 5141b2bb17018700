/// @file proc_mount.cpp
/// @brief The container's own /proc: a fresh proc file system of its PID namespace.
#include "proc_mount.hpp"

#include <array>
#include <cerrno>
#include <string>
#include <string_view>

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "container/error.hpp"
#include "fd_path.hpp"

namespace container {

namespace {

const std::filesystem::path kProc = "/proc";

/// Hidden, in /proc: the kernel's memory (kcore), its keyrings, its timers and
/// scheduler, the hardware's state. runc's default maskedPaths
/// (libcontainer/specconv/example.go), less those under /sys: the container has no sysfs.
constexpr std::array<const char*, 9> kMaskedPaths = {
    "acpi",       "asound",      "kcore",       "keys", "latency_stats",
    "timer_list", "timer_stats", "sched_debug", "scsi",
};

/// Read-only, in /proc: the settings of the whole machine (sysctl, IRQ affinity, ...) and
/// sysrq-trigger, which can reboot or crash it. runc's default readonlyPaths.
constexpr std::array<const char*, 5> kReadOnlyPaths = {
    "bus", "fs", "irq", "sys", "sysrq-trigger",
};

std::string in_rootfs(std::string_view inside, const Rootfs& rootfs) {
    return std::string{inside} + " (in rootfs " + rootfs.directory().string() + ")";
}

/// The entry @p name of the fresh proc file system @p proc, not following a symlink;
/// empty when this kernel does not have it (kcore, sched_debug... depend on its
/// configuration and version). A plain openat(2) is safe: nothing of the image is in there.
UniqueFd open_if_present(const UniqueFd& proc, const char* name, const std::string& where) {
    UniqueFd fd(openat(proc.get(), name, O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (!fd && errno != ENOENT) throw_errno("open", where);
    return fd;
}

/// The host's /dev/null, checked: bound over a file to hide it, it must be the null
/// device, not a file someone (a broken CI image, say) put there.
UniqueFd open_null_device() {
    UniqueFd null(::open("/dev/null", O_PATH | O_CLOEXEC));
    struct stat status {};
    if (!null || fstat(null.get(), &status) != 0) throw_errno("open", "/dev/null");
    if (!S_ISCHR(status.st_mode) || status.st_rdev != makedev(1, 3)) {
        throw_error(ENODEV, "open", "/dev/null (not the null device)");
    }
    return null;
}

/// Hides the file or directory @p target: a file under /dev/null (it reads as empty),
/// a directory under an empty read-only tmpfs. As runc does.
void hide(const UniqueFd& target, const UniqueFd& null, const std::string& name) {
    struct stat status {};
    if (fstat(target.get(), &status) != 0) throw_errno("stat", name);
    const int result =
        S_ISDIR(status.st_mode)
            ? mount("tmpfs", fd_path(target).c_str(), "tmpfs",
                    MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr)
            : mount(fd_path(null).c_str(), fd_path(target).c_str(), nullptr, MS_BIND, nullptr);
    if (result != 0) throw_errno("hide", name);
}

/// Makes @p target read-only: a copy of its mount, made read-only while it is detached
/// (open_tree(2), mount_setattr(2)), is then attached over it (move_mount(2)). Nothing
/// needs a path looked up twice, and the target is never seen half done.
void mount_read_only(const UniqueFd& target, const std::string& name) {
    const UniqueFd copy(
        open_tree(target.get(), "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH));
    if (!copy) throw_errno("copy the mount of", name);
    mount_attr attributes{};
    attributes.attr_set = MOUNT_ATTR_RDONLY;
    if (mount_setattr(copy.get(), "", AT_EMPTY_PATH, &attributes, sizeof attributes) != 0) {
        throw_errno("make read-only", name);
    }
    if (move_mount(copy.get(), "", target.get(), "",
                   MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0) {
        throw_errno("mount read-only over", name);
    }
}

}  // namespace

void mount_proc(const Rootfs& rootfs) {
    if (!rootfs.exists(kProc)) {
        rootfs.create_directories(kProc);  // in the container's layer: nothing to remove
    }
    const UniqueFd target = rootfs.open(kProc, O_PATH | O_DIRECTORY);
    // nosuid, nodev, noexec: nothing in /proc is a program or a device.
    if (mount("proc", fd_path(target).c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) !=
        0) {
        throw_errno("mount proc on", in_rootfs(kProc.string(), rootfs));
    }
}

void restrict_proc(const Rootfs& rootfs) {
    const UniqueFd null = open_null_device();
    const UniqueFd proc = rootfs.open(kProc, O_PATH | O_DIRECTORY);
    const auto where = [&rootfs](const char* name) {
        return in_rootfs(kProc.string() + "/" + name, rootfs);
    };
    for (const char* name : kMaskedPaths) {
        if (const UniqueFd target = open_if_present(proc, name, where(name))) {
            hide(target, null, where(name));
        }
    }
    for (const char* name : kReadOnlyPaths) {
        if (const UniqueFd target = open_if_present(proc, name, where(name))) {
            mount_read_only(target, where(name));
        }
    }
}

}  // namespace container
