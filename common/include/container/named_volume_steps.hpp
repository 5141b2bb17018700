/// @file named_volume_steps.hpp
/// @brief Step 6 (optional): the volume code students write for named volumes.
///
/// Declared once here; defined twice, by the skeleton in `steps/06-named/` and by the
/// reference in `solutions/06-named/`, like the functions of volume_steps.hpp.
///
/// A named volume is a directory the runtime owns: `$CONTAINER_ROOT/volumes/NAME/`, whose
/// `_data/` is what containers see. It outlives every container that uses it, so three
/// things matter that did not for a host path: making it must be all or nothing (two
/// `container volume create db` at once, or one killed half-way, must never leave half a
/// volume), a new volume starts with the image's files at its destination (copy-up), and
/// it cannot be removed while a running container uses it.
#pragma once

#include <filesystem>
#include <string_view>

#include "container/unique_fd.hpp"

namespace container {

/// @name Step 6: named volumes
/// @{

/// The directory of the volume @p name in @p volumes (`volumes/NAME`), after checking the
/// name: Docker's rule (valid_volume_name()), so that a name can never be "..", hold a
/// '/', or be anything but one entry of @p volumes. Nothing is looked up on disk.
/// @throws UsageError with volume_name_problem() for a bad name.
[[nodiscard]] std::filesystem::path named_volume_path(const std::filesystem::path& volumes,
                                                      std::string_view name);

/// Creates the volume @p name in @p volumes, all or nothing: its directory holding an empty
/// `_data/` (mode 0755) and a file `created` (the time, RFC 3339, UTC), plus an empty file
/// `anonymous` when @p anonymous. Everything is made under a temporary name in @p volumes
/// first, then renamed to `NAME` in one step that fails if `NAME` exists (so a reader never
/// sees half a volume, and of two creators one wins). A volume that exists is left as it is.
/// @return true when this call created it, false when it existed already.
/// @throws std::system_error naming the volume; nothing of this call is left behind.
bool create_named_volume(const std::filesystem::path& volumes, std::string_view name,
                         bool anonymous);

/// Marks the volume @p name as in use for as long as the descriptor returned is open: a
/// shared flock(2) on the volume's directory. Any number of containers may hold it at
/// once; `container volume rm` takes it exclusively, without waiting, and refuses while
/// anyone holds it. The kernel drops the lock when the holder dies, even by SIGKILL.
/// Once locked, the name must still lead to the directory locked (a `volume rm` may have
/// renamed it away just before): when it does not, the lock is worthless.
/// @return the locked directory, or an empty UniqueFd when the volume is not there (or
///         was removed while locking): the caller creates it again and retries.
/// @throws std::system_error for any other failure.
[[nodiscard]] UniqueFd lock_named_volume(const std::filesystem::path& volumes,
                                         std::string_view name);

/// Copies everything in the directory @p from (the image's files at the destination) into
/// the directory @p to (a volume's empty `_data`), as it is: directories, files, symlinks
/// (not followed), device nodes and FIFOs; each with its mode (setuid and sticky bits
/// too), owner and modification time; files hard-linked together in @p from hard-linked
/// together in @p to. @p to itself takes the mode and owner of @p from.
/// Both are directories opened O_RDONLY | O_DIRECTORY.
/// @throws std::system_error naming what could not be copied.
void copy_up(const UniqueFd& from, const UniqueFd& to);
/// @}

}  // namespace container
