/// @file overlay_root.hpp
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
#pragma once

#include <cstdint>
#include <filesystem>

namespace container {

/// In the container's mount namespace, once its mounts are private (make_mounts_private(),
/// or the tmpfs would show up on the host): mounts a tmpfs over @p image, creates
/// `upper/`, `work/` and `root/` in it, and mounts on `root/` an overlay of the image
/// (lowerdir: read, never written) and `upper/` (upperdir: where every change goes;
/// `work/` is overlayfs' own scratch space).
///
/// The tmpfs needs a place to be mounted, and the image's own directory is the one place
/// that is surely there and that this container alone sees changed (the mount is in its
/// namespace only): no directory of the host is created, so none can be left behind.
/// Hidden under the tmpfs, the image is still reached through a descriptor opened before.
///
/// The tmpfs holds at most @p size bytes (`--layer-size`), and at most one file or
/// directory per 4 KiB of it: a command that writes without end, or creates empty files
/// without end, gets ENOSPC ("No space left on device") in its own layer, instead of
/// filling the host's memory (a tmpfs may otherwise take half of it).
///
/// The overlay is mounted nodev: a device node of the image (a tarball may hold one of
/// the host's disk) cannot be opened. The container's devices are those of its /dev.
///
/// @return `IMAGE/root`, the container's root filesystem. It is a mount point, as
///         pivot_root(2) requires of a new root.
/// @throws std::system_error naming the path and the errno
///         ("mount overlay on /srv/images/busybox/root: Invalid argument").
[[nodiscard]] std::filesystem::path mount_overlay_root(const std::filesystem::path& image,
                                                       std::uint64_t size);

}  // namespace container
