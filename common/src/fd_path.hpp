/// @file fd_path.hpp
/// @brief Naming an open file to mount(2): "/proc/self/fd/N" (container::fd_path(), now in
///        container/unique_fd.hpp, where the volume code of the steps can use it too).
#pragma once

#include "container/unique_fd.hpp"
