#!/usr/bin/env bats
# common/tools/in-namespace: the one isolation of the tests, the grader and grade-all.
# These tests run in a throwaway namespace themselves (run-tests starts them with it), so
# what they nest inside never reaches the machine either.

load helpers

setup() {
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/isolation.XXXXXX")
    mounts_before=$(cat /proc/self/mountinfo)
}

teardown() {
    [ "$(cat /proc/self/mountinfo)" = "$mounts_before" ] || fail "the mount table changed"
    rm -rf --one-file-system -- "$WORK"
}

@test "the command runs in a mount and PID namespace of its own, with / shared" {
    # The mount at / by its mount point (field 5), whatever its root (field 4): in a
    # chroot, / is a directory of a bigger mount, and its root field says which.
    run "$TOOLS/in-namespace" sh -c 'readlink /proc/self/ns/mnt /proc/self/ns/pid; echo "$CONTAINER_TEST_NAMESPACE"; awk "\$5 == \"/\"" /proc/self/mountinfo'
    assert_success
    [ "${lines[0]}" != "$(readlink /proc/self/ns/mnt)" ] || fail "same mount namespace" "$output"
    [ "${lines[1]}" != "$(readlink /proc/self/ns/pid)" ] || fail "same PID namespace" "$output"
    [ "${lines[2]}" = "${lines[0]}" ] || fail "CONTAINER_TEST_NAMESPACE does not name it" "$output"
    [[ ${lines[3]} == *" shared:"* ]] || fail "/ is not shared inside" "$output"
}

@test "what it mounts stays inside, and its status comes back" {
    mkdir "$WORK/point"
    run "$TOOLS/in-namespace" sh -c 'mount -t tmpfs inside "$0" && exit 7' "$WORK/point"
    assert_failure 7
    ! grep -q " $WORK/point " /proc/self/mountinfo || fail "the mount reached the caller"
}

@test "a process the command leaves running ends with it" {
    run timeout 20 "$TOOLS/in-namespace" sh -c 'sleep 300 & echo $!'
    assert_success
    ! pgrep -f "^sleep 300$" >/dev/null || { pkill -f "^sleep 300$"; fail "the sleep outlived the namespace"; }
}

@test "killed, or sent SIGTERM, it ends every process of its namespace" {
    local signal pid n
    for signal in KILL TERM; do
        "$TOOLS/in-namespace" sh -c 'sleep 310; echo "still here after SIG$0"' "$signal" >"$WORK/out" 2>&1 &
        pid=$!
        for n in $(seq 100); do pgrep -f "^sleep 310$" >/dev/null && break; sleep 0.05; done
        kill "-$signal" "$pid"
        wait "$pid" || true
        for n in $(seq 100); do pgrep -f "^sleep 310$" >/dev/null || break; sleep 0.05; done
        if pgrep -f "^sleep 310$" >/dev/null; then
            pkill -f "^sleep 310$"
            fail "SIG$signal to in-namespace left its command running"
        fi
    done
    ! grep -q "still here" "$WORK/out" || fail "$(cat "$WORK/out")"
}

@test "--leaks lists the mount points the command left, a space in a name decoded" {
    : >"$WORK/leaks"
    run "$TOOLS/in-namespace" --leaks "$WORK/leaks" sh -c 'mkdir -p "$0/a b" && mount -t tmpfs x "$0/a b"' "$WORK"
    assert_success
    [ "$(cat "$WORK/leaks")" = "$WORK/a b" ] || fail "leaks: $(cat "$WORK/leaks")"
    rmdir "$WORK/a b"
    : >"$WORK/leaks"
    run "$TOOLS/in-namespace" --leaks "$WORK/leaks" true
    [ ! -s "$WORK/leaks" ] || fail "a clean command has leaks: $(cat "$WORK/leaks")"
    # Never created: its owner made it, and may have removed it on purpose.
    run "$TOOLS/in-namespace" --leaks "$WORK/none" true
    assert_not_exists "$WORK/none"
}

@test "--tmpfs and --overlay: what the command writes or deletes there never reaches the real directory" {
    mkdir "$WORK/scratch" "$WORK/images"
    echo kept >"$WORK/images/file"
    run "$TOOLS/in-namespace" --tmpfs "$WORK/scratch" --overlay "$WORK/images" sh -c \
        'echo new >"$0/scratch/made" && rm "$0/images/file" && echo new >"$0/images/other"' "$WORK"
    assert_success
    [ -z "$(ls -A "$WORK/scratch")" ] || fail "the tmpfs' files reached the real directory"
    [ "$(cat "$WORK/images/file")" = kept ] && assert_not_exists "$WORK/images/other"
}

@test "a sandbox that cannot be set up: status 125 and one line that says why" {
    run "$TOOLS/in-namespace" --tmpfs "$WORK/missing" true
    [ "$status" -eq 125 ] || fail "status $status: $output"
    [[ $output == "in-namespace: cannot mount a tmpfs on $WORK/missing"* ]] || fail "$output"
}
