# Shared helpers of the Bats suites: tests/e2e/*.bats and each step's steps/NN-name/*.bats.
#
# Use it like this:
#
#     load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"
#     setup()    { sandbox_setup; }
#     teardown() { sandbox_teardown; }
#
#     @test "a file written on the host is read in the container" {
#         echo hello >"$HOST/hello.txt"
#         container_run -v "$HOST:/data" "$ROOTFS" cat /data/hello.txt
#         assert_success
#         assert_output "hello"
#     }
#
# The tests mount things as root, so they must run in a throwaway mount namespace:
# `common/tools/in-namespace bats FILE` (which `make test-e2e` does). sandbox_setup refuses
# to go on anywhere else. Every test gets its own sandbox, a temporary directory, and
# sandbox_teardown fails the test when the mount table is not as it was at the start.
#
# Variables, set them before loading to change them:
#   REPO_ROOT           the checkout (default: the one holding this file)
#   CONTAINER           the runtime under test (default $REPO_ROOT/bin/container); the
#                       step graders point it at a runtime built from a student's step
#   IMAGE               the image each sandbox copies (default $REPO_ROOT/images/busybox)
#   CONTAINER_TIMEOUT   seconds one container run may take before it counts as hung (30)
#
# Set by sandbox_setup:
#   SANDBOX   the test's temporary directory
#   ROOTFS    $SANDBOX/rootfs, a private copy of IMAGE: give it to `container run` as IMAGE
#   HOST      $SANDBOX/host, an empty directory for the host side of volumes
#   CONTAINER_STATE  $SANDBOX/state, where the runtime keeps its journals (exported)
#   CONTAINER_ROOT   $SANDBOX/root, where the runtime keeps named volumes (exported)
#
# Running the runtime:
#   container_run ARGS...      "$CONTAINER" run ARGS; sets $status, $output and $lines
#                              (stdout only), $stderr and $stderr_lines, like Bats' `run`
#   container_cli ARGS...      "$CONTAINER" ARGS (import, --help), like container_run
#   container_start ARGS...    container run in the background; sets CONTAINER_PID
#   container_wait [SECONDS [PID]]  waits (bounded) for a container_start (the last by
#                              default); sets $status, $output, $stderr like container_run
#   make_fifo PATH... / read_fifo PATH [SECONDS] / write_fifo PATH TEXT [SECONDS]
#                              to meet a container at a point of its command, without sleeps
#   wait_until SECONDS COMMAND...   retries COMMAND until it succeeds or time runs out
#   processes_matching TEXT    PIDs of the processes whose command line contains TEXT
#   sandbox_mount ARGS... TARGET    mounts in the test's namespace; undone by the teardown
#   sandbox_umount TARGET      undoes a sandbox_mount before the end of the test
#   watch_outside PATH         PATH must not appear outside the sandbox; the teardown
#                              removes it (non-recursively) if it does, and fails the test
#   snapshot_tree              takes the rootfs listing again (after a test changes the image)
#   snapshot_dir DIR           records DIR (a volume's source, say) for assert_dir_unchanged DIR
#
# Assertions (each prints what was expected and what happened, and fails the test):
#   fail MESSAGE...
#   assert_success / assert_failure / assert_status N
#   assert_output TEXT / assert_output_contains TEXT
#   assert_stderr_contains TEXT / assert_one_error_line [TEXT...]
#   assert_file_content PATH TEXT / assert_mode PATH MODE / assert_exists PATH / assert_not_exists PATH
#   assert_no_mount_under PATH / assert_mounts_unchanged
#   mounts_outside_snapshot / mounts_missing_from_snapshot (print; for messages of your own)
#   assert_tree_unchanged / assert_tree_kept / assert_dir_unchanged DIR
#   assert_no_process_matching TEXT [SECONDS]

bats_require_minimum_version 1.5.0

: "${REPO_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${CONTAINER:=$REPO_ROOT/bin/container}"
: "${IMAGE:=$REPO_ROOT/images/busybox}"
: "${CONTAINER_TIMEOUT:=30}"
HELPERS_TOOLS=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../common/tools" && pwd)

# ---------------------------------------------------------------------------------------
# Failing

