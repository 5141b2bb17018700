#!/usr/bin/env bats
# make progress: a table of every step from the grader's state file.

load helpers

setup() {
    export BUILD_DIR=$BATS_TEST_TMPDIR/build
}

@test "without a state file every step is 'not started', never graded" {
    run make -s -C "$REPO_ROOT" progress BUILD_DIR="$BUILD_DIR"
    [ "$status" -eq 0 ] || fail "$output"
    for step in 01-setup 02-mount 03-unmount 04-integrate 05-test full; do
        [[ "$output" == *"$step"*"not started"*"never"* ]] || fail "no 'not started' row for $step" "$output"
    done
    assert_contains "0 of 5 steps passing" "Next: make grade STEP=01-setup"
}

@test "it shows what the grader's state file says: status, checks, points, date" {
    write_state "$BUILD_DIR" 01-setup=passing 02-mount=progress 03-unmount=none
    run "$TOOLS/workshop" progress
    [ "$status" -eq 0 ] || fail "$output"
    today=$(date +%Y-%m-%d)
    [[ "$output" == *"01-setup "*"passing "*"4/4 "*"15/15 "*"$today"* ]] || fail "$output"
    [[ "$output" == *"02-mount "*"in progress "*"1/4 "*"0/15 "*"$today"* ]] || fail "$output"
    [[ "$output" == *"03-unmount "*"not started "*"0/4 "*"0/20 "*"$today"* ]] || fail "$output"
    [[ "$output" == *"04-integrate "*"not started "*"never"* ]] || fail "$output"
    assert_contains "1 of 5 steps passing" "Next: make grade STEP=02-mount"
}

@test "a step whose file changed after its grade is marked with *" {
    checkout=$BATS_TEST_TMPDIR/checkout
    make_checkout "$checkout"
    write_state "$BUILD_DIR" 01-setup=progress
    touch -d '+1 hour' "$checkout/steps/01-setup/setup.cpp"
    run "$checkout/common/tools/workshop" progress
    [[ "$output" == *"01-setup "*"in progress"*" *"* ]] || fail "$output"
    assert_contains "changed since that grade"
}

@test "the state file lives in the build directory, which git ignores" {
    git -C "$REPO_ROOT" rev-parse --git-dir >/dev/null 2>&1 || skip "not a git checkout"
    run git -C "$REPO_ROOT" check-ignore -q build/grade-state.json
    [ "$status" -eq 0 ] || fail "build/grade-state.json is not ignored by git"
}
