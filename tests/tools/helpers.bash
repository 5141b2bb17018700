# Shared helpers of tests/tools/*.bats, the tests of the learner and instructor tools
# (common/tools/workshop: progress, hint, reset, solution; watch, doctor, grade-all, student-release).
#
# Run them with the other suites (`make test`), or alone, as root:
#   common/tools/in-namespace bats tests/tools
# Each test works in its own temporary directory ($BATS_TEST_TMPDIR): a BUILD_DIR of its
# own for the state file, and a copy of the checkout where a tool changes files.

bats_require_minimum_version 1.5.0

REPO_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
TOOLS=$REPO_ROOT/common/tools
export NO_COLOR=1 GRADE_UNICODE=1

# The generic assertions (fail, assert_success, assert_output, assert_exists, ...) are
# Debian's bats-support, bats-assert and bats-file (common/tools/install-deps).
bats_load_library bats-support
bats_load_library bats-assert
bats_load_library bats-file

# assert_contains TEXT...: each TEXT is somewhere in $output (assert_output --partial).
assert_contains() {
    local text
    for text in "$@"; do
        assert_output --partial "$text" || return
    done
}

# workshop_python CODE ARGS...: runs the Python CODE with ARGS, with common/tools on its
# path (import workshop: what the tools share).
workshop_python() {
    local code=$1
    shift
    python3 -c "import os, sys
sys.dont_write_bytecode = True
sys.path.insert(0, os.environ['REPO_ROOT'] + '/common/tools')
from pathlib import Path
import workshop
$code" "$@"
}

# make_checkout DIR: a copy of this checkout's files (git's view: tracked, and new files
# not ignored) in DIR, with the untouched skeletons in steps/ (from git where this checkout
# holds work: see workshop.copy_checkout), made a git repository with one commit, as a
# student's clone is when they start.
make_checkout() {
    local dir=$1
    mkdir -p "$dir"
    workshop_python 'workshop.copy_checkout(Path(sys.argv[1]))' "$dir" ||
        fail "could not copy the checkout to $dir"
    git -C "$dir" init -q
    git -C "$dir" add -A
    commit_all "$dir" "the workshop"
}

# skeleton FILE: the untouched skeleton of the student file FILE (a path relative to this
# checkout, e.g. steps/01-setup/setup.cpp), never the work a student put in it: the file
# while it is one, else its version in git (workshop.skeleton_text).
skeleton() {
    workshop_python 'sys.stdout.write(workshop.skeleton_text(Path(os.environ["REPO_ROOT"]) / sys.argv[1]))' "$1"
}

# commit_all DIR MESSAGE: commits everything of DIR.
commit_all() {
    git -C "$1" add -A
    git -C "$1" -c user.name=Student -c user.email=student@localhost -c commit.gpgsign=false \
        commit -q -m "$2"
}

# write_state BUILD_DIR STEP=STATUS...: a state file as the grader writes it
# (grade_core.write_state), with STATUS passing, progress (some checks pass) or none.
write_state() {
    local build=$1
    shift
    BUILD="$build" python3 - "$@" <<'EOF'
import os, sys
sys.dont_write_bytecode = True
sys.path.insert(0, os.environ['REPO_ROOT'] + '/common/tools')
from pathlib import Path
import grade_core as core
import manifest
worth = {s.name: s.points for s in manifest.load(Path(os.environ['REPO_ROOT']))}
results = []
for item in sys.argv[1:]:
    step, status = item.split('=')
    checks = [core.Check(step, f'Suite.Check{n}', f'check {n}', 'gtest') for n in range(4)]
    passing = {'passing': 4, 'progress': 1, 'none': 0}[status]
    for c in checks[:passing]:
        c.status, c.points = core.PASS, 1
    for c in checks[passing:]:
        c.status = core.FAIL if passing else core.NOT_IMPLEMENTED
    results.append(core.StepResult(step, step, checks, worth=worth[step]))
core.write_state(Path(os.environ['BUILD']) / 'grade-state.json', 'steps', results)
EOF
}
export REPO_ROOT

# outside_bats COMMAND...: runs COMMAND without the BATS_* variables, exported functions
# and PATH entries (Bats puts its libexec/ first) of this test, so that the Bats the grader
# starts is a fresh one, not a confused child of this one.
outside_bats() {
    (
        local unset=() name
        for name in $(compgen -A function); do
            export -fn "$name"
        done
        for name in $(compgen -v BATS_); do
            unset+=(-u "$name")
        done
        PATH=$(tr ':' '\n' <<<"$PATH" | grep -v 'bats-core' | paste -sd:)
        exec env "${unset[@]}" "$@"
    )
}

# require_grading: skips the test unless the grader can grade the reference here: as root
# (it mounts), with the reference sources (a student release has none) and the image.
require_grading() {
    [ "$(id -u)" -eq 0 ] || skip "needs root (the grader mounts)"
    [ -d "$REPO_ROOT/solutions" ] || skip "no solutions/ in this copy (a student release)"
    [ -x "$REPO_ROOT/images/busybox/bin/busybox" ] || skip "no image: make image"
}
