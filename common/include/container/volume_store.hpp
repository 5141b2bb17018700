/// @file volume_store.hpp
/// @brief Where named volumes live, and what `container volume ...` and `run` do with them.
///
/// A named volume is `$CONTAINER_ROOT/volumes/NAME/` (default /var/lib/container): its
/// `_data/` is what containers see. Creating, locking and copying up are step 6's
/// functions (named_volume_steps.hpp); this is the given code around them.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "container/unique_fd.hpp"
#include "container/volume.hpp"

namespace container {

/// `$CONTAINER_ROOT/volumes` (an absolute $CONTAINER_ROOT), else /var/lib/container/volumes.
/// Created (mode 0700, root's) when missing.
[[nodiscard]] std::filesystem::path volumes_directory();

/// A random name for an anonymous volume: 64 hexadecimal digits, as Docker's.
[[nodiscard]] std::string random_volume_name();

/// One volume, as `container volume inspect` shows it.
struct VolumeInfo {
    std::string name;                  ///< the volume's name
    std::filesystem::path mountpoint;  ///< its `_data`
    std::string created;               ///< RFC 3339, UTC
    bool anonymous = false;            ///< made for a `-v /dst` (volume prune removes it)
    std::vector<pid_t> in_use_by;      ///< the processes holding it in use (container runs)
};

/// The names of every volume, sorted.
[[nodiscard]] std::vector<std::string> list_volumes(const std::filesystem::path& volumes);

/// What is known of the volume @p name.
/// @throws std::system_error (ENOENT) "no such volume: NAME".
[[nodiscard]] VolumeInfo inspect_volume(const std::filesystem::path& volumes,
                                        const std::string& name);

/// Removes the volume @p name and its data, unless a running container holds it in use.
/// @throws std::system_error (EBUSY) "remove NAME: volume is in use by container PID N",
///         (ENOENT) "no such volume: NAME".
void remove_volume(const std::filesystem::path& volumes, const std::string& name);

/// The named and anonymous volumes of one run, created when missing and held in use
/// (lock_named_volume()) as long as this object lives; their sources filled in.
class VolumesInUse {
public:
    /// Creates (anonymous volumes get a random name) and locks every named or anonymous
    /// volume of @p volumes, and sets its `source` to the volume's `_data`. With
    /// @p remove_anonymous (`run --rm`), the anonymous ones are removed when this is
    /// released or destroyed, also when the run fails.
    VolumesInUse(std::vector<Volume>& volumes, bool remove_anonymous);
    /// Takes the volumes of @p other over (its locks and anonymous volumes).
    VolumesInUse(VolumesInUse&&) = default;
    ~VolumesInUse();

    /// Lets the volumes go, then removes the anonymous ones when asked (`run --rm`):
    /// a failure is a warning, as a container that exits must not fail for it.
    void release() noexcept;

private:
    bool remove_anonymous_ = false;
    std::filesystem::path volumes_;
    std::vector<UniqueFd> locks_;
    std::vector<std::string> anonymous_;
};

/// `container volume SUBCOMMAND ...`; @p arguments start after "volume".
/// @return the exit status: 0, or 1 when something failed (Docker's), with one line on
///         stderr for each failure.
int run_volume_command(const std::vector<std::string>& arguments);

}  // namespace container
