"""The grader's results (a `Check` per check, a `StepResult` per step) and how they are
shown: all the grader prints (the Console) or writes (the progress state, and the reports
REPORT=json|junit|tap, each from the same per-check records)."""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

PASS, FAIL, TIMEOUT, CRASH, NOT_IMPLEMENTED, SKIPPED, BUILD_FAILED, NOT_RUN = (
    'pass', 'fail', 'timeout', 'crash', 'not-implemented', 'skipped', 'build-failed', 'not-run')

# The summary of the checks of a step left unrun once one of them timed out: a step that
# hangs would make each of them wait for its own timeout.
STEP_HANGS = 'not run (the step hangs)'


@dataclass
class Check:
    """The result of one check."""
    step: str                 # "01-setup", ..., "full"
    id: str                   # what the check is called in its file, e.g. "SetupVolume.Creates..."
    name: str                 # the same as a sentence
    kind: str                 # gtest | bats | fault | ...
    status: str = FAIL
    points: int = 0
    max_points: int = 1
    duration: float = 0.0
    summary: str = ''         # one line: what went wrong ("timed out after 20 s")
    expected: str = ''        # in plain words, when known
    happened: list[str] = field(default_factory=list)   # what happened, trimmed lines
    hint: str = ''            # where to look
    left_mounted: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.status == PASS


@dataclass
class StepResult:
    """The checks of one step. The points are the step's (its "points" in steps/steps.json,
    @worth), earned when every check passes: the one rule of make grade, grade-all and
    GitHub Classroom, which grades a step all or nothing."""
    step: str
    title: str
    checks: list[Check] = field(default_factory=list)
    note: str = ''            # e.g. "does not compile"
    worth: int = 0
    optional: bool = False    # extra credit: its points add to the total, not to the most
    report: list[str] = field(default_factory=list)    # why it was not graded: the build's errors
    closing: list[str] = field(default_factory=list)   # the lines that end it: step 05's score

    @property
    def passed(self) -> int:
        return sum(c.passed for c in self.checks)

    @property
    def points(self) -> int:
        return self.worth if self.checks and self.passed == len(self.checks) else 0

    @property
    def max_points(self) -> int:
        return 0 if self.optional else self.worth

    @property
    def score(self) -> int:
        return round(100 * self.points / self.worth) if self.worth else 0


_WORD = re.compile(r'[A-Z]{2,}(?=[A-Z][a-z]|\d|_|$)|[A-Z]?[a-z]+|[A-Z]|\d+')


def sentence(identifier: str) -> str:
    """"SetupVolume.CreatesMissingSourceWithMode0755EvenUnderUmask077" ->
    "setup volume: creates missing source with mode 0755 even under umask 077"; a
    parameterised "Prefix/Suite.Name/3" -> "... (case 3)"."""
    m = re.match(r'^(?:[^/.]+/)?([^/]+)\.([^/]+)(?:/(\w+))?$', identifier.strip())
    if not m:
        return identifier.strip()

    def words(part: str) -> str:
        return ' '.join(w if len(w) > 1 and w.isupper() else w.lower()
                        for chunk in re.split(r'[_\s]+', part) for w in _WORD.findall(chunk))

    suite, test, case = m.groups()
    return f'{words(suite)}: {words(test)}' + (f' (case {case})' if case is not None else '')


