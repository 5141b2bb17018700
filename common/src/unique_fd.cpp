/// @file unique_fd.cpp
/// @brief Closing an owned file descriptor.
#include "container/unique_fd.hpp"

#include <unistd.h>
#include <cerrno>

namespace container {

void UniqueFd::reset(int fd) noexcept {
    if (fd_ >= 0 && fd_ != fd) {
        // reset() runs in destructors, often between a failed call and the throw_errno()
        // that reports it: close() must not overwrite the errno that is about to be read.
        const int saved_errno = errno;
        // No retry on EINTR: Linux releases the descriptor even when close() is
        // interrupted, and a retry could close a descriptor another thread just opened.
        ::close(fd_);
        errno = saved_errno;
    }
    fd_ = fd;
}

}  // namespace container
