/// @file image.hpp
/// @brief Where images live, and importing one from a tarball.
#pragma once

#include <filesystem>
#include <string_view>

namespace container {

/// The directory that holds named images: $CONTAINER_IMAGES when set, otherwise the
/// checkout's `images/` (fixed when the runtime is built).
[[nodiscard]] std::filesystem::path images_directory();

/// True for a valid image name: a letter or digit, then letters, digits, '.', '_' or
/// '-', at most 128 characters. No '/', so a name cannot leave images/, and no leading
/// '.', so neither "." nor ".." passes.
[[nodiscard]] bool valid_image_name(std::string_view name);

/// Turns IMAGE into a rootfs directory: a path (it contains a "/") is used as it is,
/// a name is looked up under images_directory().
/// @throws std::system_error naming the image when the directory does not exist.
[[nodiscard]] std::filesystem::path resolve_image(std::string_view image);

/// Unpacks a rootfs tarball into images_directory()/@p name (which must not exist yet).
/// @throws UsageError for a bad name, std::system_error when unpacking fails
///         (a partly unpacked image is removed).
void import_image(const std::filesystem::path& tarball, std::string_view name);

}  // namespace container
