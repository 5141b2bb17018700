/// @file journal.cpp
/// @brief The journal of what a run creates on the host, and finishing the journals of
///        runs that are over.
#include "journal.hpp"

#include <dirent.h>         // fdopendir(3), readdir(3)
#include <fcntl.h>          // openat(2), O_TMPFILE, linkat(2), AT_* flags
#include <linux/openat2.h>  // struct open_how, RESOLVE_*
#include <sys/file.h>       // flock(2)
#include <sys/random.h>     // getrandom(2)
#include <sys/stat.h>       // mkdir(2), statx(2)
#include <sys/syscall.h>    // SYS_openat2
#include <unistd.h>         // write(2), read(2), unlinkat(2)

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string_view>
#include <utility>

#include "container/error.hpp"
#include "container/mountinfo.hpp"
#include "container/volume.hpp"  // is_within()
#include "fd_link.hpp"
#include "split.hpp"

namespace container {
namespace {

constexpr std::string_view kHeader = "container-journal 1";
constexpr std::string_view kSuffix = ".journal";
/// How many entries a directory scan looks at, at most, for an entry that was renamed.
constexpr int kScanLimit = 100000;

/// @p text with a space, a backslash and every control byte written as "\ooo", the
/// escapes of /proc/self/mountinfo (undone by unescape_mount_path()).
std::string escaped(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= ' ' || c == '\\' || byte == 0x7f) {
            out += '\\';
            out += static_cast<char>('0' + ((byte >> 6) & 7));
            out += static_cast<char>('0' + ((byte >> 3) & 7));
            out += static_cast<char>('0' + (byte & 7));
        } else {
            out += c;
        }
    }
    return out;
}

/// The file system a directory lies on, as mount tables name it ("major:minor"), and the
/// directory's path within that file system: the same in every mount namespace.
struct FsPlace {
    std::string device;
    std::filesystem::path path;
};

FsPlace fs_place_of(const UniqueFd& directory) {
    struct statx info {};
    if (::statx(directory.get(), "", AT_EMPTY_PATH, STATX_MNT_ID, &info) != 0) {
        throw_errno("stat", fd_path(directory));
    }
    for (const MountInfo& mount : read_mountinfo()) {
        if (mount.mount_id != info.stx_mnt_id) continue;
        // The kernel's name for the directory, in this namespace, starts with the mount
        // point; the mount shows its file system from `root` on.
        const std::filesystem::path here = fd_link(AT_FDCWD, fd_path(directory));
        const std::filesystem::path below = here.lexically_relative(mount.mount_point);
        if (below.empty() || *below.begin() == "..") break;
        return {mount.device, below == "." ? mount.root : (mount.root / below).lexically_normal()};
    }
    throw_error(ENOENT, "find the mount of", fd_path(directory));
}

/// Writes all of @p text at the end of @p fd (O_APPEND keeps lines whole).
void write_all(int fd, std::string_view text) {
    while (!text.empty()) {
        const ssize_t written = ::write(fd, text.data(), text.size());
        if (written < 0) {
            if (errno == EINTR) continue;
            throw_errno("write", "the journal");
        }
        text.remove_prefix(static_cast<std::size_t>(written));
    }
}

/// A name for a journal file: "run-<random>.journal".
std::string journal_name() {
    std::uint64_t random = 0;
    if (::getrandom(&random, sizeof random, 0) != static_cast<ssize_t>(sizeof random)) {
        throw_errno("getrandom", "");
    }
    return "run-" + std::to_string(random) + std::string(kSuffix);
}

/// `mkdir -p` with mode 0700 for what it creates.
void create_private_directories(const std::filesystem::path& directory) {
    std::filesystem::path current;
    for (const auto& part : directory) {
        current /= part;
        if (::mkdir(current.c_str(), 0700) != 0 && errno != EEXIST) throw_errno("mkdir", current);
    }
}

/// One planned entry, as read back from a journal file.
struct Record {
    std::string hidden;
    std::string name;
    bool directory = false;
    std::string mount_device;
    FileIdentity parent;
    std::filesystem::path parent_path;  // within its file system
    std::optional<FileIdentity> identity;
    std::string lines;  // as written, to write it again into a journal of what is left
};

/// A journal file, read back.
struct JournalText {
    std::vector<Record> records;
    /// Entries the run used without making them (mount points that already existed).
    std::vector<FileIdentity> uses;
};

