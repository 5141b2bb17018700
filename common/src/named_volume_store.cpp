/// @file named_volume_store.cpp
/// @brief The named volumes on disk: listing, inspecting, removing, and holding them in
///        use for a run.
#include "container/volume_store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "container/error.hpp"
#include "container/identity.hpp"
#include "container/named_volume_steps.hpp"
#include "failure_message.hpp"
#include "remove_tree.hpp"

namespace container {
namespace {

/// How many times a run creates and locks a volume that a `volume rm` keeps removing
/// under it before giving up: each round, one of the two wins cleanly.
constexpr int kLockAttempts = 16;

UniqueFd open_directory(const std::filesystem::path& path, int flags = O_RDONLY) {
    UniqueFd directory(::open(path.c_str(), flags | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!directory && errno == ENOENT) {
        throw ContextError(std::make_error_code(std::errc::no_such_file_or_directory),
                           "no such volume: " + path.filename().string());
    }
    if (!directory) throw_errno("open", path);
    return directory;
}

/// The processes holding a flock(2) on the file @p fd holds, from /proc/locks: the
/// kernel's own list, so it is right even when a holder was killed a moment ago.
std::vector<pid_t> lock_holders(const UniqueFd& fd) {
    const auto identity = identity_of(fd);
    std::vector<pid_t> holders;
    std::ifstream locks("/proc/locks");
    std::string line;
    for (int lines = 0; lines < 100000 && std::getline(locks, line); ++lines) {
        // "12: FLOCK  ADVISORY  READ 4242 08:01:1234 0 EOF"; "12: -> FLOCK ..." waits.
        std::istringstream fields(line);
        std::string number, kind, advisory, access, device_inode;
        pid_t pid = 0;
        if (!(fields >> number >> kind) || kind != "FLOCK") continue;
        if (!(fields >> advisory >> access >> pid >> device_inode)) continue;
        unsigned major_number = 0, minor_number = 0;
        unsigned long long inode = 0;
        if (std::sscanf(device_inode.c_str(), "%x:%x:%llu", &major_number, &minor_number, &inode) !=
            3)
            continue;
        if (makedev(major_number, minor_number) == identity.device && inode == identity.inode) {
            holders.push_back(pid);
        }
    }
    return holders;
}

std::string read_first_line(const std::filesystem::path& path) {
    std::ifstream file(path);
    std::string line;
    std::getline(file, line);
    return line;
}

}  // namespace

std::filesystem::path volumes_directory() {
    const char* root = std::getenv("CONTAINER_ROOT");
    const std::filesystem::path base =
        (root != nullptr && root[0] == '/') ? root : "/var/lib/container";
    const auto volumes = base / "volumes";
    // Only root reaches the volumes by path: containers see them through their mounts.
    std::error_code error;
    std::filesystem::create_directories(base, error);
    if (::mkdir(volumes.c_str(), 0700) != 0 && errno != EEXIST) throw_errno("create", volumes);
    return volumes;
}

std::string random_volume_name() {
    std::random_device random;
    std::string name;
    for (int i = 0; i < 8; ++i) {
        char word[9];
        std::snprintf(word, sizeof word, "%08x", static_cast<unsigned>(random()));
        name += word;
    }
    return name;
}

std::vector<std::string> list_volumes(const std::filesystem::path& volumes) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(volumes)) {
        auto name = entry.path().filename().string();
        // Names starting with '.' are volumes being made or removed, never volumes.
        if (valid_volume_name(name) && entry.is_directory()) names.push_back(std::move(name));
    }
    std::ranges::sort(names);
    return names;
}

VolumeInfo inspect_volume(const std::filesystem::path& volumes, const std::string& name) {
    const auto path = named_volume_path(volumes, name);
    const auto directory = open_directory(path);
    return VolumeInfo{
        .name = name,
        .mountpoint = path / "_data",
        .created = read_first_line(path / "created"),
        .anonymous = ::faccessat(directory.get(), "anonymous", F_OK, 0) == 0,
        .in_use_by = lock_holders(directory),
    };
}

void remove_volume(const std::filesystem::path& volumes, const std::string& name) {
    const auto path = named_volume_path(volumes, name);
    const auto directory = open_directory(path);
    // Exclusive, without waiting: it is granted only when no run holds the volume in use
    // (their shared locks), and it keeps any new run out while the volume is moved away.
    if (::flock(directory.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK) throw_errno("lock", path);
        const auto holders = lock_holders(directory);
        std::string pids;
        for (const auto pid : holders) pids += (pids.empty() ? "" : ", ") + std::to_string(pid);
        // Docker's words, and the process to look at: the `container run` holding it.
        throw ContextError(std::make_error_code(std::errc::device_or_resource_busy),
                           "remove " + name + ": volume is in use by container PID " +
                               (pids.empty() ? "?" : pids));
    }
    // The name must still be the directory locked (a racing rm may have moved it).
    const UniqueFd parent(::open(volumes.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!parent) throw_errno("open", volumes);
    const auto now = look_at(parent, name);
    if (!now.exists || now.identity != identity_of(directory)) {
        throw ContextError(std::make_error_code(std::errc::no_such_file_or_directory),
                           "no such volume: " + name);
    }
    // Moved out of the name first, in one step: a run that comes next finds no volume
    // (and makes a new one), never half of this one.
    const auto removing = volumes / (".removing-" + name + "-" + std::to_string(::getpid()));
    if (::rename(path.c_str(), removing.c_str()) != 0) throw_errno("rename", path);
    remove_unpacked_tree(removing);
}

VolumesInUse::VolumesInUse(std::vector<Volume>& volumes, bool remove_anonymous)
    : remove_anonymous_(remove_anonymous) {
    for (auto& volume : volumes) {
        if (volume.type != VolumeType::named && volume.type != VolumeType::anonymous) continue;
        if (volumes_.empty()) volumes_ = volumes_directory();
        const bool anonymous = volume.type == VolumeType::anonymous;
        if (anonymous) {
            volume.name = random_volume_name();
            anonymous_.push_back(volume.name);
        }
        // Created on first use, as Docker's -v does; a `volume rm` racing us may remove
        // it between the two: then it is made again.
        UniqueFd lock;
        for (int attempt = 0; attempt < kLockAttempts && !lock; ++attempt) {
            (void)create_named_volume(volumes_, volume.name, anonymous);
            lock = lock_named_volume(volumes_, volume.name);
        }
        if (!lock) {
            throw std::system_error(
                EAGAIN, std::generic_category(),
                "volume " + volume.name + " keeps being removed while starting");
        }
        locks_.push_back(std::move(lock));
        volume.source = named_volume_path(volumes_, volume.name) / "_data";
    }
}

VolumesInUse::~VolumesInUse() {
    release();
}

void VolumesInUse::release() noexcept {
    locks_.clear();
    if (remove_anonymous_) {
        for (const auto& name : anonymous_) {
            try {
                remove_volume(volumes_, name);
            } catch (const std::exception& error) {
                print_error("warning: " + failure_message(error));
            }
        }
    }
    anonymous_.clear();
}

}  // namespace container
