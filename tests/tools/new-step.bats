#!/usr/bin/env bats
# Adding a step is adding an entry to steps/steps.json, plus the step's files
# (docs/developers.md, "Adding a step"): in a copy of the workshop, a step 07-dummy is
# added that way, and nothing else is changed; check-workshop accepts it, the grader
# grades it, make progress lists it (optional), and the Classroom files name it.
# One build of the copy (Debug, the copy's own build directory): a minute or two.

load helpers

setup_file() {
    [ -d "$REPO_ROOT/solutions" ] || return 0
    export COPY=$BATS_FILE_TMPDIR/copy
    make_checkout "$COPY"
    mkdir -p "$COPY/steps/07-dummy" "$COPY/solutions/07-dummy"
    # The entry, before "full" (the last one).
    python3 - "$COPY/steps/steps.json" <<'EOF'
import json, sys
path = sys.argv[1]
doc = json.load(open(path))
doc['steps'].insert(-1, {
    'name': '07-dummy', 'title': 'count the volumes', 'kind': 'code', 'files': ['dummy.cpp'],
    'functions': ['count_volumes'], 'points': 5, 'timeout': 15, 'optional': True,
    'teaches': 'how a step is added'})
json.dump(doc, open(path, 'w'), indent=2)
EOF
    # Its function, declared once for the skeleton and the reference.
    sed -i 's|^void cleanup_container_volumes(std::vector<MountPoint> mounted);|&\n/// Step 7 (optional): how many volumes @p volumes asks for.\nstd::size_t count_volumes(const std::vector<Volume>\& volumes);|' \
        "$COPY/common/include/container/volume_steps.hpp"
    cat >"$COPY/steps/07-dummy/dummy.cpp" <<'EOF'
/// @file dummy.cpp
/// @brief Step 7: count the volumes.
#include "container/error.hpp"
#include "container/volume_steps.hpp"

namespace container {

std::size_t count_volumes([[maybe_unused]] const std::vector<Volume>& volumes) {
    // TODO 1: Return how many volumes there are.
    not_implemented("count_volumes");
}

}  // namespace container
EOF
    cat >"$COPY/solutions/07-dummy/dummy.cpp" <<'EOF'
/// @file dummy.cpp
/// @brief Step 7: count the volumes (the reference).
#include "container/volume_steps.hpp"

namespace container {

std::size_t count_volumes(const std::vector<Volume>& volumes) { return volumes.size(); }

}  // namespace container
EOF
    # (printf, not a here-document: Bats would take a test line in this file for its own)
    printf '%s\n' '#!/usr/bin/env bats' \
        'load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"' \
        'setup() { sandbox_setup; }' 'teardown() { sandbox_teardown; }' '' '# hint: 1' \
        '@test "a container with a volume still runs" {' \
        '    container_run -v "$HOST:/data" "$ROOTFS" true' '    assert_success' '}' \
        >"$COPY/steps/07-dummy/dummy.bats"
    printf '%s\n' '# Step 7: count the volumes' '' '## Your task' '' '1. Return how many.' '' \
        '## Hints' '' '<!-- hints.md: here -->' >"$COPY/steps/07-dummy/README.md"
    printf '%s\n' '# Hints of step 7' '' '## Hint 1: size' '' '`volumes.size()`.' >"$COPY/steps/07-dummy/hints.md"
    commit_all "$COPY" "a step 07-dummy"
}

setup() {
    [ -d "$REPO_ROOT/solutions" ] || skip "no solutions/ in this copy (a student release)"
    export BUILD_DIR=$BATS_FILE_TMPDIR/build
}

@test "check-workshop accepts the new step once make classroom has made the files from it" {
    run "$COPY/common/tools/workshop" check
    [ "$status" -eq 1 ] || fail "the Classroom files were current before make classroom" "$output"
    assert_contains "autograding.json: not made from steps/steps.json"
    run make -s -C "$COPY" classroom
    [ "$status" -eq 0 ] || fail "$output"
    run "$COPY/common/tools/workshop" check
    [ "$status" -eq 0 ] || fail "$output"
    run python3 -c 'import json, sys; t = json.load(open(sys.argv[1]))["tests"]; print(*[(x["name"], x["run"], x["points"]) for x in t], sep="\n")' \
        "$COPY/.github/classroom/autograding.json"
    assert_contains "('07-dummy (optional)', 'make grade STEP=07-dummy', 5)"
    grep -q 'command: make grade STEP=07-dummy' "$COPY/.github/workflows/classroom.yml" ||
        fail "classroom.yml does not grade 07-dummy"
    grep -q '07-dummy.*count_volumes().*dummy.cpp' "$COPY/steps/README.md" ||
        fail "the table of steps/README.md does not list 07-dummy"
}

@test "the grader grades it: the reference passes, and make progress lists the grade" {
    run outside_bats timeout 900 make -s -C "$COPY" grade STEP=07 FROM=solutions BUILD_DIR="$BUILD_DIR" \
        BUILD_TYPE=Debug JOBS=2 IMAGES_DIR="$REPO_ROOT/images"
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "07-dummy: Step 7: count the volumes" "a container with a volume still runs" \
        "1/1 checks passed, 5/5 points" "1 passed, 0 failed"
    run outside_bats timeout 900 make -s -C "$COPY" grade STEP=07 BUILD_DIR="$BUILD_DIR" \
        BUILD_TYPE=Debug JOBS=2 IMAGES_DIR="$REPO_ROOT/images"
    assert_contains "07-dummy: 1/1 checks passed, 5/5 points"
    run make -s -C "$COPY" progress BUILD_DIR="$BUILD_DIR"
    [ "$status" -eq 0 ] || fail "$output"
    [[ "$output" == *"07-dummy "*"passing "*"1/1 "*"5/5 "*"0/1 "*"Step 7: count the volumes (optional)"* ]] ||
        fail "$output"
    assert_contains "0 of 5 steps passing; optional: 1 of 2."
    run make -s -C "$COPY" hint STEP=07 BUILD_DIR="$BUILD_DIR"
    assert_contains "Hint 1 of 1: size"
}