class Console:
    """Prints results; colour only on a terminal (and never with NO_COLOR)."""

    def __init__(self, stream=None, colour: bool | None = None):
        self.stream = stream or sys.stdout
        if colour is None:
            colour = self.stream.isatty() and not os.environ.get('NO_COLOR') \
                and os.environ.get('TERM') != 'dumb'
        self.colour = colour
        encoding = (getattr(self.stream, 'encoding', '') or '').lower()
        self.unicode = 'utf' in encoding or os.environ.get('GRADE_UNICODE') == '1'

    def paint(self, text: str, code: str) -> str:
        return f'\033[{code}m{text}\033[0m' if self.colour else text

    def green(self, t: str) -> str: return self.paint(t, '32')
    def red(self, t: str) -> str: return self.paint(t, '31')
    def yellow(self, t: str) -> str: return self.paint(t, '33')
    def bold(self, t: str) -> str: return self.paint(t, '1')
    def dim(self, t: str) -> str: return self.paint(t, '2')

    @property
    def tick(self) -> str:
        return self.green('✓' if self.unicode else 'ok')

    @property
    def cross(self) -> str:
        return self.red('✗' if self.unicode else 'FAIL')

    def line(self, text: str = '') -> None:
        print(text, file=self.stream, flush=True)

    def heading(self, text: str) -> None:
        self.line()
        self.line(self.bold(text))

    def progress(self, text: str) -> None:
        self.line(self.dim('  ' + text))

    def check(self, c: Check, indent: str = '  ') -> None:
        pad = indent + '    '
        if c.passed:
            self.line(f'{indent}{self.tick} {c.name}' +
                      (f' {self.dim("(" + c.summary + ")")}' if c.summary else ''))
        else:
            self.line(f'{indent}{self.cross} {c.name}')
            if c.summary:
                self.line(pad + self.yellow(c.summary))
        # What was expected, then what happened with its details under it (of a check that
        # passed: step 05's extra faults): labels of one width, so that every line of a
        # block starts in the same column.
        for label, lines in (('expected: ', c.expected.splitlines()), ('happened: ', c.happened)):
            label = '' if c.passed else label
            for i, text in enumerate(lines):
                self.line(pad + (label if i == 0 else ' ' * len(label)) + text)
        if c.left_mounted:
            shown = ', '.join(c.left_mounted[:5]) + (' ...' if len(c.left_mounted) > 5 else '')
            self.line(f'{pad}left mounted: {shown} (the sandbox cleaned it up)')
        if c.hint and not c.passed:
            self.line(pad + self.dim('hint: ' + c.hint))

    def finish(self, r: StepResult) -> None:
        """The lines that end a step's grade, after its checks: why it could not be graded,
        the checks left unrun (one line for them all), step 05's score, the count."""
        for n, text in enumerate(r.report):
            self.line(f'  {self.cross} {self.bold(text)}' if n == 0 else '      ' + text)
        unbuilt = sum(c.status == BUILD_FAILED for c in r.checks)
        if unbuilt:
            self.line(f'  {unbuilt} checks were not run.')
        unrun = [c for c in r.checks if c.status == NOT_RUN]
        if unrun:
            self.line(f'  {self.cross} ' +
                      self.yellow(f'the other {len(unrun)} checks: {unrun[0].summary}'))
            if unrun[0].summary == STEP_HANGS:
                self.line('      ' + self.dim('make the check that timed out finish, '
                                             'then grade again'))
        for n, text in enumerate(r.closing):
            self.line('  ' + (self.bold(text) if n == 0 else self.dim(text)))
        if not r.checks and not r.report:
            self.line(f'  {self.cross} this step has no checks')
        self.line(f'  {r.step}: {r.passed}/{len(r.checks)} checks passed, '
                  f'{r.points}/{r.worth} points '
                  + ('(an optional step: extra credit)' if r.optional else f'({r.score}%)'))

    def table(self, results: list[StepResult]) -> None:
        points, most = sum(r.points for r in results), sum(r.max_points for r in results)
        rows = [('Step', 'Checks', 'Points', 'Score')]
        rows += [(r.step + (' (optional)' if r.optional else ''), f'{r.passed}/{len(r.checks)}',
                  f'+{r.points}/{r.worth}' if r.optional else f'{r.points}/{r.max_points}',
                  f'{r.score}%') for r in results]
        rows.append(('total', f'{sum(r.passed for r in results)}/'
                     f'{sum(len(r.checks) for r in results)}', f'{points}/{most}',
                     f'{round(100 * points / most) if most else 0}%'))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        self.line()
        for n, row in enumerate(rows):
            text = '  '.join([row[0].ljust(widths[0])] +
                             [row[i].rjust(widths[i]) for i in (1, 2, 3)])
            self.line(self.bold(text) if n in (0, len(rows) - 1) else text)


# ---------------------------------------------------------------- state and reports

def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).astimezone().isoformat(timespec='seconds')


def status_of_checks(statuses: list[str]) -> str:
    """passing / not started / in progress, from the statuses of a step's checks."""
    if statuses and all(s == PASS for s in statuses):
        return 'passing'
    # Nothing passes yet and the skeleton still says so (or does not build).
    if not statuses or (PASS not in statuses and any(
            s in (NOT_IMPLEMENTED, BUILD_FAILED) for s in statuses)):
        return 'not started'
    return 'in progress'


def write_state(path: Path, origin: str, results: list[StepResult]) -> None:
    """Records the last grade of each step of the student's code (FROM=steps only) in
    build/grade-state.json: {"version": 1, "steps": {"01-setup": {"status": "in progress",
    "graded_at": "...", and step_record's keys}}, "passed": {"01-setup": "..."}}. "passed"
    keeps when each step first passed every check: later grades and `make reset` leave it,
    so the reference, once earned, stays open (`make solution`)."""
    if origin != 'steps':
        return

    def record(state: dict) -> None:
        if not isinstance(state.get('steps'), dict):
            state['steps'] = {}
        for r in results:
            grade = step_record(r) | {'status': status_of_checks([c.status for c in r.checks]),
                                      'graded_at': now()}
            state['steps'][r.step] = grade
            if grade['status'] == 'passing':
                if not isinstance(state.get('passed'), dict):
                    state['passed'] = {}
                state['passed'].setdefault(r.step, grade['graded_at'])
    update_state(path, record)


