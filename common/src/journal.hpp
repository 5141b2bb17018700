/// @file journal.hpp
/// @brief What a run creates on the host, written down before it exists, so that a run
///        killed before its cleanup can be finished later.
///
/// Most of what a run creates goes with its mount namespace: its mounts, and its writable
/// layer over the image with every mount point made in it. One thing does not: the mount
/// point of a volume nested in another (`-v /srv/a:/d -v /srv/b:/d/in`) is made inside
/// the outer volume, that is in a host directory (`/srv/a/in`). The run's cleanup removes
/// it; a run killed with SIGKILL never gets there. So each such entry is planned in a
/// journal file before it is created: in the directory held open, under a random name
/// nobody else knows, then (once its identity is recorded too) renamed to its own name.
/// Whoever finishes the journal later, the next `container run` or `container cleanup`,
/// finds the directory again, checks it is the same one (device and inode), and removes
/// the entry only while it still is the empty directory or file that was made, and no
/// mount sits on it: never what is no longer what the run made.
///
/// A run holds its journal locked (flock(2)) for as long as it lives; the kernel releases
/// the lock when it dies, however it dies. A journal that can be locked belongs to a run
/// that is over. A journal tells root what to remove: one that anyone but root could have
/// written (its file or its directory writable by group or others, or not root's) is not
/// believed.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "container/identity.hpp"
#include "container/unique_fd.hpp"

namespace container {

/// Where the journals live: `$CONTAINER_STATE/journals`, by default
/// `/run/container/journals` (a tmpfs on most systems: what it records lives on the host's
/// disks, but a journal means nothing after a reboot, when no run can still be going).
[[nodiscard]] std::filesystem::path journal_directory();

/// The journal of one run. Its file is created on the first plan(), in a directory
/// created if needed (mode 0700: root's alone).
class Journal {
public:
    /// A journal that will live in @p directory.
    explicit Journal(std::filesystem::path directory);
    /// Closes the file without removing it (see close()).
    ~Journal();
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;

    /// Records, before it is done, that an entry is about to be created as @p hidden in the
    /// directory held by @p parent, then renamed to @p name. Where that directory is on the
    /// host is recorded in a way any mount namespace can find again: the file system (its
    /// device, as the mount table names it) and the path within that file system.
    /// @p for_messages names the entry in an error.
    /// @throws std::system_error when it cannot be recorded (then nothing may be created):
    ///         ENAMETOOLONG for a directory whose path is longer than PATH_MAX, say.
    void plan(const UniqueFd& parent, const std::string& hidden, const std::string& name,
              bool directory, const std::filesystem::path& for_messages);

    /// Records that the run uses the entry of identity @p identity, on the host, without
    /// having made it (a mount point that already existed in a volume's source): while
    /// the run goes on, finishing another run's journal leaves that entry alone.
    /// @throws std::system_error when it cannot be recorded.
    void uses(const FileIdentity& identity);

    /// Records the identity of what was created as @p hidden (planned before).
    /// @throws std::system_error when it cannot be recorded.
    void made(const std::string& hidden, const FileIdentity& identity);

    /// The end of the run: when nothing the journal lists is still there (the cleanup
    /// removed it all), the journal is removed; otherwise it is left, unlocked, for
    /// `container cleanup` or the next run. Never fails.
    void close() noexcept;

private:
    struct Planned {
        UniqueFd parent;
        std::string hidden;
        std::string name;
        bool directory = false;
        std::optional<FileIdentity> identity;
    };

    void open_file();
    void append(const std::string& line);

    std::filesystem::path directory_;
    UniqueFd directory_fd_;
    UniqueFd file_;
    std::string file_name_;
    std::vector<Planned> planned_;
};

/// What finishing the journals did, one line for each entry it removed, and one for each
/// it had to leave (and why).
struct CleanupReport {
    /// The host paths of the entries removed.
    std::vector<std::string> removed;
    /// "<host path> (<why it was left>)" for each entry left in place.
    std::vector<std::string> left;
};

/// `container cleanup`: finish_journals() on journal_directory() until a pass removes
/// nothing (see journal.cpp), then a final one: one line on
/// stdout for each entry removed ("removed PATH"), a warning on stderr for each one left.
/// @return the exit status: 0.
int cleanup_killed_runs();

/// What `container run` does first: finish_journals() on journal_directory() until a pass
/// removes nothing, never final, and quietly. Never fails.
void finish_killed_runs_quietly() noexcept;

/// Finishes the journals in @p directory whose run is over (the journal can be locked):
/// removes each entry they list, only while it still is what the run made (same device
/// and inode, an empty directory or an empty regular file, no mount on it) and no run
/// still going uses it, innermost first, then the journal. What could be removed later is
/// written into a new journal: what is mounted on or in use, and, unless @p final, what
/// is not empty.
/// A missing directory is nothing to do.
/// @throws std::system_error when @p directory cannot be read.
[[nodiscard]] CleanupReport finish_journals(const std::filesystem::path& directory, bool final);

}  // namespace container
