/// @file test_helpers.cpp
/// @brief Small tools for the step checks.
#include "test_helpers.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <exception>
#include <fstream>
#include <sstream>
#include <system_error>

#include "container/error.hpp"
#include "container/mounts.hpp"

namespace container::test_support {

void write_file(const std::filesystem::path& file, std::string_view content) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw_errno("open", file);
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t written = ::write(fd, content.data() + done, content.size() - done);
        if (written < 0) {
            if (errno == EINTR) continue;
            const int error = errno;
            ::close(fd);
            throw_error(error, "write", file);
        }
        done += static_cast<std::size_t>(written);
    }
    if (::close(fd) != 0) throw_errno("close", file);
}

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw_errno("open", file);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

void make_directory(const std::filesystem::path& directory, mode_t mode) {
    if (::mkdir(directory.c_str(), mode) != 0) throw_errno("mkdir", directory);
    if (::chmod(directory.c_str(), mode) != 0) throw_errno("chmod", directory);
}

mode_t mode_of(const std::filesystem::path& path) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) throw_errno("lstat", path);
    return info.st_mode & 07777;
}

std::string octal(mode_t mode) {
    char text[16];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode));
    return text;
}

bool is_real_directory(const std::filesystem::path& path) {
    struct stat info {};
    return ::lstat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

bool is_real_file(const std::filesystem::path& path) {
    struct stat info {};
    return ::lstat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

bool is_symlink_no_follow(const std::filesystem::path& path) {
    struct stat info {};
    return ::lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode);
}

bool exists_no_follow(const std::filesystem::path& path) {
    struct stat info {};
    return ::lstat(path.c_str(), &info) == 0;
}

std::string listing(const std::filesystem::path& directory) {
    std::vector<std::string> names;
    std::error_code error;
    for (std::filesystem::directory_iterator it(directory, error), end; !error && it != end;
         it.increment(error)) {
        names.push_back(it->path().filename().string());
    }
    std::sort(names.begin(), names.end());
    std::string text = "[";
    for (std::size_t i = 0; i < names.size(); ++i) text += (i ? ", " : "") + names[i];
    return text + "]";
}

int write_errno(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return errno;
    const ssize_t written = ::write(fd, "x", 1);
    const int error = written == 1 ? 0 : errno;
    ::close(fd);
    ::unlink(file.c_str());
    return error;
}

int append_errno(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0) return errno;
    const ssize_t written = ::write(fd, "x", 1);
    const int error = written == 1 ? 0 : errno;
    ::close(fd);
    return error;
}

std::vector<MountInfo> mounts_at(const std::filesystem::path& path) {
    std::vector<MountInfo> found;
    for (MountInfo& mount : read_mountinfo()) {
        if (mount.mount_point == path) found.push_back(std::move(mount));
    }
    return found;
}

std::vector<MountInfo> mounts_below(const std::filesystem::path& path) {
    std::vector<MountInfo> found;
    for (MountInfo& mount : read_mountinfo()) {
        if (is_within(mount.mount_point, path)) found.push_back(std::move(mount));
    }
    return found;
}

std::string describe(const std::vector<MountInfo>& mounts) {
    std::string text;
    for (const MountInfo& mount : mounts) {
        text += "  " + mount.mount_point.string() + " (" + mount.fs_type + " " +
                mount.root.string() + ", " + mount.options + ")\n";
    }
    return text.empty() ? std::string{"  (none)\n"} : text;
}

std::uint64_t mount_id_of(const std::filesystem::path& path) {
    struct statx info {};
    if (::statx(AT_FDCWD, path.c_str(), AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &info) != 0) {
        throw_errno("statx", path);
    }
    return info.stx_mnt_id;
}

std::size_t detach_mounts_below(const std::filesystem::path& path) {
    std::vector<MountInfo> mounts = mounts_below(path);
    // Deepest first; at the same place, the newest (listed last, mounted on top) first.
    std::reverse(mounts.begin(), mounts.end());
    std::stable_sort(mounts.begin(), mounts.end(), [](const MountInfo& a, const MountInfo& b) {
        return path_depth(a.mount_point) > path_depth(b.mount_point);
    });
    std::size_t detached = 0;
    for (auto it = mounts.begin(); it != mounts.end();) {
        auto same_depth_end = std::find_if(it, mounts.end(), [&](const MountInfo& m) {
            return path_depth(m.mount_point) != path_depth(it->mount_point);
        });
        std::reverse(it, same_depth_end);
        it = same_depth_end;
    }
    for (const MountInfo& mount : mounts) {
        // Private first: a detach under shared propagation also unmounts the peers of
        // the submounts, which may lie outside of @p path.
        ::mount(nullptr, mount.mount_point.c_str(), nullptr, MS_REC | MS_PRIVATE, nullptr);
        if (::umount2(mount.mount_point.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) == 0) ++detached;
    }
    return detached;
}

std::string thrown_message(const std::function<void()>& action) {
    try {
        action();
    } catch (const NotImplemented&) {
        throw;  // a skeleton not filled in yet: the grader reports it as such
    } catch (const std::exception& error) {
        return error.what();
    }
    return {};
}

int thrown_errno(const std::function<void()>& action) {
    try {
        action();
    } catch (const NotImplemented&) {
        throw;
    } catch (const std::system_error& error) {
        return error.code().value();
    } catch (const std::exception&) {
        return 0;
    }
    return 0;
}

std::vector<std::filesystem::path> created_paths(const MountPoint& mount_point) {
    std::vector<std::filesystem::path> paths;
    for (const CreatedEntry& entry : mount_point.created) paths.push_back(entry.path);
    return paths;
}

