#!/usr/bin/env bats
# The classroom CI: .github/workflows/classroom.yml and .github/classroom/autograding.json
# parse, name every step (and the whole runtime), and agree with each other.

load helpers

WORKFLOW=.github/workflows/classroom.yml
AUTOGRADING=.github/classroom/autograding.json

# yaml_as_json FILE: the YAML file as JSON (PyYAML when there, else Perl's core
# CPAN::Meta::YAML, a strict subset parser).
yaml_as_json() {
    if python3 -c 'import yaml' 2>/dev/null; then
        python3 -c 'import json, sys, yaml; d = yaml.safe_load(open(sys.argv[1])); d["on"] = d.pop(True, d.get("on")); print(json.dumps(d))' "$1"
    else
        perl -MCPAN::Meta::YAML -MJSON::PP -e 'local $/; open my $f, "<", $ARGV[0] or die; my $y = CPAN::Meta::YAML->read_string(<$f>) or die CPAN::Meta::YAML->errstr; print JSON::PP->new->encode($y->[0])' "$1"
    fi
}

steps() {
    (cd "$REPO_ROOT/steps" && ls -d [0-9][0-9]-*/ | tr -d /) && echo full
}

# optional_steps: the steps whose guide's title says "(optional)": graded, worth no points.
optional_steps() {
    local readme
    for readme in "$REPO_ROOT"/steps/[0-9][0-9]-*/README.md; do
        if head -1 "$readme" | grep -q '(optional)'; then basename "$(dirname "$readme")"; fi
    done
}

@test "autograding.json: one test per step running make grade STEP=..., with points" {
    run python3 - "$REPO_ROOT/$AUTOGRADING" "$(optional_steps | tr '\n' ' ')" $(steps) <<'EOF2'
import json, sys
tests = json.load(open(sys.argv[1]))['tests']
optional = sys.argv[2].split()
assert [t['name'] for t in tests] == sys.argv[3:], [t['name'] for t in tests]
for t in tests:
    assert t['run'] == f"make grade STEP={t['name']}", t
    # An optional step is graded and shown, and worth nothing: it cannot cost a point.
    if t['name'] in optional:
        assert t['points'] == 0, t
    else:
        assert isinstance(t['points'], int) and t['points'] > 0, t
    assert isinstance(t['timeout'], int) and 0 < t['timeout'] <= 60, t
print(sum(t['points'] for t in tests))
EOF2
    [ "$status" -eq 0 ] || fail "$output"
    [ "$output" = 100 ] || fail "the points add up to $output, not 100"
}

@test "classroom.yml parses, installs with make deps, and grades each step as in autograding.json" {
    yaml_as_json "$REPO_ROOT/$WORKFLOW" >"$BATS_TEST_TMPDIR/workflow.json" || fail "$WORKFLOW does not parse"
    run python3 - "$BATS_TEST_TMPDIR/workflow.json" "$REPO_ROOT/$AUTOGRADING" <<'EOF2'
import json, sys
workflow = json.load(open(sys.argv[1]))
tests = json.load(open(sys.argv[2]))['tests']
job = workflow['jobs']['grade']
steps = job['steps']
runs = [s.get('run', '') for s in steps]
assert any(r.strip() == 'make deps' for r in runs), runs
graders = [s for s in steps if 'autograding-command-grader' in s.get('uses', '')]
got = [(s['with']['test-name'], s['with']['command'], int(s['with']['max-score'])) for s in graders]
want = [(t['name'], t['run'], t['points']) for t in tests]
assert got == want, (got, want)
reporter = [s for s in steps if 'autograding-grading-reporter' in s.get('uses', '')][0]
assert reporter['with']['runners'].split(',') == [s['id'] for s in graders]
for s in graders:
    assert f"steps.{s['id']}.outputs.result" in reporter['env'][f"{s['id'].upper()}_RESULTS"]
assert 'privileged' in job['container']['options'] and job['container']['image'] == 'debian:12'
print('ok')
EOF2
    [ "$output" = ok ] || fail "$output"
}
