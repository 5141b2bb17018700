/// @file remove_tree.cpp
/// @brief Removing a directory tree the runtime itself just made, and only that.
#include "remove_tree.hpp"

#include <cerrno>
#include <string>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "container/error.hpp"
#include "container/unique_fd.hpp"

namespace container {

namespace {

/// statx of @p name in @p directory, not following a symlink.
struct statx examine(int directory, const char* name, const std::filesystem::path& path) {
    struct statx status {};
    if (statx(directory, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_TYPE, &status) != 0) {
        throw_errno("stat", path);
    }
    return status;
}

/// True when @p status says "the root of a mount", or a device other than @p device.
bool crosses_a_mount(const struct statx& status, dev_t device) {
    const bool mount_root = (status.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) != 0 &&
                            (status.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
    return mount_root || makedev(status.stx_dev_major, status.stx_dev_minor) != device;
}

/// Empties the directory open as @p directory (host path @p path, for messages).
void empty_directory(int directory, const std::filesystem::path& path, dev_t device) {
    // fdopendir takes the descriptor over; a duplicate keeps ours for unlinkat.
    const int listing = fcntl(directory, F_DUPFD_CLOEXEC, 0);
    if (listing < 0) {
        throw_errno("open", path);
    }
    DIR* stream = fdopendir(listing);
    if (stream == nullptr) {
        close(listing);
        throw_errno("open", path);
    }
    try {
        while (const dirent* entry = readdir(stream)) {
            const std::string name = entry->d_name;
            if (name == "." || name == "..") {
                continue;
            }
            const auto child = path / name;
            const struct statx status = examine(directory, name.c_str(), child);
            if (S_ISDIR(status.stx_mode)) {
                if (crosses_a_mount(status, device)) {
                    throw_error(EBUSY, "refuse to remove a mount point", child);
                }
                UniqueFd inner(openat(directory, name.c_str(),
                                      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
                if (!inner) {
                    throw_errno("open", child);
                }
                empty_directory(inner.get(), child, device);
                if (unlinkat(directory, name.c_str(), AT_REMOVEDIR) != 0) {
                    throw_errno("rmdir", child);
                }
            } else if (unlinkat(directory, name.c_str(), 0) != 0) {
                throw_errno("unlink", child);
            }
        }
    } catch (...) {
        closedir(stream);
        throw;
    }
    closedir(stream);
}

}  // namespace

void remove_unpacked_tree(const std::filesystem::path& directory) {
    const auto parent =
        directory.parent_path().empty() ? std::filesystem::path(".") : directory.parent_path();
    UniqueFd above(open(parent.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!above) {
        throw_errno("open", parent);
    }
    const auto name = directory.filename();
    const struct statx parent_status = examine(above.get(), ".", parent);
    const struct statx status = examine(above.get(), name.c_str(), directory);
    if (!S_ISDIR(status.stx_mode)) {
        throw_error(ENOTDIR, "remove", directory);
    }
    const dev_t device = makedev(parent_status.stx_dev_major, parent_status.stx_dev_minor);
    if (crosses_a_mount(status, device)) {
        throw_error(EBUSY, "refuse to remove a mount point", directory);
    }
    UniqueFd top(
        openat(above.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!top) {
        throw_errno("open", directory);
    }
    empty_directory(top.get(), directory, device);
    if (unlinkat(above.get(), name.c_str(), AT_REMOVEDIR) != 0) {
        throw_errno("rmdir", directory);
    }
}

}  // namespace container
