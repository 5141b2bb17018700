#!/usr/bin/env bats
# Every error of the runtime is one line on stderr, and what it quotes of the user's
# input is escaped: a newline would split the line, an escape sequence would be obeyed
# by the terminal.

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() { sandbox_setup; }
teardown() { sandbox_teardown; }

@test "a spec holding a newline and an escape sequence is quoted escaped, on one line" {
    container_run -v $'/src\n\x1b[2J\x1b[31m:data' "$ROOTFS" sh -c 'echo ran'
    assert_status 125
    assert_one_error_line "container: invalid volume specification: '/src\\n\\x1b[2J\\x1b[31m:data'"
    assert_output ""
    container_run --mount $'type=bind,source=/a\tb,target=/c\r,bogus' "$ROOTFS" sh -c 'echo ran'
    assert_status 125
    assert_one_error_line "'type=bind,source=/a\\tb,target=/c\\r,bogus'"
}

@test "an error found while mounting quotes the path escaped, on one line" {
    # --mount needs an existing source: this one is missing, which only the container's
    # init finds out, after the layer and /proc are mounted.
    container_run --mount "type=bind,source=$HOST/no"$'\n'"such"$'\x1b'"[31m,target=/data" \
        "$ROOTFS" sh -c 'echo ran'
    assert_status 125
    assert_one_error_line "$HOST/no\\nsuch\\x1b[31m"
    assert_output ""
    assert_tree_unchanged
}

@test "a bad option name or hostname with control characters: one line, escaped" {
    container_run $'--vol\nume' "/a:/b" "$ROOTFS" true
    assert_status 125
    assert_one_error_line "unknown option: --vol\\nume"
    container_run --hostname $'a\x07b' "$ROOTFS" true
    assert_status 125
    assert_one_error_line "invalid hostname: 'a\\x07b'"
}

@test "letters of other languages are kept; C1 controls and bytes that are not UTF-8 are escaped" {
    container_run -v $'/caf\xc3\xa9:rel\xc2\x9b\x9b\xff' "$ROOTFS" true
    assert_status 125
    assert_one_error_line $'/caf\xc3\xa9:rel\\xc2\\x9b\\x9b\\xff'
}

@test "fuzz: 2,000 generated specs and options, each refused with one line and no raw control byte" {
    # See message-fuzz for what is generated and checked. The image does not exist, so
    # nothing is ever mounted or created. Seeded: the same 2,000 cases every run.
    local report
    report=$(timeout 120 "$BATS_TEST_DIRNAME/message-fuzz" "$CONTAINER" "$SANDBOX/no-such-image" 2000 11) ||
        fail "Runs whose message was not one clean line (or the fuzz took over 120 s):" "$report"
}
