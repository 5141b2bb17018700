// One of the deliberately broken runtimes of step 05 (faults.txt): the reference runtime,
// linked with this file and `-Wl,--wrap=<run_container>`. Before it starts the container,
// it binds each volume's source in the *host's* mount namespace as well (here: onto
// itself), as a runtime does that prepares its volumes on the host's side, before the
// container has a namespace of its own; once the container is done, it unmounts it again.
// Nothing is left over afterwards: the fault shows only *while the container runs*, in
// the host's mount table, which the container's mounts must never reach.
//
// SAFETY: only for a volume whose source lies in a test's sandbox (test_sandbox.hpp).
//
// Wrap: _ZN9container13run_containerERKNS_10RunOptionsE
#include <sys/mount.h>

#include <filesystem>
#include <string>
#include <vector>

#include "container/cli.hpp"
#include "test_sandbox.hpp"

extern "C" int __real__ZN9container13run_containerERKNS_10RunOptionsE(
    const container::RunOptions& options);

extern "C" int __wrap__ZN9container13run_containerERKNS_10RunOptionsE(
    const container::RunOptions& options) {
    std::vector<std::string> bound;
    for (const container::Volume& volume : options.volumes) {
        std::error_code error;
        if (!std::filesystem::is_directory(volume.source, error) ||
            !fault::inside_test_sandbox(volume.source)) {
            continue;
        }
        const std::string source = volume.source.string();
        // the fault: a mount in the host's namespace, for as long as the container runs
        if (::mount(source.c_str(), source.c_str(), nullptr, MS_BIND | MS_REC, nullptr) == 0) {
            bound.push_back(source);
        }
    }
    const int status = __real__ZN9container13run_containerERKNS_10RunOptionsE(options);
    for (auto it = bound.rbegin(); it != bound.rend(); ++it) {
        // Private first: the bind is a peer of the source's own mount, and detaching it
        // while shared would unmount the host's mounts below the source along with it.
        ::mount(nullptr, it->c_str(), nullptr, MS_REC | MS_PRIVATE, nullptr);
        ::umount2(it->c_str(), MNT_DETACH);
    }
    return status;
}
