/// @file container_init.cpp
/// @brief PID 1 of the container: it builds the container's file system view, runs the
/// command, and takes everything down again.
#include "container_init.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <utility>
#include <vector>

#include <unistd.h>

#include "bind_propagation.hpp"
#include "command.hpp"
#include "container/capabilities.hpp"
#include "container/error.hpp"
#include "container/rootfs.hpp"
#include "container/volume_steps.hpp"
#include "copy_up_volumes.hpp"
#include "descriptor_limit.hpp"
#include "dev_mount.hpp"
#include "failure_message.hpp"
#include "journal.hpp"
#include "namespaces.hpp"
#include "overlay_root.hpp"
#include "parent_death.hpp"
#include "pivot_root.hpp"
#include "proc_mount.hpp"
#include "supervisor.hpp"
#include "terminal_guard.hpp"
#include "tmpfs_mount.hpp"

namespace container {

namespace {

void warn(const std::exception& error) {
    print_error("warning: " + failure_message(error));
}

/// Unmounts @p volumes and removes the mount points they needed. The rest
/// (the overlay, /proc, /dev) needs nothing: those mounts, and whatever was created in
/// the container's own layer, go with the mount namespace. The volumes do need it: a
/// nested volume's mount point was made inside its parent volume's source, on the host,
/// and can only be removed once that volume is unmounted. A failure is a warning,
/// because the command's exit status is what the user asked for. Everything is reached
/// through the descriptors the volumes hold, whatever the command did to the paths.
void take_down(std::vector<MountPoint>& volumes) noexcept {
    if (volumes.empty()) {
        return;
    }
    try {
        cleanup_container_volumes(std::move(volumes));
    } catch (const std::exception& error) {
        warn(error);
    }
}

/// Everything before the command: the hostname, the container's own layer over the
/// image, /proc, /dev and the volumes, then pivot_root into it. What it creates on the
/// host goes in @p journal first. Returns the volumes, to be taken down once the command
/// is done; on failure, takes them down itself.
std::vector<MountPoint> build_root(const RunOptions& options, const std::filesystem::path& image,
                                   Journal& journal) {
    // The volumes bind-mounted from a source (host paths and named volumes); tmpfs
    // volumes are mounted on their own, before them.
    std::vector<Volume> bound;
    std::ranges::copy_if(options.volumes, std::back_inserter(bound),
                         [](const Volume& volume) { return volume.type != VolumeType::tmpfs; });
    // Before the mounts are made private, which would cut a shared volume off its source.
    const auto source_peers = keep_source_peers(bound);
    make_mounts_private();
    if (sethostname(options.hostname.data(), options.hostname.size()) != 0) {
        throw_errno("sethostname", options.hostname);
    }
    // The container's own writable layer over the image: whatever is created below (a
    // missing /proc, the volumes' mount points) lands there, never in the image, which
    // other containers may be using at the same time.
    const auto rootfs_directory = mount_overlay_root(image, options.layer_size);
    // Opened on the overlay: what is mounted through it sits on that mount and moves
    // with it at pivot_root. It holds descriptors of the host's side (the host's
    // /proc/self/fd among them): it is gone, and they are closed, when this returns.
    // The layer is discarded with this mount namespace, and the mount points made in it
    // with it: only those made in volumes (host directories) are listed for removal.
    const Rootfs rootfs(rootfs_directory, &journal, Layer::discarded);

    // /proc and /dev before the volumes, so that a volume can go inside them
    // (-v /dev/log:/dev/log) instead of being hidden by them.
    std::vector<MountPoint> volumes;
    try {
        mount_proc(rootfs);
        if (!options.privileged) restrict_proc(rootfs);
        mount_dev(rootfs);
        mount_tmpfs_volumes(options.volumes, rootfs);  // the container's own: nothing to undo
        if (!bound.empty()) {  // a run without volumes works before step 4 is done
            validate_resolved_destinations(bound, rootfs);  // before any mount
            copy_up_new_volumes(bound, rootfs);   // the image's files, into new named volumes
            make_room_for_volumes(bound.size());  // each is held by descriptors
            volumes = setup_container_volumes(bound, rootfs);  // undoes itself
            apply_propagation(volumes, bound);
        }
        enter_root(rootfs_directory);
    } catch (...) {
        take_down(volumes);
        throw;
    }
    return volumes;
}

int run(const RunOptions& options, const std::filesystem::path& image) {
    // What is created on the host (the mount point of a volume nested in another, made
    // in that volume's source) is written in the run's journal first, so that a run
    // killed before its cleanup can be finished later. It lives, locked, as long as the
    // run: closed (and removed, when nothing it lists is left) when this function returns.
    Journal journal(journal_directory());
    std::vector<MountPoint> volumes = build_root(options, image, journal);

    // From here on "/" is the container's, and the host is out of reach by path; the
    // volumes are still held by descriptor, which is how the cleanup reaches them.
    use_container_environment(options.hostname);
    int status = kExitRuntimeError;
    try {
        // Last, once every mount is made: the command gets only its capabilities, and
        // without CAP_SYS_ADMIN it cannot undo a mount (remount a :ro volume read-write,
        // unmount a hidden /proc file). This process keeps all of its own: it unmounts the
        // volumes when the command is done. Nor may the command type into the user's
        // terminal, which would run what it typed on the host once the container is gone.
        if (!options.privileged) {
            limit_capabilities_of_programs(options.capabilities);
            if (reaches_a_terminal()) forbid_typing_into_terminal();
        }
        const StartedCommand command = start_command(options.command);
        status = command.pid > 0 ? supervise(command.pid, Reap::every_child, options.stop_timeout)
                                 : command.exit_status;
    } catch (...) {
        end_remaining_processes();
        take_down(volumes);
        throw;
    }
    end_remaining_processes();
    take_down(volumes);
    return status;
}

}  // namespace

void run_container_init(const RunOptions& options, const std::filesystem::path& image,
                        UniqueFd runtime) noexcept {
    int status = kExitRuntimeError;
    try {
        die_with_parent(runtime);
        runtime.reset();
        // Whatever else the runtime inherited (a descriptor of a host directory, say) has
        // no business here: this process outlives pivot_root, and a command given
        // CAP_SYS_PTRACE could open its descriptors through /proc/1/fd.
        close_range(3, ~0U, 0);
        status = run(options, image);
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
