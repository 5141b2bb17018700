/// @file main.cpp
/// @brief The `container` command, the workshop's runtime: `container --help` says how
///        to use it.
#include <iostream>
#include <string>
#include <variant>
#include <vector>

#include "container/cli.hpp"
#include "container/error.hpp"
#include "container/image.hpp"
#include "container/runtime.hpp"
#include "container/volume_store.hpp"
#include "failure_message.hpp"
#include "journal.hpp"

namespace {

/// Runs one parsed command line; returns the exit status.
struct Dispatch {
    int operator()(const container::HelpRequest& help) const {
        std::cout << help.text;
        if (!help.text.empty() && help.text.back() != '\n') {
            std::cout << '\n';
        }
        std::cout.flush();
        return 0;
    }
    int operator()(const container::ImportOptions& options) const {
        container::import_image(options.tarball, options.name);
        return 0;
    }
    int operator()(const container::CleanupOptions& /*options*/) const {
        return container::cleanup_killed_runs();
    }
    int operator()(const container::VolumeOptions& options) const {
        return container::run_volume_command(options.arguments);
    }
    int operator()(const container::RunOptions& options) const {
        return container::run_container(options);
    }
};

}  // namespace

int main(int argc, char** argv) {
    // Every failure of the runtime itself ends here, once: one line, exit status 125.
    try {
        const std::vector<std::string> arguments(argv + 1, argv + argc);
        return std::visit(Dispatch{}, container::parse_command_line(arguments));
    } catch (const std::exception& error) {
        // UsageError, std::system_error, NotImplemented (with a hint), anything else.
        container::print_error(container::failure_message(error));
    } catch (...) {
        container::print_error("unknown error");
    }
    return container::kExitRuntimeError;
}
