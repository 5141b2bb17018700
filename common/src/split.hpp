/// @file split.hpp
/// @brief Splitting text on a separator, keeping empty fields (internal header).
#pragma once

#include <string_view>
#include <vector>

namespace container {

/// Splits @p text at every @p separator. Empty fields are kept ("a::b" gives "a", "", "b"),
/// because the formats parsed here give them meaning (an empty volume field is an error,
/// an empty mountinfo source is a valid field); "" gives one empty field.
/// The views point into @p text.
[[nodiscard]] inline std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> fields;
    while (true) {
        const auto end = text.find(separator);
        fields.push_back(text.substr(0, end));
        if (end == std::string_view::npos) return fields;
        text.remove_prefix(end + 1);
    }
}

}  // namespace container
