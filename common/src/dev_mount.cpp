/// @file dev_mount.cpp
/// @brief A minimal /dev for the container: a tmpfs with a few harmless devices of the host.
#include "dev_mount.hpp"

#include <array>
#include <cerrno>
#include <string>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/error.hpp"
#include "fd_path.hpp"

namespace container {

namespace {

const std::filesystem::path kDev = "/dev";

/// The devices of the host shared with the container: none of them gives access to
/// the host's hardware or data.
constexpr std::array kDevices = {"null", "zero", "full", "random", "urandom", "tty"};

/// The usual links of /dev, into the container's own /proc.
constexpr std::array<std::pair<const char*, const char*>, 4> kLinks = {{
    {"fd", "/proc/self/fd"},
    {"stdin", "/proc/self/fd/0"},
    {"stdout", "/proc/self/fd/1"},
    {"stderr", "/proc/self/fd/2"},
}};

/// Fills the fresh tmpfs, open as @p dev. It is new and ours: nothing in it can be a
/// symlink planted by the image, so plain *at() calls are safe here.
/// @p where names it in messages.
void populate(const UniqueFd& dev, const std::string& where) {
    for (const char* name : kDevices) {
        const std::string host = std::string("/dev/") + name;
        struct stat device {};
        if (stat(host.c_str(), &device) != 0 || !S_ISCHR(device.st_mode)) {
            continue;  // a host (a CI container, say) without this device: the container goes
                       // without
        }
        // A node with the same device number is the same device (as runc does when it is
        // not in a user namespace): cheaper than a bind mount, which would be one more
        // mount to set up and to tear down with the namespace.
        if (mknodat(dev.get(), name, S_IFCHR | (device.st_mode & 07777), device.st_rdev) != 0 ||
            fchmodat(dev.get(), name, device.st_mode & 07777, 0) != 0) {  // whatever the umask
            throw_errno("mknod", where + "/" + name);
        }
    }
    for (const auto& [name, points_to] : kLinks) {
        if (symlinkat(points_to, dev.get(), name) != 0) {
            throw_errno("symlink", where + "/" + name);
        }
    }
    // /dev/shm, world-writable and sticky like /tmp, whatever the umask.
    if (mkdirat(dev.get(), "shm", 01777) != 0 || fchmodat(dev.get(), "shm", 01777, 0) != 0) {
        throw_errno("mkdir", where + "/shm");
    }
}

}  // namespace

void mount_dev(const Rootfs& rootfs) {
    UniqueFd image_dev;
    try {
        image_dev = rootfs.open(kDev, O_PATH | O_DIRECTORY);
    } catch (const std::system_error& error) {
        if (error.code() == std::errc::no_such_file_or_directory ||
            error.code() == std::errc::not_a_directory) {
            return;  // no /dev in the image (or not a directory): the container gets none
        }
        throw;
    }
    const std::string where = kDev.string() + " (in rootfs " + rootfs.directory().string() + ")";
    // Not nodev: it holds the device nodes. But keep it from holding programs or
    // set-user-ID files.
    if (mount("tmpfs", fd_path(image_dev).c_str(), "tmpfs", MS_NOSUID | MS_NOEXEC,
              "mode=755,size=65536k") != 0) {
        throw_errno("mount tmpfs on", where);
    }
    // Opened again: the descriptor above holds the image's directory, under the tmpfs.
    const UniqueFd dev = rootfs.open(kDev, O_RDONLY | O_DIRECTORY);
    try {
        populate(dev, where);
    } catch (...) {
        umount2(fd_path(dev).c_str(), MNT_DETACH);
        throw;
    }
}

}  // namespace container
