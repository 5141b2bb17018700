#!/usr/bin/env bats
# What happens between two system calls: paths that change while the runtime works on
# them, destinations that are one place under two names, paths too long for the kernel,
# and a runtime killed in the middle of its setup. Everywhere: nothing of the host
# outside the volumes changes, and nothing the runtime made is left behind for good.
#
# "The host" is the test's own throwaway mount namespace (see in-namespace). A "canary"
# is a host directory outside every volume, holding empty directories and files with the
# names of the runtime's mount points: a cleanup that followed a planted symlink would
# remove them.

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() {
    sandbox_setup
    mkdir "$HOST/outer" "$HOST/inner" "$HOST/other"
    echo "outer" >"$HOST/outer/outer.txt"
    echo "inner" >"$HOST/inner/inner.txt"
    mkdir "$HOST/other/in" "$HOST/other/q"   # empty: what a misled rmdir would take
    CANARY=$SANDBOX/canary
    mkdir -p "$CANARY/in" "$CANARY/x/in" "$CANARY/y/z/in2" "$CANARY/q/w"
    : >"$CANARY/file.conf"
}
teardown() { sandbox_teardown; }

# canary_snapshot / assert_canary_untouched: the canary exactly as it was.
canary_snapshot() { snapshot_dir "$CANARY"; }
assert_canary_untouched() { assert_dir_unchanged "$CANARY"; }

@test "two destinations that are one place through a symlink of the image are refused before anything is mounted" {
    mkdir "$ROOTFS/aliasdir"
    ln -s /aliasdir "$ROOTFS/alias"
    snapshot_tree
    container_run -v "$HOST/inner:/aliasdir:ro" -v "$HOST/outer:/alias" "$ROOTFS" echo ran
    assert_status 125
    assert_one_error_line "duplicate mount point: /alias (same as /aliasdir in the image)"
    assert_output ""
    assert_tree_unchanged
    assert_mounts_unchanged
}

@test "a destination that resolves onto another volume's source is refused, and nothing is left" {
    # The outer source holds self -> /d: once /d is mounted, /d/self is /d itself.
    ln -s /d "$HOST/outer/self"
    snapshot_dir "$HOST/outer"
    container_run -v "$HOST/outer:/d" -v "$HOST/inner:/d/self" "$ROOTFS" echo ran
    assert_status 125
    assert_one_error_line "duplicate mount point: /d/self (same as /d)"
    assert_output ""
    assert_dir_unchanged "$HOST/outer"
    assert_tree_unchanged
    assert_mounts_unchanged
}

# long_destination OUTER: OUTER followed by 15 names of 254 bytes: close to PATH_MAX
# (4096) for the destination itself.
long_destination() {
    local name destination=$1 i
    name=$(printf 'n%.0s' $(seq 254))
    for i in $(seq 15); do destination+=/$name; done
    echo "$destination"
}

@test "a nested destination close to PATH_MAX works, through descriptors, and leaves nothing" {
    local destination
    destination=$(long_destination /o)
    snapshot_dir "$HOST/outer"
    container_run -v "$HOST/outer:/o" -v "$HOST/inner:$destination" "$ROOTFS" cat "$destination/inner.txt"
    assert_success
    assert_output "inner"
    assert_dir_unchanged "$HOST/outer"
    assert_tree_unchanged
    assert_mounts_unchanged
}

@test "a nested destination whose host path is longer than PATH_MAX fails in one line, leaving nothing" {
    # The image deep below the sandbox: the host path of the destination's deepest
    # directories (in the outer volume's source, as the container's namespace names it)
    # is longer than PATH_MAX, so they cannot be recorded for the cleanup of a killed run.
    local deep destination
    deep=$SANDBOX/$(printf 'r%.0s' $(seq 250))/$(printf 's%.0s' $(seq 250))
    mkdir -p "$deep"
    cp -a "$IMAGE" "$deep/rootfs"
    destination=$(long_destination /o)
    snapshot_dir "$HOST/outer"
    container_run -v "$HOST/outer:/o" -v "$HOST/inner:$destination" "$deep/rootfs" echo ran
    assert_status 125
    assert_one_error_line "volume '$HOST/inner:$destination'" "File name too long" "4096"
    assert_output ""
    assert_dir_unchanged "$HOST/outer"
    assert_mounts_unchanged
}

