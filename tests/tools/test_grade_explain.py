"""Unit tests of common/tools/grade_explain.py: the grader's parsers and message builders.

Run with the other suites (`common/tools/run-tests pytest`), or alone: `pytest tests/tools`.
No root, no build: every input is text as GoogleTest, Bats or the sources print it.
"""

import json
import re
import sys
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
sys.dont_write_bytecode = True
sys.path.insert(0, str(TOP / 'common/tools'))

import grade_explain as ex  # noqa: E402

# ---------------------------------------------------------------- the split of a message


@pytest.mark.parametrize('lines, before, expected, happened', [
    # What was expected, then what happened with its details.
    (['expected: every volume unmounted', 'happened: left:', '  /r/a (bind)', '  /r/b (bind)'],
     [], ['every volume unmounted'], ['left:', '  /r/a (bind)', '  /r/b (bind)']),
    # Quoted lines under the expectation are part of it; an empty label starts the part.
    (['expected: /f to hold:', '  | version 2', 'happened: it holds:', '  | version 1'],
     [], ['/f to hold:', '  | version 2'], ['it holds:', '  | version 1']),
    (['expected: the output to contain: hello', 'happened:', 'exit status: 0'],
     [], ['the output to contain: hello'], ['exit status: 0']),
    # Only one of the two; what came before the labels (GoogleTest's own lines, noise).
    (['noise', 'expected: a mount at /data', ''], ['noise'], ['a mount at /data'], []),
    (['happened: the host file was deleted'], [], [], ['the host file was deleted']),
    # Without labels, nothing is guessed: it is all before (what happened).
    (['Expected exit status 0, got 1.'], ['Expected exit status 0, got 1.'], [], []),
])
def test_diagnosis(lines, before, expected, happened):
    assert ex.diagnosis(lines) == (before, expected, happened)


# ---------------------------------------------------------------- GoogleTest failures
# Each as GoogleTest 1.12 prints it in --gtest_output=json's "failure".

BOOL_WITH_LIST = '''/src/steps/04-integrate/integrate_test.cpp:262
Value of: private_.other_mounts().empty()
  Actual: false
Expected: true
expected: /a comes after /b in the (reverse) cleanup order and must be unmounted all the same
happened: left:
  /tmp/x/a (ext4 from /dev/sda, root /host/a)
  /tmp/x/b (tmpfs from tmpfs, root /)'''

EQ_STRING = '''/src/steps/03-unmount/unmount_test.cpp:138
Expected equality of these values:
  error
    Which is: "unmount /x: Device or resource busy"
  ""
expected: a busy mount should be retried, then detached lazily (MNT_DETACH), not reported as an error'''

NE_EMPTY = '''/src/steps/03-unmount/unmount_test.cpp:178
Expected: (message) != (""), actual: "" vs ""
expected: unmounting a path that is not a mount point should be an error'''

LT_WITH_VALUE = '''/src/steps/03-unmount/unmount_test.cpp:144
Expected: (took) < (std::chrono::seconds(1)), actual: 1500ms vs 1s
expected: retrying a busy mount should take well under a second before detaching it
happened: took 1500 ms'''

EQ_BOTH_COMPUTED = '''/src/steps/01-setup/setup_test.cpp:55
Expected equality of these values:
  mode_of(path)
    Which is: 448
  0755U
    Which is: 493
expected: the new source directory "/x" should have mode 0755 even with umask 077 (mkdir applies the umask, chmod does not)
happened: got 0700'''

BOOL_EXPECTATION_ONLY = '''/src/steps/03-unmount/unmount_test.cpp:95
Value of: is_real_directory(image_ / "data")
  Actual: false
Expected: true
expected: /data came with the image (created is empty), so it must stay after the unmount'''

MEMBER_EXPECTATION_ONLY = '''/src/t.cpp:12
Value of: mounts.empty()
  Actual: false
Expected: true
expected: nothing should stay mounted'''

NO_MESSAGE = '''/src/t.cpp:12
Value of: 1 == 2
  Actual: false
Expected: true'''

MOUNT_TABLE = '''/src/tests/support/namespace_main.cpp:80
Failed
the mount table at the end of the test is not what it was at the start (a test must undo every mount it makes, and touch no other):
  added:   300 29 0:5 / /tmp/t/rootfs/data rw - tmpfs tmpfs rw'''

