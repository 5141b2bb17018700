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

    /// Member-wise comparison (used by the checks).
    bool operator==(const Volume&) const = default;
};

/// Parses a `-v SRC:DST[:ro|:rw]` spec.
/// @throws UsageError "invalid volume specification: '<spec>'", "invalid mode: <mode>",
///         or a message naming the path that must be absolute.
[[nodiscard]] Volume parse_volume_flag(std::string_view spec);

/// Parses a `--mount type=bind,source=S,target=D[,readonly]` spec
/// (also accepts `src`, `dst`, `destination`, `ro`, `readonly=true|false`).
/// @throws UsageError naming the bad field, quoting the spec.
[[nodiscard]] Volume parse_mount_flag(std::string_view spec);

/// Normalises a container path lexically: removes ".", "..", repeated and trailing
/// slashes; ".." never climbs above "/".
/// @throws UsageError "mount path must be absolute: <path>" for a relative path.
[[nodiscard]] std::filesystem::path normalise_destination(std::string_view path);

/// Number of components in a normalised absolute path: "/" is 0, "/a/b" is 2.
[[nodiscard]] std::size_t path_depth(const std::filesystem::path& path);

/// True when @p inner is @p outer or lies below it ("/a/b" is within "/a", "/ab" is not).
[[nodiscard]] bool is_within(const std::filesystem::path& inner, const std::filesystem::path& outer);

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
