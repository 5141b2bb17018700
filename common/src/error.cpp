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

namespace {

/// The length of the printable character that starts @p text (not empty, not ASCII):
/// a well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, nothing past
/// U+10FFFF) that is not a C1 control character (U+0080 to U+009F). 0 for anything else.
std::size_t printable_character_length(std::string_view text) {
    const auto byte = [&text](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(0);
    std::size_t length = 0;
    unsigned char low = 0x80;  // the range of the second byte, narrower after some leads
    unsigned char high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
        if (lead == 0xc2) low = 0xa0;  // C2 80 to C2 9F: the C1 controls
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        if (lead == 0xe0) low = 0xa0;   // overlong
        if (lead == 0xed) high = 0x9f;  // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        if (lead == 0xf0) low = 0x90;   // overlong
        if (lead == 0xf4) high = 0x8f;  // past U+10FFFF
    } else {
        return 0;
    }
    if (text.size() < length || byte(1) < low || byte(1) > high) return 0;
    for (std::size_t i = 2; i < length; ++i) {
        if (byte(i) < 0x80 || byte(i) > 0xbf) return 0;
    }
    return length;
}

/// "\n", "\t", "\r", or "\xNN" for any other byte.
std::string escape(unsigned char byte) {
    switch (byte) {
        case '\n':
            return "\\n";
        case '\t':
            return "\\t";
        case '\r':
            return "\\r";
        default:
            break;
    }
    constexpr std::string_view kDigits = "0123456789abcdef";
    return std::string{"\\x"} + kDigits[byte >> 4] + kDigits[byte & 0x0f];
}

}  // namespace

std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte >= 0x20 && byte < 0x7f) {  // printable ASCII
            out += text[i++];
        } else if (const std::size_t length =
                       byte < 0x80 ? 0 : printable_character_length(text.substr(i));
                   length > 0) {
            out += text.substr(i, length);
            i += length;
        } else {
            out += escape(byte);
            ++i;
        }
    }
    return out;
}

void print_error(std::string_view what) {
    // One insertion of the whole line, so that it is not interleaved with other output.
    std::cerr << "container: " + printable(what) + "\n";
}

}  // namespace container
