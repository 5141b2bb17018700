/// @file descriptor_limit.cpp
/// @brief Raising the soft limit of open files for many volumes.
#include "descriptor_limit.hpp"

#include <sys/resource.h>  // getrlimit(2), setrlimit(2)

namespace container {
namespace {

/// Descriptors a volume may hold (source, mount point, its directory, and one for each
/// directory made for it), and what the runtime holds besides.
constexpr rlim_t kPerVolume = 8;
constexpr rlim_t kBesides = 64;

}  // namespace

void make_room_for_volumes(std::size_t volumes) noexcept {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    const rlim_t wanted = kBesides + kPerVolume * static_cast<rlim_t>(volumes);
    if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= wanted) return;
    limit.rlim_cur =
        limit.rlim_max == RLIM_INFINITY || limit.rlim_max > wanted ? wanted : limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
}

}  // namespace container
