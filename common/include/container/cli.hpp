/// @file cli.hpp
/// @brief The command line of `container`.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "container/capabilities.hpp"
#include "container/volume.hpp"

namespace container {

/// `container run [OPTIONS] IMAGE CMD [ARG...]` (see run_help() for the options).
struct RunOptions {
    std::vector<Volume> volumes;         ///< in command-line order, validated
    std::string hostname = "container";  ///< the container's UTS hostname
    /// What the command may do as root (--cap-add, --cap-drop); ignored when privileged.
    CapabilitySet capabilities = default_capabilities();
    /// --privileged: every capability, and /proc unmasked, as on the host.
    bool privileged = false;
    /// How long a command gets to exit after a forwarded SIGTERM or SIGINT before it is
    /// killed (--stop-timeout); std::nullopt (-1) waits for ever.
    std::optional<std::chrono::seconds> stop_timeout = std::chrono::seconds{10};
    /// The most the container's own writable layer may hold, in bytes (--layer-size).
    std::uint64_t layer_size = std::uint64_t{1} << 30;
    /// --rm: the run's anonymous volumes (`-v /dst`) are removed when it ends.
    bool remove = false;
    std::string image;                 ///< a name under images/ or a path to a rootfs
    std::vector<std::string> command;  ///< CMD and its arguments (never empty)
};

/// `container import TARBALL NAME`
struct ImportOptions {
    std::filesystem::path tarball;  ///< a rootfs tarball (Alpine minirootfs, `docker export`)
    std::string name;               ///< the image name under images/
};

/// `container cleanup`: finish what runs killed before their cleanup left on the host.
struct CleanupOptions {};

/// `container volume COMMAND ...` (run_volume_command() reads the arguments).
struct VolumeOptions {
    std::vector<std::string> arguments;  ///< after "volume"
};

/// `--help` anywhere: print the help text on stdout and exit 0.
struct HelpRequest {
    std::string text;  ///< the help text to print
};

/// One parsed command line.
using Command = std::variant<RunOptions, ImportOptions, CleanupOptions, VolumeOptions, HelpRequest>;

/// Parses the arguments after argv[0].
/// @throws UsageError with a message that names the bad argument or spec.
[[nodiscard]] Command parse_command_line(const std::vector<std::string>& arguments);

/// Usage text of `container --help`.
[[nodiscard]] std::string general_help();
/// Usage text of `container run --help`.
[[nodiscard]] std::string run_help();

}  // namespace container
