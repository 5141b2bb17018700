#!/usr/bin/env bats
# REPORT=json|junit|tap: per check, the step, name, status, points, duration and message.

load helpers

# report FORMAT: writes a report of made-up results (a passing and a failing check) with
# the grader's own writer (grade_core.write_report), and prints its path.
report() {
    python3 - "$1" "$BATS_TEST_TMPDIR/reports" <<'EOF2'
import os, sys
sys.dont_write_bytecode = True
sys.path.insert(0, os.environ['REPO_ROOT'] + '/common/tools')
from pathlib import Path
import grade_core as core
ok = core.Check('01-setup', 'SetupVolume.Works', 'setup volume: works', 'gtest',
                status=core.PASS, points=1, duration=0.25)
bad = core.Check('01-setup', 'a <tricky> & "quoted" check', 'a <tricky> & "quoted" check', 'bats',
                 status=core.FAIL, duration=1.5, summary='the container crashed',
                 expected='exit status 0', happened=['exit status 139'], hint='read Hint 2')
full = core.Check('full', 'host-file-read', 'a file is read', 'full', status=core.TIMEOUT,
                  duration=20, summary='timed out after 20 s')
results = [core.StepResult('01-setup', 'Step 1', [ok, bad]), core.StepResult('full', 'all', [full])]
print(core.write_report(sys.argv[1], Path(sys.argv[2]), 'steps', results))
EOF2
}

@test "json: every check with step, name, status, points, duration and message" {
    run report json
    [ "$status" -eq 0 ] || fail "$output"
    [ "$output" = "$BATS_TEST_TMPDIR/reports/grade.json" ] || fail "$output"
    run python3 - "$output" <<'EOF2'
import json, sys
data = json.load(open(sys.argv[1]))
checks = [c for s in data['steps'] for c in s['checks']]
assert len(checks) == 3, checks
for c in checks:
    missing = {'step', 'name', 'status', 'points', 'duration', 'message'} - set(c)
    assert not missing, missing
assert checks[1]['status'] == 'fail' and checks[1]['points'] == 0 and checks[1]['duration'] == 1.5
assert 'the container crashed' in checks[1]['message'] and 'exit status 139' in checks[1]['message']
assert checks[2]['step'] == 'full' and checks[2]['status'] == 'timeout'
print('ok')
EOF2
    [ "$output" = ok ] || fail "$output"
}

@test "junit: a testsuite per step, a testcase per check with its properties and failure" {
    run report junit
    [ "$status" -eq 0 ] || fail "$output"
    run python3 - "$output" <<'EOF2'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == 'testsuites' and root.get('tests') == '3' and root.get('failures') == '2'
suites = root.findall('testsuite')
assert [s.get('name') for s in suites] == ['01-setup', 'full']
cases = root.iter('testcase')
ok, bad, full = cases
props = lambda case: {p.get('name'): p.get('value') for p in case.find('properties')}
assert ok.get('classname') == '01-setup' and ok.get('time') == '0.250' and ok.find('failure') is None
assert props(ok) == {'step': '01-setup', 'id': 'SetupVolume.Works', 'status': 'pass',
                     'points': '1', 'max_points': '1'}, props(ok)
assert bad.get('name') == 'a <tricky> & "quoted" check'
failure = bad.find('failure')
assert failure.get('type') == 'fail' and 'exit status 139' in failure.text and 'Hint 2' in failure.text
assert props(full)['status'] == 'timeout' and full.get('time') == '20.000'
print('ok')
EOF2
    [ "$output" = ok ] || fail "$output"
}

@test "tap: a line per check and a YAML block with step, status, points, duration, message" {
    run report tap
    [ "$status" -eq 0 ] || fail "$output"
    run cat "$output"
    assert_contains "TAP version 13" "1..3" "ok 1 01-setup: setup volume: works" \
        'not ok 2 01-setup: a <tricky> & "quoted" check' "not ok 3 full: a file is read" \
        "  step: 01-setup" "  status: fail" "  points: 0" "  duration: 1.500" \
        "  message: |" "    exit status 139" "  status: timeout"
    if python3 -c 'import yaml' 2>/dev/null; then
        run python3 - "$BATS_TEST_TMPDIR/reports/grade.tap" <<'EOF2'
import re, sys, yaml
blocks = re.findall(r'^  ---\n(.*?)^  \.\.\.$', open(sys.argv[1]).read(), re.S | re.M)
data = [yaml.safe_load('\n'.join(l[2:] for l in b.splitlines())) for b in blocks]
assert len(data) == 3 and data[1]['status'] == 'fail' and data[1]['duration'] == 1.5, data
print('ok')
EOF2
        [ "$output" = ok ] || fail "$output"
    fi
}

@test "make grade passes REPORT on to the grader" {
    run make -n -s -C "$REPO_ROOT" grade STEP=01 REPORT=junit
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "--report junit" "--step 01"
}
