"""`make check-workshop`: the workshop agrees with steps/steps.json, in seconds, without
root and without building anything. Each rule returns its problems, one line each, naming
the file to mend (tests/tools/test_workshop_check.py breaks a copy for each rule). The
files made from the manifest (generated_files) are written by `make classroom`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import manifest
import workshop
from grade_explain import parse_fault_list
from manifest import FULL, MANIFEST, Step

HEADER = 'common/include/container/volume_steps.hpp'
# An optional step may declare its functions in a header of its own, beside it.
HEADERS = 'common/include/container/*volume_steps.hpp'
DIAGRAM = 'docs/diagrams/steps-runtime.dot'
AUTOGRADING = '.github/classroom/autograding.json'
WORKFLOW = '.github/workflows/classroom.yml'
STEPS_INDEX = 'steps/README.md'
FAULT_LIST = 'faults.txt'           # a tests step's faulty runtimes, one a line
HINTS_MARKER = '<!-- hints.md'
# A check names the hint to read: "// hint: N" (GoogleTest), "# hint: N" (Bats); the
# faulty runtimes of a tests step name theirs in the HINT column of faults.txt.
HINT_REFERENCE = re.compile(r'^\s*(?://|#)\s*[Hh]int:\s*(\d+)\s*$', re.M)


def problems(top: Path) -> list[str]:
    return [problem for _, found in results(top) for problem in found]


def results(top: Path) -> list[tuple[str, list[str]]]:
    try:
        steps = manifest.load(top)
    except manifest.ManifestError as error:
        return [('the manifest is valid', [str(error)])]
    done = [('the manifest is valid', []),
            ('every function of volume_steps.hpp is in one step', functions_rule(top, steps)),
            ('the points add up to 100', points_rule(steps))]
    for step in steps:
        if step.name != FULL:
            done += [(f'{step.name}: {what}', rule(step)) for what, rule in (
                ('guide, hints, skeleton, reference and checks', files_rule),
                ('TODOs numbered 1..N in skeleton and guide', todos_rule),
                ('hints numbered 1..N, and those the checks name exist', hints_rule))]
    return done + [('the generated files are current', generated_rule(top))]


def functions_rule(top: Path, steps: list[Step]) -> list[str]:
    if not (top / HEADER).is_file():
        return [f'{HEADER}: missing']
    header = ''.join(path.read_text() for path in sorted(top.glob(HEADERS)))
    declared = re.findall(r'^(?:\[\[\w+\]\]\s*)?[A-Za-z][\w:<>, ]*?[\s*&]([a-z_]\w*)\(', header, re.M)
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
    found += [f'{DIAGRAM}: does not show {s.name}/{s.files[0]}' for s in steps
              if s.kind == 'code' and diagram and f'{s.name}/{s.files[0]}' not in diagram
              and not s.optional]
    return found


def points_rule(steps: list[Step]) -> list[str]:
    total = sum(s.points for s in steps if not s.optional)
    return [] if total == 100 else [
        f'{MANIFEST}: the points of the steps (optional ones aside) add up to {total}, not 100']


def checks_of(step: Step) -> list[Path]:
    """A code step's GoogleTest and Bats files; a tests step's list of faulty runtimes."""
    if step.kind == 'tests':
        listed = step.top / step.faults / FAULT_LIST if step.faults else None
        return [listed] if listed and listed.is_file() else []
    student = set(step.student_files())
    return [p for p in sorted(step.directory.glob('*_test.cpp')) + sorted(step.directory.glob('*.bats'))
            if p not in student]


def files_rule(step: Step) -> list[str]:
    rel = f'steps/{step.name}'
    found = []
    if not step.readme.is_file():
        found.append(f'{rel}/README.md: missing (the guide)')
    elif step.readme.read_text().split('\n', 1)[0] != f'# {step.heading}':
        found.append(f'{rel}/README.md: its first line is not "# {step.heading}" (the title of '
                     f'{MANIFEST})')
    if not step.hints_file.is_file():
        found.append(f'{rel}/hints.md: missing (the hints)')
    found += [f'{rel}/{p.name}: missing (the skeleton)' for p in step.student_files() if not p.is_file()]
    if (step.top / 'solutions').is_dir():
        found += [f'solutions/{step.name}/{p.name}: missing (the reference)'
                  for p in step.solution_files() if not p.is_file()]
    if not checks_of(step):
        found.append(f'{rel}: no checks (*_test.cpp or *.bats)' if step.kind == 'code' else
                     f'{step.faults or rel + " (faults)"}: no faulty runtime to catch')
    return found


def skeleton_text(path: Path, top: Path) -> str:
    """The skeleton of @path: the file while it is one, else (work in it) the skeleton in
    git, else the file as it is."""
    try:
        return workshop.skeleton_text(path, top)
    except workshop.Refusal:
        return path.read_text()


def todos_rule(step: Step) -> list[str]:
    try:
        guide = step.readme.read_text()
        skeleton = ''.join(skeleton_text(p, step.top) for p in step.student_files())
    except OSError:
        return []               # files_rule says what is missing
    task = re.search(r'^## Your task\s*$(.*?)(?=^## |\Z)', guide, re.M | re.S)
    tasks = [int(n) for n in re.findall(r'^(\d+)\. ', task.group(1), re.M)] if task else []
    todos = [int(n) for n in re.findall(r'^\s*(?://|#)\s*TODO (\d+):', skeleton, re.M)]
    found = []
    for what, numbers in ((f'steps/{step.name}/README.md "## Your task"', tasks),
                          (f'the skeleton of {step.name} (TODO N:)', todos)):
        if numbers != list(range(1, len(numbers) + 1)) or not numbers:
            found.append(f'{what}: numbered {numbers or "nothing"}, not 1 to N in order')
    if tasks and todos and len(tasks) != len(todos):
        found.append(f'steps/{step.name}: the guide has {len(tasks)} tasks, the skeleton '
                     f'{len(todos)} TODOs')
    return found


def hints_rule(step: Step) -> list[str]:
    rel = f'steps/{step.name}'
    hints = [h.number for h in manifest.read_hints(step)]
    found = []
    if step.hints_file.is_file() and (not hints or hints != list(range(1, len(hints) + 1))):
        found.append(f'{rel}/hints.md: hints numbered {hints or "nothing"}, not 1 to N '
                     '("## Hint N: title")')
    guide = step.readme.read_text() if step.readme.is_file() else ''
    if re.search(r'<summary>\s*Hint', guide):
        found.append(f'{rel}/README.md: a hint in the guide: hints belong in hints.md')
    if guide and HINTS_MARKER not in guide:
        found.append(f'{rel}/README.md: no "{HINTS_MARKER} ... -->" line, where the docs site '
                     'shows the hints')
    for source in checks_of(step):
        text, where = source.read_text(errors='replace'), source.relative_to(step.top)
        if source.name != FAULT_LIST:
            found += [f'{where}:{text.count(chr(10), 0, m.start()) + 1}: names hint '
                      f'{m.group(1)}, which {rel}/hints.md does not have'
                      for m in HINT_REFERENCE.finditer(text) if int(m.group(1)) not in hints]
            continue
        try:
            found += [f'{where}: {f.name} names hint {f.hint}, which {rel}/hints.md does not have'
                      for f in parse_fault_list(text) if f.hint and int(f.hint) not in hints]
        except ValueError as error:
            found.append(f'{where}: {error}')
    return found


# ---------------------------------------------------------------- the generated files

def generated_rule(top: Path) -> list[str]:
    try:
        stale = stale_files(top)
    except manifest.ManifestError as error:
        return [str(error)]
    return [f'{path.relative_to(top)}: not made from {MANIFEST}: run `make classroom`'
            for path in stale]


def stale_files(top: Path) -> dict[Path, str]:
    """The generated files that do not read as they must: {path: what it must read}."""
    return {path: text for path, text in generated_files(top).items()
            if not path.is_file() or path.read_text() != text}


def generated_files(top: Path) -> dict[Path, str]:
    """The files made from the manifest (the GitHub Classroom files, the table of steps of
    steps/README.md), as they must read: {path: text}."""
    steps = manifest.load(top)
    current = (top / WORKFLOW).read_text() if (top / WORKFLOW).is_file() else ''
    files = {top / AUTOGRADING: autograding(steps), top / WORKFLOW: workflow(steps, current)}
    index = top / STEPS_INDEX
    if index.is_file():
        files[index] = steps_table(index.read_text(), steps)
    return files


def classroom_name(step: Step) -> str:
    return step.name + (' (optional)' if step.optional else '')


def autograding(steps: list[Step]) -> str:
    tests = [{'name': classroom_name(s), 'setup': '', 'run': f'make grade STEP={s.name}',
              'input': '', 'output': '', 'comparison': 'included', 'timeout': s.timeout,
              'points': s.points} for s in steps]
    return json.dumps({'tests': tests}, indent=2) + '\n'


# classroom.yml is written by hand down to this line (installing, making the image); the
# steps after it are made from the manifest.
WORKFLOW_STEPS = '      # The steps are made from steps/steps.json by `make classroom`: do not edit below.\n'


def workflow(steps: list[Step], current: str) -> str:
    """classroom.yml: @current (the committed file) down to WORKFLOW_STEPS, then a grade of
    each step and the report of the points."""
    if WORKFLOW_STEPS not in current:
        raise manifest.ManifestError(f'{WORKFLOW}: no line "{WORKFLOW_STEPS.strip()}"')
    out = [current[:current.index(WORKFLOW_STEPS) + len(WORKFLOW_STEPS)]]
    for s in steps:
        out.append(f'''      - name: Grade {classroom_name(s)}
        id: step-{s.name}
        uses: classroom-resources/autograding-command-grader@v1
        with:
          test-name: {classroom_name(s)}
          command: make grade STEP={s.name}
          timeout: {s.timeout}
          max-score: {s.points}

''')
    out.append('''      - name: Report the points to GitHub Classroom
        if: always()
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
''')
    out += [f'          STEP-{s.name.upper()}_RESULTS: "${{{{ steps.step-{s.name}.outputs.result }}}}"\n'
            for s in steps]
    out.append(f'        with:\n          runners: {",".join("step-" + s.name for s in steps)}\n')
    return ''.join(out)


TABLE = re.compile(r'^\| Step \| You write \| What it teaches \|\n(?:\|.*\|\n)*', re.M)


def steps_table(index: str, steps: list[Step]) -> str:
    """steps/README.md with its table of steps made from the manifest."""
    rows = ['| Step | You write | What it teaches |\n', '| --- | --- | --- |\n']
    for s in steps:
        if s.name == FULL:
            continue
        if s.kind == 'code':
            functions = ', '.join(f'`{f}()`' for f in s.functions)
            writes = f'{functions} in {", ".join(f"`{f}`" for f in s.files)}'
        else:
            writes = 'Bats checks of your own'
        optional = ' (optional)' if s.optional else ''
        rows.append(f'| [{s.name}]({s.name}/README.md){optional} | {writes} | {s.teaches} |\n')
    return TABLE.sub(lambda _: ''.join(rows), index, count=1) if TABLE.search(index) else index
