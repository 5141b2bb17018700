/// @file rootfs.cpp
/// @brief Paths inside the container's root filesystem, resolved with openat2(2) so that
///        neither a symlink of the image nor ".." can lead out of it.
#include "container/rootfs.hpp"

#include <fcntl.h>          // O_* flags, AT_REMOVEDIR
#include <linux/openat2.h>  // struct open_how, RESOLVE_*
#include <sys/stat.h>       // mkdirat(2), fchmod(2)
#include <sys/syscall.h>    // SYS_openat2
#include <unistd.h>         // syscall(2), readlink(2), unlinkat(2)

#include <array>
#include <cstdint>
#include <cerrno>
#include <string>
#include <string_view>
#include <utility>

#include "container/error.hpp"

namespace container {
namespace {

/// The path handed to openat2(2): a container path as it is (with RESOLVE_IN_ROOT an
/// absolute path starts at the rootfs), "." for an empty one.
std::string lookup_path(const std::filesystem::path& inside) {
    return inside.empty() ? std::string{"."} : inside.string();
}

/// openat2(2) below @p root_fd, where "/" and ".." stop at the root and symlinks are
/// resolved as if it were "/". Returns -1 with errno set on failure.
int open_in_root(int root_fd, const std::filesystem::path& inside, int flags) {
    open_how how{};
    how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
    // RESOLVE_NO_MAGICLINKS: no /proc/PID/fd/N-style jumps to files outside the rootfs.
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    const std::string path = lookup_path(inside);
    for (int attempt = 0;; ++attempt) {
        const long fd = ::syscall(SYS_openat2, root_fd, path.c_str(), &how, sizeof how);
        // EAGAIN: a concurrent rename or mount made ".." resolution unsafe; try again.
        if (fd >= 0 || errno != EAGAIN || attempt == 16) return static_cast<int>(fd);
    }
}

}  // namespace

Rootfs::Rootfs(std::filesystem::path directory)
    : directory_(std::move(directory)),
      fd_(::open(directory_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC)),
      proc_fd_(::open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC)) {
    if (!fd_) throw_errno("open rootfs", directory_);
    if (!proc_fd_) throw_errno("open", "/proc/self/fd");
    real_root_ = path_of(fd_.get());
}

/// The path an open descriptor designates, as the kernel records it.
std::filesystem::path Rootfs::path_of(int fd) const {
    const std::string name = std::to_string(fd);
    std::array<char, 4097> buffer{};
    const ssize_t length = ::readlinkat(proc_fd_.get(), name.c_str(), buffer.data(), buffer.size());
    if (length < 0) throw_errno("readlink", "/proc/self/fd/" + name);
    if (static_cast<std::size_t>(length) >= buffer.size()) {
        throw_error(ENAMETOOLONG, "readlink", "/proc/self/fd/" + name);
    }
    return std::filesystem::path(std::string(buffer.data(), static_cast<std::size_t>(length)));
}

UniqueFd Rootfs::open(const std::filesystem::path& inside, int flags, FollowLast follow) const {
    if (follow == FollowLast::no) flags |= O_NOFOLLOW;  // with O_PATH: the symlink itself
    UniqueFd fd(open_in_root(fd_.get(), inside, flags));
    if (!fd) {
        const int error = errno;
        throw_error(error, "open", inside.string() + " (in rootfs " + directory_.string() + ")");
    }
    return fd;
}

std::filesystem::path Rootfs::resolve(const std::filesystem::path& inside, FollowLast follow) const {
    // The kernel knows where the descriptor it resolved points: that path is free of
    // symlinks and "..", and lies within the rootfs. Callers hand it to mount(2) right
    // away, before anything runs in the container that could change the tree.
    const UniqueFd fd = open(inside, O_PATH, follow);
    return path_of(fd.get());
}

std::filesystem::path Rootfs::canonical(const std::filesystem::path& inside) const {
    const std::filesystem::path host = resolve(inside);
    // RESOLVE_IN_ROOT kept the lookup below the rootfs, so the host path starts with it.
    const std::filesystem::path relative = host.lexically_relative(real_root_);
    if (relative.empty() || *relative.begin() == "..") {
        throw_error(EXDEV, "resolve", inside.string() + " (in rootfs " + directory_.string() + ")");
    }
    return relative == "." ? std::filesystem::path("/") : "/" / relative;
}

bool Rootfs::exists(const std::filesystem::path& inside) const {
    const UniqueFd fd(open_in_root(fd_.get(), inside, O_PATH | O_NOFOLLOW));
    if (fd) return true;
    if (errno == ENOENT || errno == ENOTDIR) return false;
    const int error = errno;
    throw_error(error, "open", inside.string() + " (in rootfs " + directory_.string() + ")");
}

std::vector<std::filesystem::path> Rootfs::create_directories(
    const std::filesystem::path& inside) const {
    std::vector<std::filesystem::path> created;
    // Undoes this call's work (innermost first), then reports @p error for @p path.
    auto fail = [&](int error, std::string_view action, const std::filesystem::path& path) {
        for (auto it = created.rbegin(); it != created.rend(); ++it) {
            const UniqueFd parent(open_in_root(fd_.get(), it->parent_path(), O_PATH | O_DIRECTORY));
            if (parent) ::unlinkat(parent.get(), it->filename().c_str(), AT_REMOVEDIR);
        }
        throw_error(error, action, path.string() + " (in rootfs " + directory_.string() + ")");
    };

    UniqueFd parent(open_in_root(fd_.get(), "/", O_PATH | O_DIRECTORY));
    if (!parent) fail(errno, "open", "/");
    std::filesystem::path current = "/";
    for (const auto& name : inside.relative_path()) {
        if (name.empty() || name == ".") continue;  // "a//b", "a/./b", a trailing "/"
        current /= name;
        // Look the whole prefix up again from the root: a component that is a symlink
        // in the image is followed, but only within the rootfs.
        UniqueFd next(open_in_root(fd_.get(), current, O_PATH | O_DIRECTORY));
        if (!next) {
            if (errno != ENOENT) fail(errno, "mkdir", current);
            // Missing: create it in the directory the previous component resolved to.
            // mkdirat() never follows a symlink at the name (a dangling one gives EEXIST).
            if (::mkdirat(parent.get(), name.c_str(), 0755) != 0) fail(errno, "mkdir", current);
            created.push_back(current);
            next.reset(::openat(parent.get(), name.c_str(),
                                O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!next) fail(errno, "open", current);
            // mkdir(2) applied the umask; set the mode the caller was promised.
            if (::fchmod(next.get(), 0755) != 0) fail(errno, "chmod", current);
        }
        parent = std::move(next);
    }
    return created;
}

bool Rootfs::create_file(const std::filesystem::path& inside) const {
    const std::filesystem::path name = inside.filename();
    if (name.empty() || name == "." || name == "..") {
        throw_error(EINVAL, "create", inside.string() + " (in rootfs " + directory_.string() + ")");
    }
    const UniqueFd parent = open(inside.parent_path(), O_PATH | O_DIRECTORY);
    // O_EXCL: never open (or truncate) something that is already there, and never
    // follow a symlink at the name, even a dangling one.
    const UniqueFd file(::openat(parent.get(), name.c_str(),
                                 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (!file) {
        if (errno == EEXIST) return false;
        const int error = errno;
        throw_error(error, "create", inside.string() + " (in rootfs " + directory_.string() + ")");
    }
    if (::fchmod(file.get(), 0644) != 0) {
        const int error = errno;
        throw_error(error, "chmod", inside.string() + " (in rootfs " + directory_.string() + ")");
    }
    return true;
}

}  // namespace container