FileIdentity identity_from(std::string_view device, std::string_view inode) {
    return {static_cast<dev_t>(std::stoull(std::string(device))),
            static_cast<ino_t>(std::stoull(std::string(inode)))};
}

JournalText parse(std::string_view text) {
    JournalText journal;
    // A line is whole only with its newline: a run killed in the middle of a write leaves
    // at most a torn last line, which says nothing reliable.
    for (auto end = text.find('\n'); end != std::string_view::npos; end = text.find('\n')) {
        const std::string_view line = text.substr(0, end);
        text.remove_prefix(end + 1);
        const std::vector<std::string_view> fields = split(line, ' ');
        try {
            if (fields[0] == "plan" && fields.size() == 8) {
                journal.records.push_back(Record{
                    .hidden = unescape_mount_path(fields[1]),
                    .name = unescape_mount_path(fields[2]),
                    .directory = fields[3] == "d",
                    .mount_device = std::string(fields[4]),
                    .parent = identity_from(fields[5], fields[6]),
                    .parent_path = unescape_mount_path(fields[7]),
                    .identity = std::nullopt,
                    .lines = std::string(line) + "\n",
                });
            } else if (fields[0] == "made" && fields.size() == 4) {
                const std::string hidden = unescape_mount_path(fields[1]);
                for (Record& record : journal.records) {
                    if (record.hidden != hidden) continue;
                    record.identity = identity_from(fields[2], fields[3]);
                    record.lines += std::string(line) + "\n";
                }
            } else if (fields[0] == "uses" && fields.size() == 3) {
                journal.uses.push_back(identity_from(fields[1], fields[2]));
            }
        } catch (const std::exception&) {
            // a line this version does not understand: skip it
        }
    }
    return journal;
}

/// The whole content of the file @p fd, from its start.
std::string read_all(int fd) {
    std::string text;
    char buffer[4096];
    for (off_t offset = 0;;) {
        const ssize_t got = ::pread(fd, buffer, sizeof buffer, offset);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw_errno("read", "a journal");
        }
        if (got == 0) return text;
        text.append(buffer, static_cast<std::size_t>(got));
        offset += got;
    }
}

