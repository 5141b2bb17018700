/// @file tmpfs_flag.cpp
/// @brief Parsing `--tmpfs /dst[:OPTIONS]`.
#include <algorithm>
#include <array>
#include <charconv>

#include "container/error.hpp"
#include "container/volume.hpp"
#include "split.hpp"
#include "volume_spec.hpp"

namespace container {
namespace {

/// Options given to tmpfs as they are (mount data), each with a value.
constexpr std::array<std::string_view, 5> kValueOptions{"size", "mode", "nr_inodes", "uid", "gid"};
/// Mount flags, without a value.
constexpr std::array<std::string_view, 8> kFlagOptions{"ro",   "rw",     "exec", "noexec",
                                                       "suid", "nosuid", "dev",  "nodev"};

/// A size as tmpfs reads it: a number with an optional k, m, g suffix, or a percentage of
/// memory ("50%"). Checked here, so that a typo is the user's one-line error rather than
/// the kernel's EINVAL at start.
bool valid_number(std::string_view text, std::string_view suffixes, int base = 10) {
    unsigned long long number = 0;
    const auto [rest, error] =
        std::from_chars(text.data(), text.data() + text.size(), number, base);
    if (error != std::errc{} || rest == text.data()) return false;
    const std::string_view suffix(rest, static_cast<std::size_t>(text.data() + text.size() - rest));
    return suffix.empty() ||
           (suffix.size() == 1 && suffixes.find(suffix[0]) != std::string_view::npos);
}

bool valid_value(std::string_view key, std::string_view value) {
    if (key == "size") return valid_number(value, "kKmMgG%");
    if (key == "nr_inodes") return valid_number(value, "kKmMgG");
    if (key == "mode") return value.size() <= 4 && valid_number(value, "", 8);
    return valid_number(value, "");  // uid, gid
}

}  // namespace

Volume parse_tmpfs_flag(std::string_view spec) {
    const volume_spec::QuotedSpec quoted{.kind = "tmpfs", .text = spec};
    const auto colon = spec.find(':');
    const auto destination = spec.substr(0, colon);
    const auto options =
        colon == std::string_view::npos ? std::string_view{} : spec.substr(colon + 1);
    Volume volume;
    volume.destination = volume_spec::checked_destination(quoted, destination);
    volume.create_missing_source = false;
    volume.spec = std::string{spec};
    volume.type = VolumeType::tmpfs;
    if (options.empty()) return volume;
    for (const auto option : split(options, ',')) {
        const auto equals = option.find('=');
        const auto key = option.substr(0, equals);
        if (equals == std::string_view::npos &&
            std::ranges::find(kFlagOptions, key) != kFlagOptions.end()) {
            if (key == "ro") volume.read_only = true;
            if (key == "rw") volume.read_only = false;
        } else if (equals == std::string_view::npos ||
                   std::ranges::find(kValueOptions, key) == kValueOptions.end()) {
            quoted.reject("unknown tmpfs option '" + std::string{option} + "'");
        } else if (!valid_value(key, option.substr(equals + 1))) {
            quoted.reject("bad value for tmpfs option '" + std::string{option} + "'");
        }
    }
    volume.tmpfs_options = std::string{options};
    return volume;
}

}  // namespace container
