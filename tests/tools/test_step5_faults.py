"""Unit tests of the faulty runtimes of step 05: the parsers and message builders of
common/tools/grade_explain.py that grade it, and steps/05-test/faults/faults.txt held
against what describes it (the guide, the skeleton, the fault sources, the reference
checks, the catalogue).

Run with the other suites (`common/tools/run-tests pytest`), or alone: `pytest tests/tools`.
No root, no build: only text.
"""

import re
import sys
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
sys.dont_write_bytecode = True
sys.path.insert(0, str(TOP / 'common/tools'))

import grade_explain as ex  # noqa: E402
from grade_core import Check  # noqa: E402
import workshop  # noqa: E402

FAULTS = TOP / 'steps/05-test/faults'
GUIDE = TOP / 'steps/05-test/README.md'
REFERENCE = TOP / 'solutions/05-test/volumes.bats'

# ---------------------------------------------------------------- the list of faults

LIST = '''# a comment, then a blank line

no-unmount | described | no-unmount.cpp | 3 | never unmounts its volumes
file-as-directory | extra | catalogue 01-setup/always-directory-mount-point | - | a file cannot be a volume
'''


def test_parse_fault_list():
    faults = ex.parse_fault_list(LIST)
    assert [(f.name, f.kind, f.built_from, f.hint) for f in faults] == [
        ('no-unmount', 'described', 'no-unmount.cpp', '3'),
        ('file-as-directory', 'extra', 'catalogue 01-setup/always-directory-mount-point', '')]
    assert faults[0].description == 'never unmounts its volumes'


@pytest.mark.parametrize('line, complaint', [
    ('a | described | a.cpp | 3', '4 fields, not 5'),
    ('A_b | extra | a.cpp | - | x', 'letters, digits and dashes'),
    ('a | maybe | a.cpp | - | x', 'described or extra'),
    ('a | extra | a.c | - | x', 'built from NAME.cpp'),
    ('a | extra | catalogue 01-setup | - | x', 'built from NAME.cpp'),
    ('a | extra | a.cpp | three | x', 'a number or -'),
    ('a | described | a.cpp | - | x', 'needs the hint that describes it'),
    ('a | extra | a.cpp | - | ', 'says nothing'),
    ('a | extra | a.cpp | - | x\na | extra | b.cpp | - | y', 'listed twice'),
])
def test_a_wrong_line_is_named(line, complaint):
    with pytest.raises(ValueError, match=re.escape(complaint)) as error:
        ex.parse_fault_list('# header\n' + line)
    assert re.match(r'line [23]: ', str(error.value))


def test_credits_above_the_reference_checks():
    text = ('# catches: none (the basic scenario)\n@test "basic" {\n}\n'
            '# hint: 3\n# catches: a, b\n@test "two" {\n}\n'
            '@test "no comment" {\n}\n# catches: c\nx=1\n@test "code between" {\n}\n')
    assert ex.bats_catches_in_text(text) == {'basic': [], 'two': ['a', 'b']}


# ---------------------------------------------------------------- what the grade says


def test_mutation_score():
    assert ex.test_step_score(12, 7, 8)[0] == 'your checks caught 12 of 15 faulty runtimes'
    assert ex.test_step_score(0, 1, 0)[0] == 'your checks caught 0 of 1 faulty runtime'


def test_the_rule_to_pass_is_said_plainly():
    rule = ex.test_step_score(0, 7, 8)[1]
    assert 'every one of your checks passes on the correct runtime' in rule
    assert 'each of the 7 faulty runtimes the guide describes' in rule
    assert 'the other 8 are extra credit' in rule
    assert 'extra' not in ex.test_step_score(0, 7, 0)[1]


