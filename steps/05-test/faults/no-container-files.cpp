// One of the deliberately broken runtimes of step 05 (faults.txt): the reference runtime,
// linked with this file and `-Wl,--wrap=<setup_volume>,--wrap=<unmount_volume>`. It notes
// the files at the top of each volume's source when it sets the volume up, and before it
// unmounts the volume it deletes every file that has appeared there since, through the
// volume's mount: it takes what the container wrote for leftovers of its own. The host's
// files that were there before the run are kept, and so are directories: only what the
// container made in the volume is gone once it exits.
//
// SAFETY: only for a volume whose source lies in a test's sandbox (test_sandbox.hpp).
//
// Wrap: _ZN9container12setup_volumeERKNS_6VolumeERKNS_6RootfsE
// Wrap: _ZN9container14unmount_volumeENS_10MountPointE
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
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

/// Volume (as the user wrote it) -> the names at the top of its source at setup.
std::map<std::string, std::set<std::string>>& noted() {
    static std::map<std::string, std::set<std::string>> names;
    return names;
}

std::set<std::string> names_in(const std::filesystem::path& directory) {
    std::set<std::string> names;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
        names.insert(entry.path().filename().string());
    }
    return names;
}

}  // namespace

extern "C" container::MountPoint __wrap__ZN9container12setup_volumeERKNS_6VolumeERKNS_6RootfsE(
    const container::Volume& volume, const container::Rootfs& rootfs) {
    container::MountPoint mount_point =
        __real__ZN9container12setup_volumeERKNS_6VolumeERKNS_6RootfsE(volume, rootfs);
    std::error_code error;
    if (std::filesystem::is_directory(volume.source, error) &&
        fault::inside_test_sandbox(volume.source)) {
        noted()[volume.spec] = names_in(volume.source);
    }
    return mount_point;
}

extern "C" void __wrap__ZN9container14unmount_volumeENS_10MountPointE(
    container::MountPoint mount_point) {
    const auto found = noted().find(mount_point.volume);
    if (found != noted().end()) {
        try {
            // The volume's own mount, and "/proc/self/fd/N" to look into it.
            const container::UniqueFd root = container::open_mount(mount_point);
            const std::string top = container::fd_path(root);
            for (const std::string& name : names_in(top)) {
                struct stat info {};
                const std::string path = top + "/" + name;
                if (!found->second.contains(name) && ::lstat(path.c_str(), &info) == 0 &&
                    S_ISREG(info.st_mode)) {
                    ::unlink(path.c_str());  // the fault: "not ours when we started, so ours"
                }
            }
        } catch (const std::exception&) {
        }
    }
    __real__ZN9container14unmount_volumeENS_10MountPointE(std::move(mount_point));
}
