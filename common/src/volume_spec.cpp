/// @file volume_spec.cpp
/// @brief The rules that `-v` and `--mount` specs share.
#include "volume_spec.hpp"

#include "container/error.hpp"

namespace container::volume_spec {

void QuotedSpec::reject(std::string_view problem) const {
    std::string message =
        "invalid " + std::string{kind} + " specification: '" + std::string{text} + "'";
    if (!problem.empty()) message += ": " + std::string{problem};
    throw UsageError(message);
}

std::filesystem::path checked_destination(const QuotedSpec& spec, std::string_view destination) {
    if (destination.empty()) spec.reject("field Target must not be empty");
    // A relative destination means nothing inside a container whose root is not known yet.
    if (!destination.starts_with('/')) spec.reject("mount path must be absolute");
    auto normal_destination = normalise_destination(destination);
    // A volume on "/" would hide the whole image, and pivot_root needs the image there.
    if (normal_destination == "/") spec.reject("destination can't be '/'");
    return normal_destination;
}

Volume checked_named_volume(const QuotedSpec& spec, std::string_view name,
                            std::string_view destination, bool read_only, bool copy_up) {
    if (!name.empty() && !valid_volume_name(name)) spec.reject(volume_name_problem(name));
    // An anonymous volume starts empty (or with the image's files) and nobody else can
    // write to it: read-only would make it useless, and Docker refuses it.
    if (name.empty() && read_only) {
        spec.reject("must not set ReadOnly mode when using anonymous volumes");
    }
    Volume volume;
    volume.destination = checked_destination(spec, destination);
    volume.read_only = read_only;
    volume.create_missing_source = false;
    volume.spec = std::string{spec.text};
    volume.type = name.empty() ? VolumeType::anonymous : VolumeType::named;
    volume.name = std::string{name};
    volume.copy_up = copy_up;
    return volume;
}

Volume checked_volume(const QuotedSpec& spec, std::string_view source, std::string_view destination,
                      bool read_only, bool create_missing_source) {
    // A relative source would depend on the runtime's working directory.
    if (!source.starts_with('/')) spec.reject("source path must be absolute");
    auto normal_destination = checked_destination(spec, destination);

    Volume volume;
    // The source follows the same lexical rules as a destination; its symlinks are left
    // alone, they are the host's to resolve when it is mounted.
    volume.source = normalise_destination(source);
    volume.destination = std::move(normal_destination);
    volume.read_only = read_only;
    volume.create_missing_source = create_missing_source;
    volume.spec = std::string{spec.text};
    return volume;
}

}  // namespace container::volume_spec

namespace container {

bool valid_volume_name(std::string_view name) {
    // Docker's rule, and a name is one directory entry under volumes/ (NAME_MAX).
    const auto allowed = [](char c, bool first) {
        const bool alphanumeric =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        return alphanumeric || (!first && (c == '_' || c == '.' || c == '-'));
    };
    if (name.size() < 2 || name.size() > 255) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (!allowed(name[i], i == 0)) return false;
    }
    return true;
}

std::string volume_name_problem(std::string_view name) {
    // Docker's words: a relative path meant as a host directory is the usual reason.
    return "invalid volume name '" + std::string{name} +
           "': only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed, two characters at least; "
           "if you intended to pass a host directory, use an absolute path";
}

}  // namespace container
