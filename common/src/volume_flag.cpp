/// @file volume_flag.cpp
/// @brief Parsing `-v SRC:DST[:MODE]`, `-v NAME:DST[:MODE]` and `-v DST`, as Docker does.
#include <algorithm>

#include "container/error.hpp"
#include "container/volume.hpp"
#include "split.hpp"
#include "volume_mode.hpp"
#include "volume_spec.hpp"

namespace container {

Volume parse_volume_flag(std::string_view spec) {
    const volume_spec::QuotedSpec quoted{.kind = "volume", .text = spec};
    // ':' separates the fields, so a path holding ':' needs --mount.
    if (std::ranges::count(spec, ':') > 2) quoted.reject();
    const auto fields = split(spec, ':');
    if (fields[0].empty()) quoted.reject();

    std::string_view source;
    std::string_view destination;
    std::string_view mode_text;
    if (fields.size() == 1) {
        destination = fields[0];  // `-v /dst`: an anonymous volume
    } else {
        // Two fields whose second is a mode ("/path:ro") lack a destination: a volume
        // cannot be given a mode without one. (The empty mode counts: "/tmp:".)
        if (fields.size() == 2 && parse_volume_mode(fields[1])) quoted.reject();
        source = fields[0];
        destination = fields[1];
        if (fields.size() == 3) mode_text = fields[2];
    }
    const auto mode = parse_volume_mode(mode_text);
    if (!mode) throw UsageError("invalid mode: " + std::string{mode_text});

    // A source that is not an absolute path is the name of a volume (Docker's rule).
    if (!source.starts_with('/')) {
        // Propagation is about a host mount's peers; a volume of the runtime has none.
        if (mode->propagation) {
            quoted.reject(
                "invalid mount config for type \"volume\": field BindOptions must not be "
                "specified");
        }
        return volume_spec::checked_named_volume(quoted, source, destination, mode->read_only,
                                                 /*copy_up=*/!mode->nocopy);
    }
    // Copying the image's files is for volumes the runtime owns, never into a host path.
    if (mode->nocopy) {
        quoted.reject(
            "invalid mount config for type \"bind\": field VolumeOptions must not be specified");
    }
    // Docker's -v creates a missing source directory (kept for compatibility).
    auto volume = volume_spec::checked_volume(quoted, source, destination, mode->read_only,
                                              /*create_missing_source=*/true);
    volume.propagation = mode->propagation.value_or(Propagation::rprivate);
    return volume;
}

}  // namespace container
