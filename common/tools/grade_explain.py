"""What the checks print, read and put into plain words: the grader's parsers, message
builders and judges, apart from running anything.

Every function here takes text (or a check's raw outcome) and returns data or fills in the
check's record; none runs a process or reads a file, so each is tested on its own
(tests/tools/test_grade_explain.py, `run-tests pytest`).

A failed check is shown as "expected:" (what the check wanted, in its author's words),
"happened:" (what it found instead, then the details: a listing, the run's output) and
"hint:" (where to read on). `split_diagnosis` makes that split from the author's message:

- its first line, the lead, says what was expected, with should, must, needs, may (or, in
  Bats, starts with "Expected "): "the host source must keep every file";
- then, on the same line, what was found: after "; " or ": " with a verb such as holds,
  has, got, found, left, was ("...: it now holds [a]"), after ", got ", ", but ",
  ", took ", or as a short label ending the line (", left:") above its details;
- the lines below it are the details of what happened; an expectation ending in ":"
  ("Expected the output to be:") keeps the indented lines below it as what was expected.

A lead wrapped onto the next line (an open parenthesis, or a line going on in lower case)
is joined again. GoogleTest's own lines (the C++ expression, "Which is: ...") are shown
only where the author wrote no sentence, and its value only where the author's message
says nothing of what was found. One exception: "is_real_file(mount_point) is false", the
outcome of a helper's predicate, leads what happened, as it names the very property that
failed. tests/tools/test_grade_explain.py puts every message of the step checks through
this and fails on one that does not come out whole and in order.
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

# ---------------------------------------------------------------- plain words

EXPECTATION_VERB = re.compile(r"\b(should|must|needs?|has to|have to|expected|ought to|may)\b",
                              re.I)

# What was found: a clause with one of these verbs in its first words says what happened.
OBSERVED = r"(?:holds|has|have|shows|got|found|took|left|contains|was|were|does|did|printed|gave|says|changed|now|still)\b"

# Where a lead turns from what was expected to what happened (after its expectation verb).
OBSERVATION = [
    re.compile(rf'; (?=(?:[^\s;:]+ ){{0,5}}(?:{OBSERVED}|is\b|are\b))'),  # "...; its root is /x"
    re.compile(rf': (?=(?:[^\s;:]+ ){{0,5}}{OBSERVED})'),  # "...: it now holds [x]", not "...: it is"
    re.compile(r'\. (?=[A-Z])'),        # "... to be unchanged. It changed:"
    re.compile(r', but '),               # "..., but it holds [x]"
    re.compile(rf', (?=(?:[^\s,;:]+ ){{0,2}}{OBSERVED})'),   # "..., got 0700", "..., it has 700"
    re.compile(r'[,;] (?=(?:\S+ ){0,2}\S+:$)'),  # "..., mounts left:" (the details below)
]

EXPECTED_PREFIX = re.compile(r'^(?:expected:\s*|Expected\s+(?!:))')


def _outside_quotes(text: str) -> list[bool]:
    """For each character of @text: whether it lies outside "quotes", (parentheses) and
    [brackets], where a separator or a verb belongs to the quoted thing, not the sentence."""
    flags, depth, quoted = [], 0, False
    for ch in text:
        if ch == '"':
            quoted = not quoted
            flags.append(False)
            continue
        if not quoted:
            if ch in '([':
                depth += 1
            elif ch in ')]' and depth:
                depth -= 1
                flags.append(False)
                continue
        flags.append(not quoted and depth == 0)
    return flags


def _first_outside(pattern: re.Pattern, text: str, start: int = 0) -> re.Match | None:
    outside = _outside_quotes(text)
    for m in pattern.finditer(text, start):
        if outside[m.start()]:
            return m
    return None


def split_lead(lead: str) -> tuple[str, str, bool]:
    """(expectation, observation, found) of the first line of a message. Without an
    expectation verb the whole line is an observation."""
    lead = lead.strip()
    explicit = EXPECTED_PREFIX.match(lead)
    if explicit:
        lead = lead[explicit.end():]
        start = 0
    else:
        verb = _first_outside(EXPECTATION_VERB, lead)
        if verb is None:
            return '', lead, True
        start = verb.end()
    best = None
    for pattern in OBSERVATION:
        m = _first_outside(pattern, lead, start)
        if m and (best is None or m.start() < best.start()):
            best = m
    if best is None:
        return lead, '', False
    expectation = lead[:best.start()].rstrip(' ,;:')
    observation = re.sub(r'^but\s+', '', lead[best.end():].strip())
    return expectation, observation, True


def join_wrapped(lines: list[str]) -> list[str]:
    """The lead joined with the lines its sentence was wrapped onto: while a parenthesis is
    open, or while it ends without punctuation and the next line goes on in lower case (and
    is not a "label: value" line such as "exit status: 1")."""
    if not lines:
        return lines
    lead, rest = lines[0], lines[1:]
    while rest and not rest[0][:1].isspace() and (
            lead.count('(') > lead.count(')') or
            (not re.search(r'[.:;!?]$', lead) and rest[0][:1].islower()
             and not re.match(r'^\w[\w ]*:', rest[0]))):
        lead = f'{lead} {rest.pop(0).strip()}'
    return [lead] + rest


def split_diagnosis(lines: list[str]) -> tuple[list[str], list[str]]:
    """(expected lines, happened lines) of an author's message, in reading order: see the
    module's doc. Blank lines go; the details keep their indentation."""
    lines = join_wrapped([l.rstrip() for l in lines if l.strip()])
    if not lines:
        return [], []
    lead, details = lines[0], lines[1:]
    expectation, observation, found = split_lead(lead)
    if found:
        return ([expectation] if expectation else []), ([observation] if observation else []) + details
    expected = [expectation.rstrip(';,')]
    if expectation.endswith(':'):
        # "Expected the output to be:" and the quoted lines of what it should be.
        while details and details[0].startswith((' ', '\t')):
            expected.append(details.pop(0))
    return expected, details


