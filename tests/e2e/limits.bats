#!/usr/bin/env bats
# Limits of a container: how long a command may ignore a request to stop (--stop-timeout),
# and how much its own writable layer may hold (--layer-size).

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() {
    sandbox_setup
    mkdir "$HOST/shared"
    echo "precious" >"$HOST/shared/keep.txt"
}
teardown() { sandbox_teardown; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# A command that ignores SIGTERM and waits, after telling the test through the fifo
# /data/ready that it is up. Its children ignore SIGTERM too (SIG_IGN is inherited).
IGNORES_TERM='trap "" TERM; echo up > /data/ready; while :; do sleep 0.1; done'

@test "--stop-timeout: a command that ignores SIGTERM is killed when its time is up (137), then cleaned up" {
    # The nested volume's mount point is made in $HOST/outer: only the init's own cleanup
    # removes it, so its absence shows the init ended the command rather than being killed.
    mkdir "$HOST/outer"
    snapshot_dir "$HOST/outer"
    make_fifo "$HOST/shared/ready"
    container_start --stop-timeout 1 -v "$HOST/outer:/o" -v "$HOST/shared:/data" \
        -v "$HOST/shared:/o/in" "$ROOTFS" sh -c "$IGNORES_TERM"
    read_fifo "$HOST/shared/ready" >/dev/null
    local start elapsed
    start=$(now_ms)
    kill -TERM "$CONTAINER_PID"
    container_wait 20
    elapsed=$(($(now_ms) - start))
    assert_status 137
    [ "$elapsed" -ge 900 ] || fail "Killed after ${elapsed} ms: it had 1 s to stop by itself."
    [ "$elapsed" -lt 8000 ] || fail "Killed only after ${elapsed} ms, with --stop-timeout 1."
    [ -z "$stderr" ] || fail "Expected nothing on stderr." "$(_last_run)"
    assert_dir_unchanged "$HOST/outer"
    assert_file_content "$HOST/shared/keep.txt" "precious"
    assert_tree_unchanged
    assert_mounts_unchanged
}

@test "--stop-timeout: SIGINT starts the clock too; --stop-timeout 0 kills at once" {
    make_fifo "$HOST/shared/ready"
    container_start --stop-timeout 0 -v "$HOST/shared:/data" "$ROOTFS" \
        sh -c 'trap "" INT; echo up > /data/ready; while :; do sleep 0.1; done'
    read_fifo "$HOST/shared/ready" >/dev/null
    kill -INT "$CONTAINER_PID"
    container_wait 10
    assert_status 137
}

@test "--stop-timeout: a command that stops within its time keeps its own exit status" {
    make_fifo "$HOST/shared/ready"
    container_start --stop-timeout 5 -v "$HOST/shared:/data" "$ROOTFS" sh -c '
        trap "sleep 0.5; echo stopped cleanly; exit 7" TERM
        echo up > /data/ready
        while :; do sleep 0.1; done'
    read_fifo "$HOST/shared/ready" >/dev/null
    kill -TERM "$CONTAINER_PID"
    container_wait 20
    assert_status 7
    assert_output "stopped cleanly"
}

@test "--stop-timeout -1: the command may ignore SIGTERM for as long as it likes" {
    make_fifo "$HOST/shared/ready" "$HOST/shared/go"
    container_start --stop-timeout -1 -v "$HOST/shared:/data" "$ROOTFS" sh -c '
        trap "" TERM
        echo up > /data/ready
        read line < /data/go
        exit 3'
    read_fifo "$HOST/shared/ready" >/dev/null
    kill -TERM "$CONTAINER_PID"
    sleep 1.5   # longer than a stop timeout of 1 s would have allowed
    kill -0 "$CONTAINER_PID" 2>/dev/null || fail "The container ended within 1.5 s of SIGTERM."
    write_fifo "$HOST/shared/go" "go"
    container_wait 10
    assert_status 3
}

@test "a bad --stop-timeout is one line, exit 125, and nothing runs" {
    local value
    for value in "" x 1s 1.5 -2 99999999999; do
        container_run --stop-timeout "$value" "$ROOTFS" sh -c 'echo ran'
        assert_status 125
        assert_one_error_line "container: invalid --stop-timeout: '$value'"
        assert_output ""
    done
}

# layer_size OPTIONS...: the size of the container's "/" (its layer) in KiB, as df shows it.
layer_size() {
    container_run "$@" "$ROOTFS" sh -c 'df -k / | awk "NR == 2 { print \$2 }"'
    assert_success
}

@test "the container's layer holds 1 GiB by default; --layer-size sets it" {
    layer_size
    assert_output $((1024 * 1024))
    layer_size --layer-size 64m
    assert_output $((64 * 1024))
    layer_size --layer-size 2G
    assert_output $((2 * 1024 * 1024))
}

@test "--layer-size: a command filling its layer gets ENOSPC there, and nothing outside changes" {
    # 4 MiB into a layer of 1 MiB: the rest is refused. The volume is not part of the
    # layer: it still takes writes (on the host's file system).
    container_run --layer-size 1m -v "$HOST/shared:/data" "$ROOTFS" sh -c '
        dd if=/dev/zero of=/fill bs=64k count=64 && echo "wrote 4 MiB"
        echo "$(wc -c < /fill) bytes in the layer"
        echo written > /data/after && cat /data/after'
    assert_success
    local size
    size=$(sed -n 's/ bytes in the layer$//p' <<<"$output")
    [ -n "$size" ] && [ "$size" -le $((1024 * 1024)) ] ||
        fail "Expected at most 1 MiB in the layer." "$(_last_run)"
    assert_output "$size bytes in the layer
written"
    assert_stderr_contains "No space left on device"
    assert_file_content "$HOST/shared/after" "written"
    assert_file_content "$HOST/shared/keep.txt" "precious"
    assert_tree_unchanged
    assert_mounts_unchanged
}

@test "--layer-size: empty files count too: a command making them without end gets ENOSPC" {
    # An empty file takes no room, but costs the kernel about 2 KiB of memory: the layer
    # holds one file per 4 KiB of its size, and at least 4096 (given a size only, a tmpfs
    # would allow as many as for half the host's memory: millions).
    container_run --layer-size 1m -v "$HOST/shared:/data" "$ROOTFS" sh -c '
        mkdir /many && cd /many || exit 1
        i=0
        while [ "$i" -lt 20000 ] && true > "f$i"; do i=$((i + 1)); done
        echo "$i files"
        echo written > /data/after && cat /data/after'
    assert_success
    local files
    files=$(sed -n 's/ files$//p' <<<"$output")
    [ -n "$files" ] && [ "$files" -gt 3000 ] && [ "$files" -lt 4096 ] ||
        fail "Expected the layer of 1 MiB to take between 3000 and 4095 files." "$(_last_run)"
    assert_stderr_contains "No space left on device"
    assert_file_content "$HOST/shared/after" "written"
    assert_tree_unchanged
    assert_mounts_unchanged
}

@test "a bad --layer-size is one line, exit 125, and nothing runs" {
    local value
    # 18446744073709551615: tmpfs would round it up to whole pages, past 2^64, to 0: no limit.
    for value in "" 0 0k -1 1x 1.5g 1t 18446744073709551616 18446744073709551615; do
        container_run --layer-size "$value" "$ROOTFS" sh -c 'echo ran'
        assert_status 125
        assert_one_error_line "container: invalid --layer-size: '$value'"
        assert_output ""
    done
}
