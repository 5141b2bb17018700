#!/usr/bin/env bats
# The catalogue of wrong answers (solutions/catalogue/, `make catalogue`): a variant of the
# reference that no check catches is named and fails the run; one whose text is no longer
# in the reference fails loudly; one marked equivalent is not counted. (That every variant
# of the real catalogue is caught is part of the grader's self-check.)

load helpers

setup() {
    require_grading
    CATALOGUE=$BATS_TEST_TMPDIR/catalogue
    mkdir "$CATALOGUE"
}

@test "a survivor is named, a stale variant fails loudly, an equivalent one is not counted" {
    cat >"$CATALOGUE/02-mount.toml" <<'EOF2'
[[variant]]
name = "bind-without-rec"
mistake = "clones the source without AT_RECURSIVE"
find = "OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH"
replace = "OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH"

[[variant]]
name = "unmarked-equivalent"
mistake = "opens the tree without OPEN_TREE_CLOEXEC, which nothing can observe"
find = "OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH"
replace = "OPEN_TREE_CLONE | AT_RECURSIVE | AT_EMPTY_PATH"

[[variant]]
name = "stale"
mistake = "replaces a text the reference no longer has"
find = "this text is not in the reference"
replace = "nor is this"

[[variant]]
name = "marked-equivalent"
mistake = "clones the tree without OPEN_TREE_CLOEXEC"
equivalent = "the descriptor is closed before any exec anyway"
find = "OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH"
replace = "OPEN_TREE_CLONE | AT_RECURSIVE | AT_EMPTY_PATH"
EOF2
    run outside_bats "$TOOLS/grade" --catalogue --catalogue-dir "$CATALOGUE" --step 02 \
        --build-dir "${BUILD_DIR:-$REPO_ROOT/build}" --image "$REPO_ROOT/images/busybox"
    [ "$status" -eq 1 ] || fail "exit status $status" "$output"
    assert_contains \
        "✓ 02-mount bind-without-rec: caught by \"mount volume: a mount inside the source is visible" \
        "✗ 02-mount unmarked-equivalent survives every check of 02-mount: it opens the tree without OPEN_TREE_CLOEXEC" \
        "✗ 02-mount stale: its text is no longer in solutions/02-mount/mount.cpp (\"this text is not in the reference\"): the reference changed; rewrite the variant" \
        "- 02-mount marked-equivalent: equivalent, not counted (the descriptor is closed" \
        "catalogue: 1/3 variants caught (1 equivalent)" \
        "2 passed, 2 failed"
    # The copy the catalogue builds from is the reference again.
    cmp "$REPO_ROOT/solutions/02-mount/mount.cpp" "${BUILD_DIR:-$REPO_ROOT/build}/catalogue/02-mount/mount.cpp" ||
        fail "the catalogue's copy of mount.cpp was left as the last variant"
}

@test "a catalogue that cannot be read is refused, naming the file and the problem" {
    printf '[[variant]]\nname = "no-mistake"\nfind = "a"\nreplace = "b"\n' >"$CATALOGUE/01-setup.toml"
    run outside_bats "$TOOLS/grade" --catalogue --catalogue-dir "$CATALOGUE" --step 01 \
        --build-dir "${BUILD_DIR:-$REPO_ROOT/build}" --image "$REPO_ROOT/images/busybox"
    [ "$status" -eq 1 ] || fail "exit status $status" "$output"
    assert_contains "01-setup.toml: variant no-mistake: says nothing of its mistake" "1 passed, 1 failed"
}