def update_state(path: Path, change) -> dict:
    """Reads the state file @path (a missing or broken one is {}), applies @change(state)
    and writes it back atomically, keeping every key (other tools add their own); returns
    the state. The one writer of the state file, for the grader and the tools."""
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        state = None
    state = state if isinstance(state, dict) else {}
    change(state)
    state['version'] = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f'.{os.getpid()}.tmp')
    tmp.write_text(json.dumps(state, indent=2) + '\n')
    os.replace(tmp, path)
    return state


def message_of(c: Check) -> str:
    return '\n'.join(p for p in (c.summary, 'expected: ' + c.expected if c.expected else '',
                                 *c.happened) if p)


def check_record(c: Check) -> dict:
    return {'step': c.step, 'id': c.id, 'name': c.name, 'kind': c.kind, 'status': c.status,
            'points': c.points, 'max_points': c.max_points, 'duration': round(c.duration, 3),
            'message': message_of(c), 'hint': c.hint, 'left_mounted': c.left_mounted}


def step_record(r: StepResult) -> dict:
    """A step's grade, as the JSON report and the state file keep it."""
    return {'step': r.step, 'title': r.title, 'note': r.note, 'passed': r.passed,
            'total': len(r.checks), 'points': r.points, 'max_points': r.max_points,
            'score': r.score, 'checks': [check_record(c) for c in r.checks]}


REPORT_FILES = {'json': 'grade.json', 'junit': 'grade.xml', 'tap': 'grade.tap'}


def write_report(fmt: str, directory: Path, origin: str, results: list[StepResult]) -> Path:
    """Writes the report @fmt (a key of REPORT_FILES) of @results in @directory."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / REPORT_FILES[fmt]
    if fmt == 'json':
        path.write_text(json_report(origin, results))
    else:
        path.write_text(junit(results) if fmt == 'junit' else tap(results))
    return path


def json_report(origin: str, results: list[StepResult]) -> str:
    """The grade of each step (step_record), for REPORT=json and grade-all."""
    return json.dumps({'origin': origin, 'graded_at': now(),
                       'steps': [step_record(r) for r in results]}, indent=2) + '\n'


def junit(results: list[StepResult]) -> str:
    """A <testsuite> per step, a <testcase> per check with its step, id, status and points
    as properties (JUnit has no place of its own for them), a <failure> when it failed."""
    def properties(parent: ET.Element, **values: object) -> None:
        block = ET.SubElement(parent, 'properties')
        for name, value in values.items():
            ET.SubElement(block, 'property', name=name, value=str(value))

    suites = ET.Element('testsuites', name='grade', tests=str(sum(len(r.checks) for r in results)),
                        failures=str(sum(len(r.checks) - r.passed for r in results)))
    for r in results:
        suite = ET.SubElement(suites, 'testsuite', name=r.step, tests=str(len(r.checks)),
                              failures=str(len(r.checks) - r.passed),
                              time=f'{sum(c.duration for c in r.checks):.3f}')
        properties(suite, points=r.points, max_points=r.max_points, score=r.score)
        for c in r.checks:
            case = ET.SubElement(suite, 'testcase', classname=r.step, name=c.name,
                                 time=f'{c.duration:.3f}')
            properties(case, step=c.step, id=c.id, status=c.status, points=c.points,
                       max_points=c.max_points)
            message = message_of(c)
            if c.passed and c.summary:
                ET.SubElement(case, 'system-out').text = c.summary
            elif not c.passed:
                failure = ET.SubElement(case, 'failure', type=c.status,
                                        message=message.splitlines()[0] if message else c.status)
                failure.text = message + ('\nhint: ' + c.hint if c.hint else '')
    ET.indent(suites)
    return ET.tostring(suites, encoding='unicode', xml_declaration=True) + '\n'


def tap(results: list[StepResult]) -> str:
    """TAP 13: a line per check, then a YAML block of its record."""
    out = ['TAP version 13', f'1..{sum(len(r.checks) for r in results)}']
    for n, c in enumerate((c for r in results for c in r.checks), 1):
        message = message_of(c)
        out += [f'{"ok" if c.passed else "not ok"} {n} {c.step}: {c.name}', '  ---',
                f'  step: {c.step}', f'  status: {c.status}', f'  points: {c.points}',
                f'  max_points: {c.max_points}', f'  duration: {c.duration:.3f}']
        if message:
            out += ['  message: |'] + ['    ' + line for line in message.splitlines()]
        if c.hint:
            out.append(f'  hint: {json.dumps(c.hint)}')
        out.append('  ...')
    return '\n'.join(out) + '\n'
