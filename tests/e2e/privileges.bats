#!/usr/bin/env bats
# What a command that is root may do: Docker's default capabilities without MKNOD, runc's
# hidden and read-only /proc files; --cap-add, --cap-drop and --privileged. A read-only
# volume is read-only only if the command cannot remount it.

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() {
    sandbox_setup
    mkdir "$HOST/shared"
    echo "original" >"$HOST/shared/file"
}
teardown() { sandbox_teardown; }

# The default set, as /proc/PID/status shows it: CHOWN DAC_OVERRIDE FOWNER FSETID KILL
# SETGID SETUID SETPCAP NET_BIND_SERVICE NET_RAW SYS_CHROOT AUDIT_WRITE SETFCAP.
DEFAULTS=0xa00425fb
SYS_ADMIN=$((1 << 21))
NET_BIND_SERVICE=$((1 << 10))
CHOWN=1

# What the test itself may have (a CI runner may already lack some capabilities): the
# command can get no more than that.
host_mask() { printf '0x%s' "$(sed -n "s/^$1:\t//p" /proc/self/status)"; }

# expected_sets SET: the five lines of /proc/self/status the command must show when its
# bounding, permitted and effective sets are SET (within what the test has). Its
# inheritable set is empty, as Docker's since CVE-2022-24769: otherwise a user of the
# container that is not root could get those capabilities back from a file marked with
# inheritable file capabilities. The ambient set is empty too.
expected_sets() {
    local set
    set=$(printf '%016x' $(($1 & $(host_mask CapBnd))))
    printf 'CapInh:\t%016x\nCapPrm:\t%s\nCapEff:\t%s\nCapBnd:\t%s\nCapAmb:\t%016x\n' \
        0 "$set" "$set" "$set" 0
}

# assert_capabilities SET OPTIONS...: a command run with OPTIONS has exactly SET.
assert_capabilities() {
    local set=$1
    shift
    container_run "$@" "$ROOTFS" grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb):' /proc/self/status
    assert_success
    assert_output "$(expected_sets "$set")"
}

# --- what the command cannot do by default ---

@test "the command cannot remount a :ro volume read-write: EPERM, and the host file is unchanged" {
    container_run -v "$HOST/shared:/data:ro" "$ROOTFS" sh -c '
        mount -o remount,rw,bind /data && echo "remounted"
        umount /data && echo "unmounted"
        echo changed > /data/file && echo "wrote the file"
        exit 0'
    assert_success
    assert_output ""
    # busybox says "permission denied" for mount's EPERM, strerror's text for umount's.
    assert_stderr_contains "mount: permission denied"
    assert_stderr_contains "can't unmount /data: Operation not permitted"
    assert_stderr_contains "Read-only file system"
    assert_file_content "$HOST/shared/file" "original"
}

@test "the command cannot make a device node (no CAP_MKNOD), nor mount anything" {
    container_run "$ROOTFS" sh -c '
        mknod /tmp/disk b 8 0 && echo "made a block device"
        mknod /tmp/null c 1 3 && echo "made a character device"
        mkdir /tmp/mnt
        mount -t tmpfs tmpfs /tmp/mnt && echo "mounted a tmpfs"
        mount -t proc proc /tmp/mnt && echo "mounted another /proc"
        exit 0'
    assert_success
    assert_output ""
    assert_stderr_contains "mknod: /tmp/disk: Operation not permitted"
    assert_stderr_contains "mknod: /tmp/null: Operation not permitted"
    assert_stderr_contains "mount: permission denied"
    assert_tree_unchanged
}

@test "a device node in the image cannot be opened: the container's devices are those of its /dev" {
    # An image is anyone's tarball: it may hold a node of the host's disk (b 8 0), which
    # root could read whole. Docker's device cgroup refuses such an open; without one,
    # the container's root is mounted nodev. The zero device stands in for the disk here.
    mknod "$ROOTFS/zero" c 1 5
    snapshot_tree
    container_run "$ROOTFS" sh -c 'head -c 4 /zero | od -An -tx1; head -c 4 /dev/zero | od -An -tx1'
    assert_success
    assert_output " 00 00 00 00"
    assert_stderr_contains "/zero: Permission denied"
    assert_tree_unchanged
}

# The files of /proc that runc hides and that this kernel has (which depends on its
# version and configuration), one a line.
masked_files() {
    local path
    for path in /proc/kcore /proc/keys /proc/latency_stats /proc/timer_list /proc/timer_stats \
        /proc/sched_debug; do
        if [ -f "$path" ]; then echo "$path"; fi
    done
}

# Those of them that show something to root here.
masked_files_with_content() {
    local path
    for path in $(masked_files); do
        if [ -n "$(head -c 1 "$path" 2>/dev/null | od -An)" ]; then echo "$path"; fi
    done
}

