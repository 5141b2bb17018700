/// @file setup.cpp
/// @brief Step 1: open a volume's host source and create its mount point inside the
///        container's root filesystem, both held open from here on.
///
/// Read steps/01-setup/README.md first: each TODO below is a task there, with hints.
/// The contract (what the checks expect) is the comment of setup_volume() in
/// common/include/container/volume_steps.hpp.
#include "container/volume_steps.hpp"

#include <fcntl.h>     // open(2), openat(2), O_* flags, AT_REMOVEDIR
#include <sys/stat.h>  // fstat(2), mkdirat(2), fchmod(2)
#include <unistd.h>    // unlinkat(2)

#include <cerrno>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "container/error.hpp"     // throw_errno(), throw_error(), not_implemented()
#include "container/identity.hpp"  // CreatedEntry, identity_of(), look_at()
#include "container/rootfs.hpp"    // Rootfs::create_directories(), Rootfs::create_file(), Made
#include "container/volume.hpp"    // rethrow_for_volume()

namespace container {

MountPoint setup_volume([[maybe_unused]] const Volume& volume,
                        [[maybe_unused]] const Rootfs& rootfs) {
    // TODO 1: Open `volume.source` on the host, once, as a descriptor that only designates
    //         it (which open(2) flag?), following symlinks: what the user named is what
    //         they want mounted. If it is missing and `volume.create_missing_source` is
    //         false (a `--mount` volume), stop with the error of the contract, a message
    //         starting "source path does not exist: <source>". What errno does "does not
    //         exist" stand for? error.hpp builds a std::system_error from an errno you pass.

    // TODO 2: If it is missing and may be created (a `-v` volume), create it and each
    //         missing parent, every one with mode exactly 0755, and end up holding the last
    //         one open. Look at what mkdir(2) does with the umask: with umask 077, mode
    //         0755 gives 0700. What must follow each successful mkdir so that the mode no
    //         longer depends on it? Do it through descriptors, each directory made in the
    //         one you hold before it: between a mkdir and a chmod of the same *path*,
    //         someone could put a symlink there, and chmod follows it. A directory that was
    //         already there keeps its mode. Record each directory you make (a CreatedEntry:
    //         the directory you made it in, its name, its identity): should anything below
    //         fail, you remove them again.

    // TODO 3: Is the source a directory or a file? Ask the descriptor you hold, not the
    //         path (a name can be swapped in between; the descriptor cannot). The mount
    //         point must be of the same kind, or mounting fails with ENOTDIR.

    // TODO 4: Create the mount point inside the image, through `rootfs` only, never by
    //         gluing `rootfs.directory()` and the destination together as strings (the
    //         image may hold symlinks that lead out of it). For a directory, one call of
    //         Rootfs does `mkdir -p`; for a file, another one makes the parents and the
    //         empty file. Either hands back a Made: everything held open, with what it
    //         created and the identity of each. It is all or nothing: nothing to undo here.

    // TODO 5: Return the MountPoint, filled from what you hold: the source descriptor,
    //         and from the Made, the mount point (target), its directory and name, its
    //         identity, its resolved path (destination) and what was created; `volume`
    //         and `read_only` from the Volume. Do not open anything again by its path.
    //         And when anything above throws a std::system_error: first remove the source
    //         directories you made (innermost first, only while each name still leads to
    //         what you made: look_at() in identity.hpp), then throw it again with the
    //         volume named as the user wrote it (volume.hpp has the helper).

    not_implemented("setup_volume");
}

}  // namespace container
