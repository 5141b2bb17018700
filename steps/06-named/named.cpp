/// @file named.cpp
/// @brief Step 6 (optional): named volumes: resolve a name, create a volume all or
///        nothing, copy the image's files into a new one, hold it in use with a lock.
///
/// Read steps/06-named/README.md first: each TODO below is a task there, with hints.
/// The contract (what the checks expect) is the comment of each function in
/// common/include/container/named_volume_steps.hpp.
#include "container/named_volume_steps.hpp"

#include <dirent.h>    // fdopendir(3), readdir(3), closedir(3)
#include <fcntl.h>     // openat(2), O_* flags, AT_* flags, renameat2(2), RENAME_NOREPLACE
#include <sys/file.h>  // flock(2)
#include <sys/stat.h>  // fstatat(2), mkdirat(2), fchmodat(2), mknodat(2), utimensat(2)
#include <unistd.h>    // fchownat(2), readlinkat(2), symlinkat(2), linkat(2), unlinkat(2)

#include <cerrno>
#include <filesystem>
#include <string>

#include "container/error.hpp"     // throw_errno(), throw_error(), not_implemented(), UsageError
#include "container/identity.hpp"  // identity_of(), look_at()
#include "container/volume.hpp"    // valid_volume_name(), volume_name_problem()

namespace container {

std::filesystem::path named_volume_path([[maybe_unused]] const std::filesystem::path& volumes,
                                        [[maybe_unused]] std::string_view name) {
    // TODO 1: Resolve a name. A name becomes one entry of `volumes`. Which names would
    //         lead somewhere else ("..", "a/b", "")? Check the name against Docker's rule
    //         before it touches a path, and refuse a bad one with the UsageError of the
    //         contract. Then the path is one join away.
    not_implemented("named_volume_path");
}

bool create_named_volume([[maybe_unused]] const std::filesystem::path& volumes,
                         [[maybe_unused]] std::string_view name, [[maybe_unused]] bool anonymous) {
    // TODO 2: Create, all or nothing. Two `volume create db` can run at the same moment,
    //         and either can be killed half-way. Make the whole volume (its directory,
    //         `_data` with mode exactly 0755, `created`, and `anonymous` when asked) under
    //         a temporary name nobody else can pick, inside `volumes`. Then give it its
    //         name in one system call that fails, rather than replaces, when the name is
    //         taken: which flag of renameat2(2)? Whatever happens, remove your temporary
    //         directory when it did not become the volume. An existing volume is no error.
    not_implemented("create_named_volume");
}

void copy_up([[maybe_unused]] const UniqueFd& from, [[maybe_unused]] const UniqueFd& to) {
    // TODO 3: Copy-up. Copy every entry of `from` into `to`, through descriptors, never
    //         following a symlink (fstatat with AT_SYMLINK_NOFOLLOW tells you what each is).
    //         Directories recursively; regular files byte for byte; symlinks as links
    //         (readlinkat, symlinkat); device nodes and FIFOs with mknodat. Then each one's
    //         owner, mode and modification time: in which order do chown and chmod have to
    //         go for a setuid bit to survive? Files that are hard links of each other (same
    //         device and inode, st_nlink > 1) must stay one file: link later names to the
    //         first copy. Last, `to` takes the owner and mode of `from`.
    not_implemented("copy_up");
}

UniqueFd lock_named_volume([[maybe_unused]] const std::filesystem::path& volumes,
                           [[maybe_unused]] std::string_view name) {
    // TODO 4: Lock, in use. Open the volume's directory and take a lock that many
    //         containers can hold together, that `volume rm` cannot take while any of
    //         them does, and that the kernel drops when its holder dies, even by SIGKILL:
    //         which kind of flock(2)? Then check that the name still leads to the
    //         directory you locked (look_at(), identity_of()): a `volume rm` may have moved
    //         it away just before you got the lock. Missing or moved: an empty UniqueFd.
    not_implemented("lock_named_volume");
}

}  // namespace container
