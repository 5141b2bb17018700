/// @file fd_link.hpp
/// @brief Reading a link such as /proc/self/fd/N: the path the kernel gives an open file.
#pragma once

#include <fcntl.h>   // AT_FDCWD
#include <unistd.h>  // readlinkat(2)

#include <array>
#include <cerrno>
#include <filesystem>
#include <string>

#include "container/error.hpp"

namespace container {

/// The target of the link @p name (relative to the directory @p directory_fd, or
/// AT_FDCWD). For "/proc/self/fd/N": the path of the file descriptor N holds, as the
/// kernel names it now. A name for messages and for finding things again; never to act
/// on, since it is looked up anew by whatever is given it.
/// @throws std::system_error, ENAMETOOLONG when it is longer than PATH_MAX.
[[nodiscard]] inline std::filesystem::path fd_link(int directory_fd, const std::string& name) {
    std::array<char, 4097> buffer{};
    const ssize_t length = ::readlinkat(directory_fd, name.c_str(), buffer.data(), buffer.size());
    if (length < 0) throw_errno("readlink", name);
    if (static_cast<std::size_t>(length) >= buffer.size()) {
        throw_error(ENAMETOOLONG, "readlink", name);
    }
    return std::string(buffer.data(), static_cast<std::size_t>(length));
}

}  // namespace container
