"""What the checks print, put into plain words: the grader's parsers and judges, apart from
running anything (each takes text and fills in a check's record; tests/tools/
test_grade_explain.py tests them without root or build).

A failed check is shown as "expected:", "happened:" and "hint:". The step checks say the
first two themselves: their message has a line "expected: ..." (with the indented lines
under it) and, from a line "happened: ..." on, what happened and its details. Nothing is
guessed from the sentences: a message without those lines is all "what happened".
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
from dataclasses import dataclass, field

from grade_core import (CRASH, FAIL, NOT_IMPLEMENTED, PASS, SKIPPED, TIMEOUT, Check,
                        message_of)
from manifest import FULL, hint_command

LABEL = re.compile(r'^(expected|happened):(?: |$)')


def diagnosis(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(the lines before the message's "expected:" or "happened:" line, what was expected,
    what happened) of the non-blank @lines of a check's message."""
    lines = [line.rstrip() for line in lines if line.strip()]
    start = next((i for i, line in enumerate(lines) if LABEL.match(line)), len(lines))
    before, expected, happened = lines[:start], [], []
    part = expected
    for line in lines[start:]:
        label = LABEL.match(line)
        if label:
            part = expected if label.group(1) == 'expected' else happened
            line = line[label.end():]
        if line:
            part.append(line)
    return before, expected, happened


# An author's sentence is shown whole up to this length; a line of output up to 240.
SENTENCE_WIDTH = 1000


def trim(lines: list[str], limit: int, width: int = 240) -> list[str]:
    """At most @limit non-blank lines of at most @width characters, saying how many were
    left out."""
    lines = [line[:width] + ('...' if len(line) > width else '') for line in lines if line.strip()]
    if len(lines) > limit:
        return lines[:limit] + [f'... ({len(lines) - limit} more lines)']
    return lines


# ---------------------------------------------------------------- GoogleTest

def gtest_value(own: list[str]) -> str:
    """What GoogleTest's own lines @own say was found, for a check whose author said only
    what was expected: the computed value of a comparison, or the outcome of a predicate
    (a call to a helper such as is_real_file(p): it names the property that failed)."""
    text = '\n'.join(own)
    value = re.search(r'^\s*Which is: (.*)$|, actual: (.*?) vs ', text, re.M)
    if value:
        return 'got ' + (value.group(1) or value.group(2))
    predicate = re.search(r'^Value of: (!?[\w:]+\(.*\))\n\s*Actual: (true|false)$', text, re.M)
    return f'{predicate.group(1)} is {predicate.group(2)}' if predicate else 'it was not so'


def explain_gtest_failure(text: str) -> tuple[str, list[str]]:
    """(expected, happened) of one failure of GoogleTest's JSON report: its location line,
    GoogleTest's own lines, then the author's message."""
    lines = text.splitlines()
    where = ''
    if lines and re.match(r'^\S.*:\d+$', lines[0]):
        where = os.path.basename(lines.pop(0))
    exception = re.search(r'C\+\+ exception with description "(.*)" thrown in', text, re.S)
    if exception:
        return '', [f'an exception escaped: {exception.group(1)}']
    own, expected, happened = diagnosis(lines)
    if not expected and not happened:
        happened = [line for line in own if line not in ('Failed', 'unknown file')]
    elif not happened:
        happened = [gtest_value(own)]
    if where:
        happened.append(f'(checked at {where})')
    return '\n'.join(expected), trim(happened, 10, width=SENTENCE_WIDTH)


def parse_gtest_list(output: str) -> list[str]:
    """Suite.Name of each check, from `--gtest_list_tests`."""
    names, suite = [], None
    for line in output.splitlines():
        name = line.split('#')[0].strip()
        if not line.startswith(' '):
            suite = name[:-1] if name.endswith('.') else None
        elif suite and name:
            names.append(f'{suite}.{name}')
    return names


def gtest_record(json_text: str, ident: str) -> dict | None:
    """The record of check @ident in GoogleTest's JSON output, or None."""
    try:
        suites = json.loads(json_text).get('testsuites', [])
    except ValueError:
        return None
    return next((test for suite in suites for test in suite.get('testsuite', [])
                 if f'{suite.get("name")}.{test.get("name")}' == ident), None)


# The test support's reports of mounts a check left (tests/support).
MOUNT_REPORT_RE = re.compile(r'the mount table at the end of the test is not what it was|'
                             r'mounts were left (?:at the end of|in) the test')