# fail MESSAGE...: prints the message (one argument a line) and fails the test. The grader
# shows a line "expected: ..." (and the lines under it) as what was expected, from a line
# "happened: ..." on as what happened.
fail() {
    printf '%s\n' "$@" >&2
    return 1
}

# What the last run printed, to append to a failure message.
_last_run() {
    printf 'exit status: %s\n' "${status:-?}"
    printf 'stdout:\n%s\n' "$(_quoted <<<"${output:-}")"
    printf 'stderr:\n%s\n' "$(_quoted <<<"${stderr:-}")"
}

# Indents text as a quotation, at most 20 lines of it.
_quoted() {
    awk 'NR <= 20 { print "  | " $0 } END { if (NR > 20) print "  | ... (" NR - 20 " more lines)" }'
}

# ---------------------------------------------------------------------------------------
# The sandbox

# mountinfo lines of this namespace, as they are now.
_mountinfo() { cat /proc/self/mountinfo; }

# _listing DIR: one line per file below DIR: type, mode, owner, size and mtime for files,
# target for symlinks. Directory sizes and times are left out: they change when an entry
# is added and removed again, which is what the runtime does with mount points.
_listing() {
    (cd "$1" && find . \
        \( -type f -printf '%p\tfile %m %U:%G %s bytes, modified %T@\n' \) -o \
        \( -type l -printf '%p\tsymlink to %l\n' \) -o \
        -printf '%p\t%y %m %U:%G\n') | LC_ALL=C sort
}

# sandbox_setup: checks that this is a throwaway namespace, then makes the sandbox and
# takes the snapshots that sandbox_teardown compares with.
sandbox_setup() {
    if [ "$(id -u)" -ne 0 ]; then
        fail "These tests mount things: they must run as root (make test-e2e uses sudo)."
    fi
    if [ -z "${CONTAINER_TEST_NAMESPACE:-}" ] ||
        [ "$(readlink /proc/self/ns/mnt)" != "$CONTAINER_TEST_NAMESPACE" ]; then
        fail "These tests mount things: run them in a throwaway mount namespace," \
            "  $HELPERS_TOOLS/in-namespace bats ${BATS_TEST_FILENAME:-FILE}" \
            "or with make test-e2e. Refusing to run in this machine's own namespace."
    fi
    [ -x "$CONTAINER" ] || fail "No runtime at $CONTAINER: build it first (make build)."
    [ -d "$IMAGE" ] || fail "No image at $IMAGE: make it first (make image)."

    # Like a systemd host; in-namespace did it already, this keeps it so if a test undid it.
    mount --make-rshared /

    SANDBOX=$(mktemp -d "${TMPDIR:-/tmp}/container-test.XXXXXX")
    ROOTFS=$SANDBOX/rootfs
    HOST=$SANDBOX/host
    # The runtime's state (the journals of what runs create on the host): the sandbox's
    # own, so that a test never reads or leaves anything in the machine's /run.
    CONTAINER_STATE=$SANDBOX/state
    # Named volumes too: the sandbox's own, never the machine's /var/lib/container.
    CONTAINER_ROOT=$SANDBOX/root
    export SANDBOX ROOTFS HOST CONTAINER_STATE CONTAINER_ROOT
    _SANDBOX_MOUNTS=()
    _SANDBOX_OUTSIDE=()
    CONTAINER_PIDS=()
    declare -gA _CONTAINER_OUTS=()
    _mountinfo >"$SANDBOX/.mountinfo.before"
    mkdir "$HOST"
    cp -a "$IMAGE" "$ROOTFS" || fail "Could not copy the image $IMAGE to $ROOTFS."
    snapshot_tree
}

# snapshot_tree: records the rootfs as it is now, for assert_tree_unchanged/assert_tree_kept.
snapshot_tree() {
    _listing "$ROOTFS" >"$SANDBOX/.rootfs.before"
}

# snapshot_dir DIR: records DIR (any directory, e.g. a volume's source on the host) as it
# is now, for assert_dir_unchanged DIR.
snapshot_dir() {
    _listing "$1" >"$(_dir_snapshot "$1")" || fail "Could not list $1 for a snapshot."
}

# Where snapshot_dir keeps the listing of $1.
_dir_snapshot() {
    printf '%s/.snapshot%s' "$SANDBOX" "$(printf '%s' "$1" | tr '/ ' '%_')"
}