@test "the command rewires its volumes before it exits: no other volume loses anything, and cleanup finishes" {
    # It unmounts a nested volume, moves the directory made for it, puts a symlink to
    # another volume in its place, and mounts a tmpfs where the volume was.
    snapshot_dir "$HOST/other"
    canary_snapshot
    # It needs CAP_SYS_ADMIN to unmount and mount: the default set leaves it out.
    container_run --cap-add SYS_ADMIN -v "$HOST/outer:/d" -v "$HOST/inner:/d/p/in" -v "$HOST/other:/other" "$ROOTFS" \
        sh -c 'umount /d/p/in && mv /d/p /d/q && ln -s /other /d/p && mount -t tmpfs t /d/q/in'
    assert_success
    assert_dir_unchanged "$HOST/other"
    assert_file_content "$HOST/inner/inner.txt" "inner"
    # What the run could not remove (a mount sat on it until the end) is removed now.
    container_cli cleanup
    assert_success
    assert_dir_unchanged "$HOST/other"
    [ "$(ls -A "$HOST/outer" | LC_ALL=C sort | tr '\n' ' ')" = "outer.txt p " ] || fail \
        "Expected only outer.txt and the command's own symlink p in $HOST/outer; it holds:" \
        "$(ls -lA "$HOST/outer")"
    [ "$(readlink "$HOST/outer/p")" = /other ] || fail "The command's symlink p changed."
    assert_canary_untouched
    assert_tree_kept
    assert_mounts_unchanged
}

@test "SIGKILL at random moments of the setup of 50 volumes: container cleanup leaves the sources as they were" {
    local options=() i pid tries=0 start=$SECONDS
    for i in $(seq 45); do mkdir "$HOST/v$i"; options+=(-v "$HOST/v$i:/v$i"); done
    # Five nested in the outer volume: their mount points are made in its source.
    for i in 1 2 3 4; do options+=(-v "$HOST/inner:/v1/nested/n$i"); done
    options+=(-v "$HOST/other/in:/v1/deep/er/in:ro")
    snapshot_dir "$HOST"
    for i in $(seq 100); do
        [ $((SECONDS - start)) -lt 60 ] || break
        tries=$i
        "$CONTAINER" run "${options[@]}" "$ROOTFS" true >/dev/null 2>&1 &
        pid=$!
        sleep "0.0$((RANDOM % 25))"
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    [ "$tries" -ge 20 ] || fail "Only $tries tries in 60 s."
    # The containers die with their runtime; their mounts with their namespaces.
    assert_no_process_matching "$ROOTFS true" 10
    container_cli cleanup
    assert_success
    [ -z "$stderr" ] || fail "Expected container cleanup to leave nothing; it says:" "$stderr"
    assert_dir_unchanged "$HOST"
    assert_tree_unchanged
    assert_mounts_unchanged
}

