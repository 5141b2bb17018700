/// @file cli_help.cpp
/// @brief The texts of `container --help` and `container run --help`.
#include <string>

#include "container/cli.hpp"
#include "container/error.hpp"

namespace container {
namespace {

/// Shared by both texts: the statuses come from run, the only command that runs something.
std::string exit_status_lines() {
    return "  " + std::to_string(kExitRuntimeError) +
           "  the runtime failed (usage error, missing image, volume error, ...)\n"
           "  " +
           std::to_string(kExitCannotExecute) +
           "  CMD cannot be executed\n"
           "  " +
           std::to_string(kExitNotFound) +
           "  CMD was not found\n"
           "  otherwise, the exit status of CMD (128+N when signal N killed it)\n";
}

constexpr std::string_view kExamples =
    "Examples:\n"
    "  container run -v /srv/data:/data busybox sh\n"
    "  container run --mount type=bind,source=/etc/hosts,target=/etc/hosts,readonly "
    "busybox cat /etc/hosts\n";

}  // namespace

std::string general_help() {
    return "Usage: container [--help] COMMAND [ARG...]\n"
           "\n"
           "Runs a command in a small container, with host paths bind-mounted as volumes.\n"
           "\n"
           "Commands:\n"
           "  run [OPTIONS] IMAGE CMD [ARG...]  run CMD in a new container made from IMAGE\n"
           "                                    (see 'container run --help')\n"
           "  import TARBALL NAME               unpack a rootfs tarball as the image NAME\n"
           "  cleanup                           remove the mount points that runs killed\n"
           "                                    before their cleanup left in volume sources\n"
           "                                    (each run does it too, when it starts)\n"
           "  volume COMMAND                    named volumes: create, ls, inspect, rm, prune\n"
           "                                    (see 'container volume --help')\n"
           "\n"
           "Options:\n"
           "  -h, --help  print this help and exit\n"
           "\n"
           "Exit status:\n"
           "  0    success (import, cleanup, --help)\n" +
           exit_status_lines() + "\n" + std::string{kExamples};
}

std::string run_help() {
    return "Usage: container run [OPTIONS] IMAGE CMD [ARG...]\n"
           "\n"
           "Runs CMD in a new container whose root filesystem is IMAGE: a name given to\n"
           "'container import', or a path (containing '/') to a rootfs directory.\n"
           "IMAGE is never modified: what CMD changes outside its volumes goes to a\n"
           "layer of the container's own (a tmpfs in memory, mounted over the image's\n"
           "directory in the container's own mount namespace, which the host never\n"
           "sees), gone when the container exits.\n"
           "CMD runs as root, but with Docker's default capabilities less CAP_MKNOD\n"
           "(no CAP_SYS_ADMIN: it cannot mount, nor remount a read-only volume), and\n"
           "with the kernel's sensitive /proc files hidden or read-only.\n"
           "Options end at IMAGE: every argument after it belongs to CMD.\n"
           "\n"
           "Options:\n"
           "  -v, --volume SRC:DST[:MODE]\n"
           "      bind-mount the host path SRC at DST; a missing SRC is created as a\n"
           "      directory. MODE: ro or rw; a propagation, [r]shared, [r]slave or\n"
           "      [r]private (default rprivate); z or Z (SELinux labels: nothing to do\n"
           "      without SELinux); comma-separated, e.g. ro,rslave\n"
           "  -v, --volume NAME:DST[:ro|:nocopy], -v DST\n"
           "      mount the named volume NAME (created on first use; when empty, it gets\n"
           "      the image's files at DST unless nocopy), or a new anonymous volume\n"
           "  --mount type=bind,source=SRC,target=DST[,readonly][,bind-propagation=P]\n"
           "      bind-mount SRC at DST; SRC must exist\n"
           "      (also src=, destination=, dst=, ro, readonly=true|false)\n"
           "  --mount type=volume[,source=NAME],target=DST[,readonly][,volume-nocopy]\n"
           "  --mount type=tmpfs,target=DST[,tmpfs-size=BYTES][,tmpfs-mode=OCTAL]\n"
           "  --tmpfs DST[:size=64m,mode=1777,...]\n"
           "      a tmpfs at DST: in memory, empty at each start, gone at exit\n"
           "  --rm\n"
           "      remove the anonymous volumes (-v DST) when the container exits\n"
           "  --hostname NAME\n"
           "      the container's hostname (default: " +
           RunOptions{}.hostname +
           ")\n"
           "  --cap-add CAP, --cap-drop CAP\n"
           "      give CMD a capability, or take one away (a name of capabilities(7),\n"
           "      with or without CAP_, any case, or ALL); adding wins; SYS_PTRACE only\n"
           "      with every capability (CMD could take over the init, which has them)\n"
           "  --privileged\n"
           "      every capability, /proc as the host's, no seccomp filter: CMD can\n"
           "      undo :ro\n"
           "  --stop-timeout SECONDS\n"
           "      after passing SIGTERM or SIGINT on to CMD, wait this long, then kill\n"
           "      it with SIGKILL (exit status 137); -1 waits for ever (default: " +
           std::to_string(RunOptions{}.stop_timeout->count()) +
           ")\n"
           "  --layer-size SIZE\n"
           "      the most the container's own layer may hold, and one file per 4 KiB\n"
           "      of it; past it, writes fail with 'No space left on device'\n"
           "      (k, m, g suffixes; default: " +
           std::to_string(RunOptions{}.layer_size >> 30) +
           "g)\n"
           "  -h, --help\n"
           "      print this help and exit\n"
           "\n"
           "SRC and DST are absolute paths; DST is not '/' and is used once. Volumes are\n"
           "mounted parents first, whatever their order here.\n"
           "\n"
           "Exit status:\n" +
           exit_status_lines() + "\n" + std::string{kExamples};
}

}  // namespace container