EXCEPTION = '''unknown file
C++ exception with description "stat /x: Permission denied" thrown in the test body.'''


def test_a_diagnosis_reads_in_order():
    expected, happened = ex.explain_gtest_failure(BOOL_WITH_LIST)
    assert expected == '/a comes after /b in the (reverse) cleanup order and must be unmounted all the same'
    assert happened == ['left:', '  /tmp/x/a (ext4 from /dev/sda, root /host/a)',
                        '  /tmp/x/b (tmpfs from tmpfs, root /)', '(checked at integrate_test.cpp:262)']


@pytest.mark.parametrize('text', [BOOL_WITH_LIST, EQ_STRING, NE_EMPTY, LT_WITH_VALUE,
                                  EQ_BOTH_COMPUTED, BOOL_EXPECTATION_ONLY, MEMBER_EXPECTATION_ONLY])
def test_no_cpp_expression_where_a_sentence_exists(text):
    expected, happened = ex.explain_gtest_failure(text)
    shown = '\n'.join([expected] + happened)
    for expression in ('private_', '(message)', '(took)', 'mode_of', 'mounts.empty',
                       'Which is', 'Value of', 'Actual:'):
        assert expression not in shown, shown
    assert 'is_real_directory' not in expected


def test_the_value_found_is_shown_when_the_message_has_none():
    assert ex.explain_gtest_failure(EQ_STRING)[1] == [
        'got "unmount /x: Device or resource busy"', '(checked at unmount_test.cpp:138)']
    assert ex.explain_gtest_failure(NE_EMPTY)[1] == ['got ""', '(checked at unmount_test.cpp:178)']
    # A helper's predicate that failed: its outcome is what was found.
    assert ex.explain_gtest_failure(BOOL_EXPECTATION_ONLY)[1] == [
        'is_real_directory(image_ / "data") is false', '(checked at unmount_test.cpp:95)']
    # A member call is no helper's predicate: its expression is not shown.
    assert ex.explain_gtest_failure(MEMBER_EXPECTATION_ONLY)[1][0] == 'it was not so'


def test_the_value_found_is_not_repeated_when_the_message_has_it():
    assert ex.explain_gtest_failure(LT_WITH_VALUE)[1] == ['took 1500 ms', '(checked at unmount_test.cpp:144)']
    assert ex.explain_gtest_failure(EQ_BOTH_COMPUTED)[1] == ['got 0700', '(checked at setup_test.cpp:55)']


def test_without_a_message_googletest_is_all_there_is():
    assert ex.explain_gtest_failure(NO_MESSAGE) == (
        '', ['Value of: 1 == 2', '  Actual: false', 'Expected: true', '(checked at t.cpp:12)'])


def test_a_report_of_the_support_is_what_happened():
    expected, happened = ex.explain_gtest_failure(MOUNT_TABLE)
    assert expected == ''
    assert happened[0].startswith('the mount table at the end of the test')
    assert happened[1].startswith('  added:')
    assert ex.gtest_left_mounted([MOUNT_TABLE]) == ['/tmp/t/rootfs/data']
    listing = 'mounts were left at the end of the test (every mount):\n  /tmp/a (tmpfs)\n  /tmp/c (x)'
    assert ex.gtest_left_mounted([listing]) == ['/tmp/a', '/tmp/c']


def test_an_exception():
    assert ex.explain_gtest_failure(EXCEPTION) == ('', ['an exception escaped: stat /x: Permission denied'])


def test_gtest_list_and_json():
    listing = 'Running main() from x\nSetupVolume.\n  CreatesA\n  CreatesB  # GetParam() = 1\nOther.\n  C\n'
    assert ex.parse_gtest_list(listing) == ['SetupVolume.CreatesA', 'SetupVolume.CreatesB', 'Other.C']
    record = {'testsuites': [{'name': 'S', 'testsuite': [{'name': 'T', 'result': 'COMPLETED'}]}]}
    assert ex.gtest_record(json.dumps(record), 'S.T') == {'name': 'T', 'result': 'COMPLETED'}
    assert ex.gtest_record(json.dumps(record), 'S.U') is None
    assert ex.gtest_record('not json', 'S.T') is None


