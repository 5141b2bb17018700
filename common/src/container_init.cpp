#include "container_init.hpp"

#include <cstdio>
#include <iostream>
#include <vector>

#include <unistd.h>

#include "command.hpp"
#include "container/error.hpp"
#include "container/rootfs.hpp"
#include "container/volume_steps.hpp"
#include "dev_mount.hpp"
#include "failure_message.hpp"
#include "namespaces.hpp"
#include "parent_death.hpp"
#include "pivot_root.hpp"
#include "proc_mount.hpp"
#include "supervisor.hpp"

namespace container {

namespace {

/// What the init mounted into the rootfs, to be taken down in reverse order.
struct ContainerMounts {
    ProcMount proc;
    std::vector<MountPoint> volumes;
};

void warn(const std::exception& error) {
    print_error("warning: " + failure_message(error));
}

/// Undoes @p mounts in @p rootfs: the volumes (mounted last), then /proc. /dev needs
/// nothing: its mounts go with the namespace. Each part gets its chance whatever
/// happened to the other; failures are warnings, because the command's exit status is
/// what the user asked for. Rootfs::resolve() reads /proc/self/fd: /proc goes last.
void take_down(const ContainerMounts& mounts, const Rootfs& rootfs) noexcept {
    try {
        if (!mounts.volumes.empty()) {
            cleanup_container_volumes(mounts.volumes, rootfs);
        }
    } catch (const std::exception& error) {
        warn(error);
    }
    try {
        unmount_proc(mounts.proc, rootfs);
    } catch (const std::exception& error) {
        warn(error);
    }
}

int run(const RunOptions& options, const std::filesystem::path& rootfs_directory) {
    make_mounts_private();
    if (sethostname(options.hostname.data(), options.hostname.size()) != 0) {
        throw_errno("sethostname", options.hostname);
    }
    bind_onto_itself(rootfs_directory);
    // Opened after the bind, so that it designates the bind mount: what is mounted
    // through it sits on that mount and moves with it at pivot_root.
    const Rootfs rootfs(rootfs_directory);

    // /proc and /dev before the volumes, so that a volume can go inside them
    // (-v /dev/log:/dev/log) instead of being hidden by them.
    ContainerMounts mounts;
    try {
        mounts.proc = mount_proc(rootfs);
        mount_dev(rootfs);
        if (!options.volumes.empty()) {  // a run without volumes works before step 4 is done
            mounts.volumes = setup_container_volumes(options.volumes, rootfs);  // undoes itself
        }
        enter_root(rootfs_directory);
    } catch (...) {
        take_down(mounts, rootfs);
        throw;
    }

    // From here on "/" is the image, and the host is out of reach: the cleanup resolves
    // every path inside the container, where no symlink the command left can lead out.
    const Rootfs root("/");
    int status = kExitRuntimeError;
    try {
        const StartedCommand command = start_command(options.command);
        status = command.pid > 0 ? supervise(command.pid, Reap::every_child) : command.exit_status;
    } catch (...) {
        end_remaining_processes();
        take_down(mounts, root);
        throw;
    }
    end_remaining_processes();
    take_down(mounts, root);
    return status;
}

}  // namespace

void run_container_init(const RunOptions& options, const std::filesystem::path& rootfs,
                        UniqueFd runtime) noexcept {
    int status = kExitRuntimeError;
    try {
        die_with_parent(runtime);
        runtime.reset();
        status = run(options, rootfs);
    } catch (const std::exception& error) {
        print_error(failure_message(error));
        status = kExitRuntimeError;
    } catch (...) {
        print_error("unknown error in the container's init");
        status = kExitRuntimeError;
    }
    // _exit, not exit: this process is a copy of the runtime, whose atexit handlers and
    // static destructors belong to the runtime, not to it.
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    _exit(status);
}

}  // namespace container
