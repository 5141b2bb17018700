/// @file command.cpp
/// @brief Starting the user's command inside the container.
#include "command.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>

#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include "container/error.hpp"

extern char** environ;

namespace container {

namespace {

/// posix_spawn attributes and file actions, released on every path out.
class SpawnSettings {
public:
    SpawnSettings() {
        posix_spawnattr_init(&attributes_);
        posix_spawn_file_actions_init(&actions_);
    }
    SpawnSettings(const SpawnSettings&) = delete;
    SpawnSettings& operator=(const SpawnSettings&) = delete;
    ~SpawnSettings() {
        posix_spawn_file_actions_destroy(&actions_);
        posix_spawnattr_destroy(&attributes_);
    }
    posix_spawnattr_t* attributes() { return &attributes_; }
    posix_spawn_file_actions_t* actions() { return &actions_; }

private:
    posix_spawnattr_t attributes_{};
    posix_spawn_file_actions_t actions_{};
};

}  // namespace

void use_container_environment(const std::string& hostname) {
    const char* term = std::getenv("TERM");
    const std::string kept_term = term != nullptr ? term : "";
    ::clearenv();
    ::setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
    ::setenv("HOME", "/root", 1);
    ::setenv("HOSTNAME", hostname.c_str(), 1);
    if (!kept_term.empty()) ::setenv("TERM", kept_term.c_str(), 1);
}

StartedCommand start_command(const std::vector<std::string>& command) {
    std::vector<char*> argv;
    argv.reserve(command.size() + 1);
    for (const auto& argument : command) {
        argv.push_back(const_cast<char*>(argument.c_str()));
    }
    argv.push_back(nullptr);

    // The init blocks the signals it forwards; the command starts with none blocked,
    // and with every disposition at its default (an inherited SIG_IGN included).
    SpawnSettings settings;
    sigset_t none;
    sigset_t all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(settings.attributes(), &none);
    posix_spawnattr_setsigdefault(settings.attributes(), &all);
    posix_spawnattr_setflags(settings.attributes(), POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    // Only 0, 1 and 2 go to the command: a descriptor of a host directory, inherited
    // from whoever started the runtime, would lead out of the container.
    posix_spawn_file_actions_addclosefrom_np(settings.actions(), 3);

    // posix_spawnp rather than fork + execvp: it shares our memory until the exec
    // (vfork) instead of copying it, and reports an exec failure to us.
    pid_t pid = 0;
    const int error = posix_spawnp(&pid, argv[0], settings.actions(), settings.attributes(),
                                   argv.data(), environ);
    if (error != 0) {
        print_error("exec " + command.front() + ": " + std::strerror(error));
        return {.pid = -1, .exit_status = error == ENOENT ? kExitNotFound : kExitCannotExecute};
    }
    return {.pid = pid, .exit_status = 0};
}

}  // namespace container
