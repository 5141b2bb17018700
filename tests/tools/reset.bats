#!/usr/bin/env bats
# make reset STEP=NN: the skeleton back from git, after a confirmation, with a backup.

load helpers

setup() {
    command -v git >/dev/null || skip "needs git"
    export BUILD_DIR=$BATS_TEST_TMPDIR/build
    CHECKOUT=$BATS_TEST_TMPDIR/checkout
    make_checkout "$CHECKOUT"
    FILE=$CHECKOUT/steps/01-setup/setup.cpp
    SKELETON=$(git -C "$CHECKOUT" show HEAD:steps/01-setup/setup.cpp)
    printf '// my work\nint answer = 42;\n' >"$FILE"
}

reset_step() {
    run make -s -C "$CHECKOUT" reset BUILD_DIR="$BUILD_DIR" "$@" </dev/null
}

@test "without a terminal and without YES=1 it refuses and changes nothing" {
    reset_step STEP=01
    [ "$status" -ne 0 ] || fail "$output"
    assert_contains "no terminal to ask on" "YES=1"
    [ "$(cat "$FILE")" = $'// my work\nint answer = 42;' ] || fail "the file changed"
    [ ! -e "$CHECKOUT/.backup" ] || fail "a backup was made"
}

@test "YES=1 puts the skeleton back and keeps a timestamped backup, ignored by git" {
    reset_step STEP=1 YES=1
    [ "$status" -eq 0 ] || fail "$output"
    [ "$(cat "$FILE")" = "$SKELETON" ] || fail "the file is not the skeleton"
    backups=("$CHECKOUT"/.backup/01-setup/setup.cpp.*)
    [ "${#backups[@]}" -eq 1 ] && [ -f "${backups[0]}" ] || fail "no backup: ${backups[*]}"
    [[ "${backups[0]}" =~ setup\.cpp\.[0-9]{8}-[0-9]{6}$ ]] || fail "not timestamped: ${backups[0]}"
    [ "$(cat "${backups[0]}")" = $'// my work\nint answer = 42;' ] || fail "the backup is not the student's file"
    assert_contains "saved as .backup/01-setup/setup.cpp." "is the skeleton again"
    git -C "$CHECKOUT" check-ignore -q "${backups[0]}" || fail ".backup/ is not ignored by git"
    [ -z "$(git -C "$CHECKOUT" status --porcelain)" ] || fail "git sees changes:" "$(git -C "$CHECKOUT" status --porcelain)"
}

@test "the student's own commits are passed over: the skeleton is the last untouched version" {
    # Work begun under the TODO comments, with not_implemented() still at the end.
    sed 's|^    // TODO 2:|    struct stat st{}; (void)st;\n    // TODO 2:|' <<<"$SKELETON" >"$FILE"
    grep -q 'struct stat st' "$FILE" || fail "the work was not begun"
    commit_all "$CHECKOUT" "begun step 1"
    printf '// my work\nint answer = 42;\n' >"$FILE"
    commit_all "$CHECKOUT" "my work on step 1"
    printf '// more work\n' >>"$FILE"
    commit_all "$CHECKOUT" "more work"
    reset_step STEP=01-setup YES=1
    [ "$status" -eq 0 ] || fail "$output"
    [ "$(cat "$FILE")" = "$SKELETON" ] || fail "the file is not the skeleton" "$(head -n 3 "$FILE")"
}

@test "the test step's Bats file is reset too, and a deleted file is put back" {
    rm "$CHECKOUT/steps/05-test/volumes.bats"
    reset_step STEP=05 YES=1
    [ "$status" -eq 0 ] || fail "$output"
    [ "$(cat "$CHECKOUT/steps/05-test/volumes.bats")" = "$(git -C "$CHECKOUT" show HEAD:steps/05-test/volumes.bats)" ] ||
        fail "volumes.bats is not the skeleton"
}

@test "an untouched step: nothing to do" {
    reset_step STEP=02 YES=1
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "already the untouched skeleton"
    [ ! -e "$CHECKOUT/.backup" ] || fail "a backup was made"
}

@test "it forgets the step's last grade, says so, and keeps the solution open once it passed" {
    write_state "$BUILD_DIR" 01-setup=passing 02-mount=passing full=passing
    reset_step STEP=01 YES=1
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "The recorded grade of 01-setup and of full is cleared: 01-setup is the skeleton now" \
        "\`make solution STEP=01-setup\` stays open: 01-setup passed on $(date +%Y-%m-%d) "
    run "$CHECKOUT/common/tools/workshop" progress
    [[ "$output" == *"01-setup "*"not started"*"never"* ]] || fail "$output"
    [[ "$output" == *"02-mount "*"passing"* ]] || fail "$output"
    [ -d "$REPO_ROOT/solutions" ] || return 0
    run make -s -C "$CHECKOUT" solution STEP=01 BUILD_DIR="$BUILD_DIR"
    [ "$status" -eq 0 ] || fail "the solution closed after the reset" "$output"
    assert_contains "solutions/01-setup/setup.cpp"
}

@test "a step that never passed: its grade is cleared, and the solution stays closed" {
    write_state "$BUILD_DIR" 01-setup=progress
    reset_step STEP=01 YES=1
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "The recorded grade of 01-setup is cleared"
    [[ "$output" != *"stays open"* ]] || fail "$output"
    run make -s -C "$CHECKOUT" solution STEP=01 BUILD_DIR="$BUILD_DIR"
    [ "$status" -ne 0 ] || fail "the solution opened" "$output"
}

@test "on a terminal it asks, and only 'y' goes ahead" {
    command -v script >/dev/null || skip "needs script (bsdutils)"
    # No is an answer, not an error: exit status 0, and no word of make's about one.
    run bash -c "echo n | script -qec 'make -s -C \"$CHECKOUT\" reset STEP=01 BUILD_DIR=\"$BUILD_DIR\"; echo \"exit status \$?\"' /dev/null"
    assert_contains "Replace steps/01-setup/setup.cpp with the skeleton?" "Nothing changed" "exit status 0"
    [[ "$output" != *"Error"* ]] || fail "$output"
    [ "$(cat "$FILE")" = $'// my work\nint answer = 42;' ] || fail "the file changed"
    run bash -c "echo y | script -qec 'make -s -C \"$CHECKOUT\" reset STEP=01 BUILD_DIR=\"$BUILD_DIR\"' /dev/null"
    [ "$(cat "$FILE")" = "$SKELETON" ] || fail "the file is not the skeleton" "$output"
}

@test "without a skeleton in git's history it refuses" {
    rm -rf "$CHECKOUT/.git"
    git -C "$CHECKOUT" init -q
    commit_all "$CHECKOUT" "only my work"
    reset_step STEP=01 YES=1
    [ "$status" -ne 0 ] || fail "$output"
    assert_contains "no commit of this repository holds an untouched skeleton of steps/01-setup/setup.cpp"
}
