"""The steps of the workshop, as steps/steps.json lists them: the one place where a step's
name, title, kind, files, functions, points and timeout are stated. The build
(CMakeLists.txt reads the same file with string(JSON)), the grader, the learner tools
(common/tools/workshop), the docs build and the GitHub Classroom files all take them from
here; `make check-workshop` (workshop_check.py) checks the files of each step against it.

A step's hints are in steps/NN-name/hints.md, one "## Hint N: title" section each: the
guide (README.md) does not show them, `make hint` shows them one at a time, and the docs
site renders them as closed blocks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = Path('steps') / 'steps.json'
FULL = 'full'                         # the whole runtime, from the student's code only
KINDS = ('code', 'tests', 'scenario')  # functions of C++ / Bats checks of one's own / the scenario
NAME_RE = re.compile(r'^\d\d-[a-z0-9]+(-[a-z0-9]+)*$')


class ManifestError(Exception):
    """steps/steps.json cannot be read, or says something impossible: one line."""


@dataclass(frozen=True)
class Step:
    name: str                  # "01-setup" (or "full")
    title: str                 # "prepare the volume's directories"
    kind: str                  # one of KINDS
    files: tuple[str, ...]     # what the student writes, in steps/NAME/: ("setup.cpp",)
    functions: tuple[str, ...]  # of volume_steps.hpp, for a code step
    points: int                # earned when every check of the step passes
    timeout: int               # minutes GitHub Classroom gives a grade of the step
    teaches: str = ''
    optional: bool = False
    faults: str = ''           # for a tests step: where its faulty runtimes are
    top: Path = field(default=Path('.'), compare=False)

    @property
    def number(self) -> str:
        return self.name.split('-')[0]

    @property
    def heading(self) -> str:
        """The title as the guide's first line and the grader say it: "Step 1: ..."."""
        return self.title if self.name == FULL else f'Step {int(self.number)}: {self.title}'

    @property
    def directory(self) -> Path:
        return self.top / 'steps' / self.name

    @property
    def readme(self) -> Path:
        return self.directory / 'README.md'

    @property
    def hints_file(self) -> Path:
        return self.directory / 'hints.md'

    def student_files(self, origin: str = 'steps') -> list[Path]:
        return [self.top / origin / self.name / f for f in self.files]

    def solution_files(self) -> list[Path]:
        return self.student_files('solutions')


def read_manifest(top: Path) -> dict:
    path = top / MANIFEST
    try:
        doc = json.loads(path.read_text())
    except OSError as error:
        raise ManifestError(f'{MANIFEST}: cannot read it: {error.strerror}') from None
    except ValueError as error:
        raise ManifestError(f'{MANIFEST}: not valid JSON: {error}') from None
    if not isinstance(doc, dict) or not isinstance(doc.get('steps'), list):
        raise ManifestError(f'{MANIFEST}: expected an object with a list "steps"')
    return doc


def _field(entry: dict, key: str, kind, where: str, default=None):
    value = entry.get(key, default)
    if value is None:
        raise ManifestError(f'{MANIFEST}: {where}: "{key}" is missing')
    if kind is int and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
        raise ManifestError(f'{MANIFEST}: {where}: "{key}" must be a whole number above 0, not {value!r}')
    if kind is list and not (isinstance(value, list) and all(isinstance(v, str) and v for v in value)):
        raise ManifestError(f'{MANIFEST}: {where}: "{key}" must be a list of names, not {value!r}')
    if kind in (str, bool) and not isinstance(value, kind):
        raise ManifestError(f'{MANIFEST}: {where}: "{key}" must be a {kind.__name__}, not {value!r}')
    return value


