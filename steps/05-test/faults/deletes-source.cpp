// Fault: removes a volume's mount point recursively before unmounting it, deleting the host's files
// Hint: 7
//
// One of the deliberately broken runtimes of step 05: the reference runtime, linked with
// this file and `-Wl,--wrap=<setup_volume>,--wrap=<unmount_volume>`. Its cleanup first
// empties the mount point like `rm -rf`, *while the volume is still mounted there*: every
// file it deletes is a file of the host's source directory. (It reaches the volume the
// right way, through its mount: the fault is the recursive delete.) (The seed exercise removes the
// mount point with a recursive delete; when the unmount failed, that is exactly this.)
//
// SAFETY: this runtime deletes real files. It only ever does so for a volume whose source
// lies inside $GRADE_SANDBOX, a tmpfs the grader mounts in a throwaway mount namespace
// for each check; anywhere else it behaves like the reference runtime. It never crosses
// into another mount below the volume (FTW_MOUNT) and never follows a symlink (FTW_PHYS).
//
// Wrap: _ZN9container12setup_volumeERKNS_6VolumeERKNS_6RootfsE
// Wrap: _ZN9container14unmount_volumeENS_10MountPointE
#include <ftw.h>
#include <linux/magic.h>  // TMPFS_MAGIC
#include <sys/stat.h>
#include <sys/vfs.h>      // statfs(2)
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <system_error>
#include <utility>

#include "container/mount_point.hpp"
#include "container/rootfs.hpp"
#include "container/volume_steps.hpp"

extern "C" container::MountPoint __real__ZN9container12setup_volumeERKNS_6VolumeERKNS_6RootfsE(
    const container::Volume& volume, const container::Rootfs& rootfs);
extern "C" void __real__ZN9container14unmount_volumeENS_10MountPointE(
    container::MountPoint mount_point);

namespace {

/// The volumes (as the user wrote them) whose source is inside the grader's sandbox.
std::set<std::string>& doomed() {
    static std::set<std::string> volumes;
    return volumes;
}

/// True when @p source lies strictly inside $GRADE_SANDBOX, and that is a tmpfs.
bool inside_sandbox(const std::filesystem::path& source) {
    const char* sandbox = std::getenv("GRADE_SANDBOX");
    if (sandbox == nullptr || sandbox[0] != '/' || std::string(sandbox) == "/") return false;
    struct statfs fs {};
    if (::statfs(sandbox, &fs) != 0 || fs.f_type != TMPFS_MAGIC) return false;
    std::error_code error;
    const std::string top = std::filesystem::canonical(sandbox, error).string();
    if (error) return false;
    const std::string real = std::filesystem::canonical(source, error).string();
    if (error) return false;
    return real.size() > top.size() + 1 && real.compare(0, top.size() + 1, top + "/") == 0;
}

int remove_entry(const char* path, const struct stat* /*info*/, int type, struct FTW* where) {
    if (where->level == 0) return 0;  // the mount point itself stays (it is mounted)
    if (type == FTW_DP) {
        ::rmdir(path);
    } else {
        ::unlink(path);
    }
    return 0;
}

}  // namespace

extern "C" container::MountPoint __wrap__ZN9container12setup_volumeERKNS_6VolumeERKNS_6RootfsE(
    const container::Volume& volume, const container::Rootfs& rootfs) {
    container::MountPoint mount_point =
        __real__ZN9container12setup_volumeERKNS_6VolumeERKNS_6RootfsE(volume, rootfs);
    if (inside_sandbox(volume.source)) doomed().insert(volume.spec);
    return mount_point;
}

extern "C" void __wrap__ZN9container14unmount_volumeENS_10MountPointE(
    container::MountPoint mount_point) {
    if (doomed().contains(mount_point.volume)) {
        try {
            // The volume's own mount, and "/proc/self/fd/N/." to walk into it.
            const container::UniqueFd root = container::open_mount(mount_point);
            const std::string target = container::fd_path(root) + "/.";
            // the fault: `rm -rf target/*` through the mount, i.e. in the host's source
            ::nftw(target.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
        } catch (const std::exception&) {
        }
    }
    __real__ZN9container14unmount_volumeENS_10MountPointE(std::move(mount_point));
}
