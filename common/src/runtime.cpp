/// @file runtime.cpp
/// @brief Starting a container: namespaces, root filesystem, init, and the volumes.
#include "container/runtime.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <utility>

#include "container/image.hpp"
#include "container/volume_store.hpp"
#include "container_init.hpp"
#include "journal.hpp"
#include "namespaces.hpp"
#include "parent_death.hpp"
#include "signals.hpp"
#include "supervisor.hpp"

namespace container {

namespace {

/// How long the init may take, after the stop timeout, to kill the command and clean up.
constexpr std::chrono::seconds kInitCleanupTime{5};

}  // namespace

int run_container(const RunOptions& options) {
    // Before anything: a missing image is the user's mistake and must cost nothing.
    const auto image = resolve_image(options.image);
    // A run killed before its cleanup may have left mount points in volume sources:
    // finish that first (journal.hpp). Nothing to do, and one failed open(2), most times.
    finish_killed_runs_quietly();
    // Named volumes are made (on first use) and held in use by this process, for as long
    // as the container runs: `volume rm` is refused meanwhile, and the kernel lets go of
    // them when this process dies, however it dies.
    RunOptions resolved = options;
    VolumesInUse named_volumes(resolved.volumes, /*remove_anonymous=*/options.remove);
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
        run_container_init(resolved, image, std::move(runtime));  // never returns
    }
    runtime.reset();
    // The init itself kills the command when its stop timeout is up, so that it can still
    // clean the volumes up. Should the init hang, the runtime kills it a little later:
    // a last resort, that leaves the namespaces to take every mount with them.
    const auto init_timeout = options.stop_timeout
                                  ? std::optional{*options.stop_timeout + kInitCleanupTime}
                                  : std::nullopt;
    const int status = supervise(init, Reap::child_only, init_timeout);
    named_volumes.release();
    return status;
}

}  // namespace container