def gtest_left_mounted(failures: list[str]) -> list[str]:
    """Mount points the GoogleTest support reported as left behind by a check: the fifth
    field of its "added:" mountinfo lines, or "  /point (...)" of its listing."""
    points: list[str] = []
    for line in '\n'.join(f for f in failures if MOUNT_REPORT_RE.search(f)).splitlines():
        added = re.match(r'^\s*added:\s+(?:\S+\s+){4}(\S+)', line)
        left = added or re.match(r'^\s{2}(/\S*) \(', line)
        point = left.group(1).replace('\\040', ' ') if left else None
        if point and point not in points:
            points.append(point)
    return points


def crash_lines(output: str) -> list[str]:
    """The last lines a check printed before it crashed, without GoogleTest's banners."""
    return [line for line in output.splitlines()
            if line.strip() and not line.startswith(('[==', '[--', 'Note: '))][-8:]


def not_implemented_function(text: str) -> str:
    """The function a NotImplemented message names; the error rather than a cleanup's
    warning when there are both (the warning comes from the cleanup that followed)."""
    found = [('warning' in line, m.group(1)) for line in text.splitlines()
             for m in [re.search(r'(\w+) is not implemented yet', line)] if m]
    found.sort(key=lambda item: item[0])   # stable: the errors first, in their order
    return found[0][1] if found else ''


# ---------------------------------------------------------------- Bats (TAP)

@dataclass
class TapResult:
    ok: bool
    number: int
    name: str
    skipped: bool = False
    skip_reason: str = ''
    diagnostics: list[str] = field(default_factory=list)


def parse_tap(output: str) -> list[TapResult]:
    """The results of `bats --tap`, each with the "# ..." lines that follow it."""
    results: list[TapResult] = []
    for line in output.splitlines():
        m = re.match(r'^(not ok|ok) (\d+) (.*?)(?: # (skip|SKIP)\b ?(.*))?$', line)
        if m:
            results.append(TapResult(m.group(1) == 'ok', int(m.group(2)), m.group(3),
                                     skipped=m.group(4) is not None,
                                     skip_reason=(m.group(5) or '').strip()))
        elif line.startswith('#') and results:
            results[-1].diagnostics.append(line[2:] if line.startswith('# ') else line[1:])
    return results


BATS_TRACE = re.compile(r'^\s*\(?(from function|in test file) .*[,)]\s*$')
BATS_FAILED_COMMAND = re.compile(r"^\s*`(.*)' failed(.*)$")


def explain_bats_failure(diagnostics: list[str], limit: int = 12) -> tuple[str, list[str]]:
    """(expected, happened) of a failed Bats check, without Bats' own stack trace: what
    the check printed before its "expected:" line goes after what happened; a check that
    printed nothing shows the line that failed."""
    commands = [''.join(m.groups()) for m in map(BATS_FAILED_COMMAND.match, diagnostics) if m]
    lines = [line for line in diagnostics
             if not BATS_FAILED_COMMAND.match(line) and not BATS_TRACE.match(line)]
    before, expected, happened = diagnosis(lines)
    if not (before or expected or happened):
        return '', [f'this line of the check failed: {c}' for c in commands[:2]]
    return '\n'.join(expected), trim(happened + before, limit, width=SENTENCE_WIDTH)


CRASH_SIGNALS = (signal.SIGILL, signal.SIGABRT, signal.SIGBUS, signal.SIGFPE, signal.SIGSEGV)
HUNG_CONTAINER = 'the container did not finish in time'


def container_crash(diagnostics: str) -> str:
    """A summary when a Bats check's container crashed or hung, else ''."""
    for m in re.finditer(r'(?:exit status:?|got) (\d+)\b', diagnostics):
        code = int(m.group(1))
        if code - 128 in CRASH_SIGNALS:
            return f'the container crashed ({signal_name(code - 128)})'
        if code == 124:
            return HUNG_CONTAINER
    return ''


GTEST_TEST = re.compile(r'^\s*TEST(?:_F|_P)?\(\s*(\w+)\s*,\s*(\w+)\s*\)')
BATS_TEST = re.compile(r'^[ \t]*@test[ \t]+(.*?)[ \t]*\{[ \t]*$')
HINT_TAG = r'[Hh]int:?\s*(\d+)'


