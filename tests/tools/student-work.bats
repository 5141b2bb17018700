#!/usr/bin/env bats
# `make test` at any point of the course: a test that needs an untouched skeleton takes it
# from git (make_checkout, skeleton: helpers.bash), never from this checkout's steps/, where
# the student's work is. tests/tools/student-account.bats runs such tests with the
# reference in the steps; this catches a new test that reads the work instead.

load helpers

@test "no test reads a student's file from this checkout's steps/ (make_checkout or skeleton gives the skeleton)" {
    run python3 - <<'EOF2'
import fnmatch, os, re, sys
sys.dont_write_bytecode = True
sys.path.insert(0, os.environ['REPO_ROOT'] + '/common/tools')
from pathlib import Path
import workshop
top = Path(os.environ['REPO_ROOT'])
names = {p.name for step in workshop.steps(top) for p in step.student_files()}
# A path into the steps/ of this checkout, up to the end of the word: $REPO_ROOT/steps/...,
# ${REPO_ROOT}/steps/..., "$REPO_ROOT"/steps/..., TOP / 'steps/...'.
path = re.compile(r'''(?:\bREPO_ROOT\}?"?|\bTOP\s*/\s*['"])/?steps/([^\s"'`);]*)''')
found = 0
for file in sorted((top / 'tests').rglob('*')):
    if not file.is_file() or file.suffix not in ('.bats', '.bash', '.py', '.exp', '.sh', ''):
        continue
    for number, line in enumerate(file.read_text(errors='replace').splitlines(), 1):
        if line.lstrip().startswith('#'):
            continue
        for m in path.finditer(line):
            base = m.group(1).rstrip('/').rsplit('/', 1)[-1]
            if base.startswith('$') or any(fnmatch.fnmatch(n, base) for n in names):
                found += 1
                print(f'{file.relative_to(top)}:{number}: {line.strip()}')
print(f'{found} found')
EOF2
    [ "$status" -eq 0 ] && [ "${lines[-1]}" = "0 found" ] || fail "$output"
}
