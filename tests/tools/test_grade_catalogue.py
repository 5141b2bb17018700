"""Unit tests of the catalogue of wrong answers (common/tools/grade_catalogue.py): reading
solutions/catalogue/*.toml and applying a variant, without building or grading anything.
(tests/tools/catalogue.bats and the grader's self-check build and grade the variants.)
"""

import sys
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
sys.dont_write_bytecode = True
sys.path.insert(0, str(TOP / 'common/tools'))

import grade_catalogue as cat  # noqa: E402
import manifest  # noqa: E402

CODE_STEPS = [s for s in manifest.load(TOP) if s.kind == 'code']
STEPS, STEP_FILES = [s.name for s in CODE_STEPS], {s.name: s.files[0] for s in CODE_STEPS}
CATALOGUE = TOP / 'solutions' / 'catalogue'

ONE = '''
[[variant]]
name = "bind-without-rec"
mistake = "binds without MS_REC"
find = "MS_BIND | MS_REC"
replace = "MS_BIND"
'''


def parse(text):
    return cat.parse_catalogue(text, '02-mount', '02-mount.toml')


def test_a_variant():
    [variant] = parse(ONE)
    assert (variant.step, variant.name, variant.mistake, variant.equivalent) == (
        '02-mount', 'bind-without-rec', 'binds without MS_REC', '')
    assert cat.apply_variant(variant, 'mount(MS_BIND | MS_REC);', 'm.cpp') == 'mount(MS_BIND);'


def test_several_edits_and_multi_line_text():
    [variant] = parse("""
[[variant]]
name = "two"
mistake = "two places"
[[variant.edit]]
find = '''
    a();
    b();
'''
replace = '''
    b();
'''
[[variant.edit]]
find = "c()"
replace = "d()"
""")
    assert cat.apply_variant(variant, 'x\n    a();\n    b();\nc()\n', 'm.cpp') == 'x\n    b();\nd()\n'


def test_a_variant_may_say_how_the_check_that_catches_it_ends():
    [variant] = parse(ONE + 'expect = "timeout"\n')
    assert variant.expect == 'timeout'
    assert parse(ONE)[0].expect == ''


def test_an_equivalent_variant_says_why():
    [variant] = parse(ONE + 'equivalent = "the kernel ignores it"\n')
    assert variant.equivalent == 'the kernel ignores it'


@pytest.mark.parametrize('text, problem', [
    ('[[variant]\n', 'not valid TOML'),
    ('[other]\nx = 1\n', "unknown key 'other'"),
    (ONE.replace('bind-without-rec', 'Bad Name'), 'needs a name of letters, digits and dashes'),
    (ONE + ONE, 'the name is used twice'),
    (ONE.replace('mistake = "binds without MS_REC"', ''), 'says nothing of its mistake'),
    ('[[variant]]\nname = "x"\nmistake = "m"\n', 'has no edit'),
    (ONE.replace('replace = "MS_BIND"', 'replace = "MS_BIND | MS_REC"'), 'replaces a text by itself'),
    (ONE.replace('replace = "MS_BIND"', ''), 'each edit needs a text to find and its replacement'),
    (ONE + 'typo = 1\n', "unknown key 'typo'"),
    (ONE + 'expect = "slow"\n', "expect is one of 'timeout', 'crash'"),
])
def test_a_catalogue_that_cannot_be_used_says_why(text, problem):
    with pytest.raises(cat.CatalogueError, match=problem.replace('(', r'\(').replace(')', r'\)')):
        parse(text)


def test_a_text_no_longer_in_the_reference_fails_loudly():
    [variant] = parse(ONE)
    with pytest.raises(cat.CatalogueError, match='02-mount bind-without-rec: its text is no longer in m.cpp'):
        cat.apply_variant(variant, 'mount(MS_BIND);', 'm.cpp')
    with pytest.raises(cat.CatalogueError, match='found 2 times in m.cpp'):
        cat.apply_variant(variant, 'MS_BIND | MS_REC; MS_BIND | MS_REC;', 'm.cpp')


def test_the_tally():
    assert cat.tally_line(5, 7, 2) == 'catalogue: 5/7 variants caught (2 equivalent)'


# ---------------------------------------------------------------- the real catalogue

REAL = cat.load_catalogue(CATALOGUE, STEPS) if CATALOGUE.is_dir() else {}
VARIANTS = [v for variants in REAL.values() for v in variants]


@pytest.mark.skipif(not CATALOGUE.is_dir(), reason='no solutions/ (a student release)')
def test_every_coding_step_has_variants():
    assert list(REAL) == STEPS
    assert all(any(not v.equivalent for v in REAL[step]) for step in STEPS)


@pytest.mark.parametrize('variant', VARIANTS, ids=[v.label for v in VARIANTS])
def test_every_variant_applies_to_the_reference_of_today(variant):
    reference = TOP / 'solutions' / variant.step / STEP_FILES[variant.step]
    text = reference.read_text()
    changed = cat.apply_variant(variant, text, str(reference))
    assert changed != text
    assert len(variant.mistake) < 200 and '\n' not in variant.mistake, 'the mistake in one sentence'
