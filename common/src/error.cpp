/// @file error.cpp
/// @brief Turning errno values and user mistakes into the exceptions main() reports.
#include "container/error.hpp"

#include <cerrno>
#include <iostream>
#include <string>

namespace container {

void throw_errno(std::string_view action, const std::filesystem::path& path) {
    throw_error(errno, action, path);
}

void throw_error(int error_number, std::string_view action, const std::filesystem::path& path) {
    std::string what{action};
    if (!path.empty()) {
        what += ' ';
        what += path.string();  // not operator<<, which would quote the path
    }
    // generic_category() maps the number to strerror() text and lets callers compare
    // against std::errc portably; system_error appends ": <text>" to what().
    throw std::system_error(error_number, std::generic_category(), what);
}

void not_implemented(std::string_view function) {
    throw NotImplemented(std::string{function} + " is not implemented yet");
}

void print_error(std::string_view what) {
    // One insertion of the whole line, so that it is not interleaved with other output.
    std::cerr << "container: " + std::string{what} + "\n";
}

}  // namespace container
