/// @file volume.hpp
/// @brief What the user asked for: volume specs, parsed and validated.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace container {

class Rootfs;

/// What backs a volume.
enum class VolumeType {
    bind,       ///< a host path (`-v /host:/dst`, `--mount type=bind`)
    named,      ///< a volume the runtime keeps, by name (`-v db:/dst`, `--mount type=volume`)
    anonymous,  ///< a named volume with a random name (`-v /dst`)
    tmpfs,      ///< memory only, empty at each start (`--tmpfs /dst`, `--mount type=tmpfs`)
};

/// Bind propagation (mount_namespaces(7)): whether mounts made later below the volume, on
/// the host or in the container, show on the other side. Docker's words; rprivate is the
/// default (nothing crosses).
enum class Propagation { rprivate, private_, rshared, shared, rslave, slave };

/// One volume, as given on the command line and checked by the parser.
struct Volume {
    /// Absolute host path to share (a directory or a file).
    std::filesystem::path source;
    /// Absolute path inside the container, normalised ("/a/./b/" -> "/a/b"); never "/".
    std::filesystem::path destination;
    /// Mounted read-only (":ro" or ",readonly").
    bool read_only = false;
    /// Create @ref source when it is missing: true for `-v`, false for `--mount`
    /// (Docker refuses a missing `--mount` source).
    bool create_missing_source = true;
    /// The spec as the user wrote it, for messages.
    std::string spec;
    /// What backs it; for named and anonymous volumes @ref source is filled in by the
    /// runtime (the volume's data directory) before the container starts.
    VolumeType type = VolumeType::bind;
    /// The volume's name (named and anonymous volumes).
    std::string name{};
    /// Copy the image's files at the destination into the volume when it is empty
    /// (named volumes; `nocopy` / `volume-nocopy` turn it off).
    bool copy_up = true;
    /// Bind propagation (bind volumes only).
    Propagation propagation = Propagation::rprivate;
    /// tmpfs: the mount options as given ("size=64m,mode=1777"), checked by the parser.
    std::string tmpfs_options{};

    /// Member-wise comparison (used by the checks).
    bool operator==(const Volume&) const = default;
};

/// Parses a `-v SRC:DST[:ro|:rw]` spec.
/// @throws UsageError "invalid volume specification: '<spec>'", "invalid mode: <mode>",
///         or a message naming the path that must be absolute.
[[nodiscard]] Volume parse_volume_flag(std::string_view spec);

/// Parses a `--mount type=bind|volume|tmpfs,source=S,target=D[,readonly]` spec
/// (also accepts `src`, `dst`, `destination`, `ro`, `readonly=true|false`, and
/// `bind-propagation=`, `volume-nocopy`, `tmpfs-size=`, `tmpfs-mode=` for their types).
/// @throws UsageError naming the bad field, quoting the spec.
[[nodiscard]] Volume parse_mount_flag(std::string_view spec);

/// Parses a `--tmpfs /dst[:OPTIONS]` spec (OPTIONS: size=, mode=, nr_inodes=, uid=, gid=,
/// ro, rw, exec, noexec, suid, nosuid, dev, nodev).
/// @throws UsageError quoting the spec.
[[nodiscard]] Volume parse_tmpfs_flag(std::string_view spec);

/// Docker's rule for a volume name: `[a-zA-Z0-9][a-zA-Z0-9_.-]+` (two characters at least).
[[nodiscard]] bool valid_volume_name(std::string_view name);

/// What is wrong with a name that is not valid_volume_name(), for messages:
/// "invalid volume name '<name>': only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed, ...".
[[nodiscard]] std::string volume_name_problem(std::string_view name);

/// Normalises a container path lexically: removes ".", "..", repeated and trailing
/// slashes; ".." never climbs above "/".
/// @throws UsageError "mount path must be absolute: <path>" for a relative path.
[[nodiscard]] std::filesystem::path normalise_destination(std::string_view path);

/// Number of components in a normalised absolute path: "/" is 0, "/a/b" is 2.
[[nodiscard]] std::size_t path_depth(const std::filesystem::path& path);

/// True when @p inner is @p outer or lies below it ("/a/b" is within "/a", "/ab" is not).
[[nodiscard]] bool is_within(const std::filesystem::path& inner,
                             const std::filesystem::path& outer);

/// Checks a whole list: the same destination twice is refused.
/// @throws UsageError "duplicate mount point: <destination>".
void validate_volumes(const std::vector<Volume>& volumes);

/// Checks a whole list once the destinations are resolved in the image: two volumes
/// whose destinations are one place through a symlink of the image (`/alias -> /aliasdir`)
/// would be stacked, the second hiding the first. Called before anything is mounted.
/// @throws UsageError "duplicate mount point: /alias (same as /aliasdir in the image)".
void validate_resolved_destinations(const std::vector<Volume>& volumes, const Rootfs& rootfs);

/// Throws @p error again with the volume named as the user wrote it in front of its
/// message: "volume '<spec>': <message>", keeping its error code. For ENAMETOOLONG the
/// limits are named too: a name holds at most NAME_MAX (255) bytes, a path PATH_MAX (4096).
[[noreturn]] void rethrow_for_volume(const Volume& volume, const std::system_error& error);

/// Orders volumes parents first (by destination depth), keeping the command-line
/// order among volumes of the same depth, so "/d" is mounted before "/d/in".
[[nodiscard]] std::vector<Volume> sort_parents_first(std::vector<Volume> volumes);

}  // namespace container
