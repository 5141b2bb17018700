/// @file volume_spec.hpp
/// @brief What `-v` and `--mount` specs have in common (internal header).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "container/volume.hpp"

namespace container::volume_spec {

/// A spec being parsed, kept so that every error about it quotes it whole.
struct QuotedSpec {
    std::string_view kind;  ///< "volume" for -v, "mount" for --mount
    std::string_view text;  ///< the spec as the user wrote it

    /// Throws UsageError "invalid <kind> specification: '<text>'", followed by
    /// ": <problem>" when a problem is named.
    [[noreturn]] void reject(std::string_view problem = {}) const;
};

/// Applies the rules that -v and --mount share (Docker's): both paths absolute, the
/// destination not "/", both normalised lexically.
/// @throws UsageError quoting @p spec.
[[nodiscard]] Volume checked_volume(const QuotedSpec& spec, std::string_view source,
                                    std::string_view destination, bool read_only,
                                    bool create_missing_source);

/// The destination rules alone (absolute, not "/"), for volumes without a host path.
/// @return the destination, normalised.
/// @throws UsageError quoting @p spec.
[[nodiscard]] std::filesystem::path checked_destination(const QuotedSpec& spec,
                                                        std::string_view destination);

/// A named volume (@p name not empty) or an anonymous one (@p name empty: a random name is
/// given when the container starts). The name must follow Docker's rule.
/// @throws UsageError quoting @p spec.
[[nodiscard]] Volume checked_named_volume(const QuotedSpec& spec, std::string_view name,
                                          std::string_view destination, bool read_only,
                                          bool copy_up);

}  // namespace container::volume_spec
