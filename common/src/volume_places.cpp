/// @file volume_places.cpp
/// @brief Destinations compared where they really are, once the image's symlinks are resolved.
#include <string>
#include <unordered_map>

#include "container/error.hpp"
#include "container/rootfs.hpp"
#include "container/volume.hpp"

namespace container {

void validate_resolved_destinations(const std::vector<Volume>& volumes, const Rootfs& rootfs) {
    // As strings, "/alias" and "/aliasdir" differ; with /alias -> /aliasdir in the image
    // they are one directory, and the second mount would hide the first.
    // Resolved paths are normal: one place is one string, found by its hash.
    std::unordered_map<std::string, std::filesystem::path> first_at;
    for (const Volume& volume : volumes) {
        std::filesystem::path place;
        try {
            place = rootfs.canonical(volume.destination);
        } catch (const std::system_error&) {
            continue;  // cannot be a mount point at all: setup_volume() says why, naming it
        }
        const auto [first, inserted] = first_at.emplace(place.native(), volume.destination);
        if (!inserted) {
            throw UsageError("duplicate mount point: " + volume.destination.string() +
                             " (same as " + first->second.string() + " in the image)");
        }
    }
}

}  // namespace container