@test "another container swaps directories of a shared source for symlinks during 200 runs: no host change outside the volumes" {
    local runs=0 start=$SECONDS
    canary_snapshot
    snapshot_dir "$HOST/inner"
    snapshot_dir "$HOST/other"
    # The swapper shares the source and, as fast as it can, swaps each directory the runs
    # make in it for a symlink to the canary (a host path, which means nothing inside the
    # swapper, but everything to a runtime that follows it on the host), then back.
    make_fifo "$HOST/outer/started"
    container_start -v "$HOST/outer:/s" "$ROOTFS" sh -c "
        echo up > /s/started
        while [ ! -e /s/stop ]; do
            for d in x y y/z q; do
                if mv /s/\$d /s/\$d.away 2>/dev/null; then
                    ln -s '$CANARY' /s/\$d
                    rm -f /s/\$d
                    mv /s/\$d.away /s/\$d 2>/dev/null
                fi
            done
        done"
    local swapper=$CONTAINER_PID
    read_fifo "$HOST/outer/started" >/dev/null
    while [ "$runs" -lt 200 ] && [ $((SECONDS - start)) -lt 60 ]; do
        runs=$((runs + 1))
        if [ $((runs % 4)) -eq 0 ]; then
            # A run whose last volume fails: the others are rolled back.
            container_run -v "$HOST/outer:/d" -v "$HOST/inner:/d/x/in" -v "$HOST/other:/d/y/z/in2:ro" \
                --mount "type=bind,source=$HOST/missing,target=/d/q/w" "$ROOTFS" true
        else
            container_run -v "$HOST/outer:/d" -v "$HOST/inner:/d/x/in" -v "$HOST/other:/d/y/z/in2:ro" \
                -v "$HOST/inner/inner.txt:/d/file.conf" "$ROOTFS" true
        fi
    done
    touch "$HOST/outer/stop"
    container_wait 20 "$swapper"
    rm -f "$HOST/outer/stop" "$HOST/outer/started"
    [ "$runs" -ge 50 ] || fail "Only $runs runs in 60 s."
    # What runs could not remove (their directories were away at that moment) goes now.
    container_cli cleanup
    assert_success
    assert_canary_untouched
    assert_dir_unchanged "$HOST/inner"
    assert_dir_unchanged "$HOST/other"
    # (The shared source itself may hold what the swapper had in hand when it stopped, or
    # moved into another of its directories: a volume is the containers' to change.)
    assert_tree_kept
    assert_mounts_unchanged
}

# forge_journal FILE DIR NAME: a journal, as a run writes it, saying that the run made
# DIR/NAME (which must exist): what would have root remove it.
forge_journal() {
    local parent=$2 name=$3 device mount_point fs_root relative fs_path
    read -r device mount_point fs_root < <(findmnt -n -o MAJ:MIN,TARGET,FSROOT -T "$parent")
    relative=${parent#"$mount_point"}
    fs_path=${fs_root%/}/${relative#/}
    printf 'container-journal 1\nplan .container-0000000000000000 %s d %s %s %s\nmade .container-0000000000000000 %s\n' \
        "$name" "$device" "$(stat -c '%d %i' "$parent")" "$fs_path" "$(stat -c '%d %i' "$parent/$name")" >"$1"
}

@test "a journal that others could have written is not believed: nothing is removed" {
    mkdir -p "$HOST/victim/empty" "$CONTAINER_STATE/journals"
    chmod 0700 "$CONTAINER_STATE" "$CONTAINER_STATE/journals"
    # A journal file anyone may write: ignored, and said so.
    forge_journal "$CONTAINER_STATE/journals/run-1.journal" "$HOST/victim" empty
    chmod 0666 "$CONTAINER_STATE/journals/run-1.journal"
    container_cli cleanup
    assert_success
    assert_stderr_contains "ignored"
    assert_exists "$HOST/victim/empty"
    # A journal directory anyone may write: refused, in one line.
    chmod 0600 "$CONTAINER_STATE/journals/run-1.journal"
    chmod 0777 "$CONTAINER_STATE/journals"
    container_cli cleanup
    assert_status 125
    assert_one_error_line "others may write there"
    assert_exists "$HOST/victim/empty"
    # The same journal, root's alone, is what a killed run leaves: believed.
    chmod 0700 "$CONTAINER_STATE/journals"
    container_cli cleanup
    assert_success
    assert_output "removed $HOST/victim/empty"
    assert_not_exists "$HOST/victim/empty"
}
