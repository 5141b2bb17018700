#include "proc_mount.hpp"

#include <fcntl.h>
#include <sys/mount.h>

#include "container/error.hpp"
#include "fd_path.hpp"

namespace container {

namespace {

const std::filesystem::path kProc = "/proc";

}  // namespace

void mount_proc(const Rootfs& rootfs) {
    if (!rootfs.exists(kProc)) {
        rootfs.create_directories(kProc);  // in the container's layer: nothing to remove
    }
    const UniqueFd target = rootfs.open(kProc, O_PATH | O_DIRECTORY);
    // nosuid, nodev, noexec: nothing in /proc is a program or a device.
    if (mount("proc", fd_path(target).c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
              nullptr) != 0) {
        throw_errno("mount proc on",
                    kProc.string() + " (in rootfs " + rootfs.directory().string() + ")");
    }
}

}  // namespace container