def test_name(line: str, kind: str) -> str | None:
    """The name of the check that @line starts, in a Bats file (@kind "bats": the name Bats
    gives its @test) or a C++ source ("gtest": Suite.Name of its TEST()); else None."""
    if kind == 'gtest':
        m = GTEST_TEST.match(line)
        return f'{m.group(1)}.{m.group(2)}' if m else None
    m = BATS_TEST.match(line)
    if not m:
        return None
    try:
        return ' '.join(shlex.split(m.group(1)))
    except ValueError:
        return m.group(1).strip('"\'')


def test_names(text: str, kind: str = 'bats') -> list[str]:
    """The names of the checks of @text (see test_name), in order."""
    return [name for line in text.splitlines() if (name := test_name(line, kind))]


def tags_above_tests(text: str, tag: str, kind: str) -> dict[str, str]:
    """Check name -> group 1 of the comment @tag (e.g. HINT_TAG) just above each check of
    @text (see test_name). Other comments may stand between the two; code may not."""
    tag_line = re.compile(rf'^\s*{"#" if kind == "bats" else "//"}\s*{tag}')
    tags, pending = {}, None
    for line in text.splitlines():
        m, name = tag_line.match(line), test_name(line, kind)
        if m:
            pending = m.group(1)
        elif name:
            if pending is not None:
                tags[name] = pending
            pending = None
        elif line.strip() and not line.strip().startswith(('#', '//')[kind == 'gtest']):
            pending = None
    return tags


def bats_catches_in_text(text: str) -> dict[str, list[str]]:
    """Test name -> the faulty runtimes of step 05 it catches, from a "# catches: a, b"
    comment just above the @test ("# catches: none", a reason after it if you like: an
    empty list). Tests without the comment are left out."""
    tags = tags_above_tests(text, r'catches:\s*(.*?)\s*$', 'bats')
    return {name: [] if re.match(r'none\b', value) else
            [f.strip() for f in value.split(',') if f.strip()] for name, value in tags.items()}


def ere_escape(text: str) -> str:
    """@text as a POSIX extended regular expression that matches it literally."""
    return re.sub(r'([\\.^$|?*+()\[\]{}])', r'\\\1', text)


def is_skeleton(name: str, text: str) -> bool:
    """Whether @text is an untouched skeleton, with its TODO 1: in a C++ file every function
    that calls not_implemented() does nothing else (comments aside); in a Bats file every
    @test holds nothing but its `fail "TODO N ..."` line."""
    if not re.search(r'\bTODO 1\b', text):
        return False
    if name.endswith('.bats'):
        bodies = re.findall(r"^@test\b[^\n]*\{[ \t]*$(.*?)^\}", text, re.M | re.S)
        code = [[line.strip() for line in body.splitlines()
                 if line.strip() and not line.strip().startswith('#')] for body in bodies]
        return bool(code) and all(len(c) == 1 and re.match(r'fail\s+"TODO \d+', c[0])
                                  for c in code)
    code = re.sub(r'//[^\n]*|/\*.*?\*/', '', text, flags=re.S)
    calls = code.count('not_implemented(')
    return calls > 0 and calls == len(re.findall(r'\{\s*not_implemented\(', code))


# ---------------------------------------------------------------- step 05: the faulty runtimes

DESCRIBED, EXTRA = 'described', 'extra'


@dataclass
class FaultLine:
    """One line of steps/05-test/faults/faults.txt (its header says what each field means)."""
    name: str
    kind: str                 # DESCRIBED or EXTRA
    built_from: str           # "NAME.cpp" or "catalogue STEP/VARIANT"
    hint: str                 # a hint number of the guide, or ''
    description: str          # "a runtime that <description>"

    @property
    def target(self) -> str:
        return f'container-fault-{self.name}'

    @property
    def described(self) -> bool:
        return self.kind == DESCRIBED