/// The name under which the entry of identity @p identity is in @p directory now: its
/// own @p name, its @p hidden one, or (renamed within the directory) whatever name leads
/// to that inode. Nothing when it is not there. With no identity known (the run died
/// between creating it and recording it), only the hidden name, which nobody else uses.
std::optional<std::string> find_entry(const UniqueFd& directory, const std::string& name,
                                      const std::string& hidden,
                                      const std::optional<FileIdentity>& identity) {
    if (!identity) {
        if (look_at(directory, hidden).exists) return hidden;
        return std::nullopt;
    }
    for (const std::string* candidate : {&name, &hidden}) {
        const EntryStatus status = look_at(directory, *candidate);
        // A mount on it hides its identity: count it as there, never as gone.
        if (status.exists && (status.identity == *identity || status.mount_root)) return *candidate;
    }
    UniqueFd listing(::openat(directory.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!listing) return std::nullopt;
    DIR* stream = ::fdopendir(listing.get());
    if (stream == nullptr) return std::nullopt;
    listing.release();  // the stream owns it now
    std::optional<std::string> found;
    int seen = 0;
    while (const dirent* entry = ::readdir(stream)) {
        if (++seen > kScanLimit) break;
        if (entry->d_ino != identity->inode) continue;
        const std::string candidate = entry->d_name;
        if (look_at(directory, candidate).identity == *identity) {
            found = candidate;
            break;
        }
    }
    ::closedir(stream);
    return found;
}

/// openat2(2) of an absolute path that refuses every symlink on the way.
UniqueFd open_without_symlinks(const std::filesystem::path& path) {
    open_how how{};
    how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
    how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    return UniqueFd(
        static_cast<int>(::syscall(SYS_openat2, AT_FDCWD, path.c_str(), &how, sizeof how)));
}

/// The directory a record was planned in, found again through this namespace's mounts of
/// its file system, and checked to be the same directory (device and inode). When its path
/// no longer leads there (the container's command renamed it, say) and the run made that
/// directory itself, it is found where that record's entry is now. Sets @p where to its
/// path, for messages.
std::optional<UniqueFd> find_directory(const Record& record, const std::vector<Record>& records,
                                       const std::vector<MountInfo>& mounts,
                                       std::filesystem::path& where, int depth = 0) {
    for (const MountInfo& mount : mounts) {
        if (mount.device != record.mount_device || !is_within(record.parent_path, mount.root))
            continue;
        where = (mount.mount_point / record.parent_path.lexically_relative(mount.root))
                    .lexically_normal();
        UniqueFd directory = open_without_symlinks(where);
        if (directory && identity_of(directory) == record.parent) return directory;
    }
    if (depth > static_cast<int>(records.size())) return std::nullopt;
    for (const Record& maker : records) {
        if (!maker.directory || maker.identity != record.parent) continue;
        std::filesystem::path above;
        const std::optional<UniqueFd> outer =
            find_directory(maker, records, mounts, above, depth + 1);
        if (!outer) continue;
        const std::optional<std::string> name =
            find_entry(*outer, maker.name, maker.hidden, maker.identity);
        if (!name) continue;
        UniqueFd directory(
            ::openat(outer->get(), name->c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (directory && identity_of(directory) == record.parent) {
            where = above / *name;
            return directory;
        }
    }
    return std::nullopt;
}

/// What became of one planned entry: done with (removed, gone, or no longer the run's);
/// to try again later (a mount on it, or a run still going uses it); or not empty, which
/// it may stay for good (the container wrote into it), so only tried again by the next
/// run, not by `container cleanup`.
enum class Outcome { done, retry, not_empty };

/// Removes what @p record planned, if it is still there and still what was made, unless
/// a live run (@p in_use) uses it. An entry that is not empty, has a mount on it, or is in
/// use may be removable later (and gets a line in @p report).
Outcome finish(const Record& record, const JournalText& journal,
               const std::vector<FileIdentity>& in_use, const std::vector<MountInfo>& mounts,
               CleanupReport& report) {
    std::filesystem::path where;
    const std::optional<UniqueFd> directory =
        find_directory(record, journal.records, mounts, where);
    if (!directory)
        return Outcome::done;  // its directory is gone (or moved away): nothing safe to do
    const std::optional<std::string> name =
        find_entry(*directory, record.name, record.hidden, record.identity);
    if (!name) return Outcome::done;  // gone: the run's own cleanup, or someone else, removed it
    const std::filesystem::path shown = where / *name;
    const EntryStatus status = look_at(*directory, *name);
    if (status.mount_root) {
        report.left.push_back(shown.string() + " (something is mounted on it)");
        return Outcome::retry;
    }
    if (record.identity && status.identity != *record.identity) return Outcome::done;  // not it
    const bool empty_file = status.type == S_IFREG && status.size == 0;
    if (record.directory ? status.type != S_IFDIR : !empty_file) {
        report.left.push_back(shown.string() + " (no longer what the run made)");
        return Outcome::done;
    }
    // A run that is still going found it there and mounted on it (in its own namespace,
    // where no lookup from here can see the mount): removing it would take that away.
    if (std::ranges::find(in_use, status.identity) != in_use.end()) {
        report.left.push_back(shown.string() + " (a running container uses it)");
        return Outcome::retry;
    }
    if (::unlinkat(directory->get(), name->c_str(), record.directory ? AT_REMOVEDIR : 0) == 0) {
        report.removed.push_back(shown.string());
        return Outcome::done;
    }
    if (errno == ENOTEMPTY || errno == EEXIST) {
        report.left.push_back(shown.string() + " (not empty)");
        return Outcome::not_empty;
    }
    if (errno == EBUSY) {
        report.left.push_back(shown.string() + " (busy)");
        return Outcome::retry;
    }
    if (errno != ENOENT) report.left.push_back(shown.string() + " (" + std::strerror(errno) + ")");
    return Outcome::done;
}

/// True when only this user (root) can have written @p fd's file: it is this user's, and
/// neither its group nor others may write it. A journal tells root what to remove: one
/// that someone else could have written is not to be believed.
bool written_by_us_only(int fd) {
    struct stat info {};
    return ::fstat(fd, &info) == 0 && info.st_uid == ::geteuid() && (info.st_mode & 022) == 0;
}

/// Writes @p text as a new journal in @p directory_fd, under a name of its own.
void write_journal(int directory_fd, const std::string& text) {
    const UniqueFd file(::openat(directory_fd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600));
    if (!file) throw_errno("create a journal", "");
    write_all(file.get(), text);
    if (::linkat(AT_FDCWD, fd_path(file).c_str(), directory_fd, journal_name().c_str(),
                 AT_SYMLINK_FOLLOW) != 0) {
        throw_errno("name a journal", "");
    }
}

}  // namespace

std::filesystem::path journal_directory() {
    const char* state = std::getenv("CONTAINER_STATE");
    const std::filesystem::path base =
        (state != nullptr && state[0] == '/') ? state : "/run/container";
    return base / "journals";
}

Journal::Journal(std::filesystem::path directory) : directory_(std::move(directory)) {}

Journal::~Journal() {
    close();
}

void Journal::open_file() {
    create_private_directories(directory_);
    directory_fd_.reset(::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!directory_fd_) throw_errno("open", directory_);
    if (!written_by_us_only(directory_fd_.get())) {
        throw_error(EPERM, "keep a journal in (others may write there)", directory_);
    }
    // Created without a name, locked, and only then given one: a journal that can be seen
    // is always either locked by its run or complete.
    file_.reset(::openat(directory_fd_.get(), ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600));
    if (!file_) throw_errno("create a journal in", directory_);
    if (::flock(file_.get(), LOCK_EX) != 0) throw_errno("lock a journal in", directory_);
    write_all(file_.get(), std::string(kHeader) + "\n");
    for (int attempt = 0;; ++attempt) {
        const std::string name = journal_name();
        if (::linkat(AT_FDCWD, fd_path(file_).c_str(), directory_fd_.get(), name.c_str(),
                     AT_SYMLINK_FOLLOW) == 0) {
            file_name_ = name;
            return;
        }
        if (errno != EEXIST || attempt == 100) throw_errno("name a journal in", directory_);
    }
}

void Journal::append(const std::string& line) {
    if (!file_) open_file();
    write_all(file_.get(), line + "\n");
}

void Journal::plan(const UniqueFd& parent, const std::string& hidden, const std::string& name,
                   bool directory, const std::filesystem::path& for_messages) {
    FsPlace place;
    try {
        place = fs_place_of(parent);
    } catch (const std::system_error& error) {
        // Not recorded, so not to be created: a killed run could not be finished.
        throw_error(error.code().value(), "record in the journal (for a later cleanup)",
                    for_messages);
    }
    const FileIdentity parent_identity = identity_of(parent);
    Planned planned{UniqueFd(::fcntl(parent.get(), F_DUPFD_CLOEXEC, 0)), hidden, name, directory,
                    std::nullopt};
    if (!planned.parent) throw_errno("dup", fd_path(parent));
    append("plan " + escaped(hidden) + " " + escaped(name) + " " + (directory ? "d" : "f") + " " +
           escaped(place.device) + " " + std::to_string(parent_identity.device) + " " +
           std::to_string(parent_identity.inode) + " " + escaped(place.path.string()));
    planned_.push_back(std::move(planned));
}

void Journal::uses(const FileIdentity& identity) {
    append("uses " + std::to_string(identity.device) + " " + std::to_string(identity.inode));
}

void Journal::made(const std::string& hidden, const FileIdentity& identity) {
    append("made " + escaped(hidden) + " " + std::to_string(identity.device) + " " +
           std::to_string(identity.inode));
    for (Planned& planned : planned_) {
        if (planned.hidden == hidden) planned.identity = identity;
    }
}

void Journal::close() noexcept {
    if (!file_) return;
    bool something_left = false;
    for (const Planned& planned : planned_) {
        try {
            something_left = something_left || find_entry(planned.parent, planned.name,
                                                          planned.hidden, planned.identity);
        } catch (const std::exception&) {
            something_left = true;  // cannot tell: keep the journal
        }
    }
    if (!something_left) ::unlinkat(directory_fd_.get(), file_name_.c_str(), 0);
    file_.reset();  // releases the lock
    planned_.clear();
}

CleanupReport finish_journals(const std::filesystem::path& directory, bool final) {
    CleanupReport report;
    const UniqueFd directory_fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!directory_fd) {
        if (errno == ENOENT) return report;
        throw_errno("open", directory);
    }
    if (!written_by_us_only(directory_fd.get())) {
        throw_error(EPERM, "trust journals in (others may write there)", directory);
    }
    std::vector<std::string> names;
    {
        UniqueFd listing(::fcntl(directory_fd.get(), F_DUPFD_CLOEXEC, 0));
        DIR* stream = listing ? ::fdopendir(listing.get()) : nullptr;
        if (stream == nullptr) throw_errno("read", directory);
        listing.release();
        while (const dirent* entry = ::readdir(stream)) {
            const std::string name = entry->d_name;
            if (name.ends_with(kSuffix)) names.push_back(name);
        }
        ::closedir(stream);
    }
    if (names.empty()) return report;

    // Locked journals are runs still going: what they use stays. The others are finished.
    std::vector<FileIdentity> in_use;
    std::vector<std::pair<std::string, UniqueFd>> over;
    for (const std::string& name : names) {
        UniqueFd journal(
            ::openat(directory_fd.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
        if (!journal) continue;  // another process finished it first
        if (!written_by_us_only(journal.get())) {
            report.left.push_back(name + " (a journal others may have written: ignored)");
            continue;
        }
        if (::flock(journal.get(), LOCK_EX | LOCK_NB) == 0) {
            over.emplace_back(name, std::move(journal));
        } else {
            const JournalText live = parse(read_all(journal.get()));
            in_use.insert(in_use.end(), live.uses.begin(), live.uses.end());
        }
    }
    if (over.empty()) return report;

    const std::vector<MountInfo> mounts = read_mountinfo();
    for (const auto& [name, journal] : over) {
        const JournalText text = parse(read_all(journal.get()));
        std::string kept;
        // Innermost first: a run plans the parents before what goes in them.
        for (auto it = text.records.rbegin(); it != text.records.rend(); ++it) {
            Outcome outcome = Outcome::done;
            try {
                outcome = finish(*it, text, in_use, mounts, report);
            } catch (const std::exception& error) {
                report.left.push_back(it->name + " (" + error.what() + ")");
            }
            if (outcome == Outcome::retry || (outcome == Outcome::not_empty && !final)) {
                kept.insert(0, it->lines);
            }
        }
        // What may be removable later goes into a journal of its own, before this one goes.
        if (!kept.empty()) {
            try {
                write_journal(directory_fd.get(), std::string(kHeader) + "\n" + kept);
            } catch (const std::exception& error) {
                report.left.push_back(std::string("journal ") + name + " (" + error.what() + ")");
                continue;  // keep this one
            }
        }
        ::unlinkat(directory_fd.get(), name.c_str(), 0);
    }
    return report;
}

namespace {

/// finish_journals() until nothing more comes out. One killed run may have made a
/// directory in which a later one, killed too, made its own mount point: the first
/// journal finds that directory not empty until the second is finished, and the journals
/// are finished in no particular order. So a pass that removed something is followed by
/// another (bounded: each pass removes at least one entry, and a run nests so deep only).
/// What is not empty after that stays, for good when @p final. The report holds every
/// removal, and what the last pass had to leave.
CleanupReport finish_journals_until_settled(const std::filesystem::path& directory, bool final) {
    constexpr int kMaxPasses = 16;
    CleanupReport report;
    for (int pass = 1;; ++pass) {
        const bool last = pass == kMaxPasses;
        CleanupReport this_pass = finish_journals(directory, /*final=*/false);
        report.removed.insert(report.removed.end(), this_pass.removed.begin(),
                              this_pass.removed.end());
        if (this_pass.removed.empty() || last) {
            if (final) {  // a last pass that drops what stays
                this_pass = finish_journals(directory, /*final=*/true);
                report.removed.insert(report.removed.end(), this_pass.removed.begin(),
                                      this_pass.removed.end());
            }
            report.left = std::move(this_pass.left);
            return report;
        }
    }
}

}  // namespace

int cleanup_killed_runs() {
    const CleanupReport report = finish_journals_until_settled(journal_directory(), /*final=*/true);
    for (const std::string& path : report.removed) std::cout << "removed " << path << '\n';
    std::cout.flush();
    for (const std::string& why : report.left) print_error("warning: left " + why);
    return 0;
}

void finish_killed_runs_quietly() noexcept {
    try {
        // Not final: what cannot be removed now is tried again by the next run.
        (void)finish_journals_until_settled(journal_directory(), /*final=*/false);
    } catch (const std::exception& error) {
        print_error(std::string("warning: cannot finish the journals of killed runs: ") +
                    error.what());
    }
}

}  // namespace container