# ---------------------------------------------------------------- GoogleTest

@dataclass
class GtestFailure:
    """One GoogleTest failure, taken apart."""
    location: str = ''                  # "steps/02-mount/mount_test.cpp:45"
    structure: list[str] = field(default_factory=list)   # GoogleTest's own lines
    message: list[str] = field(default_factory=list)     # what the author streamed (<<)
    exception: str = ''                 # an exception that escaped the test body


GTEST_STRUCTURE = re.compile(r'^(Value of: |Expected|  Actual: |Actual: |    Which is: |Which is: |'
                             r'Failed$|With diff:|The difference between|Google Mock)')


def parse_gtest_failure(text: str) -> GtestFailure:
    lines = text.splitlines()
    failure = GtestFailure()
    if lines and re.match(r'^(\S.*:\d+|unknown file)$', lines[0]):
        failure.location = lines.pop(0)
    exception = re.search(r'C\+\+ exception with description "(.*)" thrown in (the test body|.*)\.',
                          text, re.S)
    if exception:
        failure.exception = exception.group(1)
        return failure
    # GoogleTest's own lines come first; the author's message (<< "...") after them.
    in_equality = False
    while lines:
        line = lines[0]
        if line.startswith('Expected equality of these values:'):
            in_equality = True
        elif in_equality and line.startswith('  '):
            pass
        elif GTEST_STRUCTURE.match(line):
            in_equality = False
        else:
            break
        failure.structure.append(lines.pop(0))
    failure.message = [l.rstrip() for l in lines]
    return failure


# GoogleTest's EXPECT_EQ report: both expressions, each with its value when it differs.
GTEST_EQUALITY = re.compile(r'Expected equality of these values:\n  (.*?)\n(?:    Which is: (.*?)\n)?'
                            r'  (.*?)(?:\n    Which is: (.*))?$', re.S)


def gtest_actual_value(structure: list[str]) -> str:
    """The value GoogleTest reports for what the check looked at ('' when it names none):
    the side of a comparison that was computed, or the "actual" of a predicate."""
    text = '\n'.join(structure)
    m = GTEST_EQUALITY.match(text)
    if m:
        first, first_value, second, second_value = m.groups()
        return first_value or (second_value if second_value is not None else first)
    m = re.search(r'^Expected: \((.*)\) \S+ \((.*)\), actual: (.*?) vs (.*)$', text, re.M)
    if m:
        return m.group(3)
    m = re.search(r'^\s*Actual: (.*)$', text, re.M)
    if m and m.group(1) not in ('true', 'false'):
        return m.group(1)
    return ''