def test_gtest_names_and_hints_in_a_source():
    source = '// hint: 2\nTEST_F(Suite, First) {\n}\n// hint: 3\n// another comment\nTEST(Suite, Second) {}\n' \
             'int x;\nTEST(Suite, Third) {}\n'
    assert ex.test_names(source, 'gtest') == ['Suite.First', 'Suite.Second', 'Suite.Third']
    assert ex.tags_above_tests(source, ex.HINT_TAG, 'gtest') == {'Suite.First': '2', 'Suite.Second': '3'}


def test_not_implemented_prefers_the_error_to_the_cleanups_warning():
    text = ('warning: cleanup: unmount_volume is not implemented yet\n'
            'container: setup_volume is not implemented yet')
    assert ex.not_implemented_function(text) == 'setup_volume'
    assert ex.not_implemented_function('all fine') == ''
    assert ex.not_implemented_function('zeta is not implemented yet\n'
                                       'alpha is not implemented yet') == 'zeta'


def test_crash_lines_leave_out_the_banners():
    output = '[==========] Running 1 test\n[----------] 1 test\nNote: filter\nabout to crash\nSegmentation fault'
    assert ex.crash_lines(output) == ['about to crash', 'Segmentation fault']


# ---------------------------------------------------------------- Bats

TAP = '''1..3
not ok 1 status
# (from function `fail' in file /src/tests/support/helpers.bash, line 76,
#  from function `assert_status' in file /src/tests/support/helpers.bash, line 419,
#  in test file t.bats, line 4)
#   `assert_success' failed
# expected: exit status 0
# happened: exit status 1
# exit status: 1
# stdout:
#   | hello
ok 2 output
ok 3 skipped one # skip no image
not ok 4 plain
# (in test file t.bats, line 11)
#   `[ 1 -eq 2 ]' failed
'''


def test_parse_tap():
    results = ex.parse_tap(TAP)
    assert [(r.ok, r.number, r.name, r.skipped) for r in results] == [
        (False, 1, 'status', False), (True, 2, 'output', False), (True, 3, 'skipped one', True),
        (False, 4, 'plain', False)]
    assert results[2].skip_reason == 'no image'
    assert results[0].diagnostics[4] == 'expected: exit status 0'


def test_explain_bats_failure():
    first, _, _, plain = ex.parse_tap(TAP)
    assert ex.explain_bats_failure(first.diagnostics) == (
        'exit status 0', ['exit status 1', 'exit status: 1', 'stdout:', '  | hello'])
    assert ex.explain_bats_failure(plain.diagnostics) == (
        '', ['this line of the check failed: [ 1 -eq 2 ]'])


def test_what_a_script_printed_before_its_diagnosis_comes_after_it():
    assert ex.explain_bats_failure(['some noise', 'expected: the file holds x.',
                                    'happened: it holds y']) == ('the file holds x.', ['it holds y', 'some noise'])
    # A message without the labels (a check of the student's, say) is all what happened.
    assert ex.explain_bats_failure(['Expected 1, got 2']) == ('', ['Expected 1, got 2'])


@pytest.mark.parametrize('text, summary', [
    ('exit status: 139', 'the container crashed (SIGSEGV)'),
    ('Expected exit status 0, got 134.', 'the container crashed (SIGABRT)'),
    ('exit status: 124', 'the container did not finish in time'),
    ('exit status: 1', ''),
])
def test_container_crash(text, summary):
    assert ex.container_crash(text) == summary


def test_bats_names_and_hints():
    text = ('# hint: 4\n@test "a file is read" {\n  true\n}\n'
            "@test 'quoted \"name\"' {\n}\n# hint: 2\nx=1\n@test \"no hint\" {\n}\n")
    assert ex.test_names(text) == ['a file is read', 'quoted "name"', 'no hint']
    assert ex.tags_above_tests(text, ex.HINT_TAG, 'bats') == {'a file is read': '4'}


def test_ere_escape():
    assert ex.ere_escape('a (b) [c] x.y*') == r'a \(b\) \[c\] x\.y\*'


# ---------------------------------------------------------------- judging one check

from grade_core import Check  # noqa: E402

ADVICE = ex.Advice('02-mount', {'mount_volume': 'steps/02-mount/mount.cpp',
                                'setup_volume': 'steps/01-setup/setup.cpp',
                                '': 'steps/02-mount/mount.cpp'})


def gtest_check() -> Check:
    return Check('02-mount', 'MountVolume.Binds', 'mount volume: binds', 'gtest')


