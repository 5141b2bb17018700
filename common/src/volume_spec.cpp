/// @file volume_spec.cpp
/// @brief The rules that `-v` and `--mount` specs share.
#include "volume_spec.hpp"

#include "container/error.hpp"

namespace container::volume_spec {

void QuotedSpec::reject(std::string_view problem) const {
    std::string message = "invalid " + std::string{kind} + " specification: '" +
                          std::string{text} + "'";
    if (!problem.empty()) message += ": " + std::string{problem};
    throw UsageError(message);
}

Volume checked_volume(const QuotedSpec& spec, std::string_view source,
                      std::string_view destination, bool read_only,
                      bool create_missing_source) {
    // A relative source would depend on the runtime's working directory, and a relative
    // destination means nothing inside a container whose root is not known yet.
    if (!source.starts_with('/')) spec.reject("source path must be absolute");
    if (!destination.starts_with('/')) spec.reject("mount path must be absolute");

    auto normal_destination = normalise_destination(destination);
    // A volume on "/" would hide the whole image, and pivot_root needs the image there.
    if (normal_destination == "/") spec.reject("destination can't be '/'");

    return Volume{
        // The source follows the same lexical rules as a destination; its symlinks are
        // left alone, they are the host's to resolve when it is mounted.
        .source = normalise_destination(source),
        .destination = std::move(normal_destination),
        .read_only = read_only,
        .create_missing_source = create_missing_source,
        .spec = std::string{spec.text},
    };
}

}  // namespace container::volume_spec