def gtest_predicate_fact(structure: list[str]) -> str:
    """"is_real_file(mount_point) is false" when GoogleTest's lines are those of an
    EXPECT_TRUE/FALSE (ASSERT_...) of a call to a free function, a helper's predicate;
    '' otherwise (a member call such as x.empty() is a value the author shows)."""
    m = re.match(r'Value of: (.*)\n  Actual: (true|false)\nExpected: (?:true|false)$',
                 '\n'.join(structure).strip())
    if not m:
        return ''
    expression, actual = m.groups()
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expression)     # no parenthesis of a string
    call = re.match(r'!?[A-Za-z_]\w*(?:::\w+)*\(', bare)
    if not call:
        return ''
    depth = 0                 # the call's own parenthesis closes at the very end
    for i in range(call.end() - 1, len(bare)):
        depth += {'(': 1, ')': -1}.get(bare[i], 0)
        if depth == 0:
            return f'{expression} is {actual}' if i == len(bare) - 1 else ''
    return ''


def gtest_statement(structure: list[str]) -> tuple[str, list[str]]:
    """GoogleTest's lines as (expected, happened), for a check without a message of its
    own: the C++ expression is all there is to show then."""
    text = '\n'.join(structure).strip()
    m = GTEST_EQUALITY.match(text)
    if m:
        a, a_value, b, b_value = m.groups()
        return (f'{a} == {b}' + (f' ({b_value})' if b_value else ''),
                [f'{a} is {a_value}' if a_value else f'{a} is not {b}'])
    m = re.match(r'Value of: (.*?)\n  Actual: (.*?)\nExpected: (.*)$', text, re.S)
    if m:
        return f'{m.group(1)} is {m.group(3)}', [f'it is {m.group(2)}']
    m = re.match(r'Expected: \((.*)\) (\S+) \((.*)\), actual: (.*?) vs (.*)$', text, re.S)
    if m:
        return f'{m.group(1)} {m.group(2)} {m.group(3)}', [f'{m.group(4)} vs {m.group(5)}']
    lines = [l.rstrip() for l in structure if l.strip() and l.strip() != 'Failed']
    return '', lines


def explain_gtest_failure(text: str) -> tuple[str, list[str]]:
    """(expected, happened) from one GoogleTest failure: see the module's doc. @expected
    may hold more than one line (what was expected, quoted below it)."""
    failure = parse_gtest_failure(text)
    where = os.path.basename(failure.location) if failure.location not in ('', 'unknown file') else ''
    if failure.exception:
        return '', [f'an exception escaped: {failure.exception}']
    expected, happened = split_diagnosis(failure.message)
    fact = gtest_predicate_fact(failure.structure)
    if not expected and not happened:
        statement, happened = gtest_statement(failure.structure)
        expected = [statement] if statement else []
    elif not happened:
        # The author said what was expected, not what was found: GoogleTest's value, if
        # it has one, in place of its expression.
        value = gtest_actual_value(failure.structure)
        happened = [f'got {value}' if value else fact or 'it was not so']
    elif fact and expected:
        # What the author shows (a listing) after the property that failed.
        happened[0] = f'{fact}; {happened[0]}'
    if where and len(happened) == 1:
        happened[0] += f' (checked at {where})'
    elif where:
        happened.append(f'(checked at {where})')
    return '\n'.join(expected), trim(happened, 10, width=SENTENCE_WIDTH)


def parse_gtest_list(output: str) -> list[str]:
    """Suite.Name of each check, from `--gtest_list_tests`."""
    names, suite = [], None
    for line in output.splitlines():
        if not line.strip() or line.startswith(('Running main()', '[')):
            continue
        if not line.startswith(' '):
            head = line.split('#')[0].strip()
            suite = head[:-1] if head.endswith('.') else None
        elif suite:
            names.append(f'{suite}.{line.split("#")[0].strip()}')
    return names


