/// @file unique_fd.hpp
/// @brief A file descriptor that closes itself.
#pragma once

#include <string>
#include <utility>

namespace container {

/// Owns one file descriptor and closes it when it goes out of scope.
/// Movable, not copyable, like std::unique_ptr.
class UniqueFd {
public:
    UniqueFd() = default;
    /// Takes ownership of @p fd (which may be -1, "no descriptor").
    explicit UniqueFd(int fd) noexcept : fd_(fd) {}
    /// Takes the descriptor of @p other, which is left empty.
    UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    /// Closes the held descriptor and takes the one of @p other, which is left empty.
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        if (this != &other) reset(std::exchange(other.fd_, -1));
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }

    /// The descriptor, still owned by this object.
    [[nodiscard]] int get() const noexcept { return fd_; }
    /// True when a descriptor is held.
    explicit operator bool() const noexcept { return fd_ >= 0; }
    /// Gives the descriptor up without closing it.
    int release() noexcept { return std::exchange(fd_, -1); }
    /// Closes the held descriptor (if any) and takes @p fd instead.
    void reset(int fd = -1) noexcept;

private:
    int fd_ = -1;
};

/// "/proc/self/fd/N" for @p fd: a path that leads to the very file the descriptor holds.
/// The kernel does not walk it like other paths: "N" is a link it resolves to the
/// descriptor's file, wherever that file is now and whatever was renamed or swapped for
/// a symlink on the way to it since it was opened. So a call that takes only a path
/// (mount(2), umount2(2)) can still act on something held open. Needs a /proc of this
/// process's own PID namespace mounted at /proc.
[[nodiscard]] inline std::string fd_path(const UniqueFd& fd) {
    return "/proc/self/fd/" + std::to_string(fd.get());
}

}  // namespace container
