"""The steps of the workshop as steps/steps.json lists them, the one place where each fact
of a step is stated (docs/developers.md explains each field; CMakeLists.txt reads the same
file). A step's hints are the "## Hint N: title" sections of its hints.md, kept out of the
guide so that `make hint` can show them one at a time.
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
        """The guide's first line without its "# ": "Step 1: ..."."""
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

    @property
    def fault_list(self) -> Path | None:
        """A tests step's faulty runtimes, one a line, when it has them."""
        return self.top / self.faults / 'faults.txt' if self.faults else None

    def student_files(self, origin: str = 'steps') -> list[Path]:
        return [self.top / origin / self.name / f for f in self.files]

    def solution_files(self) -> list[Path]:
        return self.student_files('solutions')


# Each field of an entry: its type, and its value when left out (None: it must be there).
FIELDS = {'name': (str, None), 'title': (str, None), 'kind': (str, None), 'files': (list, []),
          'functions': (list, []), 'points': (int, None), 'timeout': (int, None),
          'teaches': (str, ''), 'optional': (bool, False), 'faults': (str, '')}


def field_value(entry: dict, key: str):
    """The value of @key in @entry; ValueError says what is wrong with it."""
    kind, default = FIELDS[key]
    value = entry.get(key, default)
    if value is None:
        raise ValueError(f'"{key}" is missing')
    if kind is int and (type(value) is not int or value <= 0):
        raise ValueError(f'"{key}" must be a whole number above 0, not {value!r}')
    if kind is list and not (type(value) is list and all(type(v) is str and v for v in value)):
        raise ValueError(f'"{key}" must be a list of names, not {value!r}')
    if kind in (str, bool) and type(value) is not kind:
        raise ValueError(f'"{key}" must be a {kind.__name__}, not {value!r}')
    return tuple(value) if kind is list else value


def check_step(step: Step) -> None:
    """ValueError when @step says something impossible."""
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


def load(top: Path) -> list[Step]:
    """Every step of steps/steps.json, in order, "full" last; ManifestError when it is wrong
    (workshop_check.py checks the files each step names)."""
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
            check_step(step)
        except ValueError as error:
            raise ManifestError(f'{MANIFEST}: {where}: {error}') from None
        steps.append(step)
    names = [s.name for s in steps]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ManifestError(f'{MANIFEST}: step(s) listed twice: {", ".join(repeated)}')
    if names != sorted(n for n in names if n != FULL) + [FULL] * (FULL in names):
        raise ManifestError(f'{MANIFEST}: the steps must be in the order of their numbers, '
                            f'"{FULL}" last')
    return steps


def find(wanted: str, names: list[str]) -> str | None:
    """The step of @names that @wanted names: "02-mount", "02", "2", "mount",
    "steps/02-mount/"; "all-steps" and "student" are "full" too."""
    wanted = re.sub(r'^steps/', '', (wanted or '').strip()).rstrip('/')
    wanted = FULL if wanted in ('all-steps', 'student') else wanted
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


def read_hints(step: Step | Path) -> list[Hint]:
    """The "## Hint N: title" sections of the step's hints.md (or of the file @step), in
    order (a heading inside a fenced code block is text)."""
    try:
        lines = (step if isinstance(step, Path) else step.hints_file).read_text().splitlines()
    except OSError:
        return []
    hints: list[Hint] = []
    fence = False
    for line in lines:
        heading = not fence and re.match(r'^## Hint (\d+): (.+?)\s*$', line)
        fence ^= bool(re.match(r'^\s*(```|~~~)', line))
        if heading:
            hints.append(Hint(int(heading[1]), heading[2], ''))
        elif hints:
            hints[-1].body += line + '\n'
    return [Hint(h.number, h.title, h.body.strip()) for h in hints]
