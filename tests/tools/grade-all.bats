#!/usr/bin/env bats
# make grade-all SUBMISSIONS=DIR: every student graded in isolation, class.csv and
# class.json written; a broken, hanging or hostile submission stops no other one, leaves
# no mount, and cannot touch the host's files.

load helpers

setup() {
    require_grading
    BUILD=$BATS_TEST_TMPDIR/build
    SUBS=$BATS_TEST_TMPDIR/submissions
    # Outside /tmp, which the grader's sandbox hides anyway: only the read-only view of the
    # host protects these from the hostile submission.
    CANARY=$(mktemp -d /var/tmp/grade-all-canary.XXXXXX)
    echo precious >"$CANARY/file"
    mkdir "$CANARY/dir" && echo precious >"$CANARY/dir/file"
    make_submissions
}

teardown() {
    [ -n "${CANARY:-}" ] || return 0
    rm -f "$CANARY/file" "$CANARY/dir/file" "$CANARY/pwned" "$CANARY/fifo"
    rmdir "$CANARY/dir" "$CANARY" 2>/dev/null || true
}

make_submissions() {
    # alice: a clone with the reference setup.cpp, and a hostile Makefile, CMakeLists.txt
    # and test file, which must not be used.
    mkdir -p "$SUBS/alice/steps/01-setup" "$SUBS/alice/common/tools"
    cp "$REPO_ROOT/solutions/01-setup/setup.cpp" "$SUBS/alice/steps/01-setup/"
    printf 'all:\n\ttouch %s/pwned\n' "$CANARY" >"$SUBS/alice/Makefile"
    printf 'file(WRITE %s/pwned "")\n' "$CANARY" >"$SUBS/alice/CMakeLists.txt"
    printf '#!/bin/sh\ntouch %s/pwned\n' "$CANARY" >"$SUBS/alice/common/tools/grade"
    echo 'this is not a test' >"$SUBS/alice/steps/01-setup/setup_test.cpp"
    # bob: just steps/, and code that does not compile.
    mkdir -p "$SUBS/bob/01-setup"
    echo 'this does not compile' >"$SUBS/bob/01-setup/setup.cpp"
    # carol: mounts, deletes host files, then hangs in every check.
    mkdir -p "$SUBS/carol/steps/01-setup"
    cat >"$SUBS/carol/steps/01-setup/setup.cpp" <<EOF2
#include "container/volume_steps.hpp"
#include <sys/mount.h>
#include <unistd.h>
#include <cstdlib>
namespace container {
MountPoint setup_volume(const Volume&, const Rootfs&) {
    ::mount("carol", "/mnt", "tmpfs", 0, nullptr);
    ::unlink("$CANARY/file");
    int r = std::system("rm -rf $CANARY/dir");
    (void)r;
    for (;;) pause();
}
}
EOF2
    # dave: no steps at all.
    mkdir -p "$SUBS/dave" && echo "I forgot" >"$SUBS/dave/README"
    # erin: a symlink to the reference instead of a file: not taken.
    mkdir -p "$SUBS/erin/steps/01-setup"
    ln -s "$REPO_ROOT/solutions/01-setup/setup.cpp" "$SUBS/erin/steps/01-setup/setup.cpp"
    # frank: the untouched skeleton (whatever work is in this checkout's steps/).
    mkdir -p "$SUBS/frank/steps/01-setup"
    skeleton steps/01-setup/setup.cpp >"$SUBS/frank/steps/01-setup/setup.cpp"
    # gina: code whose compilation never ends (it includes a fifo nobody writes to): no
    # check runs, only the timeout of the whole submission stops it.
    mkfifo "$CANARY/fifo"
    mkdir -p "$SUBS/gina/steps/01-setup"
    printf '#include "%s"\n' "$CANARY/fifo" >"$SUBS/gina/steps/01-setup/setup.cpp"
}