def load(top: Path) -> list[Step]:
    """Every step of steps/steps.json, in order, the whole-runtime one last. ManifestError
    when an entry is malformed (the checks of the files are workshop_check's)."""
    steps: list[Step] = []
    for index, entry in enumerate(read_manifest(top)['steps'], 1):
        if not isinstance(entry, dict):
            raise ManifestError(f'{MANIFEST}: step {index}: expected an object')
        name = _field(entry, 'name', str, f'step {index}')
        where = f'step {index} ({name})'
        if name != FULL and not NAME_RE.match(name):
            raise ManifestError(f'{MANIFEST}: {where}: a name is NN-word (01-setup), not {name!r}')
        kind = _field(entry, 'kind', str, where)
        if kind not in KINDS:
            raise ManifestError(f'{MANIFEST}: {where}: "kind" is one of {", ".join(KINDS)}, not {kind!r}')
        known = {'name', 'title', 'kind', 'files', 'functions', 'points', 'timeout', 'teaches',
                 'optional', 'faults'}
        unknown = sorted(set(entry) - known)
        if unknown:
            raise ManifestError(f'{MANIFEST}: {where}: unknown field(s) {", ".join(unknown)}')
        step = Step(name=name, title=_field(entry, 'title', str, where), kind=kind,
                    files=tuple(_field(entry, 'files', list, where, [])),
                    functions=tuple(_field(entry, 'functions', list, where, [])),
                    points=_field(entry, 'points', int, where),
                    timeout=_field(entry, 'timeout', int, where),
                    teaches=_field(entry, 'teaches', str, where, ''),
                    optional=_field(entry, 'optional', bool, where, False),
                    faults=_field(entry, 'faults', str, where, ''), top=top)
        if (kind == 'scenario') != (name == FULL):
            raise ManifestError(f'{MANIFEST}: {where}: the one "scenario" step is "{FULL}", the last')
        if kind != 'scenario' and not step.files:
            raise ManifestError(f'{MANIFEST}: {where}: "files" names no file the student writes')
        if (kind == 'code') != bool(step.functions):
            raise ManifestError(f'{MANIFEST}: {where}: a code step, and only one, names its "functions"')
        steps.append(step)
    names = [s.name for s in steps]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ManifestError(f'{MANIFEST}: step(s) listed twice: {", ".join(repeated)}')
    numbered = [n for n in names if n != FULL]
    if numbered != sorted(numbered) or (FULL in names and names[-1] != FULL):
        raise ManifestError(f'{MANIFEST}: the steps must be in the order of their numbers, "{FULL}" last')
    return steps


def find(wanted: str, names: list[str]) -> str | None:
    """The step of @names that @wanted names: "02-mount", "02", "2", "mount",
    "steps/02-mount/"; "all-steps" and "student" are "full" too."""
    wanted = re.sub(r'^steps/', '', (wanted or '').strip()).rstrip('/')
    if wanted in ('all-steps', 'student'):
        wanted = FULL
    for name in names:
        number = name.split('-')[0]
        if wanted in (name, number, number.lstrip('0'), name.split('-', 1)[-1]):
            return name
    return None


def function_step(steps: list[Step]) -> dict[str, str]:
    """Which function of volume_steps.hpp is written in which step."""
    return {function: step.name for step in steps for function in step.functions}


def hint_command(step: str, number: int | str) -> str:
    """The command that shows hint @number of @step ("01-setup"): make hint STEP=01 N=3."""
    return f'make hint STEP={step.split("-")[0]} N={number}'


# ---------------------------------------------------------------- hints

@dataclass
class Hint:
    number: int
    title: str
    body: str


HINT_HEADING = re.compile(r'^## Hint (\d+): (.+?)\s*$')


def read_hints(step: Step) -> list[Hint]:
    """The hints of @step: the "## Hint N: title" sections of its hints.md, in order (a
    heading in a fenced code block is text)."""
    try:
        lines = step.hints_file.read_text().splitlines()
    except OSError:
        return []
    hints: list[Hint] = []
    fence = False
    for line in lines:
        heading = None if fence else HINT_HEADING.match(line)
        if re.match(r'^\s*(```|~~~)', line):
            fence = not fence
        if heading:
            hints.append(Hint(int(heading.group(1)), heading.group(2).strip(), ''))
        elif hints:
            hints[-1].body += line + '\n'
    for hint in hints:
        hint.body = hint.body.strip('\n').strip()
    return hints
