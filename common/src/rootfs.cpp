/// @file rootfs.cpp
/// @brief Paths inside the container's root filesystem, resolved with openat2(2) so that
///        neither a symlink of the image nor ".." can lead out of it; what is made there
///        is made relative to descriptors and handed back held open.
#include "container/rootfs.hpp"

#include <fcntl.h>          // O_* flags, AT_* flags, renameat2(2)
#include <linux/openat2.h>  // struct open_how, RESOLVE_*
#include <sys/random.h>     // getrandom(2)
#include <sys/stat.h>       // mkdirat(2), fchmod(2), statx(2)
#include <sys/syscall.h>    // SYS_openat2
#include <unistd.h>         // syscall(2), readlinkat(2), unlinkat(2)

#include <array>
#include <cerrno>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "container/error.hpp"
#include "fd_link.hpp"
#include "journal.hpp"
#include "split.hpp"

namespace container {
namespace {

/// The path handed to openat2(2): a container path as it is (with RESOLVE_IN_ROOT an
/// absolute path starts at the rootfs), "." for an empty one.
std::string lookup_path(const std::filesystem::path& inside) {
    return inside.empty() ? std::string{"."} : inside.string();
}

/// openat2(2) below @p root_fd, where "/" and ".." stop at the root and symlinks are
/// resolved as if it were "/" (@p resolve adds RESOLVE_* flags). Returns -1 with errno
/// set on failure.
int open_in_root(int root_fd, const std::filesystem::path& inside, int flags,
                 std::uint64_t resolve = 0) {
    open_how how{};
    how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
    // RESOLVE_NO_MAGICLINKS: no /proc/PID/fd/N-style jumps to files outside the rootfs.
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | resolve;
    const std::string path = lookup_path(inside);
    for (int attempt = 0;; ++attempt) {
        const long fd = ::syscall(SYS_openat2, root_fd, path.c_str(), &how, sizeof how);
        // EAGAIN: a concurrent rename or mount made ".." resolution unsafe; try again.
        if (fd >= 0 || errno != EAGAIN || attempt == 16) return static_cast<int>(fd);
    }
}

/// The names of @p inside, "" and "." left out ("/a//./b/" is a, b). Split as a string:
/// a std::filesystem::path would parse (and allocate) every component on the way.
std::vector<std::string> names_of(const std::filesystem::path& inside) {
    std::vector<std::string> names;
    for (const std::string_view name : split(inside.native(), '/')) {
        if (!name.empty() && name != ".") names.emplace_back(name);
    }
    return names;
}

/// "/" followed by the first @p count of @p names.
std::filesystem::path joined(const std::vector<std::string>& names, std::size_t count) {
    if (count == 0) return "/";
    std::string path;
    for (std::size_t i = 0; i < count; ++i) (path += '/') += names[i];
    return path;
}

/// A duplicate of @p fd that the caller owns.
UniqueFd duplicate(const UniqueFd& fd) {
    UniqueFd copy(::fcntl(fd.get(), F_DUPFD_CLOEXEC, 0));
    if (!copy) throw_errno("dup", fd_path(fd));
    return copy;
}

/// A name no one else is about to use: ".container-" and 16 random hex digits.
std::string temporary_name() {
    std::uint64_t random = 0;
    if (::getrandom(&random, sizeof random, 0) != static_cast<ssize_t>(sizeof random)) {
        throw_errno("getrandom", "");
    }
    constexpr std::string_view digits = "0123456789abcdef";
    std::string name = ".container-";
    for (int shift = 60; shift >= 0; shift -= 4) name += digits[(random >> shift) & 0xf];
    return name;
}

/// Removes what @p created lists, innermost first, each only while its name still leads
/// to the file that was created and no mount sits on it. Best effort: used on the way out
/// of a failure, whose error is the one to report.
void undo(const std::vector<CreatedEntry>& created) noexcept {
    for (auto it = created.rbegin(); it != created.rend(); ++it) {
        try {
            const EntryStatus now = look_at(it->parent, it->name);
            if (!now.exists || now.mount_root || now.identity != it->identity) continue;
            ::unlinkat(it->parent.get(), it->name.c_str(), it->is_directory ? AT_REMOVEDIR : 0);
        } catch (const std::exception&) {
            // leave it
        }
    }
}

/// The mode promised for what is created: 0755 for a directory, 0644 for a file,
/// whatever the umask.
constexpr mode_t promised_mode(bool directory) {
    return directory ? 0755 : 0644;
}

}  // namespace

Rootfs::Rootfs(std::filesystem::path directory, Journal* journal, Layer layer)
    : directory_(std::move(directory)),
      fd_(::open(directory_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC)),
      proc_fd_(::open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC)),
      journal_(journal),
      layer_(layer) {
    if (!fd_) throw_errno("open rootfs", directory_);
    if (!proc_fd_) throw_errno("open", "/proc/self/fd");
    real_root_ = path_of(fd_.get());
    root_mount_id_ = mount_id_of(fd_);
}