@test "/proc: the kernel's files are hidden, and cannot be unhidden" {
    local files
    files=$(masked_files)
    # /proc/timer_list and /proc/keys are in every kernel a container runs on.
    [ -n "$files" ] || fail "None of runc's masked /proc files exists here: nothing to check."
    container_run "$ROOTFS" sh -c '
        for file in '"$(tr '\n' ' ' <<<"$files")"'; do
            echo "$file: $(cat "$file" 2>/dev/null | wc -c) bytes"
        done
        for dir in /proc/acpi /proc/asound /proc/scsi; do
            [ ! -d "$dir" ] || echo "$dir: $(ls -A "$dir" | wc -l) entries"
        done
        umount '"$(head -n 1 <<<"$files")"' && echo "unmounted one"
        exit 0'
    assert_success
    local expected path
    expected=$(for path in $files; do echo "$path: 0 bytes"; done
        for path in /proc/acpi /proc/asound /proc/scsi; do
            [ ! -d "$path" ] || echo "$path: 0 entries"
        done)
    assert_output "$expected"
    assert_stderr_contains "Operation not permitted"
}

@test "/proc: /proc/sys and the other settings of the whole machine are read-only" {
    local before
    before=$(cat /proc/sys/kernel/hostname)
    container_run --hostname inside "$ROOTFS" sh -c '
        echo changed > /proc/sys/kernel/hostname && echo "wrote /proc/sys"
        hostname
        grep -E " /proc/(bus|fs|irq|sys|sysrq-trigger) " /proc/self/mountinfo | cut -d" " -f5,6 | cut -d, -f1
        exit 0'
    assert_success
    assert_stderr_contains "Read-only file system"
    local expected path
    expected=$(echo inside
        for path in bus fs irq sys sysrq-trigger; do
            [ ! -e "/proc/$path" ] || echo "/proc/$path ro"
        done)
    assert_output "$expected"
    [ "$(cat /proc/sys/kernel/hostname)" = "$before" ] || fail "The host's hostname changed."
}

@test "the command cannot reach into the container's init, which keeps its capabilities" {
    # The init unmounts the volumes after the command: it keeps CAP_SYS_ADMIN. The kernel
    # lets no process with fewer capabilities read its memory, environment or descriptors.
    container_run "$ROOTFS" sh -c '
        cat /proc/1/environ > /dev/null && echo "read the environment of the init"
        readlink /proc/1/fd/0 && echo "read the descriptors of the init"
        kill -KILL 1; echo "still here"'
    assert_success
    assert_output "still here"
    assert_stderr_contains "Permission denied"
}