def test_extra_faults_are_named_only_once_the_step_passes():
    extras = [('file-as-directory', 'cannot mount a file', True),
              ('symlink-source', 'does not follow a link', False)]

    def report(step_passes: bool, unicode: bool = True) -> Check:
        extra = Check('05-test', 'extra-faults', 'extra credit', 'fault-extra', max_points=2)
        ex.judge_extra_faults(extra, extras, step_passes, unicode)
        assert extra.passed and extra.points == 1     # never fails the step
        return extra

    extra = report(step_passes=False)
    assert extra.summary.startswith('caught 1 of 2')
    assert extra.happened == []
    assert 'file-as-directory' not in extra.summary and 'symlink' not in extra.summary
    extra = report(step_passes=True)
    assert extra.summary == 'caught 1 of 2'
    assert extra.happened == ['✓ file-as-directory: a runtime that cannot mount a file',
                              '✗ symlink-source: a runtime that does not follow a link']
    assert report(step_passes=True, unicode=False).happened[1].startswith('missed symlink-source')


# ---------------------------------------------------------------- faults.txt and the rest


def faults():
    return ex.parse_fault_list((FAULTS / 'faults.txt').read_text())


NUMBERS = {7: 'seven', 8: 'eight', 15: 'fifteen'}


def test_at_least_twelve_faults_some_from_the_catalogue_some_not_described():
    found = faults()
    assert len(found) >= 12
    assert any(f.built_from.startswith('catalogue ') for f in found)
    assert any(f.kind == ex.EXTRA for f in found)


def test_each_fault_source_is_listed_and_has_what_it_wraps():
    listed = {f.built_from for f in faults() if f.built_from.endswith('.cpp')}
    assert listed == {p.name for p in FAULTS.glob('*.cpp')}
    for name in listed:
        text = (FAULTS / name).read_text()
        assert re.search(r'^// Wrap: \S+$', text, re.M), f'{name} wraps nothing'
        # Its description is faults.txt's alone.
        assert not re.search(r'^// (Fault|Hint):', text, re.M), name


def test_the_catalogue_variants_exist():
    if not (TOP / 'solutions').is_dir():
        pytest.skip('no solutions/ (a student release)')
    for fault in faults():
        m = re.match(r'^catalogue ([^/]+)/(.+)$', fault.built_from)
        if m:
            text = (TOP / 'solutions/catalogue' / f'{m.group(1)}.toml').read_text()
            assert f'name = "{m.group(2)}"' in text, fault.name


def test_the_guide_describes_the_described_faults_and_no_other():
    guide = GUIDE.read_text()
    hints = (GUIDE.parent / 'hints.md').read_text()
    # The skeleton, from git when the student's work is in the file.
    skeleton = workshop.skeleton_text(GUIDE.parent / 'volumes.bats', TOP)
    rows = [line for line in guide.splitlines() if line.startswith('| ')]
    found = faults()
    described = [f for f in found if f.kind == ex.DESCRIBED]
    for fault in described:
        row = [r for r in rows if f'`{fault.name}`' in r]
        assert row, f'the table of {GUIDE.name} has no line for {fault.name}'
        assert f'(Hint {fault.hint})' in row[0], row[0]
        assert f'## Hint {fault.hint}:' in hints
    for fault in found:
        if fault.kind == ex.EXTRA:
            assert fault.name not in guide + hints + skeleton, fault.name
    extra = len(found) - len(described)
    assert f'against {NUMBERS[len(found)]} runtimes' in guide
    assert f'{NUMBERS[len(described)].capitalize()} of those faults are described' in guide
    assert f'The other {NUMBERS[extra]} are described nowhere' in guide
    assert f'the {NUMBERS[extra]} faulty runtimes the guide does not describe' in guide
    assert f'K of {len(found)} faulty runtimes' in guide


def test_each_fault_is_credited_to_a_reference_check():
    if not REFERENCE.is_file():
        pytest.skip('no solutions/ (a student release)')
    credits = ex.bats_catches_in_text(REFERENCE.read_text())
    assert set(credits) == set(ex.test_names(REFERENCE.read_text())), \
        'every reference check says which faults it catches'
    credited = [name for names in credits.values() for name in names]
    assert sorted(credited) == sorted(f.name for f in faults())
