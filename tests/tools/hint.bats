#!/usr/bin/env bats
# make hint STEP=NN: the next hint each time, remembered in the state file; N=3 shows hint 3
# (the one the grader names); ALL=1 lists those seen.

load helpers

setup() {
    export BUILD_DIR=$BATS_TEST_TMPDIR/build
}

hint() {
    run make -s -C "$REPO_ROOT" hint BUILD_DIR="$BUILD_DIR" "$@"
}

# count STEP: how many hints the step has (its hints.md); title STEP N: the title of hint N.
count() {
    grep -c '^## Hint [0-9]' "$REPO_ROOT/steps/$1/hints.md"
}
title() {
    sed -n "s|^## Hint $2: \(.*\)\$|\1|p" "$REPO_ROOT/steps/$1/hints.md"
}

# seen_in_state STEP: the hint numbers the state file records as seen, on one line.
seen_in_state() {
    python3 -c "import json, sys; print(*json.load(open(sys.argv[1]))['hints'][sys.argv[2]])" \
        "$BUILD_DIR/grade-state.json" "$1"
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
    assert_contains "Hint $n of $n" "You have seen every hint of 02-mount"
    hint STEP=02
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "No hints left for 02-mount"
    run seen_in_state 02-mount
    [ "$output" = "$(seq -s ' ' "$n")" ] || fail "state: $output"
    run "$TOOLS/workshop" progress
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

@test "N=3 shows hint 3 alone and records it as seen; the next one is still the first unseen" {
    n=$(count 01-setup)
    [ "$n" -ge 4 ] || skip "the guide of 01-setup has fewer than 4 hints"
    hint STEP=01 N=3
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "Hint 3 of $n: $(title 01-setup 3)"
    [[ "$output" != *"Hint 1 of"* && "$output" != *"Hint 2 of"* ]] || fail "another hint shown" "$output"
    run seen_in_state 01-setup
    [ "$output" = "3" ] || fail "state: $output"
    hint STEP=01
    assert_contains "Hint 1 of $n: $(title 01-setup 1)"
    hint STEP=01 ALL=1
    assert_contains "Hint 1 of $n" "Hint 3 of $n"
    [[ "$output" != *"Hint 2 of"* ]] || fail "an unseen hint is listed" "$output"
    run "$TOOLS/workshop" progress
    [[ "$output" == *"01-setup "*" 2/$n"* ]] || fail "progress does not count hints 1 and 3" "$output"
    # Showing it again changes nothing; N=03 is hint 3 too.
    hint STEP=01 N=03
    assert_contains "Hint 3 of $n"
    run seen_in_state 01-setup
    [ "$output" = "1 3" ] || fail "state: $output"
}

@test "N= adds to the count an older state file holds" {
    n=$(count 01-setup)
    [ "$n" -ge 4 ] || skip "the guide of 01-setup has fewer than 4 hints"
    mkdir -p "$BUILD_DIR"
    echo '{"version": 1, "hints": {"01-setup": 2}}' >"$BUILD_DIR/grade-state.json"
    hint STEP=01 N=4
    assert_contains "Hint 4 of $n"
    run seen_in_state 01-setup
    [ "$output" = "1 2 4" ] || fail "state: $output"
}

@test "a hint number out of range, or not a number: one clear line, a non-zero exit, nothing recorded" {
    n=$(count 01-setup)
    for number in 0 "$((n + 1))" 99 -1 abc 2x; do
        run "$TOOLS/workshop" hint --step 01 --number "$number"
        [ "$status" -eq 2 ] || fail "N=$number: exit status $status" "$output"
        [ "${#lines[@]}" -eq 1 ] || fail "N=$number: not one line" "$output"
        assert_contains "01-setup has no hint '$number'" "N=1 to $n"
    done
    hint STEP=01 N=99
    [ "$status" -ne 0 ] || fail "make hint N=99 succeeded" "$output"
    assert_contains "01-setup has no hint '99'"
    [ ! -e "$BUILD_DIR/grade-state.json" ] || fail "a refused hint was recorded" "$(cat "$BUILD_DIR/grade-state.json")"
    hint STEP=01 N=2 ALL=1
    [ "$status" -ne 0 ] || fail "N= and ALL=1 together were accepted" "$output"
    assert_contains "not both"
}

@test "the grader's \"read Hint N\" line names the command that shows that hint" {
    run python3 -c '
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
from grade_explain import Advice
print(Advice("01-setup", {}).hint("3"))' "$TOOLS"
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "read Hint 3 of 01-setup" "make hint STEP=01 N=3"
    # The command it names really shows that hint.
    command=$(grep -o 'make hint [^)]*' <<<"$output")
    read -r -a words <<<"${command#make }"
    run make -s -C "$REPO_ROOT" BUILD_DIR="$BUILD_DIR" "${words[@]}"
    [ "$status" -eq 0 ] || fail "$command: $output"
    assert_contains "Hint 3 of $(count 01-setup): $(title 01-setup 3)"
}
