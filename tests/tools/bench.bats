#!/usr/bin/env bats
# make bench's pieces: the kernel's floor (bench-floor) and the report's clean exit when a
# timed command fails. Timings themselves are never checked here: they belong to make bench.

load helpers

FLOOR=${BUILD_DIR:-$REPO_ROOT/build}/bin/bench-floor

@test "bench-floor prints four times per volume and leaves its directory as it found it" {
    local before
    before=$(cat /proc/self/mountinfo)
    run "$FLOOR" 5 "$BATS_TEST_TMPDIR" 2
    assert_success
    assert_output --regexp '^[0-9]+\.[0-9] [0-9]+\.[0-9] [0-9]+\.[0-9] [0-9]+\.[0-9]$'
    assert_dir_exists "$BATS_TEST_TMPDIR"
    [ -z "$(ls -A "$BATS_TEST_TMPDIR")" ] || fail "left behind: $(ls -A "$BATS_TEST_TMPDIR")"
    [ "$(cat /proc/self/mountinfo)" = "$before" ] || fail "the mount table changed"
}

@test "bench-floor refuses a count that is not positive, with its usage" {
    run "$FLOOR" 0 "$BATS_TEST_TMPDIR"
    assert_failure 2
    assert_output "bench-floor: N and ROUNDS must be positive"
    run "$FLOOR"
    assert_failure 2
    assert_output --partial "usage: bench-floor N DIRECTORY [ROUNDS]"
}

@test "bench names the command that failed, and removes its work directory" {
    mkdir "$BATS_TEST_TMPDIR/image"
    local before
    before=$(ls -d /tmp/container-bench.* 2>/dev/null || true)
    CONTAINER=/bin/false IMAGE=$BATS_TEST_TMPDIR/image run "$TOOLS/bench"
    assert_failure 1
    assert_line "bench: this command failed:"
    assert_line --regexp '^  /bin/false run -v /tmp/container-bench\.[^ ]+/host/v1:/data '
    [ "$(ls -d /tmp/container-bench.* 2>/dev/null || true)" = "$before" ] ||
        fail "a work directory is left in /tmp"
}