def parse_fault_list(text: str) -> list[FaultLine]:
    """The faults of faults.txt, in its order. Raises ValueError naming the line that is
    not "NAME | described or extra | BUILT FROM | HINT or - | WHAT IT GETS WRONG"."""
    faults: list[FaultLine] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith('#'):
            continue
        fields = [f.strip() for f in line.split('|')]
        if len(fields) != 5:
            raise ValueError(f'line {number}: {len(fields)} fields, not 5 '
                             '(NAME | KIND | BUILT FROM | HINT | WHAT)')
        name, kind, built_from, hint, description = fields
        wrong = [
            (not re.match(r'^[a-z0-9][a-z0-9-]*$', name),
             f'the name {name!r} is not letters, digits and dashes'),
            (any(f.name == name for f in faults), 'listed twice'),
            (kind not in (DESCRIBED, EXTRA), f'the kind is {DESCRIBED} or {EXTRA}, not {kind!r}'),
            (not re.match(r'^(?:[a-z0-9-]+\.cpp|catalogue [0-9a-z-]+/[a-z0-9-]+)$', built_from),
             f'built from NAME.cpp or "catalogue STEP/VARIANT", not {built_from!r}'),
            (hint != '-' and not hint.isdigit(), f'the hint is a number or -, not {hint!r}'),
            (kind == DESCRIBED and hint == '-',
             'a described fault needs the hint that describes it'),
            (not description, 'says nothing of what it gets wrong')]
        complaint = next((text for failed, text in wrong if failed), '')
        if complaint:
            raise ValueError(f'line {number}: {name}: {complaint}')
        faults.append(FaultLine(name, kind, built_from, '' if hint == '-' else hint, description))
    return faults


# ---------------------------------------------------------------- judging a check

@dataclass
class Advice:
    """Where a failing check of @step sends the student."""
    step: str
    files: dict[str, str]     # function -> the student's file that holds it, steps/NN/x.cpp

    def hint(self, number: str = '') -> str:
        """Its hint @number, with the command that shows it, or the step's next hint."""
        if self.step == FULL:
            return ('grade each step on its own (make grade STEP=NN-name) to find the one '
                    'that breaks this')
        if number:
            return f'read Hint {number} of {self.step} ({hint_command(self.step, number)})'
        return f'read the next hint of {self.step} (make hint STEP={self.step.split("-")[0]})'


def judge_not_implemented(check: Check, function: str, advice: Advice) -> None:
    check.status = NOT_IMPLEMENTED
    check.summary = f'not implemented yet ({function})'
    # The file of the step that owns the function, else this step's own file ('').
    file = advice.files.get(function) or advice.files.get('')
    check.hint = 'fill in the TODOs of ' + (file or "the step's skeleton")


def judge_timeout(check: Check, seconds: float, why: str, hint: str = '') -> None:
    check.status, check.summary = TIMEOUT, f'timed out after {seconds:g} s'
    check.happened, check.hint = [why], hint


def signal_name(number: int | None) -> str:
    try:
        return signal.Signals(number).name
    except (ValueError, TypeError):
        return f'signal {number}'


def judge_gtest(check: Check, record: dict | None, output: str, returncode: int | None,
                advice: Advice, hint: str = '') -> None:
    """One GoogleTest check, from its record in GoogleTest's JSON report (None when the
    check ended without one) and what it printed. @hint: the "// hint: N" above it."""
    if record is None:
        missing = not_implemented_function(output)
        if missing:
            return judge_not_implemented(check, missing, advice)
        # Killed by a signal: a negative status, or 128 + the signal from a shell.
        number = -returncode if returncode and returncode < 0 else \
            returncode - 128 if returncode and returncode > 128 else None
        check.status, check.hint = CRASH, advice.hint()
        check.summary = (f'crashed ({signal_name(number)})' if number else
                         f'ended without a result (exit status {returncode})')
        check.happened = trim(crash_lines(output), 8)
        return
    failures = [f.get('failure', '') for f in record.get('failures', [])]
    # The support's report of mounts left behind is shown as such, not as the failure.
    check.left_mounted += [p for p in gtest_left_mounted(failures) if p not in check.left_mounted]
    reports = [f for f in failures if MOUNT_REPORT_RE.search(f)]
    failures = [f for f in failures if not MOUNT_REPORT_RE.search(f)]
    if reports and not failures:
        check.status, check.summary, check.hint = FAIL, 'left mounts behind', advice.hint()
        check.expected = 'every mount the function makes for the check is undone by the end'
    elif record.get('result') == 'SKIPPED' and not failures:
        check.status = SKIPPED
        check.summary = 'skipped: a skipped check counts as not passed'
    elif not failures:
        check.status, check.points = PASS, check.max_points
    elif missing := not_implemented_function('\n'.join(failures)):
        judge_not_implemented(check, missing, advice)
    else:
        check.status, check.hint = FAIL, advice.hint(hint)
        check.expected, check.happened = explain_gtest_failure(failures[0])
        if len(failures) > 1:
            check.happened.append(f'(and {len(failures) - 1} more failed expectation'
                                  f'{"s" if len(failures) > 2 else ""} in this check)')