void Rootfs::fail(int error, std::string_view action, const std::filesystem::path& inside) const {
    throw_error(error, action, inside.string() + " (in rootfs " + directory_.string() + ")");
}

/// The path an open descriptor designates, as the kernel records it.
std::filesystem::path Rootfs::path_of(int fd) const {
    return fd_link(proc_fd_.get(), std::to_string(fd));
}

/// The container path of @p fd, a file of the rootfs (@p inside names it in messages).
std::filesystem::path Rootfs::container_path_of(int fd, const std::filesystem::path& inside) const {
    std::filesystem::path host;
    try {
        host = path_of(fd);
    } catch (const std::system_error& error) {
        fail(error.code().value(), "find where it is:", inside);
    }
    // RESOLVE_IN_ROOT kept the lookup below the rootfs, so the host path starts with it.
    const std::filesystem::path relative = host.lexically_relative(real_root_);
    if (relative.empty() || *relative.begin() == "..") fail(EXDEV, "resolve", inside);
    return relative == "." ? std::filesystem::path("/") : "/" / relative;
}

UniqueFd Rootfs::open(const std::filesystem::path& inside, int flags, FollowLast follow) const {
    if (follow == FollowLast::no) flags |= O_NOFOLLOW;  // with O_PATH: the symlink itself
    UniqueFd fd(open_in_root(fd_.get(), inside, flags));
    if (!fd) fail(errno, "open", inside);
    return fd;
}

std::filesystem::path Rootfs::canonical(const std::filesystem::path& inside) const {
    const std::vector<std::string> names = names_of(inside);
    // One name right below the root ("/data"), the usual destination: unless it is a
    // symlink of the image (or ".."), it is where it says, found or not. One look at it,
    // where opening it would cost a file and the kernel's name for it.
    if (names.size() == 1 && names.front() != "..") {
        const EntryStatus there = look_at(fd_, names.front());
        if (!there.exists || there.type != S_IFLNK) return joined(names, 1);
    }
    for (std::size_t existing = names.size();; --existing) {
        const UniqueFd fd(open_in_root(fd_.get(), joined(names, existing), O_PATH));
        if (fd) {
            std::filesystem::path path =
                existing == 0 ? std::filesystem::path("/") : container_path_of(fd.get(), inside);
            for (std::size_t i = existing; i < names.size(); ++i) path /= names[i];
            return path;
        }
        if (errno != ENOENT || existing == 0) fail(errno, "resolve", joined(names, existing));
        // Missing right below the root, which is always there: nothing more to look up.
        if (existing == 1) return joined(names, names.size());
    }
}

bool Rootfs::exists(const std::filesystem::path& inside) const {
    const UniqueFd fd(open_in_root(fd_.get(), inside, O_PATH | O_NOFOLLOW));
    if (fd) return true;
    if (errno == ENOENT || errno == ENOTDIR) return false;
    fail(errno, "open", inside);
}