def record(*failures: str, result: str = 'COMPLETED') -> dict:
    return {'name': 'Binds', 'result': result, 'failures': [{'failure': f} for f in failures]}


def test_where_a_failing_check_sends_the_student():
    assert ADVICE.hint('3') == 'read Hint 3 of 02-mount (make hint STEP=02 N=3)'
    assert ADVICE.hint() == 'read the next hint of 02-mount (make hint STEP=02)'
    assert 'grade each step on its own' in ex.Advice('full', {}).hint('3')


def test_a_gtest_check_that_passes_earns_its_point():
    check = gtest_check()
    ex.judge_gtest(check, record(), '', 0, ADVICE)
    assert (check.status, check.points) == ('pass', 1)


def test_a_gtest_failure_is_explained_with_the_hint_above_the_check():
    check = gtest_check()
    ex.judge_gtest(check, record('mount.cpp:3\nexpected: the mount should be there\nhappened: nothing',
                                 'mount.cpp:4\nsecond'), '', 1, ADVICE, hint='2')
    assert check.status == 'fail' and check.points == 0
    assert check.expected == 'the mount should be there'
    assert check.happened == ['nothing', '(checked at mount.cpp:3)',
                              '(and 1 more failed expectation in this check)']
    assert check.hint == 'read Hint 2 of 02-mount (make hint STEP=02 N=2)'


def test_a_skeleton_names_the_file_of_the_function_not_implemented():
    check = gtest_check()
    ex.judge_gtest(check, None, 'container: setup_volume is not implemented yet', 1, ADVICE)
    assert (check.status, check.summary) == ('not-implemented', 'not implemented yet (setup_volume)')
    assert check.hint == 'fill in the TODOs of steps/01-setup/setup.cpp'
    check = gtest_check()
    ex.judge_gtest(check, record('x.cpp:1\nunknown_helper is not implemented yet'), '', 1, ADVICE)
    assert check.hint == 'fill in the TODOs of steps/02-mount/mount.cpp'


def test_a_gtest_check_without_a_record_crashed():
    check = gtest_check()
    ex.judge_gtest(check, None, '[==========] banner\nabout to crash', -11, ADVICE)
    assert (check.status, check.summary) == ('crash', 'crashed (SIGSEGV)')
    assert check.happened == ['about to crash']
    check = gtest_check()
    ex.judge_gtest(check, None, '', 134, ADVICE)
    assert check.summary == 'crashed (SIGABRT)'
    check = gtest_check()
    ex.judge_gtest(check, None, '', 1, ADVICE)
    assert check.summary == 'ended without a result (exit status 1)'


def test_mounts_left_behind_are_shown_as_such():
    check = gtest_check()
    ex.judge_gtest(check, record(MOUNT_TABLE), '', 1, ADVICE)
    assert (check.status, check.summary) == ('fail', 'left mounts behind')
    assert check.left_mounted == ['/tmp/t/rootfs/data']


def test_a_skipped_check_does_not_pass():
    check = gtest_check()
    ex.judge_gtest(check, record(result='SKIPPED'), '', 0, ADVICE)
    assert check.status == 'skipped' and not check.passed


def test_a_timeout():
    check = gtest_check()
    ex.judge_timeout(check, 20, 'a loop that never ends?', 'read it')
    assert (check.status, check.summary, check.happened, check.hint) == (
        'timeout', 'timed out after 20 s', ['a loop that never ends?'], 'read it')


def bats_check() -> Check:
    return Check('02-mount', 'status', 'status', 'bats')


@pytest.mark.parametrize('tap, status, summary', [
    ('ok 1 status\n', 'pass', ''),
    ('ok 1 status # skip no image\n', 'skipped', 'skipped: no image (a skipped check counts as not passed)'),
    ('not ok 1 status\n# expected: exit status 0\n# happened: exit status 139\n', 'fail',
     'the container crashed (SIGSEGV)'),
    ('not ok 1 status\n# expected: exit status 0\n# happened: exit status 124\n', 'timeout',
     'the container did not finish in time'),
    ('not ok 1 status\n# container: mount_volume is not implemented yet\n', 'not-implemented',
     'not implemented yet (mount_volume)'),
    ('bats: no such file\n', 'crash', 'Bats gave no result (exit status 1)'),
])
def test_judge_bats(tap, status, summary):
    check = bats_check()
    ex.judge_bats(check, tap, 1, ADVICE, hint='4')
    assert (check.status, check.summary) == (status, summary)
    if status == 'fail':
        assert check.expected == 'exit status 0' and check.hint.startswith('read Hint 4 of 02-mount')


