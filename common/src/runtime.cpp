#include "container/runtime.hpp"

#include <cstdio>
#include <iostream>
#include <utility>

#include "container/image.hpp"
#include "container_init.hpp"
#include "journal.hpp"
#include "namespaces.hpp"
#include "parent_death.hpp"
#include "signals.hpp"
#include "supervisor.hpp"

namespace container {

int run_container(const RunOptions& options) {
    // Before anything: a missing image is the user's mistake and must cost nothing.
    const auto image = resolve_image(options.image);
    // A run killed before its cleanup may have left mount points in volume sources:
    // finish that first (journal.hpp). Nothing to do, and one failed open(2), most times.
    finish_killed_runs_quietly();
    UniqueFd runtime = open_own_pidfd();
    // Blocked before the clone, so that the init starts with them blocked too: a signal
    // sent to it before its loop runs waits, instead of killing it with no cleanup.
    const BlockedSignals blocked(supervised_signals());
    // The child starts with a copy of our buffers: empty them first, or they print twice.
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);

    const pid_t init = clone_into_namespaces();
    if (init == 0) {
        run_container_init(options, image, std::move(runtime));  // never returns
    }
    runtime.reset();
    return supervise(init, Reap::child_only);
}

}  // namespace container
