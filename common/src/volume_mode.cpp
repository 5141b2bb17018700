/// @file volume_mode.cpp
/// @brief Reading the MODE field of `-v` the way Docker does.
#include "volume_mode.hpp"

#include <array>

#include "split.hpp"

namespace container {
namespace {

struct PropagationWord {
    std::string_view word;
    Propagation propagation;
};

constexpr std::array kPropagationWords{
    PropagationWord{"rprivate", Propagation::rprivate},
    PropagationWord{"private", Propagation::private_},
    PropagationWord{"rshared", Propagation::rshared},
    PropagationWord{"shared", Propagation::shared},
    PropagationWord{"rslave", Propagation::rslave},
    PropagationWord{"slave", Propagation::slave},
};

/// How many words of each kind a mode holds: more than one of a kind contradicts itself
/// ("ro,rw", "rshared,rslave") and is refused, as Docker refuses it.
struct WordCounts {
    int access = 0, label = 0, propagation = 0, copy = 0, consistency = 0;
};

}  // namespace

std::optional<Propagation> propagation_named(std::string_view word) {
    for (const auto& entry : kPropagationWords) {
        if (entry.word == word) return entry.propagation;
    }
    return std::nullopt;
}

std::string_view propagation_word(Propagation propagation) {
    for (const auto& entry : kPropagationWords) {
        if (entry.propagation == propagation) return entry.word;
    }
    return "rprivate";
}

std::optional<VolumeMode> parse_volume_mode(std::string_view text) {
    VolumeMode mode;
    if (text.empty()) return mode;
    WordCounts counts;
    for (const auto word : split(text, ',')) {
        if (word == "ro" || word == "rw") {
            ++counts.access;
            mode.read_only = word == "ro";
        } else if (word == "z" || word == "Z") {
            // SELinux relabelling: without SELinux there is no label to set.
            ++counts.label;
        } else if (const auto propagation = propagation_named(word)) {
            ++counts.propagation;
            mode.propagation = propagation;
        } else if (word == "nocopy") {
            ++counts.copy;
            mode.nocopy = true;
        } else if (word == "consistent" || word == "cached" || word == "delegated") {
            // Docker Desktop's file-sharing hints: a Linux bind mount is always consistent.
            ++counts.consistency;
        } else {
            return std::nullopt;
        }
    }
    const bool repeated = counts.access > 1 || counts.label > 1 || counts.propagation > 1 ||
                          counts.copy > 1 || counts.consistency > 1;
    if (repeated) return std::nullopt;
    return mode;
}

}  // namespace container
