#!/usr/bin/env bats
# make student-release DEST=DIR: no solutions/ and nothing that reveals them, one commit;
# the copy still builds and grades, with the reference of the steps compiled in reference/.

load helpers

# The release is made from a checkout with the untouched skeletons (make_checkout), so
# that work in this one's steps/ changes nothing; the reference objects come from this
# checkout's build.
setup_file() {
    [ -d "$REPO_ROOT/solutions" ] || return 0
    export CHECKOUT=$BATS_FILE_TMPDIR/checkout RELEASE=$BATS_FILE_TMPDIR/release
    make_checkout "$CHECKOUT"
    make -s -C "$CHECKOUT" student-release DEST="$RELEASE" BUILD_DIR="${BUILD_DIR:-$REPO_ROOT/build}" \
        >"$BATS_FILE_TMPDIR/out" 2>&1 || { cat "$BATS_FILE_TMPDIR/out" >&2; return 1; }
}

# The faulty runtimes of step 05 built from the catalogue (steps/05-test/faults/faults.txt).
catalogue_faults() {
    sed -n 's/^\([a-z0-9-]*\) *| *[a-z]* *| *catalogue .*/\1/p' "$REPO_ROOT/steps/05-test/faults/faults.txt"
}

setup() {
    [ -d "$REPO_ROOT/solutions" ] || skip "no solutions/ in this copy (a student release)"
}

@test "no solutions/, the compiled reference in reference/, one git commit" {
    grep -q "Wrote $RELEASE" "$BATS_FILE_TMPDIR/out" || fail "$(cat "$BATS_FILE_TMPDIR/out")"
    [ ! -e "$RELEASE/solutions" ] || fail "solutions/ is in the release"
    for step in 01-setup 02-mount 03-unmount 04-integrate; do
        [ -s "$RELEASE/reference/$step.o" ] || fail "no reference/$step.o"
        [ -f "$RELEASE/steps/$step/README.md" ] || fail "steps/$step is incomplete"
    done
    [ -f "$RELEASE/reference/README.md" ] || fail "reference/README.md is missing"
    # The faulty runtimes of step 05 made from the catalogue: their mistaken step, compiled.
    for fault in $(catalogue_faults); do
        [ -s "$RELEASE/reference/faults/$fault.o" ] || fail "no reference/faults/$fault.o"
    done
    [ "$(git -C "$RELEASE" rev-list --all --count)" -eq 1 ] || fail "more than one commit"
    [ -z "$(git -C "$RELEASE" status --porcelain)" ] || fail "files left out of the commit"
    ! git -C "$RELEASE" log --all --name-only --format= | grep -q '^solutions/' ||
        fail "the history holds solutions/"
}

@test "grep finds no line of the solutions in it" {
    # The lines of solutions/ that appear nowhere else in the checkout.
    python3 - "$CHECKOUT" >"$BATS_TEST_TMPDIR/lines" <<'EOF2'
import pathlib, sys
top = pathlib.Path(sys.argv[1])
own = sorted((top / 'solutions').rglob('*.*'))
others = '\n'.join(p.read_text(errors='replace') for d in ('steps', 'common', 'tests', 'docs')
                   for p in (top / d).rglob('*') if p.is_file() and p.suffix in
                   ('.cpp', '.hpp', '.md', '.bats', '.bash', '.py', '.txt', ''))
lines = {l.strip() for p in own for l in p.read_text().splitlines() if len(l.strip()) >= 25}
print('\n'.join(sorted(l for l in lines if l not in others)))
EOF2
    [ "$(wc -l <"$BATS_TEST_TMPDIR/lines")" -gt 50 ] || fail "too few lines to look for"
    run grep -rlF -f "$BATS_TEST_TMPDIR/lines" "$RELEASE"
    [ "$status" -eq 1 ] || fail "lines of the solutions are in:" "$output"
}

@test "make solution there says the solutions are not included" {
    run make -s -C "$RELEASE" solution STEP=01 FORCE=1 BUILD_DIR="$BATS_TEST_TMPDIR/build"
    [ "$status" -ne 0 ] || fail "$output"
    assert_contains "The solutions are not included in this copy of the workshop"
}

@test "it builds and grades: a skeleton is 'not implemented yet', the reference code passes, progress shows it" {
    [ "$(id -u)" -eq 0 ] || skip "grading needs root"
    [ -x "$REPO_ROOT/images/busybox/bin/busybox" ] || skip "no image: make image"
    grade() {
        run outside_bats timeout 600 make -s -C "$RELEASE" grade STEP=01-setup BUILD_DIR="$RELEASE/build" \
            BUILD_TYPE=Debug JOBS=2 IMAGES_DIR="$REPO_ROOT/images"
    }
    grade
    [ "$status" -ne 0 ] || fail "the skeleton passed" "$output"
    assert_contains "not implemented yet (setup_volume)"
    [[ "$output" =~ $'\n'"0 passed, "[0-9]+" failed" ]] || fail "not every check failed" "$output"
    # The student's step 1 linked with the compiled reference of steps 2 to 4.
    cp "$REPO_ROOT/solutions/01-setup/setup.cpp" "$RELEASE/steps/01-setup/setup.cpp"
    grade
    [ "$status" -eq 0 ] || fail "the reference code does not pass in the release" "$output"
    [[ "$output" =~ $'\n'[0-9]+" passed, 0 failed" ]] || fail "$output"
    # The grader's state file, as make progress reads it.
    run make -s -C "$RELEASE" progress BUILD_DIR="$RELEASE/build"
    [[ "$output" == *"01-setup "*"passing "*"15/15 "* ]] || fail "$output"
    [[ "$output" == *"02-mount "*"not started "*"never"* ]] || fail "$output"
    # A faulty runtime of step 05 made from the catalogue links from its compiled object.
    fault=$(catalogue_faults | head -n 1)
    run outside_bats cmake --build "$RELEASE/build" --target "container-fault-$fault"
    [ "$status" -eq 0 ] || fail "container-fault-$fault does not build in the release" "$output"
}

