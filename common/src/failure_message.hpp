/// @file failure_message.hpp
/// @brief The line a user sees for an exception that ends a run.
#pragma once

#include <exception>
#include <string>

namespace container {

/// The message for @p error as print_error() shows it: its what(), with a hint for
/// NotImplemented ("setup_volume is not implemented yet (fill in the TODOs of its step)").
[[nodiscard]] std::string failure_message(const std::exception& error);

}  // namespace container
