"""The grader's results and how they are shown.

A check ends as one `Check` record (step, name, status, points, duration, message);
everything the grader prints or writes is made from these records, so that other
outputs (reports, the progress state) only need to read them.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import sys
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
    kind: str                 # gtest | bats | fault | full | build
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

    @property
    def passed(self) -> int:
        return sum(c.passed for c in self.checks)

    @property
    def points(self) -> int:
        return self.worth if self.checks and self.passed == len(self.checks) else 0

    @property
    def max_points(self) -> int:
        return self.worth

    @property
    def score(self) -> int:
        return round(100 * self.points / self.max_points) if self.max_points else 0


# ---------------------------------------------------------------- names as sentences

_WORD = re.compile(r'[A-Z]{2,}(?=[A-Z][a-z]|\d|_|$)|[A-Z]?[a-z]+|[A-Z]|\d+')


def sentence(identifier: str) -> str:
    """"SetupVolume.CreatesMissingSourceWithMode0755EvenUnderUmask077" ->
    "setup volume: creates missing source with mode 0755 even under umask 077"."""
    identifier = identifier.strip()
    # parameterised tests: "Prefix/Suite.Name/3" -> "Suite.Name (case 3)"
    case = ''
    m = re.match(r'^(?:[^/.]+/)?([^/]+)\.([^/]+)(?:/(\w+))?$', identifier)
    if not m:
        return identifier
    suite, test, param = m.groups()
    if param is not None:
        case = f' (case {param})'

    def words(part: str) -> str:
        out = []
        for chunk in re.split(r'[_\s]+', part):
            for w in _WORD.findall(chunk):
                out.append(w if (len(w) > 1 and w.isupper()) else w.lower())
        return ' '.join(out)

    return f'{words(suite)}: {words(test)}{case}'


# ---------------------------------------------------------------- console output

class Console:
    """Prints results; colour only on a terminal (and never with NO_COLOR)."""

    def __init__(self, stream=None, colour: bool | None = None):
        self.stream = stream or sys.stdout
        if colour is None:
            colour = self.stream.isatty() and not os.environ.get('NO_COLOR') \
                and os.environ.get('TERM') != 'dumb'
        self.colour = colour
        enc = (getattr(self.stream, 'encoding', '') or '').lower()
        self.unicode = 'utf' in enc or os.environ.get('GRADE_UNICODE') == '1'

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

    def check(self, c: Check, indent: str = '  ') -> None:
        mark = self.tick if c.passed else self.cross
        extra = f' {self.dim("(" + c.summary + ")")}' if c.summary and c.passed else ''
        self.line(f'{indent}{mark} {c.name}{extra}')
        if c.passed:
            if c.left_mounted:
                self.line(f'{indent}    left mounted (cleaned up by the sandbox): '
                          + ', '.join(c.left_mounted[:5]))
            return
        pad = indent + '    '
        if c.summary:
            self.line(pad + self.yellow(c.summary))
        # What was expected, then what happened with its details under it: labels of one
        # width, so that every line of a block starts in the same column.
        for label, lines in (('expected: ', c.expected.splitlines()), ('happened: ', c.happened)):
            for i, text in enumerate(lines):
                self.line(pad + (label if i == 0 else ' ' * len(label)) + text)
        if c.left_mounted:
            shown = ', '.join(c.left_mounted[:5]) + (' ...' if len(c.left_mounted) > 5 else '')
            self.line(f'{pad}left mounted: {shown} (the sandbox cleaned it up)')
        if c.hint:
            self.line(f'{pad}{self.dim("hint: " + c.hint)}')

    def table(self, results: list[StepResult]) -> None:
        rows = [('Step', 'Checks', 'Points', 'Score')]
        for r in results:
            rows.append((r.step, f'{r.passed}/{len(r.checks)}', f'{r.points}/{r.max_points}',
                         f'{r.score}%'))
        total_points = sum(r.points for r in results)
        total_max = sum(r.max_points for r in results)
        rows.append(('total', f'{sum(r.passed for r in results)}/{sum(len(r.checks) for r in results)}',
                     f'{total_points}/{total_max}',
                     f'{round(100 * total_points / total_max) if total_max else 0}%'))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        self.line()
        for n, row in enumerate(rows):
            cells = [row[0].ljust(widths[0])] + [row[i].rjust(widths[i]) for i in range(1, 4)]
            text = '  '.join(cells)
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
    """Records, per step, the last grade: build/grade-state.json (ignored by git).

    {"version": 1, "steps": {"01-setup": {"status": "in progress", "graded_at": "...",
     and the step's record (step_record: passed, total, points, ..., checks)}}}
    "passed": {"01-setup": "..."} keeps when each step first passed every check: later
    grades and `make reset` leave it, so the reference, once earned, stays open (`make
    solution`). Only grades of the student's code (FROM=steps) are recorded; other tools
    may add keys of their own next to "steps", which are kept.
    """
    if origin != 'steps':
        return

    def record(state: dict) -> None:
        if not isinstance(state.get('steps'), dict):
            state['steps'] = {}
        steps = state['steps']
        for r in results:
            steps[r.step] = step_record(r) | {
                'status': status_of_checks([c.status for c in r.checks]), 'graded_at': now()}
            if steps[r.step]['status'] == 'passing':
                remember_passed(state, r.step, steps[r.step]['graded_at'])
    update_state(path, record)


def update_state(path: Path, change) -> dict:
    """Reads the state file @path (a missing or broken one is {}), applies @change(state)
    and writes it back atomically, keeping every key; returns the state. The one writer
    of the state file, for the grader and the tools."""
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        state = {}
    if not isinstance(state, dict):
        state = {}
    change(state)
    state['version'] = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f'.{os.getpid()}.tmp')
    tmp.write_text(json.dumps(state, indent=2) + '\n')
    os.replace(tmp, path)
    return state


def remember_passed(state: dict, step: str, graded_at: str) -> None:
    """Notes in @state that @step passed every check at @graded_at, unless an earlier
    pass is noted already (the "passed" key of the state file, see write_state)."""
    if not isinstance(state.get('passed'), dict):
        state['passed'] = {}
    state['passed'].setdefault(step, graded_at)


def message_of(c: Check) -> str:
    parts = [p for p in (c.summary, ('expected: ' + c.expected) if c.expected else '',
                         '\n'.join(c.happened)) if p]
    return '\n'.join(parts)


def check_record(c: Check) -> dict:
    return {'step': c.step, 'id': c.id, 'name': c.name, 'kind': c.kind, 'status': c.status,
            'points': c.points, 'max_points': c.max_points,
            'duration': round(c.duration, 3), 'message': message_of(c),
            'hint': c.hint, 'left_mounted': c.left_mounted}


def step_record(r: StepResult) -> dict:
    """A step's grade, as the JSON report and the state file keep it."""
    return {'step': r.step, 'title': r.title, 'note': r.note, 'passed': r.passed,
            'total': len(r.checks), 'points': r.points, 'max_points': r.max_points,
            'score': r.score, 'checks': [check_record(c) for c in r.checks]}


def write_json(path: Path, origin: str, results: list[StepResult]) -> None:
    """All results as JSON: the raw material for reports in other formats."""
    data = {'origin': origin, 'graded_at': now(), 'steps': [step_record(r) for r in results]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + '\n')

