/// @file failure_message.cpp
/// @brief The line a user sees for an exception that ends a run.
#include "failure_message.hpp"

#include "container/error.hpp"

namespace container {

std::string failure_message(const std::exception& error) {
    std::string message = error.what();
    if (dynamic_cast<const NotImplemented*>(&error) != nullptr) {
        message += " (fill in the TODOs of its step)";
    }
    return message;
}

}  // namespace container