GTEST_TEST = re.compile(r'^\s*TEST(?:_F|_P)?\(\s*(\w+)\s*,\s*(\w+)\s*\)', re.M)


def gtest_names_in_text(text: str) -> list[str]:
    """Suite.Name of each TEST() of a C++ source, in order."""
    return [f'{s}.{t}' for s, t in GTEST_TEST.findall(text)]


def gtest_record(json_text: str, ident: str) -> dict | None:
    """The record of check @ident in GoogleTest's JSON output, or None."""
    try:
        data = json.loads(json_text)
    except ValueError:
        return None
    for suite in data.get('testsuites', []):
        for test in suite.get('testsuite', []):
            if f'{suite.get("name")}.{test.get("name")}' == ident:
                return test
    return None


MOUNT_REPORT_RE = re.compile(r'the mount table at the end of the test is not what it was|'
                             r'mounts were left at the end of the test|mounts were left in the test')


def gtest_left_mounted(failures: list[str]) -> list[str]:
    """Mount points the GoogleTest support reported as left behind by a check."""
    points: list[str] = []
    for failure in failures:
        if not MOUNT_REPORT_RE.search(failure):
            continue
        for line in failure.splitlines():
            added = re.match(r'^\s*added:\s+(.*)$', line)
            if added:
                fields = added.group(1).split()
                if len(fields) >= 5:
                    points.append(fields[4].replace('\\040', ' '))
                continue
            left = re.match(r'^\s{2}(/\S*) \(', line)
            if left and left.group(1) not in points:
                points.append(left.group(1))
    return points


def crash_lines(output: str) -> list[str]:
    """The last lines a check printed before it crashed, without GoogleTest's banners."""
    lines = [l for l in output.splitlines() if l.strip() and not l.startswith(('[==', '[--', 'Note: '))]
    return lines[-8:]


NOT_IMPLEMENTED_RE = re.compile(r'(\w+) is not implemented yet')


def not_implemented_function(text: str) -> str:
    """The function a NotImplemented message names; the error rather than a cleanup's
    warning when there are both (the warning comes from the cleanup that followed)."""
    found = [(('warning' in line), m.group(1)) for line in text.splitlines()
             for m in [NOT_IMPLEMENTED_RE.search(line)] if m]
    found.sort(key=lambda item: item[0])   # stable: errors first, in order
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
    """(expected, happened) from what a failed Bats check printed, without Bats' own stack
    trace: its first "Expected ..." (or "expected: ...") line and what follows are the
    diagnosis (split_diagnosis); anything printed before it goes after them."""
    failed_commands, lines = [], []
    for line in diagnostics:
        m = BATS_FAILED_COMMAND.match(line)
        if m:
            failed_commands.append(f'{m.group(1)}{m.group(2)}')
        elif line.strip() and not BATS_TRACE.match(line):
            lines.append(line.rstrip())
    if not lines:
        # Nothing but the failing line: show it.
        return '', [f'this line of the check failed: {c}' for c in failed_commands[:2]]
    lead = next((i for i, l in enumerate(lines) if EXPECTED_PREFIX.match(l)), 0)
    expected, happened = split_diagnosis(lines[lead:])
    return '\n'.join(expected), trim(happened + lines[:lead], limit, width=SENTENCE_WIDTH)


CRASH_SIGNALS = {4: 'SIGILL', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 11: 'SIGSEGV'}
HUNG_CONTAINER = 'the container did not finish in time'


def container_crash(diagnostics: str) -> str:
    """A summary when a Bats check's container crashed or hung, else ''."""
    for m in re.finditer(r'(?:exit status:?|got) (\d+)\b', diagnostics):
        code = int(m.group(1))
        if code - 128 in CRASH_SIGNALS:
            return f'the container crashed ({CRASH_SIGNALS[code - 128]})'
        if code == 124:
            return HUNG_CONTAINER
    return ''


BATS_TEST = re.compile(r'^[ \t]*@test[ \t]+(.*?)[ \t]*\{[ \t]*$', re.M)


def bats_test_name(raw: str):
    """The name Bats gives a test from its @test line, or None when it cannot be parsed."""
    try:
        return ' '.join(shlex.split(raw))
    except ValueError:
        return None


