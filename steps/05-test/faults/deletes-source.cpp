// One of the deliberately broken runtimes of step 05 (faults.txt): the reference runtime,
// linked with this file and `-Wl,--wrap=<setup_volume>,--wrap=<unmount_volume>`. It takes
// the directories already in a volume's source when it sets the volume up for mount
// points of its own, and before it unmounts the volume it "cleans them up" like `rm -rf`,
// *while the volume is still mounted there*: every directory it deletes, with every file
// in it, is one of the host's. (It reaches the volume the right way, through its mount:
// the fault is the recursive delete. The seed exercise removes the mount point with a
// recursive delete; when the unmount failed, that is this.) What the container made, and
// the files at the top of the volume, stay: the fault shows only to a check that looks,
// after the run, into a directory that was in the source before it.
//
// SAFETY: this runtime deletes real files. It only ever does so for a volume whose source
// lies in a test's sandbox (test_sandbox.hpp); anywhere else it behaves like the reference
// runtime. It never crosses into another mount below the volume (FTW_MOUNT, and only
// directories on the volume's own device) and never follows a symlink (FTW_PHYS).
//
// Wrap: _ZN9container12setup_volumeERKNS_6VolumeERKNS_6RootfsE
// Wrap: _ZN9container14unmount_volumeENS_10MountPointE
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <system_error>
#include <utility>

#include "container/mount_point.hpp"
#include "container/rootfs.hpp"
#include "container/volume_steps.hpp"
#include "test_sandbox.hpp"

extern "C" container::MountPoint __real__ZN9container12setup_volumeERKNS_6VolumeERKNS_6RootfsE(
    const container::Volume& volume, const container::Rootfs& rootfs);
extern "C" void __real__ZN9container14unmount_volumeENS_10MountPointE(
    container::MountPoint mount_point);

namespace {

/// Volume (as the user wrote it) -> the directories at the top of its source at setup,
/// for the volumes whose source is inside a test's sandbox.
std::map<std::string, std::set<std::string>>& doomed() {
    static std::map<std::string, std::set<std::string>> directories;
    return directories;
}

int remove_entry(const char* path, const struct stat* /*info*/, int type, struct FTW* /*where*/) {
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
    std::error_code error;
    if (std::filesystem::is_directory(volume.source, error) &&
        fault::inside_test_sandbox(volume.source)) {
        std::set<std::string>& directories = doomed()[volume.spec];
        for (const auto& entry : std::filesystem::directory_iterator(volume.source, error)) {
            if (entry.is_directory(error) && !entry.is_symlink(error)) {
                directories.insert(entry.path().filename().string());
            }
        }
    }
    return mount_point;
}

extern "C" void __wrap__ZN9container14unmount_volumeENS_10MountPointE(
    container::MountPoint mount_point) {
    const auto found = doomed().find(mount_point.volume);
    if (found != doomed().end()) {
        try {
            // The volume's own mount, and "/proc/self/fd/N" to walk into it.
            const container::UniqueFd root = container::open_mount(mount_point);
            const std::string top = container::fd_path(root);
            struct stat volume {};
            if (::stat((top + "/.").c_str(), &volume) == 0 && S_ISDIR(volume.st_mode)) {
                for (const std::string& name : found->second) {
                    struct stat info {};
                    const std::string path = top + "/" + name;
                    if (::lstat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode) ||
                        info.st_dev != volume.st_dev) {
                        continue;  // gone, no longer a directory, or another mount
                    }
                    // the fault: `rm -rf` of a directory of the volume, i.e. of the host
                    ::nftw(path.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
                }
            }
        } catch (const std::exception&) {
        }
    }
    __real__ZN9container14unmount_volumeENS_10MountPointE(std::move(mount_point));
}
