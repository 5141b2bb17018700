/// @file volume_command.cpp
/// @brief `container volume create|ls|inspect|rm|prune`, with Docker's output.
#include <iostream>
#include <string>
#include <vector>

#include "container/error.hpp"
#include "container/named_volume_steps.hpp"
#include "container/volume_store.hpp"
#include "failure_message.hpp"

namespace container {
namespace {

constexpr std::string_view kVolumeUsage =
    "Usage: container volume COMMAND\n"
    "\n"
    "Named volumes: data the runtime keeps in $CONTAINER_ROOT/volumes/NAME/_data\n"
    "(default /var/lib/container), used with `run -v NAME:/dst` or\n"
    "`run --mount type=volume,source=NAME,target=/dst`.\n"
    "\n"
    "Commands:\n"
    "  create [NAME]      create a volume (a random name when none is given); prints its name\n"
    "  ls                 list the volumes\n"
    "  inspect NAME...    show volumes as JSON: name, mountpoint, created, in use by\n"
    "  rm NAME...         remove volumes no running container uses\n"
    "  prune [-a|--all]   remove the anonymous volumes no container uses (-a: every unused one)\n";

std::string json_string(std::string_view text) {
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
    }
    return quoted + "\"";
}

std::string inspect_json(const VolumeInfo& info) {
    std::string users;
    for (const auto pid : info.in_use_by)
        users += (users.empty() ? "" : ", ") + std::to_string(pid);
    return "    {\n"
           "        \"Name\": " +
           json_string(info.name) +
           ",\n"
           "        \"Driver\": \"local\",\n"
           "        \"Mountpoint\": " +
           json_string(info.mountpoint.string()) +
           ",\n"
           "        \"CreatedAt\": " +
           json_string(info.created) +
           ",\n"
           "        \"Anonymous\": " +
           (info.anonymous ? "true" : "false") +
           ",\n"
           "        \"InUseBy\": [" +
           users +
           "]\n"
           "    }";
}

/// Runs @p action for each name; a failure is one line and the others still go on.
template <typename Action>
int for_each_name(const std::vector<std::string>& names, Action action) {
    int status = 0;
    for (const auto& name : names) {
        try {
            action(name);
        } catch (const std::exception& error) {
            print_error(failure_message(error));
            status = 1;
        }
    }
    return status;
}

int volume_command(const std::vector<std::string>& arguments) {
    if (arguments.empty() || arguments[0] == "--help" || arguments[0] == "-h") {
        std::cout << kVolumeUsage;
        return arguments.empty() ? 1 : 0;
    }
    const auto& command = arguments[0];
    const std::vector<std::string> operands(arguments.begin() + 1, arguments.end());
    const auto volumes = volumes_directory();
    if (command == "create") {
        if (operands.size() > 1) throw UsageError("volume create: at most one NAME");
        const auto name = operands.empty() ? random_volume_name() : operands[0];
        (void)create_named_volume(volumes, name,
                                  /*anonymous=*/false);  // existing: fine, as Docker's
        std::cout << name << '\n';
        return 0;
    }
    if (command == "ls" || command == "list") {
        if (!operands.empty()) throw UsageError("volume ls: unexpected argument: " + operands[0]);
        std::cout << "DRIVER    VOLUME NAME\n";
        for (const auto& name : list_volumes(volumes)) std::cout << "local     " << name << '\n';
        return 0;
    }
    if (operands.empty() && command != "prune") {
        throw UsageError("volume " + command + ": missing NAME");
    }
    if (command == "inspect") {
        std::vector<std::string> shown;
        const int status = for_each_name(operands, [&](const std::string& name) {
            shown.push_back(inspect_json(inspect_volume(volumes, name)));
        });
        std::cout << "[\n";
        for (std::size_t i = 0; i < shown.size(); ++i) {
            std::cout << shown[i] << (i + 1 < shown.size() ? ",\n" : "\n");
        }
        std::cout << "]\n";
        return status;
    }
    if (command == "rm" || command == "remove") {
        return for_each_name(operands, [&](const std::string& name) {
            remove_volume(volumes, name);
            std::cout << name << '\n';
        });
    }
    if (command == "prune") {
        const bool all = operands.size() == 1 && (operands[0] == "-a" || operands[0] == "--all");
        if (!operands.empty() && !all)
            throw UsageError("volume prune: unexpected argument: " + operands[0]);
        std::cout << "Deleted Volumes:\n";
        for (const auto& name : list_volumes(volumes)) {
            if (!all && !inspect_volume(volumes, name).anonymous) continue;
            try {
                remove_volume(volumes, name);
                std::cout << name << '\n';
            } catch (const std::system_error& error) {
                if (error.code().value() != EBUSY && error.code().value() != ENOENT) throw;
            }
        }
        return 0;
    }
    throw UsageError("unknown volume command: " + command + " (try 'container volume --help')");
}

}  // namespace

int run_volume_command(const std::vector<std::string>& arguments) {
    // Docker's volume commands exit 1 on failure (125 is for `run`).
    try {
        return volume_command(arguments);
    } catch (const std::exception& error) {
        print_error(failure_message(error));
        return 1;
    }
}

}  // namespace container
