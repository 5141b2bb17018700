/// @file error.hpp
/// @brief How the runtime reports failures: exceptions that carry errno and the path.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace container {

/// Exit status for an error of the runtime itself (Docker's convention).
inline constexpr int kExitRuntimeError = 125;
/// Exit status when the command exists but cannot be executed.
inline constexpr int kExitCannotExecute = 126;
/// Exit status when the command is not found.
inline constexpr int kExitNotFound = 127;

/// Throws a std::system_error for the current errno.
/// The message reads "<action> <path>: <errno text>", e.g.
/// "mkdir /srv/data: Permission denied".
/// @param action what the runtime was doing ("mount", "rmdir", ...)
/// @param path   the path it was doing it to
[[noreturn]] void throw_errno(std::string_view action, const std::filesystem::path& path);

/// Same as throw_errno(), for an error number that did not come from errno.
[[noreturn]] void throw_error(int error_number, std::string_view action,
                              const std::filesystem::path& path);

/// A std::system_error whose message is given whole: what() is @p message as it is, with
/// no ": <errno text>" appended. For an error that gains context on its way up (the
/// volume it happened to) and keeps its error code.
class ContextError : public std::system_error {
public:
    /// An error of code @p code whose whole message is @p message.
    ContextError(std::error_code code, std::string message)
        : std::system_error(code), message_(std::move(message)) {}
    /// The message as given.
    [[nodiscard]] const char* what() const noexcept override { return message_.c_str(); }

private:
    std::string message_;
};

/// Bad input from the user: a malformed volume spec, an unknown flag, ...
/// The message is complete as it stands (it quotes the offending input).
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Thrown by a step skeleton whose TODOs are not filled in yet.
/// The grader reports it as "not implemented yet" rather than as a failure of the code.
class NotImplemented : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

/// Throws NotImplemented for @p function ("setup_volume", ...).
[[noreturn]] void not_implemented(std::string_view function);

/// @p text made safe to print as part of one line on a terminal: newline, tab and
/// carriage return become `\n`, `\t` and `\r`, any other control character `\xNN`
/// (ESC is `\x1b`), and so do bytes that are not UTF-8 or that encode a C1 control
/// character (U+0080 to U+009F: some terminals obey U+009B as ESC [). Anything else,
/// letters of any language included, is kept as it is.
/// A spec or path quoted in an error is the user's (or the image's) text: printed raw, a
/// newline would split the one line of the message, and an escape sequence would be
/// obeyed by the terminal.
[[nodiscard]] std::string printable(std::string_view text);

/// Prints "container: <what>" on stderr, the one line the user sees for a runtime error.
/// @p what goes through printable(): whatever it quotes, it stays one line.
void print_error(std::string_view what);

}  // namespace container