def bats_test_names(text: str) -> list[str]:
    """The names of the @test blocks of a Bats file, in order."""
    return [bats_test_name(raw) or raw.strip('"\'') for raw in BATS_TEST.findall(text)]


def tags_above_tests(text: str, tag: str, kind: str) -> dict[str, str]:
    """Check name -> group 1 of the comment @tag ("hint:\\s*(\\d+)") just above each test of
    @text, a Bats file (@kind "bats") or a C++ source ("gtest"). Other comments may stand
    between the two; code may not."""
    comment, test = ('#', BATS_TEST) if kind == 'bats' else ('//', GTEST_TEST)
    tag_line = re.compile(rf'^\s*{re.escape(comment)}\s*{tag}')
    tags, pending = {}, None
    for line in text.splitlines():
        m = tag_line.match(line)
        if m:
            pending = m.group(1)
            continue
        t = test.match(line)
        if t:
            name = bats_test_name(t.group(1)) if kind == 'bats' else f'{t.group(1)}.{t.group(2)}'
            if pending is not None and name:
                tags[name] = pending
            pending = None
        elif line.strip() and not line.strip().startswith(comment):
            pending = None
    return tags


HINT_TAG = r'[Hh]int:?\s*(\d+)'


def bats_catches_in_text(text: str) -> dict[str, list[str]]:
    """Test name -> the faulty runtimes of step 05 it catches, from a "# catches: a, b"
    comment just above the @test ("# catches: none", with a reason after it if you like:
    an empty list). Tests without the comment are left out."""
    tags = tags_above_tests(text, r'catches:\s*(.*?)\s*$', 'bats')
    return {name: [] if re.match(r'none\b', value) else
            [f.strip() for f in value.split(',') if f.strip()] for name, value in tags.items()}


def bats_hints_in_text(text: str) -> dict[str, str]:
    """Test name -> hint number, from a "# hint: N" comment just above the @test."""
    return tags_above_tests(text, HINT_TAG, 'bats')


def gtest_hints_in_text(text: str) -> dict[str, str]:
    """Suite.Name -> hint number, from a "// hint: N" comment just above the TEST()."""
    return tags_above_tests(text, HINT_TAG, 'gtest')


def ere_escape(text: str) -> str:
    """@text as a POSIX extended regular expression that matches it literally."""
    return re.sub(r'([\\.^$|?*+()\[\]{}])', r'\\\1', text)


# ---------------------------------------------------------------- skeletons and layout

def is_skeleton(name: str, text: str) -> bool:
    """Whether @text is an untouched skeleton, with its TODO 1: in a C++ file every function
    that calls not_implemented() does nothing else (comments aside); in a Bats file every
    @test holds nothing but its `fail "TODO N ..."` line."""
    if not re.search(r'\bTODO 1\b', text):
        return False
    if name.endswith('.bats'):
        bodies = re.findall(r"^@test\b[^\n]*\{[ \t]*$(.*?)^\}", text, re.M | re.S)

        def unwritten(body: str) -> bool:
            code = [l.strip() for l in body.splitlines() if l.strip() and not l.strip().startswith('#')]
            return len(code) == 1 and re.match(r'fail\s+"TODO \d+', code[0]) is not None
        return bool(bodies) and all(unwritten(b) for b in bodies)
    code = re.sub(r'//[^\n]*|/\*.*?\*/', '', text, flags=re.S)
    calls = code.count('not_implemented(')
    return calls > 0 and calls == len(re.findall(r'\{\s*not_implemented\(', code))


# An author's sentence is shown whole up to this length; a line of output up to 240.
SENTENCE_WIDTH = 1000


def trim(lines: list[str], limit: int, width: int = 240) -> list[str]:
    """At most @limit non-blank lines of at most @width characters, saying how many were
    left out."""
    lines = [l[:width] + ('...' if len(l) > width else '') for l in lines if l.strip()]
    if len(lines) > limit:
        return lines[:limit] + [f'... ({len(lines) - limit} more lines)']
    return lines


# ---------------------------------------------------------------- step 05: the faulty runtimes