@test "a class of seven: graded, build failed, hangs, no steps, a symlink, untouched, never ends" {
    mounts_before=$(awk '{print $1, $5}' /proc/self/mountinfo)
    run outside_bats timeout 600 make -s -C "$REPO_ROOT" grade-all SUBMISSIONS="$SUBS" BUILD_DIR="$BUILD" \
        BUILD_TYPE=Debug JOBS=2 TIMEOUT=3 STUDENT_TIMEOUT=60 STEPS=01 PARALLEL=2
    [ "$status" -eq 0 ] || fail "exit status $status" "$output"
    assert_contains "7 submissions: 1 graded, 2 not started (erin, frank), 1 failed to build (bob), 2 timed out (carol, gina), 1 not graded (dave)" \
        "erin: steps/01-setup/setup.cpp is not a regular file"

    # Nothing escaped: the host's files, its mount table, no copy left behind.
    [ "$(cat "$CANARY/file")" = precious ] && [ "$(cat "$CANARY/dir/file")" = precious ] ||
        fail "the hostile submission deleted files of the host"
    [ ! -e "$CANARY/pwned" ] || fail "a file of a submission other than its steps was run"
    [ "$(awk '{print $1, $5}' /proc/self/mountinfo)" = "$mounts_before" ] || fail "the mount table changed"
    ! ls -d "$BUILD"/grade-all.* 2>/dev/null || fail "a copy was left in $BUILD"

    run python3 - "$BUILD/reports/class.csv" "$BUILD/reports/class.json" <<'EOF2'
import csv, json, sys
rows = {r['student']: r for r in csv.DictReader(open(sys.argv[1]))}
assert list(rows) == ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'gina'], list(rows)
assert list(rows['alice']) == ['student', 'status', '01-setup', 'points', 'max_points', 'total']
a, b, c, d, e, f, g = (rows[n] for n in ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'gina'])
assert a['status'] == 'graded' and a['01-setup'] == a['points'] and a['total'] == '100', a
assert a['points'] == a['max_points'] != '0', a
assert b['status'] == 'build failed for 01-setup' and b['01-setup'] == '0', b
assert c['status'] == 'timed out in 01-setup' and c['01-setup'] == '0', c
assert d['status'] == 'no steps/ found', d
assert e['status'] == 'not started' and e['01-setup'] == '0', e
assert f['status'] == 'not started' and f['01-setup'] == '0', f
assert g['status'] == 'timed out after 60 s (not graded: 01-setup)' and g['01-setup'] == '', g
data = json.load(open(sys.argv[2]))
assert data['steps'] == ['01-setup']
alice = data['students'][0]
assert alice['student'] == 'alice' and alice['steps']['01-setup']['score'] == 100, alice
# carol: the first check timed out, the others were not run: no waiting for each timeout.
carol = data['students'][2]
assert carol['duration'] < 45, carol
print('ok')
EOF2
    [ "$output" = ok ] || fail "$output"
    [ -s "$BUILD/reports/class/alice.log" ] && [ -s "$BUILD/reports/class/alice/01-setup.json" ] ||
        fail "no log or report kept for alice"
    grep -q 'stopped after 60 s' "$BUILD/reports/class/gina.log" || fail "$(tail "$BUILD/reports/class/gina.log")"
    run python3 - "$BUILD/reports/class/carol/01-setup.json" <<'EOF2'
import json, sys
checks = json.load(open(sys.argv[1]))['steps'][0]['checks']
statuses = [c['status'] for c in checks]
assert statuses[0] == 'timeout', statuses
assert len(checks) > 5 and set(statuses[1:]) == {'not-run'}, statuses
assert all(c['message'] == 'not run (the step hangs)' for c in checks[1:]), checks[1]
print('ok')
EOF2
    [ "$output" = ok ] || fail "$output"
}

@test "wrong arguments are refused before anything is built" {
    run make -s -C "$REPO_ROOT" grade-all BUILD_DIR="$BUILD"
    [ "$status" -ne 0 ] || fail "$output"
    run "$TOOLS/grade-all" --submissions "$BATS_TEST_TMPDIR/nothing-here" --build-dir "$BUILD"
    [ "$status" -eq 2 ] || fail "$output"
    assert_contains "is not a directory"
    mkdir "$BATS_TEST_TMPDIR/empty"
    run "$TOOLS/grade-all" --submissions "$BATS_TEST_TMPDIR/empty" --build-dir "$BUILD"
    assert_contains "holds no submission"
    [ ! -e "$BUILD/reports" ] || fail "reports were written"
}
