/// @file unique_fd.hpp
/// @brief A file descriptor that closes itself.
#pragma once

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

}  // namespace container
