/// @file setup.cpp
/// @brief Step 1: make sure a volume's host source exists and create its mount point
///        inside the container's root filesystem.
///
/// Read steps/01-setup/README.md first: each TODO below is a task there, with hints.
/// The contract (what the checks expect) is the comment of setup_volume() in
/// common/include/container/volume_steps.hpp.
#include "container/volume_steps.hpp"

#include <sys/stat.h>  // stat(2), mkdir(2), chmod(2)
#include <unistd.h>    // rmdir(2)

#include <cerrno>
#include <filesystem>
#include <vector>

#include "container/error.hpp"   // throw_errno(), throw_error(), not_implemented()
#include "container/rootfs.hpp"  // Rootfs::create_directories(), Rootfs::create_file()

namespace container {

MountPoint setup_volume([[maybe_unused]] const Volume& volume,
                        [[maybe_unused]] const Rootfs& rootfs) {
    // TODO 1: Look at `volume.source` on the host with stat(2). If it is missing and
    //         `volume.create_missing_source` is false (a `--mount` volume), stop with the
    //         error of the contract, a message starting "source path does not exist:
    //         <source>". What errno does "does not exist" stand for? error.hpp builds a
    //         std::system_error from an errno number you pass it yourself.

    // TODO 2: If it is missing and may be created (a `-v` volume), create it and each
    //         missing parent, every one with mode exactly 0755. Look at what mkdir(2)
    //         does with the umask: with umask 077, mkdir(path, 0755) gives 0700. What
    //         must follow each successful mkdir() so the mode no longer depends on it?
    //         A directory that was already there (which errno says so?) keeps its mode.
    //         Any other failure names the path (throw_errno("mkdir", path)).

    // TODO 3: Is the source a directory or a file? Use what stat(2) told you (it follows
    //         a symlink: what gets mounted is what the link points to). The mount point
    //         must be of the same kind, or mount(2) fails with ENOTDIR.

    // TODO 4: Create the mount point inside the image, through `rootfs` only, never by
    //         gluing `rootfs.directory()` and the destination together as strings (the
    //         image may hold symlinks that lead out of it). For a directory, one call of
    //         Rootfs does `mkdir -p`; for a file, create the missing parents first, then
    //         the empty file. Keep every container path you created, outermost first, and
    //         leave alone whatever already existed. If the file cannot be created, remove
    //         the parents you just made (empty directories: rmdir(2)) before rethrowing.

    // TODO 5: Return the MountPoint: the destination, as `rootfs.canonical()` resolves it
    //         (a symlink in the image may have moved it), and the list of created paths,
    //         which step 3 will remove again (and nothing else).

    not_implemented("setup_volume");
}

}  // namespace container
