/// @file expect_error.hpp
/// @brief Catching an exception to check its message word for word.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "container/error.hpp"

namespace container::testing {

/// Runs @p action and returns the what() of the @p Exception it throws.
/// Records a failure (and returns "") when it throws nothing or something else,
/// so that a test comparing the message fails for those too.
template <typename Exception = UsageError>
std::string error_message(const std::function<void()>& action) {
    try {
        action();
    } catch (const Exception& error) {
        return error.what();
    } catch (const std::exception& other) {
        ADD_FAILURE() << "threw another exception: " << other.what();
        return {};
    }
    ADD_FAILURE() << "threw nothing";
    return {};
}

}  // namespace container::testing