DESCRIBED, EXTRA = 'described', 'extra'
FAULT_NAME = re.compile(r'^[a-z0-9][a-z0-9-]*$')
FAULT_BUILT_FROM = re.compile(r'^(?:[a-z0-9-]+\.cpp|catalogue [0-9a-z-]+/[a-z0-9-]+)$')


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
        """The build target of the faulty runtime."""
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
        where = f'line {number}'
        if len(fields) != 5:
            raise ValueError(f'{where}: {len(fields)} fields, not 5 (NAME | KIND | BUILT FROM | HINT | WHAT)')
        name, kind, built_from, hint, description = fields
        if not FAULT_NAME.match(name):
            raise ValueError(f'{where}: the name {name!r} is not letters, digits and dashes')
        if any(f.name == name for f in faults):
            raise ValueError(f'{where}: {name} is listed twice')
        if kind not in (DESCRIBED, EXTRA):
            raise ValueError(f'{where}: {name}: the kind is {DESCRIBED} or {EXTRA}, not {kind!r}')
        if not FAULT_BUILT_FROM.match(built_from):
            raise ValueError(f'{where}: {name}: built from NAME.cpp or "catalogue STEP/VARIANT", '
                             f'not {built_from!r}')
        if hint != '-' and not hint.isdigit():
            raise ValueError(f'{where}: {name}: the hint is a number or -, not {hint!r}')
        if kind == DESCRIBED and hint == '-':
            raise ValueError(f'{where}: {name}: a described fault needs the hint that describes it')
        if not description:
            raise ValueError(f'{where}: {name}: says nothing of what it gets wrong')
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
    check.hint = f'fill in the TODOs of {file}' if file else \
        "fill in the TODOs of the step's skeleton"


def judge_timeout(check: Check, seconds: float, why: str, hint: str = '') -> None:
    check.status = TIMEOUT
    check.summary = f'timed out after {seconds:g} s'
    check.happened = [why]
    check.hint = hint


def judge_gtest(check: Check, record: dict | None, output: str, returncode: int | None,
                advice: Advice, hint: str = '') -> None:
    """One GoogleTest check, from its record in GoogleTest's JSON report (None when the
    check ended without one) and what it printed. @hint: the "// hint: N" above it."""
    if record is None:
        missing = not_implemented_function(output)
        if missing:
            return judge_not_implemented(check, missing, advice)
        check.status = CRASH
        # Killed by a signal: a negative status, or 128 + the signal from a shell.
        number = -returncode if returncode and returncode < 0 else \
            returncode - 128 if returncode and returncode > 128 else None
        check.summary = (f'crashed ({signal_name(number)})' if number else
                         f'ended without a result (exit status {returncode})')
        check.happened = trim(crash_lines(output), 8)
        check.hint = advice.hint()
        return
    failures = [f.get('failure', '') for f in record.get('failures', [])]
    # The support's report of mounts left behind is shown as such, not as the failure.
    check.left_mounted += [p for p in gtest_left_mounted(failures) if p not in check.left_mounted]
    reports = [f for f in failures if MOUNT_REPORT_RE.search(f)]
    failures = [f for f in failures if not MOUNT_REPORT_RE.search(f)]
    if reports and not failures:
        check.status = FAIL
        check.summary = 'left mounts behind'
        check.expected = 'every mount the function makes for the check is undone by the end'
        check.hint = advice.hint()
    elif record.get('result') == 'SKIPPED' and not failures:
        check.status = SKIPPED
        check.summary = 'skipped: a skipped check counts as not passed'
    elif not failures:
        check.status, check.points = PASS, check.max_points
    elif missing := not_implemented_function('\n'.join(failures)):
        judge_not_implemented(check, missing, advice)
    else:
        check.status = FAIL
        check.expected, check.happened = explain_gtest_failure(failures[0])
        if len(failures) > 1:
            check.happened.append(f'(and {len(failures) - 1} more failed expectation'
                                  f'{"s" if len(failures) > 2 else ""} in this check)')
        check.hint = advice.hint(hint)


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


def signal_name(number: int | None) -> str:
    try:
        return signal.Signals(number).name
    except (ValueError, TypeError):
        return f'signal {number}'


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
        check.status = FAIL
        check.summary = f'your checks did not notice: a runtime that {fault.description}'
        check.hint = advice.hint(fault.hint)


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
