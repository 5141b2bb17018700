/// @file cli.cpp
/// @brief Parsing the command line of `container`.
#include "container/cli.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <climits>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "container/error.hpp"
#include "container/image.hpp"

namespace container {
namespace {

enum class OptionId {
    help,
    volume,
    mount,
    hostname,
    cap_add,
    cap_drop,
    privileged,
    stop_timeout,
    layer_size,
    tmpfs,
    remove
};

/// One option a command accepts.
struct OptionDefinition {
    OptionId id;
    char short_name;             ///< '\0' when there is no short form
    std::string_view long_name;  ///< without the leading "--"
    bool takes_value;            ///< false for a flag (--help, --privileged)
};

constexpr OptionDefinition kHelpOption{OptionId::help, 'h', "help", false};
constexpr std::array kHelpOnly{kHelpOption};
constexpr std::array kRunOptions{
    kHelpOption,
    OptionDefinition{OptionId::volume, 'v', "volume", true},
    OptionDefinition{OptionId::mount, '\0', "mount", true},
    OptionDefinition{OptionId::hostname, '\0', "hostname", true},
    OptionDefinition{OptionId::cap_add, '\0', "cap-add", true},
    OptionDefinition{OptionId::cap_drop, '\0', "cap-drop", true},
    OptionDefinition{OptionId::privileged, '\0', "privileged", false},
    OptionDefinition{OptionId::stop_timeout, '\0', "stop-timeout", true},
    OptionDefinition{OptionId::layer_size, '\0', "layer-size", true},
    OptionDefinition{OptionId::tmpfs, '\0', "tmpfs", true},
    OptionDefinition{OptionId::remove, '\0', "rm", false},
};

/// An option found on the command line (-h/--help is not kept: it ends the scan).
struct GivenOption {
    OptionId id;
    std::string value;  ///< empty for a flag
};

/// The arguments of one command, split into options and operands.
struct ScannedArguments {
    bool help = false;
    std::vector<GivenOption> options;   ///< in command-line order
    std::vector<std::string> operands;  ///< from the first non-option on
};

/// An option named on the command line, and the value written in the same argument.
struct NamedOption {
    OptionDefinition definition;
    std::optional<std::string> attached_value;
};

/// "--name" or "--name=value".
NamedOption find_long_option(const std::string& argument, std::span<const OptionDefinition> known) {
    const auto equals = argument.find('=');
    const auto name = std::string_view{argument}.substr(2, equals - 2);
    const auto option = std::ranges::find(known, name, &OptionDefinition::long_name);
    if (option == known.end()) throw UsageError("unknown option: " + argument.substr(0, equals));
    if (equals == std::string::npos) return {*option, std::nullopt};
    if (!option->takes_value) {
        throw UsageError("option --" + std::string{name} + " takes no value");
    }
    return {*option, argument.substr(equals + 1)};
}

/// "-x", or "-xVALUE" for an option that takes a value.
NamedOption find_short_option(const std::string& argument,
                              std::span<const OptionDefinition> known) {
    const auto option = std::ranges::find(known, argument[1], &OptionDefinition::short_name);
    const bool attached = argument.size() > 2;
    // Flags are not bundled ("-hv"): with no flag but -h, bundling would buy nothing.
    if (option == known.end() || (attached && !option->takes_value)) {
        throw UsageError("unknown option: " + argument);
    }
    if (!attached) return {*option, std::nullopt};
    return {*option, argument.substr(2)};
}

bool is_option(const std::string& argument) {
    // A lone "-" is an operand by convention (it often means standard input).
    return argument.size() > 1 && argument.starts_with('-');
}

/// Reads options up to the first operand, as POSIX utilities do: what comes after the
/// operand is left alone, so that `run IMAGE ls -l` hands "-l" to ls. "--" ends the
/// options too. Stops at -h/--help; as values are checked only after the scan, help is
/// given even when an option before it has a bad value.
ScannedArguments scan_arguments(std::span<const std::string> arguments,
                                std::span<const OptionDefinition> known) {
    ScannedArguments scanned;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const auto& argument = arguments[i];
        if (argument == "--" || !is_option(argument)) {
            const auto first_operand = argument == "--" ? i + 1 : i;
            scanned.operands.assign(arguments.begin() + static_cast<std::ptrdiff_t>(first_operand),
                                    arguments.end());
            break;
        }
        auto [option, value] = argument.starts_with("--") ? find_long_option(argument, known)
                                                          : find_short_option(argument, known);
        if (option.id == OptionId::help) {
            scanned.help = true;
            break;
        }
        if (!option.takes_value) {
            scanned.options.push_back({option.id, ""});
            continue;
        }
        if (!value) {
            // The next argument is the value even when it starts with '-', as with getopt.
            if (i + 1 == arguments.size()) {
                throw UsageError("option " + argument + " needs a value");
            }
            value = arguments[++i];
        }
        scanned.options.push_back({option.id, std::move(*value)});
    }
    return scanned;
}

bool is_ascii_alphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool consists_of(std::string_view text, std::string_view punctuation) {
    return std::ranges::all_of(text, [punctuation](char c) {
        return is_ascii_alphanumeric(c) || punctuation.find(c) != std::string_view::npos;
    });
}

/// sethostname(2) takes at most HOST_NAME_MAX (64) bytes; the characters are those
/// of DNS names (RFC 1123), which every resolver and shell prompt copes with.
const std::string& checked_hostname(const std::string& name) {
    if (name.empty() || name.size() > HOST_NAME_MAX || !consists_of(name, "-.")) {
        throw UsageError("invalid hostname: '" + name + "'");
    }
    return name;
}

/// The name becomes a directory under images/, so it is checked here, before anything
/// is unpacked.
const std::string& checked_image_name(const std::string& name) {
    if (!valid_image_name(name)) {
        throw UsageError("invalid image name: '" + name + "'");
    }
    return name;
}

/// The largest --layer-size: 2^63 bytes, more than any machine has. tmpfs rounds the size
/// up to whole pages, and in the last page below 2^64 that count wraps to 0, which it
/// reads as "no limit".
constexpr std::uint64_t kLargestLayer = std::uint64_t{1} << 63;

/// --layer-size: a whole number of bytes, or of KiB, MiB or GiB with a k, m or g suffix
/// (either case), the units of tmpfs' size= option. Not 0, which tmpfs reads as "no limit".
std::uint64_t parse_layer_size(const std::string& text) {
    const auto reject = [&text](std::string_view why) {
        throw UsageError("invalid --layer-size: '" + text + "': " + std::string{why} +
                         " (a size such as 64m or 2g: bytes, or k, m or g for KiB, MiB or GiB)");
    };
    std::uint64_t number = 0;
    const char* const end = text.data() + text.size();
    const auto [rest, error] = std::from_chars(text.data(), end, number);
    if (error == std::errc::result_out_of_range) reject("too large");
    if (error != std::errc{} || rest == text.data()) reject("not a number");
    const std::string_view suffix(rest, static_cast<std::size_t>(end - rest));
    int shift = 0;
    if (suffix == "k" || suffix == "K")
        shift = 10;
    else if (suffix == "m" || suffix == "M")
        shift = 20;
    else if (suffix == "g" || suffix == "G")
        shift = 30;
    else if (!suffix.empty())
        reject("unknown unit");
    if (number == 0) reject("the layer needs room");
    if (number > (kLargestLayer >> shift)) reject("too large");
    return number << shift;
}

/// --stop-timeout: whole seconds, or -1 for no limit (as Docker's).
std::optional<std::chrono::seconds> parse_stop_timeout(const std::string& text) {
    int seconds = 0;
    const char* const end = text.data() + text.size();
    const auto [rest, error] = std::from_chars(text.data(), end, seconds);
    if (error != std::errc{} || rest != end || seconds < -1) {
        throw UsageError("invalid --stop-timeout: '" + text +
                         "' (whole seconds, 0 or more, or -1 to wait for ever)");
    }
    if (seconds == -1) return std::nullopt;
    return std::chrono::seconds{seconds};
}

Command parse_run(std::span<const std::string> arguments) {
    const auto scanned = scan_arguments(arguments, kRunOptions);
    if (scanned.help) return HelpRequest{run_help()};

    RunOptions run;
    std::vector<std::string> added_capabilities;
    std::vector<std::string> dropped_capabilities;
    for (const auto& [id, value] : scanned.options) {
        switch (id) {
            case OptionId::volume:
                run.volumes.push_back(parse_volume_flag(value));
                break;
            case OptionId::mount:
                run.volumes.push_back(parse_mount_flag(value));
                break;
            case OptionId::hostname:
                run.hostname = checked_hostname(value);
                break;
            case OptionId::cap_add:
                added_capabilities.push_back(value);
                break;
            case OptionId::cap_drop:
                dropped_capabilities.push_back(value);
                break;
            case OptionId::privileged:
                run.privileged = true;
                break;
            case OptionId::stop_timeout:
                run.stop_timeout = parse_stop_timeout(value);
                break;
            case OptionId::layer_size:
                run.layer_size = parse_layer_size(value);
                break;
            case OptionId::tmpfs:
                run.volumes.push_back(parse_tmpfs_flag(value));
                break;
            case OptionId::remove:
                run.remove = true;
                break;
            case OptionId::help:
                break;  // scan_arguments() returned early
        }
    }
    // Checked even with --privileged (which gives every capability): a typo is an error.
    run.capabilities = command_capabilities(added_capabilities, dropped_capabilities);
    if (!run.privileged && could_take_over_init(run.capabilities)) {
        throw UsageError(
            "CAP_SYS_PTRACE without every other capability: the command could take over the "
            "container's init, which keeps them all (to unmount the volumes); give every "
            "capability knowingly (--cap-add ALL or --privileged), or drop SYS_PTRACE");
    }
    if (scanned.operands.empty()) throw UsageError("run: missing IMAGE");
    if (scanned.operands.size() == 1) throw UsageError("run: missing CMD");
    validate_volumes(run.volumes);
    run.image = scanned.operands.front();
    run.command.assign(scanned.operands.begin() + 1, scanned.operands.end());
    return run;
}

Command parse_import(std::span<const std::string> arguments) {
    const auto scanned = scan_arguments(arguments, kHelpOnly);
    // import has no help of its own: its usage line is in the general help.
    if (scanned.help) return HelpRequest{general_help()};

    const auto& operands = scanned.operands;
    if (operands.empty()) throw UsageError("import: missing TARBALL");
    if (operands.size() == 1) throw UsageError("import: missing NAME");
    if (operands.size() > 2) throw UsageError("import: unexpected argument: " + operands[2]);
    return ImportOptions{.tarball = operands[0], .name = checked_image_name(operands[1])};
}

Command parse_cleanup(std::span<const std::string> arguments) {
    const auto scanned = scan_arguments(arguments, kHelpOnly);
    if (scanned.help) return HelpRequest{general_help()};
    if (!scanned.operands.empty()) {
        throw UsageError("cleanup: unexpected argument: " + scanned.operands.front());
    }
    return CleanupOptions{};
}

}  // namespace

Command parse_command_line(const std::vector<std::string>& arguments) {
    const auto scanned = scan_arguments(arguments, kHelpOnly);
    if (scanned.help) return HelpRequest{general_help()};
    if (scanned.operands.empty()) throw UsageError("missing command (try 'container --help')");

    const auto& command = scanned.operands.front();
    const auto command_arguments = std::span(scanned.operands).subspan(1);
    if (command == "run") return parse_run(command_arguments);
    if (command == "import") return parse_import(command_arguments);
    if (command == "cleanup") return parse_cleanup(command_arguments);
    // The volume commands read their own arguments (volume_command.cpp).
    if (command == "volume") {
        return VolumeOptions{.arguments = {command_arguments.begin(), command_arguments.end()}};
    }
    throw UsageError("unknown command: " + command + " (try 'container --help')");
}

}  // namespace container
