#!/usr/bin/env bats
# The life of a container around its volumes: cleanup after success and failure, many
# runs in a row, many containers at once, processes left behind, signals.

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() {
    sandbox_setup
    mkdir "$HOST/shared"
    echo "precious" >"$HOST/shared/keep.txt"
}
teardown() { sandbox_teardown; }

@test "mount points and parents the runtime created are removed, the image left as it was" {
    # Inside the volume /v, the mount points and their parents are made in its source on
    # the host ($HOST/outer), not in the container's own layer: they must go again.
    echo "file" >"$HOST/file.txt"
    mkdir "$HOST/outer"
    snapshot_dir "$HOST/outer"
    container_run -v "$HOST/outer:/v" -v "$HOST/shared:/v/new/deep/dir" \
        -v "$HOST/file.txt:/v/other/file.txt" -v "$HOST/shared:/tmp/inside-tmp" "$ROOTFS" \
        sh -c 'cat /v/new/deep/dir/keep.txt /v/other/file.txt'
    assert_success
    assert_output "precious
file"
    assert_dir_unchanged "$HOST/outer"
    assert_tree_unchanged   # the image is never modified: /tmp/inside-tmp was made in the layer
    assert_mounts_unchanged
}

@test "a failed run (file onto a directory) leaves nothing behind; the corrected rerun works" {
    echo "file" >"$HOST/file.txt"
    mkdir "$HOST/inner"
    snapshot_dir "$HOST/shared"
    # /first/in is made in $HOST/shared before the failing volume (same depth as /usr/bin,
    # given first): it must be undone.
    container_run -v "$HOST/shared:/first" -v "$HOST/inner:/first/in" \
        -v "$HOST/file.txt:/usr/bin" "$ROOTFS" sh -c 'echo ran'
    assert_status 125
    assert_one_error_line "container:" "/usr/bin" "Not a directory"
    assert_output ""
    assert_dir_unchanged "$HOST/shared"
    assert_tree_unchanged
    assert_mounts_unchanged

    container_run -v "$HOST/shared:/first" -v "$HOST/file.txt:/etc/file.txt" "$ROOTFS" \
        cat /first/keep.txt /etc/file.txt
    assert_success
    assert_output "precious
file"
    assert_tree_unchanged
}

@test "a failed run (missing --mount source after good volumes) undoes them; the rerun works" {
    # /a/b is set up before /z/later (same depth, given first); its mount point is made in
    # $HOST/shared, the source of /a, so the rollback must remove it.
    container_run -v "$HOST/shared:/a" -v "$HOST/shared:/a/b" \
        --mount "type=bind,source=$HOST/later,target=/z/later" "$ROOTFS" sh -c 'echo ran'
    assert_status 125
    assert_one_error_line "source path does not exist: $HOST/later"
    assert_output ""
    assert_not_exists "$HOST/shared/b"
    assert_tree_unchanged
    assert_mounts_unchanged

    mkdir "$HOST/later"
    echo "now here" >"$HOST/later/file"
    container_run -v "$HOST/shared:/a" -v "$HOST/shared:/a/b/c" \
        --mount "type=bind,source=$HOST/later,target=/z/later" "$ROOTFS" \
        cat /a/keep.txt /z/later/file
    assert_success
    assert_output "precious
now here"
    assert_tree_unchanged
}

@test "a command that is not found still gets its volumes cleaned up" {
    mkdir "$HOST/inner"
    container_run -v "$HOST/shared:/data" -v "$HOST/inner:/data/in" "$ROOTFS" no-such-command
    assert_status 127
    assert_not_exists "$HOST/shared/in"
    assert_tree_unchanged
}

@test "20 runs in a row leave the mount table and the image unchanged" {
    echo "config" >"$HOST/app.conf"
    mkdir "$HOST/inner"
    local i
    for i in $(seq 20); do
        container_run -v "$HOST/shared:/data" -v "$HOST/app.conf:/etc/app.conf:ro" \
            -v "$HOST/inner:/data/in" "$ROOTFS" sh -c "echo run-$i >> /data/in/log"
        assert_success
    done
    [ "$(wc -l <"$HOST/inner/log")" -eq 20 ] || fail "Expected 20 lines in the log, got $(wc -l <"$HOST/inner/log")."
    assert_not_exists "$HOST/shared/in"
    assert_tree_unchanged
    assert_mounts_unchanged
}

