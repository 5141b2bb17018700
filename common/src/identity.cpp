/// @file identity.cpp
/// @brief Identities of files held open, and one name looked at relative to a directory.
#include "container/identity.hpp"

#include <fcntl.h>          // AT_* flags
#include <sys/stat.h>       // fstat(2), statx(2)
#include <sys/sysmacros.h>  // makedev()

#include <cerrno>

#include "container/error.hpp"

// Linux 6.8's unique mount ids, for C library headers that do not know them yet.
#ifndef STATX_MNT_ID_UNIQUE
#define STATX_MNT_ID_UNIQUE 0x00004000U
#endif

namespace container {
namespace {

/// Both kinds of mount id are asked for: a kernel that has unique ones returns that one.
constexpr unsigned int kMountIdMask = STATX_MNT_ID | STATX_MNT_ID_UNIQUE;

}  // namespace

FileIdentity identity_of(const UniqueFd& fd) {
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) throw_errno("stat", fd_path(fd));
    return {info.st_dev, info.st_ino};
}

std::uint64_t mount_id_of(const UniqueFd& fd) {
    struct statx info {};
    if (::statx(fd.get(), "", AT_EMPTY_PATH, kMountIdMask, &info) != 0) {
        throw_errno("stat", fd_path(fd));
    }
    return info.stx_mnt_id;
}

namespace {

/// statx(2) of @p name in @p directory (or of @p directory itself, AT_EMPTY_PATH, for an
/// empty name), as an EntryStatus; @p shown names it in messages.
EntryStatus status_at(int directory, const char* name, int flags, const std::string& shown) {
    struct statx info {};
    // AT_SYMLINK_NOFOLLOW: a symlink is reported as a symlink, never as what it points to.
    // AT_NO_AUTOMOUNT: looking must not mount anything.
    if (::statx(directory, name, flags | AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT,
                STATX_TYPE | STATX_INO | STATX_SIZE | kMountIdMask, &info) != 0) {
        if (errno == ENOENT) return {};
        throw_errno("stat", shown);
    }
    if ((info.stx_mask & kMountIdMask) == 0 ||
        (info.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) == 0) {
        throw_error(ENOSYS, "statx STATX_MNT_ID", shown);  // before Linux 5.8
    }
    return EntryStatus{
        .exists = true,
        .identity = {makedev(info.stx_dev_major, info.stx_dev_minor), info.stx_ino},
        .mount_id = info.stx_mnt_id,
        .mount_root = (info.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0,
        .type = static_cast<mode_t>(info.stx_mode & S_IFMT),
        .size = info.stx_size,
    };
}

}  // namespace

EntryStatus look_at(const UniqueFd& directory, const std::string& name) {
    return status_at(directory.get(), name.c_str(), 0, name);
}

EntryStatus status_of(const UniqueFd& fd) {
    return status_at(fd.get(), "", AT_EMPTY_PATH, fd_path(fd));
}

}  // namespace container