def judge_bats(check: Check, output: str, returncode: int | None, advice: Advice | None,
               hint: str = '') -> None:
    """One Bats check, from what `bats --tap` printed. @advice: None for a check the student
    wrote (step 05), which no hint of ours explains."""
    tap = parse_tap(output)
    outcome = tap[0] if tap else None
    if outcome is None:
        check.status = CRASH
        check.summary = f'Bats gave no result (exit status {returncode})'
        check.happened = trim(output.splitlines(), 8)
    elif outcome.ok and outcome.skipped:
        check.status = SKIPPED
        check.summary = 'skipped' + (f': {outcome.skip_reason}' if outcome.skip_reason else '') \
            + ' (a skipped check counts as not passed)'
    elif outcome.ok:
        check.status, check.points = PASS, check.max_points
    elif advice and (missing := not_implemented_function('\n'.join(outcome.diagnostics))):
        judge_not_implemented(check, missing, advice)
    else:
        check.status = FAIL
        check.expected, check.happened = explain_bats_failure(outcome.diagnostics)
        check.summary = container_crash('\n'.join(outcome.diagnostics))
        if advice:
            check.hint = advice.hint(hint)
            if check.summary == HUNG_CONTAINER:
                check.status = TIMEOUT      # the runtime with the step's code hangs


# ---------------------------------------------------------------- judging step 05

def judge_own_checks(main: Check, names: list[str], failed: list[Check], bats: str,
                     advice: Advice, unicode: bool = True) -> None:
    """Step 05's first check: every one of the student's checks @names (of the file @bats)
    passes against the reference runtime; @failed: those that did not, as judged."""
    unwritten = [check for check in failed if re.search(r'\bTODO \d+', message_of(check))]
    if failed and len(unwritten) == len(failed) == len(names):
        main.status = NOT_IMPLEMENTED
        main.summary = 'not written yet: every check still holds its TODO'
        main.hint = f'write the checks of {bats}, TODO 1 first'
    elif failed:
        main.status = FAIL
        main.summary = (f'{len(failed)} of your {len(names)} checks fail against the correct '
                        'runtime: a wrong check')
        main.happened = [f'{len(unwritten)} of them still hold their TODO'] if unwritten else []
        for check in failed:
            main.happened.append(f'✗ {check.name}' if unicode else f'FAIL {check.name}')
            main.happened += ['    ' + line for line in message_of(check).splitlines()[:7]]
        main.hint = ('a check that fails on a correct runtime cannot tell a broken one apart: '
                     + advice.hint())
    else:
        main.status, main.points = PASS, main.max_points
        main.summary = f'{len(names)} checks'


def judge_fault(check: Check, fault: FaultLine, caught_by: list[str], advice: Advice) -> None:
    """A faulty runtime the guide describes: caught when one of the student's checks fails
    against it (@caught_by)."""
    if caught_by:
        check.status, check.points = PASS, check.max_points
        check.summary = f'it {fault.description}; caught by "{caught_by[0]}"'
    else:
        check.status, check.hint = FAIL, advice.hint(fault.hint)
        check.summary = f'your checks did not notice: a runtime that {fault.description}'


def judge_extra_faults(extra: Check, extras: list[tuple[str, str, bool]], step_passes: bool,
                       unicode: bool = True) -> None:
    """The faults the guide does not describe, @extras: (name, what it gets wrong, caught)
    of each. Extra credit, which never fails the step: a point per fault caught. Before
    the step passes only the count shows: the names would turn thinking of faults into
    ticking a list."""
    caught = sum(1 for _, _, hit in extras if hit)
    extra.status, extra.points, extra.happened = PASS, caught, []
    extra.summary = f'caught {caught} of {len(extras)}'
    if not step_passes:
        extra.summary += '; which ones: once the step passes'
        return
    for name, description, hit in extras:
        mark = ('✓' if hit else '✗') if unicode else ('ok' if hit else 'missed')
        extra.happened.append(f'{mark} {name}: a runtime that {description}')


def test_step_score(caught: int, described: int, extras: int) -> list[str]:
    """The closing lines of step 05's grade: the mutation score, and what it takes to pass."""
    total = described + extras
    rule = (f'the step passes when every one of your checks passes on the correct runtime and '
            f'they catch each of the {described} faulty runtimes the guide describes')
    if extras:
        rule += (f'; the other {extras} are extra credit, named here once the step passes: '
                 'think of what else a runtime could get wrong')
    return [f'your checks caught {caught} of {total} faulty runtime{"s" if total != 1 else ""}',
            f'({rule})']
