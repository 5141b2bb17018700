/// @file mount.cpp
/// @brief Step 2: bind-mount a volume's host source onto its mount point.
///
/// Read steps/02-mount/README.md first: each TODO below is a task there, with hints.
/// The contract (what the checks expect) is the comment of mount_volume() in
/// common/include/container/volume_steps.hpp.
#include "container/volume_steps.hpp"

#include <sys/mount.h>  // mount(2) and its MS_* flags
#include <sys/stat.h>   // stat(2)

#include <cerrno>
#include <filesystem>

#include "container/error.hpp"   // throw_errno(), throw_error(), not_implemented()
#include "container/mounts.hpp"  // is_mount_point(), same_file()

namespace container {

void mount_volume([[maybe_unused]] const std::filesystem::path& source,
                  [[maybe_unused]] const std::filesystem::path& target) {
    // TODO 1: Refuse a source that does not exist, with the message of the contract,
    //         which starts "source path does not exist: <source>" (the same error as in
    //         step 1). Checking first gives the user that clear sentence instead of a bare
    //         ENOENT from mount(2). Any other failure to examine it names the path.

    // TODO 2: Do not stack: if `target` is already a mount point AND it shows the same
    //         file as `source`, the volume is mounted already and there is nothing to do.
    //         mounts.hpp answers both questions without reading the mount table.

    // TODO 3: Bind-mount `source` onto `target` with one mount(2) call. See mount(2):
    //         which flag makes a bind mount, and which one makes it take the mounts
    //         below the source along? A bind ignores the file system type and the data
    //         argument. On failure, report the errno with both paths in the message.

    not_implemented("mount_volume");
}

}  // namespace container
