"""`make check-workshop`: the workshop agrees with steps/steps.json, in seconds, without root
and without building anything. Each rule returns its problems, one line each, naming the
file to mend (tests/tools/test_workshop_check.py breaks a copy for each rule). The files made
from the manifest (generated_files) are written by `make classroom`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import manifest
import workshop
from grade_explain import bats_catches_in_text, parse_fault_list, test_names
from manifest import FULL, MANIFEST, ManifestError, Step  # noqa: F401 (ManifestError: the CLI)

# An optional step may declare its functions in a header of its own, beside this one.
HEADER = 'common/include/container/volume_steps.hpp'
HEADERS = 'common/include/container/*volume_steps.hpp'
DIAGRAM = 'docs/diagrams/steps-runtime.dot'
AUTOGRADING = '.github/classroom/autograding.json'
WORKFLOW = '.github/workflows/classroom.yml'
STEPS_INDEX = 'steps/README.md'
HINTS_MARKER = '<!-- hints.md'
# A check names the hint to read: "// hint: N" (GoogleTest), "# hint: N" (Bats); the faulty
# runtimes of a tests step name theirs in the HINT column of faults.txt.
HINT_REFERENCE = re.compile(r'^\s*(?://|#)\s*[Hh]int:\s*(\d+)\s*$', re.M)


def problems(top: Path) -> list[str]:
    return [problem for _, found in results(top) for problem in found]


def results(top: Path) -> list[tuple[str, list[str]]]:
    """(each rule, its problems)."""
    try:
        steps = manifest.load(top)
    except ManifestError as error:
        return [('the manifest is valid', [str(error)])]
    done = [('the manifest is valid', []),
            ('every function of volume_steps.hpp is in one step', functions_rule(top, steps)),
            ('the points add up to 100', points_rule(steps))]
    for step in (s for s in steps if s.name != FULL):
        done += [(f'{step.name}: {rule.__name__}', rule(step))
                 for rule in (files_rule, todos_rule, hints_rule, catches_rule)]
    return done + [('the generated files are current', generated_rule(top))]


def catches_rule(step: Step) -> list[str]:
    """A tests step: each reference check says which faulty runtimes it catches ("# catches:
    NAME, ..." or "# catches: none" above it), faults of faults.txt; the self-check proves
    that they are the very ones it catches."""
    listed = step.fault_list
    if step.kind != 'tests' or not listed or not listed.is_file():
        return []
    try:
        faults = {f.name for f in parse_fault_list(listed.read_text())}
    except ValueError:
        return []               # hints_rule says what is wrong with it
    found = []
    for path in [p for p in step.solution_files() if p.is_file()]:
        text, where = path.read_text(), path.relative_to(step.top)
        credits = bats_catches_in_text(text)
        found += [f'{where}: "{name}" does not say which faults it catches: add "# catches: '
                  'NAME, ..." (or "# catches: none") above it'
                  for name in test_names(text) if name not in credits]
        found += [f'{where}: "{name}" is credited with {fault}, which is no fault of '
                  f'{listed.relative_to(step.top)}'
                  for name, names in credits.items() for fault in names if fault not in faults]
    return found


def functions_rule(top: Path, steps: list[Step]) -> list[str]:
    if not (top / HEADER).is_file():
        return [f'{HEADER}: missing']
    header = ''.join(path.read_text() for path in sorted(top.glob(HEADERS)))
    declared = re.findall(r'^(?:\[\[\w+\]\]\s*)?[A-Za-z][\w:<>, ]*?[\s*&]([a-z_]\w*)\(',
                          header, re.M)
    owners: dict[str, list[str]] = {}
    for step in steps:
        for function in step.functions:
            owners.setdefault(function, []).append(step.name)
    found = [f'{HEADERS}: {f}() belongs to no step of {MANIFEST} ("functions")'
             for f in declared if f not in owners]
    found += [f'{MANIFEST}: {f}() is in {" and ".join(o)}: a function belongs to one step'
              for f, o in owners.items() if len(o) > 1]
    found += [f'{MANIFEST}: {o[0]} names {f}(), which {HEADERS} does not declare'
              for f, o in owners.items() if f not in declared]
    diagram = (top / DIAGRAM).read_text() if (top / DIAGRAM).is_file() else ''
    return found + [f'{DIAGRAM}: does not show {s.name}/{s.files[0]}' for s in steps
                    if s.kind == 'code' and not s.optional and diagram
                    and f'{s.name}/{s.files[0]}' not in diagram]


def points_rule(steps: list[Step]) -> list[str]:
    total = sum(s.points for s in steps if not s.optional)
    return [] if total == 100 else [
        f'{MANIFEST}: the points of the steps (optional ones aside) add up to {total}, not 100']


def checks_of(step: Step) -> list[Path]:
    """A code step's GoogleTest and Bats files; a tests step's list of faulty runtimes."""
    if step.kind == 'tests':
        return [step.fault_list] if step.fault_list and step.fault_list.is_file() else []
    checks = sorted(step.directory.glob('*_test.cpp')) + sorted(step.directory.glob('*.bats'))
    return [p for p in checks if p not in step.student_files()]


def files_rule(step: Step) -> list[str]:
    """guide, hints, skeleton, reference and checks."""
    where = f'steps/{step.name}'
    found = []
    if not step.readme.is_file():
        found.append(f'{where}/README.md: missing (the guide)')
    elif step.readme.read_text().split('\n', 1)[0] != f'# {step.heading}':
        found.append(f'{where}/README.md: its first line is not "# {step.heading}" (the title '
                     f'of {MANIFEST})')
    if not step.hints_file.is_file():
        found.append(f'{where}/hints.md: missing (the hints)')
    found += [f'{where}/{p.name}: missing (the skeleton)'
              for p in step.student_files() if not p.is_file()]
    if (step.top / 'solutions').is_dir():
        found += [f'solutions/{step.name}/{p.name}: missing (the reference)'
                  for p in step.solution_files() if not p.is_file()]
    if not checks_of(step):
        found.append(f'{where}: no checks (*_test.cpp or *.bats)' if step.kind == 'code' else
                     f'{step.faults or where + " (faults)"}: no faulty runtime to catch')
    return found


def todos_rule(step: Step) -> list[str]:
    """TODOs numbered 1..N in the skeleton (the one in git when the file holds work) and
    tasks numbered alike in the guide's "## Your task"."""
    def skeleton_text(path: Path) -> str:
        try:
            return workshop.skeleton_text(path, step.top)
        except workshop.Refusal:    # not a git checkout: the file as it is
            return path.read_text()
    try:
        guide = step.readme.read_text()
        skeleton = ''.join(skeleton_text(p) for p in step.student_files())
    except OSError:
        return []               # files_rule says what is missing
    task = re.search(r'^## Your task\s*$(.*?)(?=^## |\Z)', guide, re.M | re.S)
    tasks = [int(n) for n in re.findall(r'^(\d+)\. ', task[1], re.M)] if task else []
    todos = [int(n) for n in re.findall(r'^\s*(?://|#)\s*TODO (\d+):', skeleton, re.M)]
    found = [f'{what}: numbered {numbers or "nothing"}, not 1 to N in order'
             for what, numbers in ((f'steps/{step.name}/README.md "## Your task"', tasks),
                                   (f'the skeleton of {step.name} (TODO N:)', todos))
             if not numbers or numbers != list(range(1, len(numbers) + 1))]
    if tasks and todos and len(tasks) != len(todos):
        found.append(f'steps/{step.name}: the guide has {len(tasks)} tasks, the skeleton '
                     f'{len(todos)} TODOs')
    return found


def hints_rule(step: Step) -> list[str]:
    """hints numbered 1..N, in hints.md only, and those the checks name exist."""
    where = f'steps/{step.name}'
    hints = [h.number for h in manifest.read_hints(step)]
    found = []
    if step.hints_file.is_file() and (not hints or hints != list(range(1, len(hints) + 1))):
        found.append(f'{where}/hints.md: hints numbered {hints or "nothing"}, not 1 to N '
                     '("## Hint N: title")')
    guide = step.readme.read_text() if step.readme.is_file() else ''
    if re.search(r'<summary>\s*Hint', guide):
        found.append(f'{where}/README.md: a hint in the guide: hints belong in hints.md')
    if guide and HINTS_MARKER not in guide:
        found.append(f'{where}/README.md: no "{HINTS_MARKER} ... -->" line, where the docs '
                     'site shows the hints')
    for source in checks_of(step):
        text, name = source.read_text(errors='replace'), source.relative_to(step.top)
        missing = f'which {where}/hints.md does not have'
        if source != step.fault_list:
            found += [f'{name}:{text.count(chr(10), 0, m.start()) + 1}: names hint {m[1]}, '
                      f'{missing}' for m in HINT_REFERENCE.finditer(text) if int(m[1]) not in hints]
            continue
        try:
            found += [f'{name}: {f.name} names hint {f.hint}, {missing}'
                      for f in parse_fault_list(text) if f.hint and int(f.hint) not in hints]
        except ValueError as error:
            found.append(f'{name}: {error}')
    return found


# ---------------------------------------------------------------- the generated files

def generated_rule(top: Path) -> list[str]:
    try:
        return [f'{path.relative_to(top)}: not made from {MANIFEST}: run `make classroom`'
                for path in stale_files(top)]
    except ManifestError as error:
        return [str(error)]


def stale_files(top: Path) -> dict[Path, str]:
    """The files made from the manifest (the GitHub Classroom files, the table of steps of
    steps/README.md) that do not read as they must: {path: what it must read}."""
    steps = manifest.load(top)
    current = {path: path.read_text() if path.is_file() else ''
               for path in (top / WORKFLOW, top / STEPS_INDEX, top / AUTOGRADING)}
    made = {top / AUTOGRADING: autograding(steps),
            top / WORKFLOW: workflow(steps, current[top / WORKFLOW])}
    if current[top / STEPS_INDEX]:
        made[top / STEPS_INDEX] = steps_table(current[top / STEPS_INDEX], steps)
    return {path: text for path, text in made.items() if current[path] != text}


def classroom_name(step: Step) -> str:
    return step.name + (' (optional)' if step.optional else '')


def autograding(steps: list[Step]) -> str:
    tests = [{'name': classroom_name(s), 'setup': '', 'run': f'make grade STEP={s.name}',
              'input': '', 'output': '', 'comparison': 'included', 'timeout': s.timeout,
              'points': s.points} for s in steps]
    return json.dumps({'tests': tests}, indent=2) + '\n'


# classroom.yml is written by hand down to this line (installing, making the image); the
# steps after it are made from the manifest.
WORKFLOW_STEPS = ('      # The steps are made from steps/steps.json by `make classroom`: '
                  'do not edit below.\n')


def workflow(steps: list[Step], current: str) -> str:
    """classroom.yml: @current down to WORKFLOW_STEPS, a grade of each step, the report."""
    if WORKFLOW_STEPS not in current:
        raise ManifestError(f'{WORKFLOW}: no line "{WORKFLOW_STEPS.strip()}"')
    out = [current[:current.index(WORKFLOW_STEPS) + len(WORKFLOW_STEPS)]]
    out += [f'''      - name: Grade {classroom_name(s)}
        id: step-{s.name}
        uses: classroom-resources/autograding-command-grader@v1
        with:
          test-name: {classroom_name(s)}
          command: make grade STEP={s.name}
          timeout: {s.timeout}
          max-score: {s.points}

''' for s in steps]
    out.append('''      - name: Report the points to GitHub Classroom
        if: always()
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
''')
    out += [f'          STEP-{s.name.upper()}_RESULTS: '
            f'"${{{{ steps.step-{s.name}.outputs.result }}}}"\n' for s in steps]
    out.append(f'        with:\n          runners: {",".join("step-" + s.name for s in steps)}\n')
    return ''.join(out)


TABLE = re.compile(r'^\| Step \| You write \| What it teaches \|\n(?:\|.*\|\n)*', re.M)


def steps_table(index: str, steps: list[Step]) -> str:
    """steps/README.md with its table of steps made from the manifest."""
    rows = ['| Step | You write | What it teaches |\n', '| --- | --- | --- |\n']
    for s in (s for s in steps if s.name != FULL):
        functions = ', '.join(f'`{f}()`' for f in s.functions)
        writes = f'{functions} in {", ".join(f"`{f}`" for f in s.files)}' \
            if s.kind == 'code' else 'Bats checks of your own'
        optional = ' (optional)' if s.optional else ''
        rows.append(f'| [{s.name}]({s.name}/README.md){optional} | {writes} | {s.teaches} |\n')
    return TABLE.sub(lambda _: ''.join(rows), index, count=1)