@test "a command given CAP_SYS_PTRACE finds no descriptor of the host in the init" {
    # A descriptor of a host directory held by the init would lead out of the container
    # (through /proc/1/fd/N) for a command that may read the init. Descriptor 8 is one,
    # inherited from whoever starts the runtime. (0, 1 and 2 are the command's own too.)
    # CAP_SYS_PTRACE comes only with every capability (see the test after this one).
    {
        container_run --cap-add ALL "$ROOTFS" sh -c '
            for fd in /proc/1/fd/*; do
                case "$fd" in /proc/1/fd/[012]) continue ;; esac
                target=$(readlink "$fd") || { echo "cannot read $fd"; continue; }
                [ "$(stat -L -c %d:%i "$fd")" = "$(stat -c %d:%i "$target" 2>/dev/null)" ] ||
                    echo "$fd leads outside: $target"
            done
            echo checked'
    } 8<"$HOST/shared"
    assert_success
    assert_output "checked"
}

@test "--cap-add SYS_PTRACE without every capability is refused: the command could take over the init" {
    # With CAP_SYS_PTRACE a process may ptrace(2) any other, however many capabilities that
    # one has: it could make the init, which keeps them all, remount a :ro volume for it.
    local options
    for options in "--cap-add SYS_PTRACE" "--cap-drop ALL --cap-add sys_ptrace" \
        "--cap-add ALL --cap-drop SYS_ADMIN"; do
        # shellcheck disable=SC2086 # the options are words
        container_run $options -v "$HOST/shared:/data:ro" "$ROOTFS" sh -c 'echo ran'
        assert_status 125
        assert_one_error_line "container: CAP_SYS_PTRACE without every other capability: the command could take over the container's init"
        assert_output ""
    done
    # Every capability, knowingly: then there is nothing more to take.
    container_run --cap-add ALL "$ROOTFS" sh -c 'echo ran'
    assert_success
    assert_output "ran"
}

# in_terminal RUN-OPTIONS...: runs type-into-terminal in a container started from a
# terminal of its own, as a user at a shell does (script(1) makes a pseudo-terminal the
# controlling terminal of what it runs); sets $output like Bats' `run`.
in_terminal() {
    local command
    command=$(printf '%q ' "$CONTAINER" run "$@" "$ROOTFS" type-into-terminal 'echo typed by the container')
    run timeout -k 5 "$CONTAINER_TIMEOUT" script -qec "$command" /dev/null </dev/null
}

@test "the command cannot type into the user's terminal (TIOCSTI), not even with CAP_SYS_ADMIN" {
    # What it typed would wait in the terminal's input: the user's shell would read it
    # and run it on the host, as the user, once the container is gone.
    cc -static -o "$ROOTFS/bin/type-into-terminal" "$BATS_TEST_DIRNAME/type-into-terminal.c" ||
        fail "Could not build type-into-terminal.c (a C compiler and a static C library)."
    snapshot_tree
    in_terminal
    [[ "$output" == *"TIOCSTI: Operation not permitted"* ]] ||
        fail "Expected the command to be refused TIOCSTI." "$(_last_run)"
    # CAP_SYS_ADMIN lets a process type into any terminal: the refusal is not the kernel's.
    in_terminal --cap-add SYS_ADMIN
    [[ "$output" == *"TIOCSTI: Operation not permitted"* ]] ||
        fail "Expected the command to be refused TIOCSTI even with CAP_SYS_ADMIN." "$(_last_run)"
    # --privileged is as the host: there it types, which shows the test can see it do so.
    in_terminal --privileged
    [[ "$output" == *typed$'\r'* ]] ||
        fail "With --privileged, expected the command to type into its terminal." "$(_last_run)"
    assert_tree_unchanged
}

# --- the capability sets ---

@test "the command has Docker's default capabilities without MKNOD, bounding, permitted and effective, none inheritable or ambient" {
    assert_capabilities "$DEFAULTS"
}

@test "--cap-drop ALL leaves nothing; with --cap-add, only what is added" {
    assert_capabilities 0 --cap-drop ALL
    assert_capabilities "$NET_BIND_SERVICE" --cap-drop all --cap-add NET_BIND_SERVICE
    # Adding wins over dropping, whatever the order.
    assert_capabilities "$CHOWN" --cap-add CAP_CHOWN --cap-drop ALL
}

@test "--cap-add and --cap-drop change the default set, names in any case, with or without CAP_" {
    assert_capabilities $((DEFAULTS | SYS_ADMIN)) --cap-add sys_admin
    assert_capabilities $((DEFAULTS & ~CHOWN)) --cap-drop=CAP_CHOWN
    assert_capabilities $(((DEFAULTS | SYS_ADMIN) & ~CHOWN)) --cap-add Cap_Sys_Admin --cap-drop chown
}

@test "--cap-add ALL gives everything the runtime has" {
    assert_capabilities "$(host_mask CapBnd)" --cap-add ALL
}

@test "an unknown capability is one line, exit 125, and nothing runs" {
    container_run --cap-add SYS_ADMN "$ROOTFS" sh -c 'echo ran'
    assert_status 125
    assert_one_error_line "container: --cap-add: unknown capability: 'SYS_ADMN'"
    assert_output ""
    container_run --cap-drop "CAP_ALL" "$ROOTFS" sh -c 'echo ran'
    assert_status 125
    assert_one_error_line "container: --cap-drop: unknown capability: 'CAP_ALL'"
    assert_output ""
}

# --- giving privileges back ---

@test "--cap-add SYS_ADMIN lets the remount through: a :ro volume is only as read-only as the command allows" {
    container_run --cap-add SYS_ADMIN -v "$HOST/shared:/data:ro" "$ROOTFS" sh -c '
        mount -o remount,rw,bind /data && echo "remounted"
        echo changed > /data/file && echo "wrote the file"
        mknod /tmp/null c 1 3 && echo "made a device"
        exit 0'
    assert_success
    assert_output "remounted
wrote the file"
    assert_stderr_contains "Operation not permitted"
    assert_file_content "$HOST/shared/file" "changed"
}

@test "--privileged: every capability, /proc as the host's; the :ro volume can be remounted again" {
    local files
    files=$(masked_files_with_content)
    [ -n "$files" ] || fail "None of runc's masked /proc files shows anything here: nothing to check."
    container_run --privileged -v "$HOST/shared:/data:ro" "$ROOTFS" sh -c '
        grep -E "^Cap(Prm|Eff|Bnd):" /proc/self/status
        mount -o remount,rw,bind /data && echo "remounted"
        echo changed > /data/file && echo "wrote the file"
        mknod /tmp/null c 1 3 && echo "made a device"
        for file in '"$(tr '\n' ' ' <<<"$files")"'; do
            [ -n "$(head -c 1 "$file")" ] && echo "read $file"
        done
        echo privileged > /proc/sys/kernel/hostname && hostname'
    assert_success
    local set path
    set=$(sed -n 's/^CapBnd:\t//p' /proc/self/status)
    assert_output "CapPrm:	$set
CapEff:	$set
CapBnd:	$set
remounted
wrote the file
made a device
$(for path in $files; do echo "read $path"; done)
privileged"
    assert_file_content "$HOST/shared/file" "changed"
}