def test_the_students_own_bats_checks_get_no_hint_of_ours():
    check = bats_check()
    ex.judge_bats(check, 'not ok 1 status\n# container: mount_volume is not implemented yet\n'
                  '# expected: exit status 0\n# happened: exit status 124\n', 1, None)
    assert check.status == 'fail' and check.hint == ''


# ---------------------------------------------------------------- judging step 05

def own_check(message: str) -> Check:
    return Check('05-test', 'x', 'x', 'bats', summary=message)


def test_step5_every_own_check_passes_on_the_reference():
    main = Check('05-test', 'reference', 'your checks pass', 'bats05')
    ex.judge_own_checks(main, ['a', 'b'], [], 'steps/05-test/volumes.bats', ADVICE)
    assert (main.status, main.points, main.summary) == ('pass', 1, '2 checks')


def test_step5_an_untouched_skeleton_is_not_written_yet():
    main = Check('05-test', 'reference', 'your checks pass', 'bats05')
    failed = [own_check('Expected TODO 1 to be written'), own_check('TODO 2')]
    ex.judge_own_checks(main, ['a', 'b'], failed, 'steps/05-test/volumes.bats', ADVICE)
    assert main.status == 'not-implemented'
    assert main.hint == 'write the checks of steps/05-test/volumes.bats, TODO 1 first'


def test_step5_a_check_failing_on_the_reference_is_a_wrong_check():
    main = Check('05-test', 'reference', 'your checks pass', 'bats05')
    failed = [own_check('TODO 2'), own_check('Expected 0, got 1')]
    ex.judge_own_checks(main, ['a', 'b', 'c'], failed, 'v.bats', ADVICE, unicode=False)
    assert main.status == 'fail'
    assert main.summary == '2 of your 3 checks fail against the correct runtime: a wrong check'
    assert main.happened[0] == '1 of them still hold their TODO'
    assert main.happened[1] == 'FAIL x'
    assert main.hint.startswith('a check that fails on a correct runtime cannot tell')


def test_step5_a_described_fault_caught_or_missed():
    fault = ex.parse_fault_list('no-unmount | described | no-unmount.cpp | 3 | never unmounts')[0]
    check = Check('05-test', 'fault:no-unmount', 'they catch it', 'fault')
    ex.judge_fault(check, fault, ['the volume is gone after exit'], ADVICE)
    assert check.passed and check.summary == ('it never unmounts; caught by '
                                              '"the volume is gone after exit"')
    check = Check('05-test', 'fault:no-unmount', 'they catch it', 'fault')
    ex.judge_fault(check, fault, [], ADVICE)
    assert not check.passed
    assert check.summary == 'your checks did not notice: a runtime that never unmounts'
    assert check.hint == 'read Hint 3 of 02-mount (make hint STEP=02 N=3)'


def test_step5_extra_faults_are_extra_credit_and_the_score():
    extra = Check('05-test', 'extra-faults', 'extra credit', 'fault-extra', max_points=2)
    ex.judge_extra_faults(extra, [('a', 'x', True), ('b', 'y', False)], step_passes=False)
    assert (extra.status, extra.points, extra.happened) == ('pass', 1, [])
    score, rule = ex.test_step_score(5, 6, 2)
    assert score == 'your checks caught 5 of 8 faulty runtimes'
    assert rule.startswith('(the step passes when') and rule.endswith(')')


# ---------------------------------------------------------------- skeletons, layout, trim


def test_is_skeleton():
    skeleton = ('// TODO 1: do it\nvoid f() {\n    // TODO 2\n    not_implemented("f");\n}\n')
    assert ex.is_skeleton('setup.cpp', skeleton)
    assert not ex.is_skeleton('setup.cpp', skeleton.replace('// TODO 2\n', 'mkdir();\n'))
    bats = '@test "a" {\n    fail "TODO 1: write it"\n}\n@test "b" {\n    # hint\n    fail "TODO 2"\n}\n'
    assert ex.is_skeleton('volumes.bats', bats)
    assert not ex.is_skeleton('volumes.bats', bats.replace('    fail "TODO 2"', '    true'))


