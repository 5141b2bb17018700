"""The steps of the workshop as steps/steps.json lists them: the one place where a step's
name, title, kind, files, functions, points and timeout are stated (docs/developers.md
explains each field). CMakeLists.txt reads the same file with string(JSON); the tools take
them from here; `make check-workshop` (workshop_check.py) checks each step's files.

A step's hints are in steps/NN-name/hints.md, one "## Hint N: title" section each, so that
the guide does not show them: `make hint` shows them one at a time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = Path('steps') / 'steps.json'
FULL = 'full'                          # the whole runtime, from the student's code only
KINDS = ('code', 'tests', 'scenario')  # functions of C++ / Bats checks of one's own / the scenario


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


# Each field of a step: its type, and its value when left out (None: it must be there).
FIELDS = {'name': (str, None), 'title': (str, None), 'kind': (str, None), 'files': (list, []),
          'functions': (list, []), 'points': (int, None), 'timeout': (int, None),
          'teaches': (str, ''), 'optional': (bool, False), 'faults': (str, '')}


def field_value(entry: dict, key: str):
    """The value of @key in @entry, or the reason it is wrong (a ManifestError's text)."""
    kind, default = FIELDS[key]
    value = entry.get(key, default)
    if value is None:
        raise ValueError(f'"{key}" is missing')
    if kind is int and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
        raise ValueError(f'"{key}" must be a whole number above 0, not {value!r}')
    if kind is list and not (isinstance(value, list) and all(isinstance(v, str) and v for v in value)):
        raise ValueError(f'"{key}" must be a list of names, not {value!r}')
    if kind in (str, bool) and not isinstance(value, kind):
        raise ValueError(f'"{key}" must be a {kind.__name__}, not {value!r}')
    return tuple(value) if kind is list else value


def load(top: Path) -> list[Step]:
    """Every step of steps/steps.json, in order, the whole-runtime one last. ManifestError
    when an entry is malformed (the checks of the files are workshop_check's)."""
    try:
        doc = json.loads((top / MANIFEST).read_text())
    except OSError as error:
        raise ManifestError(f'{MANIFEST}: cannot read it: {error.strerror}') from None
    except ValueError as error:
        raise ManifestError(f'{MANIFEST}: not valid JSON: {error}') from None
    if not isinstance(doc, dict) or not isinstance(doc.get('steps'), list):
        raise ManifestError(f'{MANIFEST}: expected an object with a list "steps"')
    steps: list[Step] = []
    for index, entry in enumerate(doc['steps'], 1):
        where = f'step {index}'
        try:
            if not isinstance(entry, dict):
                raise ValueError('expected an object')
            where += f' ({field_value(entry, "name")})'
            unknown = sorted(set(entry) - set(FIELDS))
            if unknown:
                raise ValueError(f'unknown field(s) {", ".join(unknown)}')
            step = Step(**{key: field_value(entry, key) for key in FIELDS}, top=top)
            if step.name != FULL and not re.match(r'^\d\d-[a-z0-9]+(-[a-z0-9]+)*$', step.name):
                raise ValueError(f'a name is NN-word (01-setup), not {step.name!r}')
            if step.kind not in KINDS:
                raise ValueError(f'"kind" is one of {", ".join(KINDS)}, not {step.kind!r}')
            if (step.kind == 'scenario') != (step.name == FULL):
                raise ValueError(f'the one "scenario" step is "{FULL}", the last')
            if step.kind != 'scenario' and not step.files:
                raise ValueError('"files" names no file the student writes')
            if (step.kind == 'code') != bool(step.functions):
                raise ValueError('a code step, and only one, names its "functions"')
            steps.append(step)
        except ValueError as error:
            raise ManifestError(f'{MANIFEST}: {where}: {error}') from None
    names = [s.name for s in steps]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ManifestError(f'{MANIFEST}: step(s) listed twice: {", ".join(repeated)}')
    numbered = [n for n in names if n != FULL]
    if numbered != sorted(numbered) or (FULL in names and names[-1] != FULL):
        raise ManifestError(f'{MANIFEST}: the steps must be in the order of their numbers, '
                            f'"{FULL}" last')
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


@dataclass
class Hint:
    number: int
    title: str
    body: str


def read_hints(step: Step) -> list[Hint]:
    """The "## Hint N: title" sections of the step's hints.md, in order (a heading in a
    fenced code block is text)."""
    try:
        lines = step.hints_file.read_text().splitlines()
    except OSError:
        return []
    hints: list[Hint] = []
    fence = False
    for line in lines:
        heading = None if fence else re.match(r'^## Hint (\d+): (.+?)\s*$', line)
        if re.match(r'^\s*(```|~~~)', line):
            fence = not fence
        if heading:
            hints.append(Hint(int(heading.group(1)), heading.group(2).strip(), ''))
        elif hints:
            hints[-1].body += line + '\n'
    for hint in hints:
        hint.body = hint.body.strip()
    return hints
