/// @file dev_mount.hpp
/// @brief A minimal /dev for the container: a tmpfs with a few harmless devices of the host.
#pragma once

#include "container/rootfs.hpp"

namespace container {

/// When the image has a /dev directory, mounts a tmpfs on it and gives it null, zero,
/// full, random, urandom and tty (nodes with the device numbers of the host's),
/// the links fd, stdin, stdout and stderr into /proc/self/fd, and a shm directory.
/// The image's own /dev is hidden underneath and left untouched. An image without
/// /dev gets none.
/// Nothing needs undoing: it creates nothing in the image, and the mounts go away with
/// the container's mount namespace, all at once.
/// @throws std::system_error naming what failed; nothing is left mounted.
void mount_dev(const Rootfs& rootfs);

}  // namespace container
