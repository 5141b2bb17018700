#!/usr/bin/env bats
# The command line of `container`: help, exit statuses, hostname, stdin/stdout/stderr,
# and the namespaces a container gets.

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() { sandbox_setup; }
teardown() { sandbox_teardown; }

@test "container --help prints the usage on stdout and exits 0" {
    container_cli --help
    assert_success
    assert_output_contains "Usage: container"
    assert_output_contains "run"
    assert_output_contains "import TARBALL NAME"
    [ -z "$stderr" ] || fail "Expected nothing on stderr." "$(_last_run)"
}

@test "container run --help lists the volume options and the exit statuses" {
    container_run --help
    assert_success
    assert_output_contains "Usage: container run"
    assert_output_contains "-v, --volume SRC:DST[:MODE]"
    assert_output_contains "--tmpfs DST"
    assert_output_contains "--mount type=bind"
    assert_output_contains "--hostname"
    assert_output_contains "125"
    assert_output_contains "126"
    assert_output_contains "127"
}

@test "no command, an unknown command or an unknown option: exit 125 and one line" {
    container_cli
    assert_status 125
    assert_one_error_line "container:"

    container_cli frobnicate
    assert_status 125
    assert_one_error_line "container:" "frobnicate"

    container_run --no-such-option "$ROOTFS" true
    assert_status 125
    assert_one_error_line "container:" "--no-such-option"
}

@test "run without CMD is a usage error (125), and runs nothing" {
    container_run "$ROOTFS"
    assert_status 125
    assert_one_error_line "container:" "CMD"
}

@test "the command's own exit status is the runtime's exit status" {
    container_run "$ROOTFS" sh -c 'exit 3'
    assert_status 3
    container_run "$ROOTFS" true
    assert_status 0
    container_run "$ROOTFS" false
    assert_status 1
}

@test "a command killed by a signal gives 128+N" {
    container_run "$ROOTFS" sh -c 'kill -TERM $$'
    assert_status 143
}

@test "a command that is not found: exit 127 with one line naming it" {
    container_run "$ROOTFS" no-such-command
    assert_status 127
    assert_one_error_line "no-such-command" "No such file or directory"
}

@test "a command that cannot be executed: exit 126 with one line naming it" {
    printf 'not a program\n' >"$ROOTFS/not-executable"
    chmod 0644 "$ROOTFS/not-executable"
    snapshot_tree
    container_run "$ROOTFS" /not-executable
    assert_status 126
    assert_one_error_line "/not-executable" "Permission denied"
}

@test "a missing image: exit 125, one line naming the path and the errno text, nothing run" {
    container_run "$SANDBOX/no-such-image" sh -c 'echo ran'
    assert_status 125
    assert_one_error_line "container:" "$SANDBOX/no-such-image" "No such file or directory"
    assert_output ""
}

@test "a missing named image: exit 125 naming it" {
    CONTAINER_IMAGES=$SANDBOX/images container_run no-such-image true
    assert_status 125
    assert_one_error_line "container:" "no-such-image" "No such file or directory"
}

@test "the runtime's own errors never run the command (bad volume spec)" {
    container_run -v "$HOST/x:relative" "$ROOTFS" sh -c 'echo ran'
    assert_status 125
    assert_output ""
}

@test "the hostname is 'container' by default, --hostname sets it, the host's is unchanged" {
    local before
    before=$(hostname)
    container_run "$ROOTFS" hostname
    assert_success
    assert_output "container"

    container_run --hostname box-1.test "$ROOTFS" hostname
    assert_success
    assert_output "box-1.test"
    [ "$(hostname)" = "$before" ] || fail "The host's hostname changed from $before to $(hostname)."
}

@test "an invalid hostname is refused with exit 125" {
    container_run --hostname 'bad name' "$ROOTFS" true
    assert_status 125
    assert_one_error_line "invalid hostname" "bad name"
}

@test "stdin passes through to the command" {
    container_run "$ROOTFS" sh -c 'read line; echo "got: $line"' <<<"hello through stdin"
    assert_success
    assert_output "got: hello through stdin"
}

@test "stdout and stderr pass through, each to its own stream" {
    container_run "$ROOTFS" sh -c 'echo to-stdout; echo to-stderr >&2'
    assert_success
    assert_output "to-stdout"
    [ "$stderr" = "to-stderr" ] || fail "Expected 'to-stderr' on stderr." "$(_last_run)"
}

@test "options after IMAGE belong to the command" {
    container_run "$ROOTFS" echo -v /x:/y --hostname z
    assert_success
    assert_output "-v /x:/y --hostname z"
}

@test "the container has its own mount, UTS, PID and IPC namespaces" {
    local ns
    container_run "$ROOTFS" sh -c 'for ns in mnt uts pid ipc; do readlink /proc/self/ns/$ns; done'
    assert_success
    for ns in mnt uts pid ipc; do
        if grep -qxF "$(readlink "/proc/self/ns/$ns")" <<<"$output"; then
            fail "The container shares the host's $ns namespace ($(readlink "/proc/self/ns/$ns"))." \
                "$(_last_run)"
        fi
    done
}

@test "the container sees its own processes only, under an init with PID 1" {
    container_run "$ROOTFS" sh -c 'ls -d /proc/[0-9]* | wc -l; echo $$'
    assert_success
    local count=${output%%$'\n'*} pid=${output##*$'\n'}
    [ "$count" -le 4 ] || fail "Expected at most 4 processes in the container (init, sh, ls, wc), saw $count." "$(_last_run)"
    [ "$pid" -ne 1 ] && [ "$pid" -lt 10 ] || fail "Expected the command to run under a PID 1 init, with a small PID; it has PID $pid."
}

@test "the image is left unchanged by a run without volumes" {
    container_run "$ROOTFS" sh -c 'ls / >/dev/null; cat /proc/self/mountinfo >/dev/null'
    assert_success
    assert_tree_unchanged
    assert_mounts_unchanged
}