# sandbox_teardown: stops what the test left running, undoes its own mounts, checks the
# mount table, detaches whatever the runtime leaked, and removes the sandbox without ever
# crossing a mount point. Fails the test when the mount table changed.
sandbox_teardown() {
    [ -n "${SANDBOX:-}" ] && [ -f "$SANDBOX/.mountinfo.before" ] || return 0
    local problems=() pid path leaked gone pass i

    # 1. Containers still running (a test that failed half-way).
    for pid in "${CONTAINER_PIDS[@]+"${CONTAINER_PIDS[@]}"}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
            problems+=("A container started by the test was still running (pid $pid): killed it.")
        fi
        wait "$pid" 2>/dev/null || true
    done

    # 2. The mount table must be as the test found it (with the test's own mounts).
    leaked=$(mounts_outside_snapshot)
    gone=$(mounts_missing_from_snapshot)
    if [ -n "$leaked" ]; then
        problems+=("These mounts appeared in the test's namespace and were still there at the end:"
            "$(sed 's/^/  + /' <<<"$leaked")")
    fi
    if [ -n "$gone" ]; then
        problems+=("These mounts of the test's namespace disappeared during the test:"
            "$(sed 's/^/  - /' <<<"$gone")")
    fi

    # 3. The test's own mounts, innermost first.
    for ((i = ${#_SANDBOX_MOUNTS[@]} - 1; i >= 0; i--)); do
        umount -l -- "${_SANDBOX_MOUNTS[i]}" 2>/dev/null || true
    done

    # 4. Detach the leftovers: the outermost ones (a lazy unmount takes what is below
    # along), a few passes for mounts stacked on the same path.
    for pass in 1 2 3 4 5; do
        leaked=$(_new_mount_points)
        [ -n "$leaked" ] || break
        while read -r path; do
            umount -l -- "$path" 2>/dev/null || true
        done < <(_outermost <<<"$leaked")
    done

    # 5. Paths outside the sandbox that must not have appeared.
    for path in "${_SANDBOX_OUTSIDE[@]+"${_SANDBOX_OUTSIDE[@]}"}"; do
        if [ -e "$path" ] || [ -L "$path" ]; then
            problems+=("$path appeared outside the sandbox (removed it again).")
            if [ -d "$path" ] && [ ! -L "$path" ]; then rmdir -- "$path" 2>/dev/null || true
            else rm -f -- "$path"; fi
        fi
    done

    # 6. The sandbox itself, refused when anything is still mounted inside it.
    if ! "$HELPERS_TOOLS/remove-tree" "$SANDBOX"; then
        problems+=("Left $SANDBOX in place: something is still mounted inside it.")
    fi

    if [ "${#problems[@]}" -gt 0 ]; then
        fail "${problems[@]}"
    fi
}

# _new_mount_points: mount points (unescaped) of the lines that are not in the snapshot.
_new_mount_points() {
    _mountinfo | grep -vxF -f "$SANDBOX/.mountinfo.before" | while read -r _ _ _ _ point _; do
        printf '%b\n' "$point"
    done
}

# _outermost: of the paths on stdin, those that are not below another one of them.
_outermost() {
    LC_ALL=C sort -u | awk '{
        for (i = 1; i <= n; i++) if (index($0, kept[i] "/") == 1) next
        kept[++n] = $0; print
    }'
}

# _describe: turns mountinfo lines into "MOUNT_POINT (FSTYPE from SOURCE, root ROOT)".
_describe() {
    local _id _parent _dev root point _rest fstype source
    while read -r _id _parent _dev root point _rest; do
        _rest=${_rest#* - }
        read -r fstype source _ <<<"$_rest"
        printf '%b (%s from %s, root %b)\n' "$point" "$fstype" "$source" "$root"
    done
}

# mounts_outside_snapshot: prints, one a line, the mounts of the test's namespace that
# were not there at sandbox_setup. Nothing when the table is as it was.
mounts_outside_snapshot() {
    _mountinfo | grep -vxF -f "$SANDBOX/.mountinfo.before" | _describe || true
}

# mounts_missing_from_snapshot: the mounts that were there at sandbox_setup and are gone.
mounts_missing_from_snapshot() {
    _mountinfo | grep -vxF -f - "$SANDBOX/.mountinfo.before" | _describe || true
}

# sandbox_mount ARGS... TARGET: `mount ARGS... TARGET` in the test's namespace, undone by
# sandbox_teardown (e.g. `sandbox_mount -t tmpfs tmpfs "$HOST/src/sub"`).
sandbox_mount() {
    mount "$@" || fail "Could not mount ${*: -1} for the test (mount $*)."
    _SANDBOX_MOUNTS+=("${*: -1}")
    # The teardown compares with a snapshot: the test's own mounts belong in it.
    _mountinfo >"$SANDBOX/.mountinfo.before"
}

# sandbox_umount TARGET: undoes a sandbox_mount before the end of the test.
sandbox_umount() {
    umount -- "$1" || fail "Could not unmount $1."
    _mountinfo >"$SANDBOX/.mountinfo.before"
}

# watch_outside PATH: PATH (outside the sandbox) does not exist now and must not exist
# after the test; the teardown removes it (rmdir/unlink, never recursively) if it does.
watch_outside() {
    if [ -e "$1" ] || [ -L "$1" ]; then
        fail "$1 already exists before the test: choose another name."
    fi
    _SANDBOX_OUTSIDE+=("$1")
}

# ---------------------------------------------------------------------------------------
# Running the runtime

# container_run ARGS...: runs "$CONTAINER" run ARGS and sets, like Bats' `run`, $status,
# $output (stdout only) and $lines, $stderr and $stderr_lines. Never fails by itself:
# check $status. Stopped after CONTAINER_TIMEOUT seconds (status 124). Reads stdin as
# given (`container_run IMAGE cat <<<text`); a terminal is replaced with /dev/null.
# (Not Bats' `run`: the output goes through files, so a process the runtime failed to
# end cannot hang the test by holding a pipe open, and statuses 126/127 draw no warning.)
container_run() {
    _capture timeout -k 5 "$CONTAINER_TIMEOUT" "$CONTAINER" run "$@"
}

# container_cli ARGS...: the same for any subcommand ("$CONTAINER" ARGS: import, --help).
container_cli() {
    _capture timeout -k 5 "$CONTAINER_TIMEOUT" "$CONTAINER" "$@"
}

# _capture COMMAND...: runs COMMAND, sets status, output, lines, stderr, stderr_lines.
_capture() {
    local out=$SANDBOX/.capture
    status=0
    if [ -t 0 ]; then
        "$@" >"$out.stdout" 2>"$out.stderr" </dev/null 3>&- || status=$?
    else
        "$@" >"$out.stdout" 2>"$out.stderr" 3>&- || status=$?
    fi
    _read_results "$out"
}

# _read_results PREFIX: reads PREFIX.stdout and PREFIX.stderr into the result variables.
_read_results() {
    output=$(cat "$1.stdout")
    stderr=$(cat "$1.stderr")
    mapfile -t lines <"$1.stdout"
    mapfile -t stderr_lines <"$1.stderr"
}

# container_start ARGS...: starts "$CONTAINER" run ARGS in the background, stdin from
# /dev/null, output to files. Sets CONTAINER_PID (the runtime's own process). Several may
# run at once; each is waited for with container_wait SECONDS PID.
container_start() {
    local out=$SANDBOX/.run${#CONTAINER_PIDS[@]}
    "$CONTAINER" run "$@" >"$out.stdout" 2>"$out.stderr" </dev/null 3>&- &
    CONTAINER_PID=$!
    CONTAINER_PIDS+=("$CONTAINER_PID")
    _CONTAINER_OUTS[$CONTAINER_PID]=$out
}

# container_wait [SECONDS [PID]]: waits for a container_start (the last one by default),
# at most SECONDS (default CONTAINER_TIMEOUT). Sets $status, $output, $stderr and
# $stderr_lines like container_run. A run still going at the deadline is killed and the
# test fails.
container_wait() {
    local seconds=${1:-$CONTAINER_TIMEOUT} pid=${2:-$CONTAINER_PID}
    local out=${_CONTAINER_OUTS[$pid]}
    if ! wait_until "$seconds" _not_running "$pid"; then
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        fail "The container (pid $pid) did not finish within ${seconds}s: killed it." \
            "$(_container_so_far "$pid")"
    fi
    status=0
    wait "$pid" || status=$?
    _read_results "$out"
}

_not_running() { ! kill -0 "$1" 2>/dev/null; }

# wait_until SECONDS COMMAND...: runs COMMAND every 20 ms until it succeeds (returns 0)
# or SECONDS have passed (returns 1). For conditions no fifo can signal.
wait_until() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.02
    done
}

# make_fifo PATH...: named pipes, to meet a container at a point of its command.
# A container writing to a fifo blocks until the host reads it, and the reverse.
make_fifo() {
    mkfifo -- "$@"
}

# read_fifo PATH [SECONDS]: prints what comes through the fifo (default 10 s at most).
read_fifo() {
    timeout "${2:-10}" cat -- "$1" ||
        fail "Nothing came through $1 within ${2:-10}s: the container never got there." \
            "$(_container_so_far)"
}

# write_fifo PATH TEXT [SECONDS]: writes TEXT and a newline into the fifo (default 10 s at most).
write_fifo() {
    timeout "${3:-10}" sh -c 'printf "%s\n" "$1" >"$2"' write_fifo "$2" "$1" ||
        fail "Nobody read $1 within ${3:-10}s: the container was not waiting for it." \
            "$(_container_so_far)"
}

# What a background container (the last one by default) printed so far, for messages.
_container_so_far() {
    local pid=${1:-${CONTAINER_PID:-}}
    [ -n "$pid" ] && [ -n "${_CONTAINER_OUTS[$pid]:-}" ] || return 0
    printf 'the container printed so far:\n'
    sed 's/^/  | /' "${_CONTAINER_OUTS[$pid]}.stdout" "${_CONTAINER_OUTS[$pid]}.stderr" 2>/dev/null || true
}

# processes_matching TEXT: the PIDs of the processes whose command line contains TEXT,
# one a line (on the whole machine: give a TEXT unique to the test).
processes_matching() {
    local cmdline pid
    for cmdline in /proc/[0-9]*/cmdline; do
        pid=${cmdline#/proc/}
        pid=${pid%/cmdline}
        [ "$pid" != "$BASHPID" ] || continue
        if tr '\0' ' ' <"$cmdline" 2>/dev/null | grep -F -- "$1" >/dev/null; then
            echo "$pid"
        fi
    done
}

_no_process_matching() { [ -z "$(processes_matching "$1")" ]; }

# assert_no_process_matching TEXT [SECONDS]: within SECONDS (default 10), no process runs
# with TEXT in its command line. Those still there at the deadline are killed.
assert_no_process_matching() {
    wait_until "${2:-10}" _no_process_matching "$1" && return 0
    local pids
    pids=$(processes_matching "$1" | tr '\n' ' ')
    kill -KILL $pids 2>/dev/null || true
    fail "expected: no process running '$1' any more" \
        "happened: still running after ${2:-10}s: pids $pids (killed them)"
}

# ---------------------------------------------------------------------------------------
# Assertions

assert_status() {
    [ "$status" -eq "$1" ] && return 0
    if [ "$status" -eq 124 ]; then
        fail "expected: exit status $1" "happened: the run timed out (${CONTAINER_TIMEOUT}s)" \
            "$(_last_run)"
    fi
    fail "expected: exit status $1" "happened: exit status $status" "$(_last_run)"
}

assert_success() { assert_status 0; }

assert_failure() {
    [ "$status" -ne 0 ] || fail "expected: a failure (non-zero exit status)" \
        "happened: exit status 0" "$(_last_run)"
}

# assert_output TEXT: stdout is exactly TEXT (trailing newlines aside).
assert_output() {
    [ "$output" = "$1" ] ||
        fail "expected: the output to be:" "$(sed 's/^/  | /' <<<"$1")" "happened:" "$(_last_run)"
}

assert_output_contains() {
    [[ "$output" == *"$1"* ]] ||
        fail "expected: the output to contain: $1" "happened:" "$(_last_run)"
}

assert_stderr_contains() {
    [[ "$stderr" == *"$1"* ]] || fail "expected: stderr to contain: $1" "happened:" "$(_last_run)"
}

# assert_one_error_line [TEXT...]: stderr is one line and contains each TEXT.
assert_one_error_line() {
    [ "${#stderr_lines[@]}" -eq 1 ] ||
        fail "expected: exactly one line on stderr" \
            "happened: ${#stderr_lines[@]} lines" "$(_last_run)"
    local text
    for text in "$@"; do
        assert_stderr_contains "$text"
    done
}

assert_exists() {
    [ -e "$1" ] || [ -L "$1" ] || fail "expected: $1 to exist" "happened: it does not"
}

assert_not_exists() {
    if [ -e "$1" ] || [ -L "$1" ]; then
        fail "expected: $1 not to exist" "happened: it does: $(ls -ld -- "$1")"
    fi
}

# assert_file_content PATH TEXT: the file holds TEXT (trailing newlines aside).
assert_file_content() {
    [ -f "$1" ] || fail "expected: a file $1 holding '$2'" "happened: there is no such file"
    local content
    content=$(cat -- "$1")
    [ "$content" = "$2" ] ||
        fail "expected: $1 to hold:" "  | $2" "happened: it holds:" \
            "$(sed 's/^/  | /' <<<"$content")"
}

# assert_mode PATH MODE: octal permissions, e.g. assert_mode "$HOST/d" 755.
assert_mode() {
    local mode
    mode=$(stat -c %a -- "$1") || fail "expected: $1 with mode $2" "happened: it does not exist"
    [ "$mode" = "$2" ] || fail "expected: $1 to have mode $2" "happened: it has $mode"
}

# assert_no_mount_under PATH: nothing is mounted at PATH or below it in this namespace.
assert_no_mount_under() {
    local found
    found=$(_mountinfo | while read -r _ _ _ _ point _; do printf '%b\n' "$point"; done |
        P=$1 awk '$0 == ENVIRON["P"] || index($0, ENVIRON["P"] "/") == 1')
    [ -z "$found" ] || fail "expected: nothing mounted at or under $1" "happened: mounted:" \
        "$(sed 's/^/  /' <<<"$found")"
}

# assert_mounts_unchanged: the mount table is as it was at sandbox_setup.
assert_mounts_unchanged() {
    local leaked gone
    leaked=$(mounts_outside_snapshot)
    gone=$(mounts_missing_from_snapshot)
    [ -z "$leaked$gone" ] && return 0
    fail "expected: the mount table of the test's namespace to be unchanged" \
        "happened: it changed:" \
        ${leaked:+"$(sed 's/^/  + /' <<<"$leaked")"} ${gone:+"$(sed 's/^/  - /' <<<"$gone")"}
}

# assert_tree_unchanged: the rootfs holds exactly what it held at sandbox_setup (or at
# the last snapshot_tree): same files, modes, owners, sizes, file times, link targets.
assert_tree_unchanged() {
    local diff
    diff=$(diff "$SANDBOX/.rootfs.before" <(_listing "$ROOTFS") | grep '^[<>]' | sed 's/^</  - was/; s/^>/  + now/')
    [ -z "$diff" ] ||
        fail "expected: the image to be left as it was" "happened: it changed:" "$diff"
}

# assert_dir_unchanged DIR: DIR holds exactly what it held at snapshot_dir DIR: nothing
# added (say, a mount point the runtime made there and left), nothing removed or changed.
assert_dir_unchanged() {
    local snapshot diff
    snapshot=$(_dir_snapshot "$1")
    [ -f "$snapshot" ] || fail "assert_dir_unchanged $1: take a snapshot_dir $1 first."
    diff=$(diff "$snapshot" <(_listing "$1") | grep '^[<>]' | sed 's/^</  - was/; s/^>/  + now/')
    [ -z "$diff" ] || fail "expected: $1 to be left as it was" "happened: it changed:" "$diff"
}

# assert_tree_kept: nothing that was in the rootfs at sandbox_setup has disappeared
# (things may have been added).
assert_tree_kept() {
    local lost
    lost=$(comm -23 <(cut -f1 "$SANDBOX/.rootfs.before") <(_listing "$ROOTFS" | cut -f1))
    [ -z "$lost" ] ||
        fail "happened: files of the image were deleted:" "$(sed 's/^/  /' <<<"$lost" | head -20)"
}