def test_trim():
    assert ex.trim(['a', '', 'b', 'c'], 2) == ['a', 'b', '... (1 more lines)']
    assert ex.trim(['x' * 300], 1) == ['x' * 240 + '...']


# ---------------------------------------------------------------- every message of the checks
# The checks of steps 01-04 as a student sees them fail: each EXPECT/ASSERT of the step
# checks, and each `fail` of their Bats files and of the Bats helpers, is put through the
# message builder as if it failed. Each says what was expected or what happened in its
# own words ("expected: ..." / "happened: ..."), which come out whole, in order, and with
# no C++ expression where the author wrote a sentence.

STEP_SOURCES = sorted(TOP.glob('steps/0[1-4]-*/*_test.cpp'))
BATS_SOURCES = sorted(TOP.glob('steps/0[1-4]-*/*.bats')) + [TOP / 'tests/support/helpers.bash']


def closing(text: str, start: int, open_ch: str, close_ch: str) -> int:
    """The index of the bracket that closes the one at @start (strings skipped)."""
    depth, i = 0, start
    while i < len(text):
        ch = text[i]
        if ch in '"\'':
            i = skip_string(text, i)
            continue
        if ch == open_ch:
            depth += 1
        elif ch == close_ch:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f'no closing {close_ch} after {text[start:start + 60]!r}')


def skip_string(text: str, i: int) -> int:
    quote, i = text[i], i + 1
    while text[i] != quote:
        i += 2 if text[i] == '\\' else 1
    return i + 1


