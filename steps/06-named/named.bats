#!/usr/bin/env bats
# Step 6 checks: named volumes seen through the whole runtime.
#
# $CONTAINER is the runtime built from YOUR steps/06-named/named.cpp and the reference
# code of the other steps (the grader sets it). The volumes live in the sandbox
# ($CONTAINER_ROOT/volumes), never in the machine's /var/lib/container.
# A "# hint: N" line names the hint of README.md to read when the check below it fails.
#
# Run by hand (as root): common/tools/in-namespace bats steps/06-named/named.bats
# (`make grade STEP=06-named` does it for you).

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() { sandbox_setup; }
teardown() { sandbox_teardown; }

# hint: 2
@test "container volume create db, then a file written by one container is read by the next" {
    container_cli volume create db
    assert_success
    assert_output "db"
    container_run -v db:/data "$ROOTFS" sh -c 'echo "written by the first" >/data/note'
    assert_success
    container_run -v db:/elsewhere "$ROOTFS" cat /elsewhere/note
    assert_success
    assert_output "written by the first"
    assert_file_content "$CONTAINER_ROOT/volumes/db/_data/note" "written by the first"
    assert_tree_unchanged
}

# hint: 4
@test "a new volume starts with the image's files: modes and symlinks kept" {
    cp -a "$ROOTFS" "$SANDBOX/image"
    mkdir -p "$SANDBOX/image/srv/app/conf"
    echo "setting=1" >"$SANDBOX/image/srv/app/conf/app.conf"
    chmod 0640 "$SANDBOX/image/srv/app/conf/app.conf"
    chmod 0700 "$SANDBOX/image/srv/app/conf"
    ln -s conf/app.conf "$SANDBOX/image/srv/app/current"
    container_run -v app:/srv/app "$SANDBOX/image" sh -c 'cat /srv/app/current; stat -c %a /srv/app/conf/app.conf'
    assert_success
    assert_output "setting=1
640"
    local data=$CONTAINER_ROOT/volumes/app/_data
    assert_mode "$data/conf" 700
    assert_mode "$data/conf/app.conf" 640
    [ "$(readlink "$data/current")" = "conf/app.conf" ] ||
        fail "expected: current to stay a symlink to conf/app.conf" "happened: $(ls -l "$data")"
}

# hint: 5
@test "rm is refused while a container uses the volume, and allowed once it is SIGKILLed" {
    local fifo=$SANDBOX/fifo
    make_fifo "$fifo"
    container_start -v db:/data -v "$SANDBOX:/sync" "$ROOTFS" sh -c 'echo up >/sync/fifo; sleep 60'
    read_fifo "$fifo" >/dev/null
    container_cli volume rm db
    assert_status 1
    assert_one_error_line "volume is in use by container PID $CONTAINER_PID"
    assert_exists "$CONTAINER_ROOT/volumes/db/_data"
    kill -KILL "$CONTAINER_PID"
    container_wait 10
    container_cli volume rm db
    assert_success
    assert_not_exists "$CONTAINER_ROOT/volumes/db"
}

# hint: 2
@test "a tmpfs next to a named volume is empty at each start and gone at exit; the volume keeps" {
    local round
    for round in 1 2; do
        container_run --tmpfs /scratch -v db:/data "$ROOTFS" \
            sh -c 'ls -A /scratch; echo x >/scratch/f; echo round >>/data/log; wc -l </data/log'
        assert_success
        assert_output "$round"
    done
    assert_mounts_unchanged
    assert_tree_unchanged
}
