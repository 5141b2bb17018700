/// @file volume_flag.cpp
/// @brief Parsing `-v SRC:DST[:MODE]`.
#include <algorithm>

#include "container/error.hpp"
#include "container/volume.hpp"
#include "split.hpp"
#include "volume_spec.hpp"

namespace container {
namespace {

/// MODE is exactly one word: Docker's combinations ("ro,z", propagation) are not
/// supported, and silently ignoring a word would give a mount the user did not ask for.
bool is_read_only_mode(std::string_view mode) {
    if (mode == "ro") return true;
    if (mode == "rw") return false;
    throw UsageError("invalid mode: " + std::string{mode});
}

}  // namespace

Volume parse_volume_flag(std::string_view spec) {
    const volume_spec::QuotedSpec quoted{.kind = "volume", .text = spec};
    // ':' separates the fields, so a path holding ':' needs --mount.
    const auto fields = split(spec, ':');
    if (fields.size() < 2 || fields.size() > 3 ||
        std::ranges::any_of(fields, &std::string_view::empty)) {
        quoted.reject();
    }
    const bool read_only = fields.size() == 3 && is_read_only_mode(fields[2]);
    // Docker's -v creates a missing source directory (kept for compatibility).
    return volume_spec::checked_volume(quoted, fields[0], fields[1], read_only,
                                       /*create_missing_source=*/true);
}

}  // namespace container