# ten_appenders ROOTFS_COMMAND: 10 containers each append $n numbered lines to /data/log,
# one host file, in two halves; between the halves, container 1 ends (and cleans up) while
# the 9 others wait, mounted. Then every line must have arrived. `ROOTFS_COMMAND N` prints
# the rootfs container N runs on.
ten_appenders() {
    local n=200 half=100 i pid lines
    for i in $(seq 10); do
        make_fifo "$HOST/shared/ready-$i" "$HOST/shared/go-$i"
        container_start -v "$HOST/shared:/data" "$("$@" "$i")" sh -c "
            i=0
            while [ \$i -lt $half ]; do i=\$((i + 1)); echo \"c$i \$i\" >> /data/log; done
            echo up > /data/ready-$i
            read line < /data/go-$i
            while [ \$i -lt $n ]; do i=\$((i + 1)); echo \"c$i \$i\" >> /data/log; done"
    done
    for i in $(seq 10); do read_fifo "$HOST/shared/ready-$i" >/dev/null; done
    # Container 1 finishes first, while the others are still running.
    write_fifo "$HOST/shared/go-1" go
    container_wait 30 "${CONTAINER_PIDS[0]}"
    assert_success
    for i in $(seq 2 10); do write_fifo "$HOST/shared/go-$i" go; done
    for pid in "${CONTAINER_PIDS[@]:1}"; do
        container_wait 60 "$pid"
        assert_success
        [ -z "$stderr" ] || fail "Container (pid $pid) complained:" "$(head -n 5 <<<"$stderr")"
    done
    lines=$(wc -l <"$HOST/shared/log")
    for i in $(seq 10); do
        [ "$(grep -c "^c$i " "$HOST/shared/log")" -eq "$n" ] ||
            fail "Container $i wrote $(grep -c "^c$i " "$HOST/shared/log") lines of $n (all: $lines of $((10 * n)))."
    done
}

own_copy() {
    [ -d "$SANDBOX/rootfs-$1" ] || cp -a "$IMAGE" "$SANDBOX/rootfs-$1"
    echo "$SANDBOX/rootfs-$1"
}
same_image() { echo "$ROOTFS"; }

@test "10 containers at once sharing one volume lose no write" {
    ten_appenders own_copy
    assert_mounts_unchanged
}

@test "10 containers at once on the same image, sharing one volume, lose no write" {
    # Each needs a /data the image lacks. Made in the image directory itself, the first
    # to end would remove it and take the others' volumes with it (rmdir of a mount point
    # of another namespace detaches it): each container makes /data in its own layer.
    ten_appenders same_image
    assert_tree_unchanged
    assert_mounts_unchanged
}

@test "writes outside the volumes go to the container's own layer, and go with it" {
    mkdir "$SANDBOX/tmp"
    TMPDIR=$SANDBOX/tmp container_run -v "$HOST/shared:/data" "$ROOTFS" sh -c '
        echo "in the layer" > /new-file && rm /bin/true && mkdir -p /etc/new/dir &&
        cat /new-file && [ ! -e /bin/true ] && echo removed'
    assert_success
    assert_output "in the layer
removed"
    assert_tree_unchanged
    # The layer lived on a tmpfs of the container's namespace: nothing of it is on the host.
    [ -z "$(ls -A "$SANDBOX/tmp")" ] || fail "Expected nothing left in \$TMPDIR: $(ls -A "$SANDBOX/tmp")"
    # The next container on the image sees none of it.
    container_run "$ROOTFS" sh -c '[ ! -e /new-file ] && [ ! -e /etc/new ] && [ -e /bin/true ] && echo clean'
    assert_success
    assert_output "clean"
}

@test "a process left running inside the volume neither blocks the exit nor breaks cleanup" {
    # Unique arguments, to find these processes on the machine if they survive.
    local token=$((900000 + RANDOM))
    container_start -v "$HOST/shared:/data" "$ROOTFS" sh -c "
        (cd /data && exec sleep $token) &
        (trap '' TERM; exec sleep $((token + 1)) < /data/keep.txt) &
        echo started"
    container_wait 20
    assert_success
    assert_output "started"
    assert_no_process_matching "sleep $token" 5
    assert_no_process_matching "sleep $((token + 1))" 5
    assert_file_content "$HOST/shared/keep.txt" "precious"
    assert_tree_unchanged
    assert_mounts_unchanged
}

@test "a signal sent to the runtime reaches the command, and cleanup still happens" {
    make_fifo "$HOST/shared/ready"
    container_start -v "$HOST/shared:/data" "$ROOTFS" sh -c '
        trap "echo got TERM; exit 7" TERM
        echo up > /data/ready
        while :; do sleep 0.1; done'
    read_fifo "$HOST/shared/ready" >/dev/null
    kill -TERM "$CONTAINER_PID"
    container_wait 20
    assert_status 7
    assert_output "got TERM"
    assert_tree_unchanged
    assert_mounts_unchanged
}

@test "orphans of the command are reaped (the init is a real PID 1)" {
    # The subshell exits at once; its child becomes an orphan of the container. When the
    # orphan exits, only PID 1 of the container can reap it: until then it stays a zombie.
    container_run -v "$HOST/shared:/data" "$ROOTFS" sh -c '
        (sh -c "echo \$\$ > /data/orphan.pid" &)
        i=0; while [ ! -s /data/orphan.pid ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
        pid=$(cat /data/orphan.pid)
        i=0; while [ -e /proc/$pid ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
        if [ -e /proc/$pid ]; then echo "not reaped: $(cat /proc/$pid/stat)"; else echo reaped; fi'
    assert_success
    assert_output "reaped"
}