std::string show(const std::vector<std::filesystem::path>& paths) {
    std::string text = "[";
    for (std::size_t i = 0; i < paths.size(); ++i) text += (i ? ", " : "") + paths[i].string();
    return text + "]";
}

FileIdentity identity_at(const std::filesystem::path& path) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) throw_errno("lstat", path);
    return {info.st_dev, info.st_ino};
}

std::string tree_listing(const std::filesystem::path& directory) {
    std::vector<std::string> lines;
    std::error_code error;
    for (std::filesystem::recursive_directory_iterator it(directory, error), end;
         !error && it != end; it.increment(error)) {
        struct stat info {};
        if (::lstat(it->path().c_str(), &info) != 0) continue;
        lines.push_back(it->path().lexically_relative(directory).string() + " " +
                        (S_ISDIR(info.st_mode)   ? "dir"
                         : S_ISLNK(info.st_mode) ? "symlink"
                                                 : "file") +
                        " " + octal(info.st_mode & 07777) + " " +
                        (S_ISREG(info.st_mode) ? std::to_string(info.st_size) : ""));
    }
    std::sort(lines.begin(), lines.end());
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    return text;
}

Volume make_volume(const std::filesystem::path& source, const std::filesystem::path& destination,
                   bool read_only, bool create_missing_source) {
    Volume volume;
    volume.source = source;
    volume.destination = destination;
    volume.read_only = read_only;
    volume.create_missing_source = create_missing_source;
    volume.spec = source.string() + ":" + destination.string() + (read_only ? ":ro" : "");
    return volume;
}

ScopedUmask::ScopedUmask(mode_t mask) : previous_(::umask(mask)) {}
ScopedUmask::~ScopedUmask() {
    ::umask(previous_);
}

ChildInDirectory::ChildInDirectory(const std::filesystem::path& directory) {
    int ready[2];
    int release[2];
    if (::pipe2(ready, O_CLOEXEC) != 0) throw_errno("pipe", "");
    if (::pipe2(release, O_CLOEXEC) != 0) {
        const int error = errno;
        ::close(ready[0]);
        ::close(ready[1]);
        throw_error(error, "pipe", "");
    }
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) {
        const int error = errno;
        for (int fd : {ready[0], ready[1], release[0], release[1]}) ::close(fd);
        throw_error(error, "fork", "");
    }
    if (pid_ == 0) {
        // The child: only async-signal-safe calls, then _exit (never gtest's atexit).
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(1);
        ::close(ready[0]);
        ::close(release[1]);
        const char status = ::chdir(directory.c_str()) == 0 ? 'y' : 'n';
        if (::write(ready[1], &status, 1) != 1) ::_exit(1);
        char byte;
        while (::read(release[0], &byte, 1) < 0 && errno == EINTR) {}
        ::_exit(0);  // EOF: the parent closed its end
    }
    ::close(ready[1]);
    ::close(release[0]);
    release_fd_ = release[1];
    char status = 'n';
    ssize_t got;
    while ((got = ::read(ready[0], &status, 1)) < 0 && errno == EINTR) {}
    ::close(ready[0]);
    if (got != 1 || status != 'y') {
        ::close(release_fd_);
        ::waitpid(pid_, nullptr, 0);
        throw_error(ENOENT, "child process could not enter", directory);
    }
}

ChildInDirectory::~ChildInDirectory() {
    ::close(release_fd_);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {}
}

ScopedTmpfs::ScopedTmpfs(const std::filesystem::path& where) : where_(where) {
    if (::mount("tmpfs", where_.c_str(), "tmpfs", 0, "size=1m,mode=0755") != 0) {
        throw_errno("mount tmpfs on", where_);
    }
    mount_id_ = mount_id_of(where_);
}

ScopedTmpfs::~ScopedTmpfs() {
    std::uint64_t id = 0;
    try {
        if (!is_mount_point(where_)) return;
        id = mount_id_of(where_);
    } catch (const std::exception&) {
        return;  // gone
    }
    if (id != mount_id_) return;  // not ours any more: leave it to the mount-table check
    ::mount(nullptr, where_.c_str(), nullptr, MS_REC | MS_PRIVATE, nullptr);
    ::umount2(where_.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW);
}

PrivateSubtree::PrivateSubtree(const std::filesystem::path& directory) : directory_(directory) {
    if (::mount(directory_.c_str(), directory_.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
        throw_errno("bind onto itself", directory_);
    }
    mount_id_ = mount_id_of(directory_);
    if (::mount(nullptr, directory_.c_str(), nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
        const int error = errno;
        ::umount2(directory_.c_str(), MNT_DETACH);
        throw_error(error, "make private", directory_);
    }
}

std::vector<MountInfo> PrivateSubtree::other_mounts() const {
    std::vector<MountInfo> others = mounts_below(directory_);
    std::erase_if(others, [&](const MountInfo& mount) { return mount.mount_id == mount_id_; });
    return others;
}

PrivateSubtree::~PrivateSubtree() {
    try {
        const std::vector<MountInfo> left = other_mounts();
        // After a failure (an exception, a fatal assertion) leftovers are expected.
        if (!left.empty() && !::testing::Test::HasFailure()) {
            ADD_FAILURE() << "mounts were left at the end of the test (every mount a test "
                             "makes must be undone):\n"
                          << describe(left);
        }
        detach_mounts_below(directory_);
    } catch (const std::exception& error) {
        ADD_FAILURE() << "cannot undo the private mount of " << directory_ << ": " << error.what();
    }
}

}  // namespace container::test_support