def split_top(text: str, separator: str) -> list[str]:
    """@text split at @separator where it stands outside strings and brackets."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in '"\'':
            i = skip_string(text, i)
            continue
        if ch in '([{':
            depth += 1
        elif ch in ')]}':
            depth -= 1
        elif depth == 0 and text.startswith(separator, i):
            parts.append(text[start:i])
            start = i = i + len(separator)
            continue
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def cpp_literal(piece: str) -> str | None:
    """The text of @piece when it is nothing but adjacent "string literals", else None."""
    literals = re.findall(r'"((?:[^"\\]|\\.)*)"', piece)
    if not literals or re.sub(r'"(?:[^"\\]|\\.)*"', '', piece).strip():
        return None
    return ''.join(literals).encode().decode('unicode_escape')


def step_assertions():
    """(where, macro, arguments, message with each streamed value as VALUEn)."""
    for source in STEP_SOURCES:
        text = re.sub(r'//[^\n]*', '', source.read_text())
        for m in re.finditer(r'\b(EXPECT|ASSERT)_(\w+)\(', text):
            end = closing(text, m.end() - 1, '(', ')')
            statement_end = end + 1
            while text[statement_end] != ';':
                statement_end = skip_string(text, statement_end) if text[statement_end] == '"' \
                    else statement_end + 1
            stream = text[end + 1:statement_end].strip()
            where = f'{source.relative_to(TOP)}:{text.count(chr(10), 0, m.start()) + 1}'
            pieces = split_top(stream, '<<')[1:] if stream.startswith('<<') else []
            message, values = '', 0
            for piece in pieces:
                literal = cpp_literal(piece)
                if literal is None:
                    values += 1
                    literal = f'VALUE{values}'
                message += literal
            yield where, m.group(2), split_top(text[m.end():end], ','), message


def failure_text(macro: str, arguments: list[str], message: str) -> str:
    """The failure as GoogleTest prints it for @macro (values made up)."""
    if macro in ('TRUE', 'FALSE'):
        head = (f'Value of: {arguments[0]}\n  Actual: {"false" if macro == "TRUE" else "true"}\n'
                f'Expected: {"true" if macro == "TRUE" else "false"}')
    elif macro == 'EQ':
        head = (f'Expected equality of these values:\n  {arguments[0]}\n    Which is: FOUND\n'
                f'  {arguments[1]}')
    else:
        op = {'NE': '!=', 'LT': '<', 'LE': '<=', 'GT': '>', 'GE': '>='}[macro]
        head = f'Expected: ({arguments[0]}) {op} ({arguments[1]}), actual: FOUND vs OTHER'
    return f'/src/x_test.cpp:10\n{head}\n{message}'


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w/'-]+(?:\.[\w/'-]+)*", text) if w != 'but']


ASSERTIONS = list(step_assertions())


def test_the_step_checks_were_found():
    assert len(STEP_SOURCES) >= 4 and len(ASSERTIONS) > 40


@pytest.mark.parametrize('where, macro, arguments, message', ASSERTIONS,
                         ids=[a[0] for a in ASSERTIONS])
def test_every_step_check_message_reads_in_order(where, macro, arguments, message):
    assert re.match(r'(expected|happened): ', message), (
        f'{where}: {macro}({", ".join(arguments)}) has no message starting "expected: " (or '
        '"happened: "): the student would see the C++ expression, and the grader cannot tell '
        'what was expected from what happened')
    expected, happened = ex.explain_gtest_failure(failure_text(macro, arguments, message))
    happened = [line for line in happened if line != '(checked at x_test.cpp:10)']
    written = re.sub(r'(^|\n)(expected|happened):', ' ', message)
    shown = [expected] + [line for line in happened if not line.startswith('got FOUND')]
    if 'happened: ' not in message and macro in ('TRUE', 'FALSE'):
        # A helper's predicate that failed is what was found (gtest_value).
        shown = [line for line in shown if not line.startswith(f'{arguments[0]} is ')]
    shown = [line for line in shown if line != 'it was not so']
    assert words(' '.join(shown)) == words(written), (
        f'{where}: the message does not come out in the order it was written:\n'
        f'  written:  {message!r}\n  expected: {expected!r}\n  happened: {happened!r}')
    if not re.match(r'!?[\w:]+\(.*\)$', arguments[0]) or 'happened: ' in message:
        for argument in arguments:      # an expression, not a word that may be in a sentence
            if re.search(r'[(._:]', argument) and not argument.startswith('"'):
                assert argument not in '\n'.join([expected] + happened), (where, argument)


def bats_failures():
    """(where, lines) of each `fail ARG...` of the Bats sources, $(...) as VALUEn."""
    for source in BATS_SOURCES:
        text = source.read_text()
        joined = re.sub(r'\\\n\s*', ' ', text)
        for number, line in enumerate(joined.splitlines(), 1):
            for m in re.finditer(r'(?:^|[|&]\s*|\s)fail\s+(?=["$])', line):
                args, values, i = [], 0, m.end()
                while i < len(line) and line[i] in '"$':
                    if line[i] == '$':          # "$(...)": a value
                        end = closing(line, i + 1, '(', ')') if line[i + 1:i + 2] == '(' else \
                            re.match(r'\$\{?\w+\}?', line[i:]).end() + i - 1
                        values += 1
                        args.append(f'VALUE{values}')
                        i = end + 1
                    else:
                        end, depth, j = None, 0, i + 1
                        while j < len(line):
                            if line[j] == '\\':
                                j += 2
                                continue
                            if line.startswith('$(', j):
                                depth += 1
                            elif line[j] == ')' and depth:
                                depth -= 1
                            elif line[j] == '"' and depth == 0:
                                end = j
                                break
                            j += 1
                        body = line[i + 1:end]
                        body = re.sub(r'\$\((?:[^()]|\([^()]*\))*\)', 'VALUE', body)
                        args.append(body)
                        i = end + 1
                    while i < len(line) and line[i] == ' ':
                        i += 1
                if args:
                    yield f'{source.relative_to(TOP)}:{number}', args


BATS_FAILURES = [f for f in bats_failures() if f[1][0].startswith(('expected:', 'happened:'))]


def test_the_bats_failures_were_found():
    assert len(BATS_FAILURES) > 15


def test_no_bats_failure_leaves_the_grader_to_guess():
    old_style = [f for f in bats_failures() if f[1][0].startswith('Expected')]
    assert not old_style, f'say "expected: ..." and "happened: ..." in their own arguments: {old_style}'


@pytest.mark.parametrize('where, arguments', BATS_FAILURES, ids=[f[0] for f in BATS_FAILURES])
def test_every_bats_expectation_reads_in_order(where, arguments):
    lines = '\n'.join(arguments).splitlines()
    expected, happened = ex.explain_bats_failure(lines)
    if lines[0].startswith('expected:'):
        assert expected, f'{where}: {lines[0]!r} was not shown as what was expected'
    written = re.sub(r'(^|\n)(expected|happened):', ' ', '\n'.join(lines))
    assert words(' '.join([expected] + happened)) == words(written), (
        f'{where}: the message does not come out in the order it was written:\n'
        f'  written:  {lines!r}\n  expected: {expected!r}\n  happened: {happened!r}')
