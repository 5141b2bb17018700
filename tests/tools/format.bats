#!/usr/bin/env bats
# make format / make format-check: one style for the C++ sources (.clang-format).

load helpers

setup() {
    CHECKOUT=$BATS_TEST_TMPDIR/checkout
    make_checkout "$CHECKOUT"
    "$CHECKOUT/common/tools/format" >/dev/null
}

@test "format-check names a file that differs from the style, and format mends it" {
    run "$CHECKOUT/common/tools/format" --check
    assert_success
    assert_output --regexp '^[0-9]+ passed, 0 failed$'
    printf 'int   badly( int x ) { return x ; }\n' >>"$CHECKOUT/common/src/volume.cpp"
    run make -s -C "$CHECKOUT" format-check
    assert_failure
    assert_line "not formatted: common/src/volume.cpp (make format rewrites it)"
    assert_line --regexp '^[0-9]+ passed, 1 failed$'
    run make -s -C "$CHECKOUT" format
    assert_success
    grep -qx 'int badly(int x) {' "$CHECKOUT/common/src/volume.cpp" || fail "not rewritten"
    run "$CHECKOUT/common/tools/format" --check
    assert_success
}

@test "the learner's files in steps/ are never rewritten" {
    local file=$CHECKOUT/steps/02-mount/mount.cpp
    printf 'int   mine( int x ) { return x ; }\n' >>"$file"
    cp "$file" "$BATS_TEST_TMPDIR/before"
    run "$CHECKOUT/common/tools/format"
    assert_success
    cmp -s "$file" "$BATS_TEST_TMPDIR/before" || fail "format changed $file"
}

@test "make test runs the format check before anything is built" {
    # The checks that need no build come first: the workshop's own, then the format.
    run grep -m2 -E '^ +suite ' "$REPO_ROOT/common/tools/run-tests"
    assert_line --index 0 --regexp 'suite workshop +counted +"\$TOOLS/workshop" check'
    assert_line --index 1 --regexp 'suite format +counted +"\$TOOLS/format" --check'
}
