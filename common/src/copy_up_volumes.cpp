/// @file copy_up_volumes.cpp
/// @brief Filling new named volumes with the image's files.
#include "copy_up_volumes.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>

#include "container/error.hpp"
#include "container/named_volume_steps.hpp"

namespace container {
namespace {

/// True when the directory @p fd holds has nothing but "." and "..".
bool is_empty_directory(const UniqueFd& fd) {
    UniqueFd listing(::openat(fd.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!listing) throw_errno("open", "the volume's data");
    DIR* stream = ::fdopendir(listing.get());
    if (stream == nullptr) throw_errno("read", "the volume's data");
    listing.release();  // closedir(3) closes it
    bool empty = true;
    while (const dirent* entry = ::readdir(stream)) {
        const std::string_view name = entry->d_name;
        if (name != "." && name != "..") {
            empty = false;
            break;
        }
    }
    ::closedir(stream);
    return empty;
}

void copy_up_volume(const Volume& volume, const Rootfs& rootfs) {
    UniqueFd image_directory;
    try {
        image_directory = rootfs.open(volume.destination, O_RDONLY | O_DIRECTORY);
    } catch (const std::system_error& error) {
        const int code = error.code().value();
        if (code == ENOENT || code == ENOTDIR) return;  // nothing there to copy
        throw;
    }
    const UniqueFd data(
        ::open(volume.source.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!data) throw_errno("open", volume.source);
    while (::flock(data.get(), LOCK_EX) != 0) {
        if (errno != EINTR) throw_errno("lock", volume.source);
    }
    // Looked at under the lock: a container that started a moment before may have
    // filled it already.
    if (is_empty_directory(data)) copy_up(image_directory, data);
}

}  // namespace

void copy_up_new_volumes(const std::vector<Volume>& volumes, const Rootfs& rootfs) {
    for (const auto& volume : volumes) {
        if ((volume.type != VolumeType::named && volume.type != VolumeType::anonymous) ||
            !volume.copy_up) {
            continue;
        }
        try {
            copy_up_volume(volume, rootfs);
        } catch (const std::system_error& error) {
            rethrow_for_volume(volume, error);
        }
    }
}

}  // namespace container