Made Rootfs::place_of(UniqueFd object, const std::filesystem::path& inside) const {
    Made made;
    made.identity = identity_of(object);
    const std::vector<std::string> names = names_of(inside);
    if (names.empty()) fail(EBUSY, "use as a mount point", "/");
    // Where the object sits: the directory its last name is in, and that name, unless the
    // last name is a symlink of the image; then where the link led, found by the path the
    // kernel gives the descriptor (free of symlinks, walked without following any).
    made.parent.reset(
        open_in_root(fd_.get(), joined(names, names.size() - 1), O_PATH | O_DIRECTORY));
    made.name = names.back();
    if (!made.parent) fail(errno, "open", inside);
    EntryStatus there = look_at(made.parent, made.name);
    if (there.type == S_IFLNK) {
        made.path = container_path_of(object.get(), inside);
        if (made.path == "/") fail(EBUSY, "use as a mount point", inside.string() + " (it is /)");
        made.parent.reset(open_in_root(fd_.get(), made.path.parent_path(), O_PATH | O_DIRECTORY,
                                       RESOLVE_NO_SYMLINKS));
        if (!made.parent) fail(errno, "open", made.path.parent_path());
        made.name = made.path.filename().string();
        there = look_at(made.parent, made.name);
    } else {
        // The path is for messages only: keep the one written when the kernel's is too long.
        try {
            made.path = container_path_of(object.get(), inside);
        } catch (const std::system_error&) {
            made.path = inside;
        }
    }
    // What was opened must be what sits there: otherwise something was renamed in between.
    if (!there.exists || there.identity != made.identity)
        fail(EAGAIN, "resolve (it changed meanwhile)", inside);
    // On the host (in a volume), and not made by this run: while the run goes on, the
    // journal of a killed run that made it must not remove it.
    if (journal_ != nullptr && mount_id_of(made.parent) != root_mount_id_) {
        journal_->uses(made.identity);
    }
    made.object = std::move(object);
    return made;
}

