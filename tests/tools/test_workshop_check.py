"""`make check-workshop` (common/tools/workshop_check.py): it passes on the workshop as it
is, and each of its rules fails on a copy broken for that rule, naming what is wrong.
No root, no build: a copy of the files the check reads, in a temporary directory.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
sys.dont_write_bytecode = True
sys.path.insert(0, str(TOP / 'common/tools'))

import workshop_check  # noqa: E402

# The step headers: volume_steps.hpp, and an optional step's own NAME_volume_steps.hpp.
READ = ['steps', 'solutions', 'common/include/container',
        'docs/diagrams/steps-runtime.dot', '.github']


@pytest.fixture
def copy(tmp_path):
    for name in READ:
        source, target = TOP / name, tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns('catalogue'))
        elif source.exists():
            shutil.copy2(source, target)
    return tmp_path


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert old in text, f'{old!r} not in {path}'
    path.write_text(text.replace(old, new, count))


def edit_manifest(top: Path, change) -> None:
    path = top / 'steps/steps.json'
    doc = json.loads(path.read_text())
    change(doc['steps'])
    path.write_text(json.dumps(doc, indent=2))


def step(steps, name):
    return next(s for s in steps if s['name'] == name)


def fails_with(top: Path, *words: str) -> None:
    problems = workshop_check.problems(top)
    assert problems, 'the broken copy passed'
    text = '\n'.join(problems)
    for word in words:
        assert word in text, f'{word!r} not in:\n{text}'


def test_the_workshop_passes(copy):
    assert workshop_check.problems(copy) == []
    assert workshop_check.problems(TOP) == []


def test_the_command_says_n_passed_n_failed_and_fails(copy):
    tool = TOP / 'common/tools/workshop'
    ok = subprocess.run([tool, 'check', '--top', copy], capture_output=True, text=True)
    assert ok.returncode == 0 and re.search(r'^\d+ passed, 0 failed$', ok.stdout, re.M), ok
    (copy / 'steps/02-mount/hints.md').unlink()
    bad = subprocess.run([tool, 'check', '--top', copy], capture_output=True, text=True)
    assert bad.returncode == 1 and re.search(r'^\d+ passed, [1-9]\d* failed$', bad.stdout, re.M), bad
    assert 'steps/02-mount/hints.md: missing' in bad.stdout


# ---------------------------------------------------------------- the manifest

def test_manifest_not_json(copy):
    (copy / 'steps/steps.json').write_text('{"steps": [')
    fails_with(copy, 'steps/steps.json: not valid JSON')


@pytest.mark.parametrize('change, words', [
    (lambda s: step(s, '02-mount').pop('points'), ['02-mount', '"points" is missing']),
    (lambda s: step(s, '02-mount').update(points=0), ['"points" must be a whole number']),
    (lambda s: step(s, '02-mount').update(kind='coding'), ['"kind" is one of']),
    (lambda s: step(s, '02-mount').update(name='2-mount'), ['a name is NN-word']),
    (lambda s: step(s, '02-mount').update(files=[]), ['"files" names no file']),
    (lambda s: step(s, '02-mount').update(colour='red'), ['unknown field(s) colour']),
    (lambda s: s.insert(0, s.pop(1)), ['in the order of their numbers']),
    (lambda s: s.append(dict(s[0])), ['listed twice']),
])
def test_manifest_malformed(copy, change, words):
    edit_manifest(copy, change)
    fails_with(copy, 'steps/steps.json', *words)


def test_a_function_of_the_header_in_no_step(copy):
    edit(copy / 'common/include/container/volume_steps.hpp', 'void mount_volume(MountPoint& mount_point);',
         'void mount_volume(MountPoint& mount_point);\nvoid remount_volume(MountPoint& mount_point);')
    fails_with(copy, 'remount_volume() belongs to no step')


def test_a_function_in_two_steps(copy):
    edit_manifest(copy, lambda s: step(s, '04-integrate')['functions'].append('mount_volume'))
    fails_with(copy, 'mount_volume() is in 02-mount and 04-integrate')


def test_a_function_the_header_does_not_declare(copy):
    edit_manifest(copy, lambda s: step(s, '02-mount')['functions'].append('mount_twice'))
    fails_with(copy, 'mount_twice()', 'does not declare')


def test_points_that_do_not_add_up(copy):
    edit_manifest(copy, lambda s: step(s, '02-mount').update(points=16))
    fails_with(copy, 'add up to 101, not 100')


def test_the_diagram_misses_a_step(copy):
    edit(copy / 'docs/diagrams/steps-runtime.dot', '02-mount/mount.cpp', '02-mount/mnt.cpp', 2)
    fails_with(copy, 'steps-runtime.dot: does not show 02-mount/mount.cpp')


# ---------------------------------------------------------------- each step's files

@pytest.mark.parametrize('path, words', [
    ('steps/03-unmount/README.md', 'missing (the guide)'),
    ('steps/03-unmount/hints.md', 'missing (the hints)'),
    ('steps/03-unmount/unmount.cpp', 'missing (the skeleton)'),
    ('solutions/03-unmount/unmount.cpp', 'missing (the reference)'),
])
def test_a_missing_file(copy, path, words):
    (copy / path).unlink()
    fails_with(copy, path, words)


def test_a_step_without_checks(copy):
    for check in list((copy / 'steps/03-unmount').glob('*_test.cpp')) + \
            list((copy / 'steps/03-unmount').glob('*.bats')):
        check.unlink()
    fails_with(copy, 'steps/03-unmount: no checks')


def test_a_tests_step_without_faults(copy):
    shutil.rmtree(copy / 'steps/05-test/faults')
    fails_with(copy, 'no faulty runtime to catch')


def test_a_reference_check_without_its_catches_line_or_with_an_unknown_fault(copy):
    reference = copy / 'solutions/05-test/volumes.bats'
    text = reference.read_text()
    first = re.search(r'^# catches: (.*)$', text, re.M)
    second = re.search(r'^# catches: .*$', text[first.end():], re.M)
    text = text[:first.start()] + text[first.end() + 1:]
    reference.write_text(text.replace(second.group(0), '# catches: no-such-fault', 1))
    fails_with(copy, 'does not say which faults it catches',
               'is credited with no-such-fault, which is no fault of')


def test_a_guide_whose_title_is_not_the_manifests(copy):
    edit(copy / 'steps/02-mount/README.md', '# Step 2: bind-mount the volume', '# Step 2: mount it')
    fails_with(copy, 'steps/02-mount/README.md: its first line is not "# Step 2: bind-mount the volume"')


# ---------------------------------------------------------------- TODOs

def test_a_skeleton_todo_out_of_order(copy):
    edit(copy / 'steps/02-mount/mount.cpp', '// TODO 3:', '// TODO 5:')
    fails_with(copy, 'the skeleton of 02-mount (TODO N:): numbered [1, 2, 5, 4]')


def test_a_guide_with_a_task_less_than_the_skeleton(copy):
    guide = copy / 'steps/02-mount/README.md'
    text = guide.read_text()
    task = re.search(r'^## Your task$(.*?)^## ', text, re.M | re.S).group(1)
    fewer = re.sub(r'^4\. ', '- ', task, flags=re.M)
    guide.write_text(text.replace(task, fewer))
    fails_with(copy, 'the guide has 3 tasks, the skeleton 4 TODOs')


# ---------------------------------------------------------------- hints

def test_hints_numbered_with_a_gap(copy):
    edit(copy / 'steps/02-mount/hints.md', '## Hint 3:', '## Hint 7:')
    fails_with(copy, 'steps/02-mount/hints.md: hints numbered [1, 2, 7, 4, 5, 6]')


def test_a_hint_left_in_the_guide(copy):
    edit(copy / 'steps/02-mount/README.md', '## Key points',
         '<details><summary>Hint 7: the answer</summary>\n\nIt.\n\n</details>\n\n## Key points')
    fails_with(copy, 'a hint in the guide')


def test_a_guide_without_the_place_of_its_hints(copy):
    edit(copy / 'steps/02-mount/README.md', '<!-- hints.md', '<!-- hints')
    fails_with(copy, 'steps/02-mount/README.md: no "<!-- hints.md')


@pytest.mark.parametrize('path, old, new', [
    ('steps/01-setup/setup_test.cpp', '// hint: 6', '// hint: 7'),
    ('steps/01-setup/setup.bats', '# hint: 4', '# hint: 9'),
])
def test_a_check_that_names_a_hint_that_does_not_exist(copy, path, old, new):
    edit(copy / path, old, new)
    fails_with(copy, path, f'names hint {new[-1]}, which steps/01-setup/hints.md does not have')


# ---------------------------------------------------------------- generated files

@pytest.mark.parametrize('path', ['.github/classroom/autograding.json',
                                  '.github/workflows/classroom.yml', 'steps/README.md'])
def test_a_generated_file_changed_by_hand(copy, path):
    edit(copy / path, '01-setup', '01-start')
    fails_with(copy, f'{path}: not made from steps/steps.json: run `make classroom`')


def test_make_classroom_mends_them(copy):
    edit_manifest(copy, lambda s: (step(s, '02-mount').update(points=10),
                                   step(s, '03-unmount').update(points=25)))
    fails_with(copy, 'autograding.json: not made from')
    tool = TOP / 'common/tools/workshop'
    subprocess.run([tool, 'classroom', '--top', copy], check=True, capture_output=True)
    assert workshop_check.problems(copy) == []
    tests = json.loads((copy / '.github/classroom/autograding.json').read_text())['tests']
    assert [t['points'] for t in tests][1:3] == [10, 25]


# ---------------------------------------------------------------- the manifest's readers

def test_a_step_is_found_by_any_of_its_names():
    import manifest
    names = ['01-setup', '02-mount', 'full']
    for wanted in ('02-mount', '02', '2', 'mount', 'steps/02-mount/', ' 02 '):
        assert manifest.find(wanted, names) == '02-mount', wanted
    assert manifest.find('student', names) == manifest.find('all-steps', names) == 'full'
    assert manifest.find('3', names) is None and manifest.find('', names) is None


def test_hints_are_the_numbered_sections_of_hints_md(tmp_path):
    import manifest
    step = manifest.Step('01-a', 'a', 'code', ('a.cpp',), ('a',), 1, 1, top=tmp_path)
    step.directory.mkdir(parents=True)
    assert manifest.read_hints(step) == []
    step.hints_file.write_text('# Hints\n\nIntro.\n\n## Hint 1: one\n\nFirst.\n\n'
                               '## Hint 2: two `x`\n\n```\n## Hint 3: in a fence\n```\n')
    hints = manifest.read_hints(step)
    assert [(h.number, h.title) for h in hints] == [(1, 'one'), (2, 'two `x`')]
    assert hints[0].body == 'First.' and hints[1].body == '```\n## Hint 3: in a fence\n```'
