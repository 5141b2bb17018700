#!/usr/bin/env bats
# make solution STEP=NN: the reference only once the step passes (FORCE=1 before), DIFF=1 a diff.

load helpers

setup() {
    [ -d "$REPO_ROOT/solutions" ] || skip "no solutions/ in this copy (a student release)"
    export BUILD_DIR=$BATS_TEST_TMPDIR/build
}

solution() {
    run make -s -C "$REPO_ROOT" solution BUILD_DIR="$BUILD_DIR" "$@"
}

@test "before the step was graded it is refused, and says how to get there" {
    solution STEP=02
    [ "$status" -ne 0 ] || fail "$output"
    assert_contains "02-mount has not been graded yet" "make grade STEP=02-mount" "FORCE=1"
    line=$(grep -m 1 -E '^\s+[a-z_:]+.*;\s*$' "$REPO_ROOT/solutions/02-mount/mount.cpp")
    [ -n "$line" ] || fail "no line of code found in the reference"
    [[ "$output" != *"$line"* ]] || fail "the reference was shown" "$output"
}

@test "while the step does not pass it is refused" {
    write_state "$BUILD_DIR" 02-mount=progress
    solution STEP=02
    [ "$status" -ne 0 ] || fail "$output"
    assert_contains "02-mount does not pass yet" "passed 1 of 4 checks"
}

@test "once the step passes it shows the reference" {
    write_state "$BUILD_DIR" 02-mount=passing
    solution STEP=02
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "solutions/02-mount/mount.cpp" "$(tail -n 3 "$REPO_ROOT/solutions/02-mount/mount.cpp")"
}

@test "once the step passed, a later grade that fails keeps it open" {
    write_state "$BUILD_DIR" 02-mount=passing
    write_state "$BUILD_DIR" 02-mount=progress
    solution STEP=02
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "solutions/02-mount/mount.cpp"
}

@test "FORCE=1 shows it before, DIFF=1 as a diff against the student's file" {
    solution STEP=01 FORCE=1
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "$(head -n 5 "$REPO_ROOT/solutions/01-setup/setup.cpp")"
    # The student's file: the skeleton (whatever work is in this checkout's steps/).
    checkout=$BATS_TEST_TMPDIR/checkout
    make_checkout "$checkout"
    run make -s -C "$checkout" solution BUILD_DIR="$BUILD_DIR" STEP=01 FORCE=1 DIFF=1
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "--- yours: steps/01-setup/setup.cpp" "+++ reference: solutions/01-setup/setup.cpp"
    [[ "$output" =~ $'\n-'[[:space:]]*'not_implemented("setup_volume");' ]] ||
        fail "the skeleton's not_implemented() is not shown as removed" "$output"
}

@test "the test step's reference is its Bats file" {
    write_state "$BUILD_DIR" 05-test=passing
    solution STEP=5
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "solutions/05-test/volumes.bats" "@test"
}

@test "a copy without solutions/ says they are not included" {
    checkout=$BATS_TEST_TMPDIR/checkout
    make_checkout "$checkout"
    rm -r "$checkout/solutions"
    write_state "$BUILD_DIR" 01-setup=passing
    run make -s -C "$checkout" solution STEP=01 BUILD_DIR="$BUILD_DIR"
    [ "$status" -ne 0 ] || fail "$output"
    assert_contains "The solutions are not included in this copy of the workshop"
}
