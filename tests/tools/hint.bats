#!/usr/bin/env bats
# make hint STEP=NN: the next hint each time, remembered in the state file; ALL=1 lists them.

load helpers

setup() {
    export BUILD_DIR=$BATS_TEST_TMPDIR/build
}

hint() {
    run make -s -C "$REPO_ROOT" hint BUILD_DIR="$BUILD_DIR" "$@"
}

# count STEP: how many hints the step's guide has; title STEP N: the title of hint N.
count() {
    grep -c '<summary>Hint [0-9]' "$REPO_ROOT/steps/$1/README.md"
}
title() {
    sed -n "s|.*<summary>Hint $2: \(.*\)</summary>.*|\1|p" "$REPO_ROOT/steps/$1/README.md"
}

@test "each call shows the next hint, whatever the step is called" {
    n=$(count 01-setup)
    [ "$n" -ge 4 ] || skip "the guide of 01-setup has fewer than 4 hints"
    hint STEP=01
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "Hint 1 of $n: $(title 01-setup 1)"
    [[ "$output" != *"Hint 2"* ]] || fail "more than one hint shown" "$output"
    hint STEP=1
    assert_contains "Hint 2 of $n: $(title 01-setup 2)"
    hint STEP=01-setup
    assert_contains "Hint 3 of $n: $(title 01-setup 3)"
    hint STEP=setup
    assert_contains "Hint 4 of $n: $(title 01-setup 4)"
}

@test "ALL=1 lists the hints seen so far, and only those" {
    hint STEP=02 ALL=1
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "No hint of 02-mount seen yet"
    n=$(count 02-mount)
    hint STEP=02
    hint STEP=02
    hint STEP=02 ALL=1
    assert_contains "Hint 1 of $n: $(title 02-mount 1)" "Hint 2 of $n: $(title 02-mount 2)"
    [[ "$output" != *"Hint 3"* ]] || fail "an unseen hint is listed" "$output"
    # Listing does not move on.
    hint STEP=02
    assert_contains "Hint 3 of $n"
}

@test "once every hint was shown it says so, and the count is in the state file" {
    n=$(count 02-mount)
    for i in $(seq "$n"); do hint STEP=02; done
    assert_contains "Hint $n of $n" "That was the last hint"
    hint STEP=02
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "No hints left for 02-mount"
    run python3 -c "import json; print(json.load(open('$BUILD_DIR/grade-state.json'))['hints']['02-mount'])"
    [ "$output" = "$n" ] || fail "state: $output"
    run "$TOOLS/progress"
    [[ "$output" == *"02-mount "*"$n/$n"* ]] || fail "progress does not show the hints seen" "$output"
}

@test "the grader keeps the hint count when it writes its state" {
    hint STEP=03
    write_state "$BUILD_DIR" 03-unmount=progress
    hint STEP=03
    assert_contains "Hint 2 of $(count 03-unmount)"
}

@test "an unknown or missing step is refused with the list of steps" {
    hint STEP=9
    [ "$status" -ne 0 ] || fail "$output"
    assert_contains "There is no step '9'" "01-setup, 02-mount, 03-unmount, 04-integrate, 05-test"
    hint
    [ "$status" -ne 0 ] || fail "$output"
    assert_contains "Which step? Say STEP=NN"
}
