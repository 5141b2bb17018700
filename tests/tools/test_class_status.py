"""Unit tests of how common/tools/grade-all names the state of a submission (class.csv's
status) and sums up the class, from the reports of its steps: no grading here."""

import importlib.machinery
import importlib.util
import sys
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
sys.dont_write_bytecode = True
sys.path.insert(0, str(TOP / 'common/tools'))

loader = importlib.machinery.SourceFileLoader('grade_all', str(TOP / 'common/tools/grade-all'))
spec = importlib.util.spec_from_loader('grade_all', loader)
grade_all = importlib.util.module_from_spec(spec)
sys.modules['grade_all'] = grade_all       # its dataclasses look themselves up there
loader.exec_module(grade_all)


def report(*statuses):
    return {'checks': [{'status': s} for s in statuses]}


STEPS = ['01-setup', '02-mount']


@pytest.mark.parametrize('code, reports, status', [
    (0, {'01-setup': report('pass', 'pass'), '02-mount': report('pass', 'fail')}, 'graded'),
    (0, {'01-setup': report('not-implemented', 'not-implemented'),
         '02-mount': report('not-implemented', 'fail')}, 'not started'),
    (0, {'01-setup': report('pass'), '02-mount': report('not-implemented')}, 'graded'),
    (0, {'01-setup': report('build-failed'), '02-mount': report('not-implemented')},
     'build failed for 01-setup'),
    (0, {'01-setup': report('pass'), '02-mount': report('timeout', 'not-run', 'not-run')},
     'timed out in 02-mount'),
    (0, {'01-setup': report('build-failed'), '02-mount': report('timeout')},
     'build failed for 01-setup; timed out in 02-mount'),
    (None, {'01-setup': report('pass')}, 'timed out after 900 s (not graded: 02-mount)'),
    (0, {'01-setup': report('pass')}, 'grader error on 02-mount (see its log)'),
    (grade_all.SANDBOX_FAILED, {}, 'not graded: the isolation could not be set up (see its log)'),
])
def test_submission_status(code, reports, status):
    assert grade_all.submission_status(code, reports, STEPS, 900) == status


def test_summary_tells_a_hang_from_an_untouched_submission():
    students = [grade_all.Student(name, Path(name), status=status) for name, status in [
        ('ann', 'graded'), ('ben', 'not started'), ('cy', 'timed out in 02-mount'),
        ('di', 'build failed for 01-setup'), ('ed', 'timed out after 900 s'),
        ('gus', 'build failed for 01-setup; timed out in 02-mount'), ('flo', 'no steps/ found')]]
    assert grade_all.summary(students) == (
        '7 submissions: 1 graded, 1 not started (ben), 1 failed to build (di), '
        '3 timed out (cy, ed, gus), 1 not graded (flo)')
