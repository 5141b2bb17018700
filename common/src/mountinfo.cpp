/// @file mountinfo.cpp
/// @brief Parsing /proc/PID/mountinfo, as described in proc(5).
#include "container/mountinfo.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <optional>
#include <stdexcept>

#include "container/error.hpp"
#include "container/unique_fd.hpp"
#include "split.hpp"

namespace container {
namespace {

/// The fields before the optional ones: ID, parent ID, major:minor, root, mount point,
/// options. After the "-" separator come exactly three: type, source, super options.
constexpr std::size_t kLeadingFields = 6;
constexpr std::size_t kTrailingFields = 3;

bool is_octal_digit(char c) {
    return c >= '0' && c <= '7';
}

/// The byte of an escape "\NNN" at the start of @p text, if it is one.
std::optional<char> octal_escape(std::string_view text) {
    if (text.size() < 4 || text[0] != '\\' ||
        !std::all_of(text.begin() + 1, text.begin() + 4, is_octal_digit)) {
        return std::nullopt;
    }
    const int value = (text[1] - '0') * 64 + (text[2] - '0') * 8 + (text[3] - '0');
    if (value > 0xff) return std::nullopt;
    return static_cast<char>(value);
}

[[noreturn]] void reject_line(std::string_view line, std::string_view problem) {
    throw std::invalid_argument("malformed mountinfo line '" + std::string{line} +
                                "': " + std::string{problem});
}

std::uint64_t parse_number(std::string_view line, std::string_view field) {
    std::uint64_t number = 0;
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), number);
    if (field.empty() || error != std::errc{} || end != field.data() + field.size()) {
        reject_line(line, "'" + std::string{field} + "' is not a mount id");
    }
    return number;
}

/// "major:minor", two decimal numbers.
bool is_device(std::string_view field) {
    const auto colon = field.find(':');
    const auto is_number = [](std::string_view digits) {
        return !digits.empty() &&
               std::ranges::all_of(digits, [](char c) { return c >= '0' && c <= '9'; });
    };
    return colon != std::string_view::npos && is_number(field.substr(0, colon)) &&
           is_number(field.substr(colon + 1));
}

std::string read_whole_file(const std::filesystem::path& file) {
    const UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw_errno("open", file);
    // /proc files report a size of 0: read until end of file rather than stat them.
    std::string text;
    char buffer[4096];
    while (true) {
        const auto count = ::read(fd.get(), buffer, sizeof buffer);
        if (count < 0) {
            if (errno == EINTR) continue;
            throw_errno("read", file);
        }
        if (count == 0) return text;
        text.append(buffer, static_cast<std::size_t>(count));
    }
}

}  // namespace

bool MountInfo::read_only() const {
    // A whole word: "ro" must not be found inside, say, "errors=remount-ro".
    return std::ranges::any_of(split(options, ','),
                               [](std::string_view option) { return option == "ro"; });
}

std::string MountInfo::propagation() const {
    const auto has_tag = [this](std::string_view tag) {
        return std::ranges::any_of(
            optional, [tag](const std::string& field) { return field.starts_with(tag); });
    };
    const bool shared = has_tag("shared:");
    const bool slave = has_tag("master:");
    if (shared && slave) return "shared,slave";
    if (shared) return "shared";
    if (slave) return "slave";
    return "private";  // also for "unbindable", which is private and more
}

std::string unescape_mount_path(std::string_view escaped) {
    std::string text;
    text.reserve(escaped.size());
    while (!escaped.empty()) {
        if (const auto byte = octal_escape(escaped)) {
            text += *byte;
            escaped.remove_prefix(4);
        } else {
            // The kernel escapes every backslash, so this happens only in hand-written
            // input: keep it as it is.
            text += escaped.front();
            escaped.remove_prefix(1);
        }
    }
    return text;
}

MountInfo parse_mountinfo_line(std::string_view line) {
    // Fields are separated by single spaces; a space inside a field is escaped "\040".
    const auto fields = split(line, ' ');
    // The optional fields may be zero or many: only the "-" separator tells where they end.
    if (fields.size() < kLeadingFields + 1 + kTrailingFields) reject_line(line, "too few fields");
    const auto separator = std::find(fields.begin() + kLeadingFields, fields.end(), "-");
    if (separator == fields.end()) reject_line(line, "no '-' separator after the options");
    if (static_cast<std::size_t>(fields.end() - separator) != 1 + kTrailingFields) {
        reject_line(line, "not three fields after the '-' separator");
    }
    if (!is_device(fields[2])) {
        reject_line(line, "'" + std::string{fields[2]} + "' is not major:minor");
    }
    if (fields[3].empty() || fields[4].empty()) reject_line(line, "empty path");
    if (fields[5].empty()) reject_line(line, "empty mount options");
    if (separator[1].empty()) reject_line(line, "empty file system type");

    return MountInfo{
        .mount_id = parse_number(line, fields[0]),
        .parent_id = parse_number(line, fields[1]),
        .device = std::string{fields[2]},
        .root = unescape_mount_path(fields[3]),
        .mount_point = unescape_mount_path(fields[4]),
        .options = std::string{fields[5]},
        .optional = std::vector<std::string>(fields.begin() + kLeadingFields, separator),
        .fs_type = std::string{separator[1]},
        // The kernel escapes the source the same way as paths (it is often one).
        .source = unescape_mount_path(separator[2]),
        .super_options = std::string{separator[3]},
    };
}

std::vector<MountInfo> read_mountinfo(const std::filesystem::path& file) {
    const auto text = read_whole_file(file);
    std::vector<MountInfo> mounts;
    for (const auto line : split(text, '\n')) {
        if (!line.empty()) mounts.push_back(parse_mountinfo_line(line));
    }
    return mounts;
}

}  // namespace container
