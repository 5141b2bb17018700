/// @file mountinfo.hpp
/// @brief Reading /proc/self/mountinfo, the kernel's view of this mount namespace.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace container {

/// One line of /proc/PID/mountinfo (see proc(5)).
struct MountInfo {
    std::uint64_t mount_id = 0;         ///< unique id of the mount
    std::uint64_t parent_id = 0;        ///< id of the mount it sits on
    std::string device;                 ///< "major:minor"
    std::filesystem::path root;         ///< path of the mounted directory inside its file system
    std::filesystem::path mount_point;  ///< where it is mounted, relative to the process root
    std::string options;                ///< per-mount options, e.g. "rw,relatime"
    std::vector<std::string> optional;  ///< optional fields, e.g. "shared:1", "master:2"
    std::string fs_type;                ///< e.g. "ext4", "tmpfs"
    std::string source;                 ///< e.g. "/dev/vda", "tmpfs"
    std::string super_options;          ///< per-superblock options

    /// True when the per-mount options include "ro".
    [[nodiscard]] bool read_only() const;
    /// "shared", "slave" (master), "shared,slave", or "private" from the optional fields.
    [[nodiscard]] std::string propagation() const;
};

/// Undoes the kernel's octal escapes: "\040" is a space, "\011" a tab,
/// "\012" a newline, "\134" a backslash.
[[nodiscard]] std::string unescape_mount_path(std::string_view escaped);

/// Parses one mountinfo line.
/// @throws std::invalid_argument naming the line when it is malformed.
[[nodiscard]] MountInfo parse_mountinfo_line(std::string_view line);

/// Reads and parses a whole mountinfo file (default: this process's).
[[nodiscard]] std::vector<MountInfo> read_mountinfo(
    const std::filesystem::path& file = "/proc/self/mountinfo");

}  // namespace container