@test "it refuses a destination that is not empty, and a filled-in skeleton" {
    run "$TOOLS/student-release" --dest "$RELEASE"
    [ "$status" -eq 2 ] || fail "$output"
    assert_contains "exists and is not empty"
    cp -a "$CHECKOUT" "$BATS_TEST_TMPDIR/checkout"
    checkout=$BATS_TEST_TMPDIR/checkout
    cp "$REPO_ROOT/solutions/02-mount/mount.cpp" "$checkout/steps/02-mount/mount.cpp"
    run "$checkout/common/tools/student-release" --dest "$BATS_TEST_TMPDIR/new"
    [ "$status" -ne 0 ] || fail "$output"
    assert_contains "steps/02-mount/mount.cpp is not an untouched skeleton"
    [ ! -e "$BATS_TEST_TMPDIR/new" ] || fail "it wrote a copy"
}

@test "it speaks of itself only: no solutions/, no FROM=solutions, no advice that cannot work there" {
    # Its pages, diagrams and steps: the parts marked "not in a student release" are gone.
    run grep -rnE --include='*.md' --include='*.dot' 'solutions/|FROM=solutions|grade-selfcheck' \
        "$RELEASE/README.md" "$RELEASE/steps" "$RELEASE/docs" "$RELEASE/reference"
    [ "$status" -eq 1 ] || fail "the release speaks of what it does not have:" "$output"
    run grep -rnE 'solutions/|FROM=solutions' "$RELEASE/steps"
    [ "$status" -eq 1 ] || fail "the steps speak of solutions/:" "$output"
    run grep -c -e '## For instructors' -e 'make solution STEP' "$RELEASE/README.md"
    [ "$output" = 0 ] || fail "the README still has the instructors' section or make solution"
    # ... and what is marked for the release only is there.
    grep -q "students' copy of the workshop" "$RELEASE/README.md" || fail "the README does not say what this copy is"
    grep -q '^| `reference/` |' "$RELEASE/README.md" || fail "the README's layout does not list reference/"
    ! grep -q '<!--' "$RELEASE/README.md" || fail "a marker comment is left in the README"
    # make help lists only what works there.
    run make -s -C "$RELEASE" help
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "grade " "hint " "progress " "reset "
    [[ "$output" != *solution* && "$output" != *selfcheck* ]] || fail "make help offers what needs the sources:" "$output"
    # The grader refuses what needs the sources in one line, before building anything, and
    # advises nothing that cannot work there.
    for option in "--from solutions --step 01" --selfcheck; do
        run "$RELEASE/common/tools/grade" $option --build-dir "$BATS_TEST_TMPDIR/build"
        [ "$status" -eq 2 ] || fail "grade $option: exit status $status" "$output"
        [ "${#lines[@]}" -eq 1 ] || fail "grade $option: not one line" "$output"
        assert_contains "which this copy of the workshop (a student release) does not include"
        [[ "$output" != *solutions/* && "$output" != *"git checkout"* ]] || fail "$output"
        [ ! -e "$BATS_TEST_TMPDIR/build" ] || fail "grade $option built something"
    done
    run "$RELEASE/common/tools/student-release" --dest "$BATS_TEST_TMPDIR/again"
    [ "$status" -ne 0 ] || fail "a release made a release" "$output"
    assert_contains "this is a student release already"
    [[ "$output" != *solutions/* ]] || fail "$output"
}

@test "the release filter: marked lines and blocks go, release-only text shows, an open block is refused" {
    run python3 - "$TOOLS" <<'EOF'
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
import workshop as release
page = '''a
| row | kept |
| row | dropped <!-- not in a student release --> |
<!-- not in a student release: begin -->
dropped
<!-- not in a student release: end -->
<!-- in a student release:
shown
-->
b
'''
print(release.release_markdown(page), end='')
try:
    release.release_markdown('<!-- not in a student release: begin -->\nx\n', 'page.md')
except release.Refusal as refusal:
    print('refused:', refusal)
EOF
    [ "$status" -eq 0 ] || fail "$output"
    [ "$output" = $'a\n| row | kept |\nshown\nb\nrefused: student-release: page.md:1: <!-- not in a student release: begin --> is never closed' ] ||
        fail "$output"
}
