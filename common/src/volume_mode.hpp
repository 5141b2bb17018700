/// @file volume_mode.hpp
/// @brief The MODE field of `-v SRC:DST:MODE`, read as Docker reads it (internal header).
#pragma once

#include <optional>
#include <string_view>

#include "container/volume.hpp"

namespace container {

/// What a MODE field asks for. Docker's words, comma-separated, each kind at most once:
/// `ro`/`rw`; a propagation (`[r]shared`, `[r]slave`, `[r]private`); an SELinux label
/// (`z`, `Z`: accepted, and nothing to do on a host without SELinux); `nocopy`; and the
/// macOS consistency words (`consistent`, `cached`, `delegated`: nothing to do on Linux).
struct VolumeMode {
    bool read_only = false;                  ///< `ro`
    std::optional<Propagation> propagation;  ///< a propagation word, when one was given
    bool nocopy = false;                     ///< `nocopy`: no copy-up into a named volume
};

/// The mode @p text asks for, or std::nullopt when Docker would call it invalid. The
/// empty mode is valid (rw, nothing else).
[[nodiscard]] std::optional<VolumeMode> parse_volume_mode(std::string_view text);

/// The propagation named by Docker's word @p word ("rshared"), or std::nullopt.
[[nodiscard]] std::optional<Propagation> propagation_named(std::string_view word);

/// Docker's word for @p propagation.
[[nodiscard]] std::string_view propagation_word(Propagation propagation);

}  // namespace container