void Rootfs::set_mode(const UniqueFd& opened, bool directory,
                      const std::filesystem::path& inside) const {
    // fchmod(2) refuses an O_PATH descriptor, which is how a directory is held: reopen it
    // through that descriptor ("/proc/self/fd/N" leads to that very directory, no name is
    // looked up), read-only. A file is held open for writing already.
    UniqueFd readable;
    if (directory) {
        readable.reset(::open(fd_path(opened).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!readable) fail(errno, "open", inside);
    }
    if (::fchmod((directory ? readable : opened).get(), promised_mode(directory)) != 0) {
        fail(errno, "chmod", inside);
    }
}

std::optional<FileIdentity> Rootfs::create_entry(const UniqueFd& parent, const std::string& name,
                                                 const std::filesystem::path& inside,
                                                 bool directory, UniqueFd& opened,
                                                 std::vector<CreatedEntry>& created) const {
    FileIdentity identity;
    const auto make = [&](const std::string& as) {
        if (directory) {
            if (::mkdirat(parent.get(), as.c_str(), promised_mode(true)) != 0) return false;
            // mkdirat(2) returns no descriptor: open what was just made, never through a
            // symlink.
            opened.reset(
                ::openat(parent.get(), as.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        } else {
            // O_EXCL: never open (or truncate) something that is already there, and never
            // follow a symlink at the name, even a dangling one.
            opened.reset(::openat(parent.get(), as.c_str(),
                                  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                                  promised_mode(false)));
            if (!opened) return false;
        }
        if (!opened) fail(errno, "open", inside);
        // Its identity and its mode, in one fstat(2) of the descriptor.
        struct stat info {};
        if (::fstat(opened.get(), &info) != 0) fail(errno, "stat", inside);
        identity = {info.st_dev, info.st_ino};
        // mkdir(2) and open(2) applied the umask (or a default ACL of the directory): set
        // the mode that was promised, when that is not what came out. With the usual
        // umask, 022, it is, and this costs nothing.
        if ((info.st_mode & 07777) != promised_mode(directory)) set_mode(opened, directory, inside);
        if (!directory) {
            // Hold the file by an O_PATH descriptor, reopened through the one we have (the
            // same file, no name looked up): a descriptor open for writing counts as a
            // writer on its mount, and the kernel refuses to make a mount read-only while
            // it has one (EBUSY), so a file volume nested in a read-only one would fail.
            UniqueFd held(::open(fd_path(opened).c_str(), O_PATH | O_CLOEXEC));
            if (!held) fail(errno, "open", inside);
            opened = std::move(held);
        }
        return true;
    };
    const char* action = directory ? "mkdir" : "create";

    // The rootfs's own directory is on its mount by definition: no statx(2) needed.
    if (&parent == &fd_ || mount_id_of(parent) == root_mount_id_) {
        // In the rootfs's own file system (the container's layer): nothing but this
        // process writes there before the command starts.
        if (!make(name)) {
            if (errno == EEXIST) return std::nullopt;
            fail(errno, action, inside);
        }
        // A layer that is discarded takes it along: nothing to remove later.
        if (layer_ == Layer::kept)
            created.push_back({inside, duplicate(parent), name, identity, directory});
        return identity;
    }

    // Inside a volume: a host directory, which another container sharing the source can
    // change at any moment. Made under a name nobody knows, so that what is opened is
    // what was made; recorded in the journal before it exists; then renamed into place,
    // unless something took the name meanwhile.
    const std::string hidden = temporary_name();
    if (journal_ != nullptr) journal_->plan(parent, hidden, name, directory, inside);
    if (!make(hidden)) fail(errno, action, inside);
    if (journal_ != nullptr) journal_->made(hidden, identity);
    CreatedEntry entry{inside, duplicate(parent), hidden, identity, directory};
    if (::renameat2(parent.get(), hidden.c_str(), parent.get(), name.c_str(), RENAME_NOREPLACE) !=
        0) {
        const int error = errno;
        std::vector<CreatedEntry> made_here;
        made_here.push_back(std::move(entry));
        undo(made_here);
        if (error == EEXIST) return std::nullopt;
        fail(error, action, inside);
    }
    entry.name = name;
    created.push_back(std::move(entry));  // before the check: on failure, it is undone
    const EntryStatus now = look_at(parent, name);
    if (!now.exists || now.identity != identity) {
        fail(EAGAIN, std::string(action) + " (it changed meanwhile)", inside);
    }
    return identity;
}

Made Rootfs::create_directories(const std::filesystem::path& inside) const {
    if (std::optional<Made> made = make_last_directory(inside)) return std::move(*made);
    Made made = make_directories(inside);
    // Nothing was missing: it is a directory of the image (or of a volume), maybe reached
    // through a symlink. Find where it sits, to know its directory and name. (Not
    // `created.empty()`: what a discarded layer takes along is not listed there.)
    if (!made.parent) return place_of(std::move(made.object), inside);
    return made;
}

std::optional<Made> Rootfs::make_last_directory(const std::filesystem::path& inside) const {
    const std::vector<std::string> names = names_of(inside);
    if (names.empty()) return std::nullopt;
    // The directory the last name goes in: the rootfs itself for "/name", looked up like
    // any other path otherwise. Missing too: the general way, which finds what exists.
    UniqueFd looked_up;
    if (names.size() > 1) {
        looked_up.reset(
            open_in_root(fd_.get(), joined(names, names.size() - 1), O_PATH | O_DIRECTORY));
        if (!looked_up) return std::nullopt;
    }
    const UniqueFd& directory = names.size() == 1 ? fd_ : looked_up;
    Made made;
    made.path = joined(names, names.size() - 1);  // for messages only
    if (names.size() > 1) {
        try {
            made.path = container_path_of(directory.get(), made.path);
        } catch (const std::system_error&) {
            // the kernel's name is too long: keep the one written
        }
    }
    made.path /= names.back();
    try {
        UniqueFd opened;
        const std::optional<FileIdentity> identity =
            create_entry(directory, names.back(), made.path, true, opened, made.created);
        // Something has that name already (a directory, or a symlink to follow inside the
        // rootfs): the general way.
        if (!identity) return std::nullopt;
        made.identity = *identity;
        made.object = std::move(opened);
        made.parent = names.size() == 1 ? duplicate(fd_) : std::move(looked_up);
    } catch (...) {
        undo(made.created);
        throw;
    }
    made.name = names.back();
    return made;
}

Made Rootfs::make_directories(const std::filesystem::path& inside) const {
    const std::vector<std::string> names = names_of(inside);

    // 1. The longest part that exists, each try a lookup of its own from the root (a
    //    symlink of the image is followed, within the rootfs).
    std::size_t existing = names.size();
    UniqueFd directory;
    for (;; --existing) {
        directory.reset(open_in_root(fd_.get(), joined(names, existing), O_PATH | O_DIRECTORY));
        if (directory) break;
        if (errno != ENOENT || existing == 0) fail(errno, "mkdir", joined(names, existing));
    }
    Made made;
    if (existing == names.size()) {
        made.object = std::move(directory);
        made.path = inside;
        return made;
    }

    // 2. The rest, each created in the directory held before it: from here on no path is
    //    looked up from the root again, so nothing renamed meanwhile can redirect it.
    made.path = joined(names, existing);  // for messages only: "/" needs no lookup
    if (existing > 0) {
        try {
            made.path = container_path_of(directory.get(), made.path);
        } catch (const std::system_error&) {
            // the kernel's name is too long: keep the one written
        }
    }
    try {
        for (std::size_t i = existing; i < names.size(); ++i) {
            made.path /= names[i];
            UniqueFd opened;
            if (const auto identity =
                    create_entry(directory, names[i], made.path, true, opened, made.created)) {
                made.identity = *identity;
            } else {
                // Someone made it meanwhile: use it as it is, never through a symlink.
                opened.reset(::openat(directory.get(), names[i].c_str(),
                                      O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
                if (!opened) fail(errno == ELOOP ? EEXIST : errno, "mkdir", made.path);
                made.identity = identity_of(opened);
            }
            made.parent = std::move(directory);
            made.name = names[i];
            directory = std::move(opened);
        }
    } catch (...) {
        undo(made.created);
        throw;
    }
    made.object = std::move(directory);
    return made;
}

Made Rootfs::create_file(const std::filesystem::path& inside) const {
    const std::vector<std::string> names = names_of(inside);
    if (names.empty()) fail(EINVAL, "create", inside);
    Made made = make_directories(joined(names, names.size() - 1));  // the parents
    try {
        UniqueFd opened;
        const std::optional<FileIdentity> identity = create_entry(
            made.object, names.back(), made.path / names.back(), false, opened, made.created);
        if (!identity) {
            // Already there: used as it is, a symlink of the image followed in the rootfs.
            std::vector<CreatedEntry> parents = std::move(made.created);
            Made existing = place_of(open(inside, O_PATH), inside);
            // A file cannot be mounted on a directory (mount(2) says ENOTDIR).
            struct stat info {};
            if (::fstat(existing.object.get(), &info) != 0) fail(errno, "stat", inside);
            if (S_ISDIR(info.st_mode)) fail(ENOTDIR, "mount a file on the directory", inside);
            existing.created = std::move(parents);
            return existing;
        }
        made.identity = *identity;
        made.path /= names.back();
        made.parent = std::move(made.object);
        made.name = names.back();
        made.object = std::move(opened);
    } catch (...) {
        undo(made.created);
        throw;
    }
    return made;
}

}  // namespace container
