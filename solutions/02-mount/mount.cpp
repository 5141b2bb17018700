/// @file mount.cpp
/// @brief Step 2 (reference): bind-mount a volume's host source onto its mount point.
#include "container/volume_steps.hpp"

#include <sys/mount.h>  // mount(2), MS_BIND, MS_REC
#include <sys/stat.h>   // stat(2)

#include <cerrno>
#include <filesystem>

#include "container/error.hpp"
#include "container/mounts.hpp"

namespace container {

void mount_volume(const std::filesystem::path& source, const std::filesystem::path& target) {
    // A clear sentence for the user's mistake, rather than a bare ENOENT from mount(2).
    struct stat info {};
    if (::stat(source.c_str(), &info) != 0) {
        if (errno == ENOENT) throw_error(ENOENT, "source path does not exist:", source);
        throw_errno("stat", source);
    }

    // Mounting twice would stack a second mount on the first: each unmount then
    // removes only one of them. The root of a bind mount is the source's own inode.
    if (is_mount_point(target) && same_file(source, target)) return;

    // MS_BIND: show the source's tree at the target (type and data are ignored).
    // MS_REC: take the mounts below the source along; without it they are missing and
    // the directories they sit on show through instead.
    if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
        throw_errno("mount " + source.string() + " on", target);
    }
}

}  // namespace container
