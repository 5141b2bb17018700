/// @file volume.cpp
/// @brief Container paths of volumes, and checks on the whole list of volumes.
#include "container/volume.hpp"

#include <climits>  // NAME_MAX, PATH_MAX

#include <algorithm>
#include <cerrno>
#include <span>
#include <unordered_set>
#include <utility>

#include "container/error.hpp"
#include "split.hpp"

namespace container {
namespace {

/// The components of @p path once "", "." and ".." are folded away; ".." at the top
/// is dropped, as the kernel does for "/..".
std::vector<std::string_view> normal_components(std::string_view path) {
    std::vector<std::string_view> kept;
    for (const auto component : split(path, '/')) {
        if (component.empty() || component == ".") continue;
        if (component == "..") {
            if (!kept.empty()) kept.pop_back();
            continue;
        }
        kept.push_back(component);
    }
    return kept;
}

}  // namespace

std::filesystem::path normalise_destination(std::string_view path) {
    if (!path.starts_with('/')) {
        throw UsageError("mount path must be absolute: " + std::string{path});
    }
    // Done by hand: std::filesystem::path::lexically_normal() keeps a trailing slash
    // and lets ".." climb out of the root of a relative result.
    std::string normal;
    for (const auto component : normal_components(path)) {
        normal += '/';
        normal += component;
    }
    return normal.empty() ? "/" : normal;
}

std::size_t path_depth(const std::filesystem::path& path) {
    // Iterating "/a/b" yields "/", "a", "b": the root has no file name.
    return static_cast<std::size_t>(std::ranges::count_if(
        path, [](const std::filesystem::path& component) { return component.has_filename(); }));
}

bool is_within(const std::filesystem::path& inner, const std::filesystem::path& outer) {
    // Compared component by component: as strings, "/ab" would start with "/a".
    const auto inner_components = normal_components(inner.native());
    const auto outer_components = normal_components(outer.native());
    return outer_components.size() <= inner_components.size() &&
           std::ranges::equal(outer_components,
                              std::span(inner_components).first(outer_components.size()));
}

void validate_volumes(const std::vector<Volume>& volumes) {
    // Two mounts on one destination: the second would hide the first (Docker refuses it
    // too, "Duplicate mount point"), whatever their modes.
    // Normalised, equal paths are equal strings: hashed, not compared name by name.
    std::unordered_set<std::string> destinations;
    for (const auto& volume : volumes) {
        auto destination = normalise_destination(volume.destination.native());
        if (!destinations.insert(destination.native()).second) {
            throw UsageError("duplicate mount point: " + destination.string());
        }
    }
}

void rethrow_for_volume(const Volume& volume, const std::system_error& error) {
    std::string message = "volume '" + volume.spec + "': " + error.what();
    if (error.code().value() == ENAMETOOLONG) {
        message += " (a name holds at most " + std::to_string(NAME_MAX) + " bytes, a path " +
                   std::to_string(PATH_MAX) + ")";
    }
    throw ContextError(error.code(), std::move(message));
}

std::vector<Volume> sort_parents_first(std::vector<Volume> volumes) {
    // A parent mounted after its child would hide it; stable, so that the user's
    // order holds among siblings. Each depth is counted once, not at every comparison
    // (a thousand volumes take some ten thousand comparisons).
    std::vector<std::pair<std::size_t, std::size_t>> order;  // depth, index
    order.reserve(volumes.size());
    for (std::size_t i = 0; i < volumes.size(); ++i) {
        order.emplace_back(path_depth(volumes[i].destination), i);
    }
    std::ranges::stable_sort(order, std::less{}, &std::pair<std::size_t, std::size_t>::first);
    std::vector<Volume> sorted;
    sorted.reserve(volumes.size());
    for (const auto& [depth, index] : order) sorted.push_back(std::move(volumes[index]));
    return sorted;
}

}  // namespace container
