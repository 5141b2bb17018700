/// @file overlay_root.cpp
/// @brief The container's own writable layer over its image: the image is never modified.
///
/// Why: the runtime creates what a volume needs in the container's root filesystem (a
/// missing mount point /data, say). Made in the image directory itself, /data would be
/// shared by every container running on that image at the same time: when one of them
/// removes it at its end, the kernel takes the /data mounts of all the others with it
/// (rmdir(2) of a mount point of another mount namespace succeeds since Linux 3.18). And
/// a runtime killed with SIGKILL would leave /data in the image for good.
///
/// So, as Docker does with its "container layer", each container gets an overlay
/// (overlayfs): the image is the lower layer, only read; every change, mount points
/// included, goes to an upper layer of its own on a tmpfs. That tmpfs is mounted in the
/// container's mount namespace only, so it vanishes with the container, however the
/// runtime ends.
#include "overlay_root.hpp"

#include <algorithm>
#include <string>

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/error.hpp"
#include "container/unique_fd.hpp"
#include "fd_path.hpp"

namespace container {

namespace {

void make_directory(const std::filesystem::path& path) {
    if (mkdir(path.c_str(), 0700) != 0) {
        throw_errno("mkdir", path);
    }
}

UniqueFd open_directory(const std::filesystem::path& path) {
    UniqueFd fd(open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!fd) {
        throw_errno("open", path);
    }
    return fd;
}

/// overlayfs shows the top directory of the upper layer as the container's "/": give it
/// the owner and mode of the image's own "/", or the container would see those of the
/// tmpfs.
void copy_owner_and_mode(const UniqueFd& from, const std::filesystem::path& to) {
    struct stat status {};
    if (fstat(from.get(), &status) != 0) {
        throw_errno("stat", fd_path(from));
    }
    if (chown(to.c_str(), status.st_uid, status.st_gid) != 0) {
        throw_errno("chown", to);
    }
    if (chmod(to.c_str(), status.st_mode & 07777) != 0) {
        throw_errno("chmod", to);
    }
}

/// How many files (and directories, and symlinks) the layer may hold: one per 4 KiB of
/// @p size, the proportion a tmpfs keeps when it chooses its own size (half the memory,
/// one inode per page of it). Given only a size, tmpfs would still allow as many as for
/// half the memory: millions, even in a layer of 1 MiB. Empty files take no room, but
/// each costs the kernel about 2 KiB of memory that the size does not count. At least
/// kFewestFiles, for the layer's own directories and the volumes' mount points.
std::uint64_t layer_files(std::uint64_t size) {
    constexpr std::uint64_t kBytesPerFile = 4096;
    constexpr std::uint64_t kFewestFiles = 4096;
    return std::max(size / kBytesPerFile, kFewestFiles);
}

}  // namespace

std::filesystem::path mount_overlay_root(const std::filesystem::path& image, std::uint64_t size) {
    // Opened before the tmpfs covers its path: the descriptor keeps reaching the image.
    const UniqueFd lower = open_directory(image);

    // A tmpfs of this mount namespace only: the host never sees the layer, and it goes
    // with the namespace, even when the runtime is killed. Mode 0700: root's alone. If a
    // later step fails, nothing needs undoing here for the same reason.
    const std::string options = "mode=0700,size=" + std::to_string(size) +
                                ",nr_inodes=" + std::to_string(layer_files(size));
    if (mount("tmpfs", image.c_str(), "tmpfs", 0, options.c_str()) != 0) {
        throw_errno("mount tmpfs on", image);
    }
    const auto root = image / "root";
    make_directory(image / "upper");
    make_directory(image / "work");
    make_directory(root);
    copy_owner_and_mode(lower, image / "upper");

    // The layers are named by their descriptors: "/proc/self/fd/N" reaches the hidden
    // image, and no path of the user (which may hold ',' or ':', the separators of the
    // overlay's options) is spelled out in the options.
    const UniqueFd upper = open_directory(image / "upper");
    const UniqueFd work = open_directory(image / "work");
    const std::string layers =
        "lowerdir=" + fd_path(lower) + ",upperdir=" + fd_path(upper) + ",workdir=" + fd_path(work);
    // nodev: a device node of the image cannot be opened through it, nor one made in the
    // layer. An image is anyone's tarball, and it may hold a node of the host's disk
    // (`b 8 0`), which root could then read whole, past every file's permissions. Docker
    // has a device cgroup to refuse such opens; this runtime has none, so without nodev
    // the missing CAP_MKNOD would not be enough. The container's devices are those of
    // its own /dev (mount_dev()), a mount of its own, without nodev.
    if (mount("overlay", root.c_str(), "overlay", MS_NODEV, layers.c_str()) != 0) {
        throw_errno("mount overlay on", root);
    }
    return root;
}

}  // namespace container
