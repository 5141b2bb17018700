/// @file pivot_root.cpp
/// @brief Making the container's rootfs its "/" with pivot_root(2), and the host unreachable.
#include "pivot_root.hpp"

#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "container/error.hpp"

namespace container {

void enter_root(const std::filesystem::path& new_root) {
    if (chdir(new_root.c_str()) != 0) {
        throw_errno("chdir", new_root);
    }
    // pivot_root(".", "."), the idiom of pivot_root(2)'s man page (runc does the same):
    // the old root does not need a directory of its own inside the new one. The call
    // moves the old root mount onto "/" of the new root, stacked over it. Our root and
    // working directory are now the new root, which lies *under* the old root mount at "/".
    if (syscall(SYS_pivot_root, ".", ".") != 0) {
        throw_errno("pivot_root", new_root);
    }
    // "." starts at the new root and climbs the mounts stacked at "/": the top one is the
    // old root, and that is what this unmounts. MNT_DETACH takes it away with all its
    // submounts at once even though they are busy (the host's files are in use by the
    // host). The mounts are private (make_mounts_private()), so this unmounts nothing in
    // the host's namespace. From here on no path leads to the host.
    if (umount2(".", MNT_DETACH) != 0) {
        throw_errno("detach the old root after pivot_root into", new_root);
    }
    if (chdir("/") != 0) {
        throw_errno("chdir", "/");
    }
}

}  // namespace container
