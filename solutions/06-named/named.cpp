/// @file named.cpp
/// @brief Step 6 (reference): named volumes: resolve a name, create a volume all or
///        nothing, hold it in use with a lock, and copy the image's files into a new one.
#include "container/named_volume_steps.hpp"

#include <dirent.h>    // fdopendir(3), readdir(3)
#include <fcntl.h>     // openat(2), O_*, AT_*, renameat2(2), RENAME_NOREPLACE
#include <sys/file.h>  // flock(2)
#include <sys/stat.h>  // fstatat(2), mkdirat(2), fchmodat(2), mknodat(2), utimensat(2)
#include <unistd.h>    // fchown(2), readlinkat(2), symlinkat(2), linkat(2), copy_file_range(2)

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <map>
#include <random>
#include <string>
#include <utility>

#include "container/error.hpp"
#include "container/identity.hpp"
#include "container/volume.hpp"

namespace container {
namespace {

/// A name for the temporary directory a volume is made in: it starts with '.', which no
/// volume name may, so it can never be taken for a volume (nor clash with one).
std::string temporary_name(std::string_view name) {
    std::random_device random;
    return ".creating-" + std::string{name} + "-" + std::to_string(random());
}

void write_file(int directory, const char* name, std::string_view text) {
    const UniqueFd file(::openat(directory, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!file) throw_errno("create", name);
    if (::write(file.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
        throw_errno("write", name);
    }
}

/// Removes the temporary directory of a creation that failed: it is ours alone (nobody
/// else knows its random name), and it holds at most what make_volume_files() made.
void remove_temporary(int volumes, const std::string& name) noexcept {
    const UniqueFd directory(::openat(volumes, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (directory) {
        for (const char* entry : {"created", "anonymous"}) ::unlinkat(directory.get(), entry, 0);
        ::unlinkat(directory.get(), "_data", AT_REMOVEDIR);
    }
    ::unlinkat(volumes, name.c_str(), AT_REMOVEDIR);
}

void make_volume_files(int volumes, const std::string& temporary, bool anonymous) {
    if (::mkdirat(volumes, temporary.c_str(), 0700) != 0) throw_errno("create", temporary);
    const UniqueFd directory(::openat(volumes, temporary.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!directory) throw_errno("open", temporary);
    // 0755 whatever the umask: the container's processes, any user, reach the data.
    if (::mkdirat(directory.get(), "_data", 0755) != 0 ||
        ::fchmodat(directory.get(), "_data", 0755, 0) != 0) {
        throw_errno("create", temporary + "/_data");
    }
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    char created[32];
    ::gmtime_r(&now, &utc);
    std::strftime(created, sizeof created, "%FT%TZ\n", &utc);
    write_file(directory.get(), "created", created);
    if (anonymous) write_file(directory.get(), "anonymous", "");
}

/// Copies the contents of the regular file @p from into @p to.
void copy_bytes(int from, int to, const std::string& name) {
    while (true) {
        const ssize_t copied = ::copy_file_range(from, nullptr, to, nullptr, 1 << 30, 0);
        if (copied == 0) return;
        if (copied < 0) {
            if (errno == EINTR) continue;
            // Across some file systems (an overlay to another) the kernel declines: copy
            // through a buffer instead.
            if (errno != EXDEV && errno != EINVAL && errno != EOPNOTSUPP) throw_errno("copy", name);
            char buffer[65536];
            while (true) {
                const ssize_t got = ::read(from, buffer, sizeof buffer);
                if (got == 0) return;
                if (got < 0) throw_errno("read", name);
                for (ssize_t done = 0; done < got;) {
                    const ssize_t put = ::write(to, buffer + done, static_cast<std::size_t>(got - done));
                    if (put < 0) throw_errno("write", name);
                    done += put;
                }
            }
        }
    }
}

/// Copies one directory's entries, keeping hard links: the first copy of each
/// multiply-linked inode is remembered by its path in the volume, later ones link to it.
class CopyUp {
public:
    explicit CopyUp(int to_root) : to_root_(to_root) {}

    void directory(int from, int to, const std::string& path, int depth) {
        if (depth > 4096) throw_error(ELOOP, "copy up (too deep)", path);
        // A descriptor of its own for the listing: closedir(3) closes it.
        UniqueFd listing(::openat(from, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!listing) throw_errno("open", path);
        DIR* stream = ::fdopendir(listing.get());
        if (stream == nullptr) throw_errno("read", path);
        listing.release();
        try {
            while (const dirent* entry = ::readdir(stream)) {
                const std::string name = entry->d_name;
                if (name == "." || name == "..") continue;
                this->entry(from, to, name, path.empty() ? name : path + "/" + name, depth);
            }
        } catch (...) {
            ::closedir(stream);
            throw;
        }
        ::closedir(stream);
    }

    void entry(int from, int to, const std::string& name, const std::string& path, int depth) {
        struct stat status {};
        if (::fstatat(from, name.c_str(), &status, AT_SYMLINK_NOFOLLOW) != 0) throw_errno("stat", path);
        const auto kind = status.st_mode & S_IFMT;
        if (kind != S_IFDIR && status.st_nlink > 1) {
            const auto [first, inserted] = links_.try_emplace({status.st_dev, status.st_ino}, path);
            if (!inserted) {
                if (::linkat(to_root_, first->second.c_str(), to, name.c_str(), 0) != 0) throw_errno("link", path);
                return;
            }
        }
        if (kind == S_IFDIR) {
            if (::mkdirat(to, name.c_str(), 0700) != 0) throw_errno("create", path);
            const UniqueFd source(::openat(from, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            const UniqueFd copy(::openat(to, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!source || !copy) throw_errno("open", path);
            directory(source.get(), copy.get(), path, depth + 1);
        } else if (kind == S_IFREG) {
            const UniqueFd source(::openat(from, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
            if (!source) throw_errno("open", path);
            const UniqueFd copy(::openat(to, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
            if (!copy) throw_errno("create", path);
            copy_bytes(source.get(), copy.get(), path);
        } else if (kind == S_IFLNK) {
            std::string target(static_cast<std::size_t>(status.st_size) + 1, '\0');
            const ssize_t length = ::readlinkat(from, name.c_str(), target.data(), target.size());
            if (length < 0) throw_errno("read link", path);
            target.resize(static_cast<std::size_t>(length));
            if (::symlinkat(target.c_str(), to, name.c_str()) != 0) throw_errno("create link", path);
        } else if (kind == S_IFSOCK) {
            return;  // a socket is a live endpoint of a process: nothing to copy
        } else if (::mknodat(to, name.c_str(), status.st_mode, status.st_rdev) != 0) {
            throw_errno("create", path);
        }
        keep_attributes(to, name, status, path);
    }

private:
    /// Owner first: chown(2) clears the setuid and setgid bits, so the mode goes after it.
    /// A symlink has no mode of its own.
    static void keep_attributes(int to, const std::string& name, const struct stat& status,
                                const std::string& path) {
        if (::fchownat(to, name.c_str(), status.st_uid, status.st_gid, AT_SYMLINK_NOFOLLOW) != 0) {
            throw_errno("chown", path);
        }
        if (!S_ISLNK(status.st_mode) && ::fchmodat(to, name.c_str(), status.st_mode & 07777, 0) != 0) {
            throw_errno("chmod", path);
        }
        const struct timespec times[2] = {status.st_atim, status.st_mtim};
        if (::utimensat(to, name.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) throw_errno("set times of", path);
    }

    int to_root_;
    std::map<std::pair<dev_t, ino_t>, std::string> links_;
};

}  // namespace

std::filesystem::path named_volume_path(const std::filesystem::path& volumes, std::string_view name) {
    // The name becomes a directory entry: "..", "a/b" or "" would lead elsewhere.
    if (!valid_volume_name(name)) throw UsageError(volume_name_problem(name));
    return volumes / name;
}

bool create_named_volume(const std::filesystem::path& volumes, std::string_view name, bool anonymous) {
    const auto path = named_volume_path(volumes, name);
    const UniqueFd directory(::open(volumes.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!directory) throw_errno("open", volumes);

    // Made aside under a name nobody else uses, then renamed into place in one step:
    // nobody ever sees a volume without its _data.
    const auto temporary = temporary_name(name);
    try {
        make_volume_files(directory.get(), temporary, anonymous);
    } catch (...) {
        remove_temporary(directory.get(), temporary);
        throw;
    }
    // RENAME_NOREPLACE: of two creators, the second finds the name taken (EEXIST) instead
    // of replacing the first one's volume (rename(2) replaces an empty directory).
    if (::renameat2(directory.get(), temporary.c_str(), directory.get(), std::string{name}.c_str(),
                    RENAME_NOREPLACE) == 0) {
        return true;
    }
    const int error = errno;
    remove_temporary(directory.get(), temporary);
    if (error == EEXIST) return false;
    throw_error(error, "create volume", path);
}

UniqueFd lock_named_volume(const std::filesystem::path& volumes, std::string_view name) {
    const auto path = named_volume_path(volumes, name);
    const UniqueFd parent(::open(volumes.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!parent) throw_errno("open", volumes);
    const std::string entry{name};
    UniqueFd directory(::openat(parent.get(), entry.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!directory) {
        if (errno == ENOENT) return {};
        throw_errno("open", path);
    }
    // Shared: other containers may use the volume too. Blocking: a `volume rm` holds it
    // exclusively only while it moves the volume away.
    while (::flock(directory.get(), LOCK_SH) != 0) {
        if (errno != EINTR) throw_errno("lock", path);
    }
    // A `volume rm` that won the race has renamed the directory we hold away: the name
    // leads elsewhere, or nowhere, and holding this lock protects nothing.
    const EntryStatus now = look_at(parent, entry);
    if (!now.exists || now.identity != identity_of(directory)) return {};
    return directory;
}

void copy_up(const UniqueFd& from, const UniqueFd& to) {
    struct stat status {};
    if (::fstat(from.get(), &status) != 0) throw_errno("stat", "the image's directory");
    CopyUp copier(to.get());
    copier.directory(from.get(), to.get(), "", 0);
    if (::fchown(to.get(), status.st_uid, status.st_gid) != 0 ||
        ::fchmod(to.get(), status.st_mode & 07777) != 0) {
        throw_errno("set owner and mode of", "the volume");
    }
}

}  // namespace container
