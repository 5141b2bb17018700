"""Grading the steps: the coding steps 01-04, the testing step 05, and the full runtime.

Coding step NN (01-04): build the step's GoogleTest binary and a runtime from the
student's code for that step and the reference for the others; run each GoogleTest
check on its own, then each check of the step's Bats file, each in the sandbox.

Testing step 05: the student's Bats checks must pass against the reference runtime
and fail against each runtime with one deliberate fault (steps/05-test/faults/).

Full runtime: the exercise's scenario against the runtime built only from the
student's code.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import grade_core as core
import grade_exec as ex
from grade_core import (BUILD_FAILED, CRASH, FAIL, NOT_IMPLEMENTED, PASS, SKIPPED, TIMEOUT,
                        Check, StepResult)

TEST_STEP = '05-test'
FULL = 'full'

# Which function lives in which step, to point at the file to fill in.
FUNCTION_STEP = {
    'setup_volume': '01-setup',
    'mount_volume': '02-mount',
    'unmount_volume': '03-unmount',
    'remove_mount_point': '03-unmount',
    'setup_container_volumes': '04-integrate',
    'cleanup_container_volumes': '04-integrate',
}


def hint_command(step: str, number: int | str) -> str:
    """The command that shows hint @number of @step ("01-setup"): make hint STEP=01 N=3."""
    return f'make hint STEP={step.split("-")[0]} N={number}'


NOT_IMPLEMENTED_RE = re.compile(r'(\w+) is not implemented yet')


def not_implemented_function(text: str) -> str:
    """The function a NotImplemented message names; the error rather than a cleanup's
    warning when there are both (the warning comes from the cleanup that followed)."""
    found = [(('warning' in line), m.group(1)) for line in text.splitlines()
             for m in [NOT_IMPLEMENTED_RE.search(line)] if m]
    found.sort(key=lambda item: item[0])   # stable: errors first, in order
    return found[0][1] if found else ''


@dataclass
class Config:
    top: Path
    build_dir: Path
    origin: str               # "steps" (the student's code) or "solutions" (the reference)
    timeout: float
    jobs: str
    build_type: str
    image: Path


@dataclass
class Fault:
    name: str                 # file name without .cpp: the runtime is container-fault-NAME
    description: str          # "forgets to unmount the volumes"
    hint: str                 # hint number in steps/05-test/README.md, or ''

    @property
    def target(self) -> str:
        return f'container-fault-{self.name}'


class Grader:
    def __init__(self, config: Config, console: core.Console):
        self.config = config
        self.console = console
        self.top = config.top
        self.work = config.build_dir / 'grade'
        # The images directory is seen through an overlay: nothing a check does reaches it.
        self.sandbox = ex.Sandbox(self.top, self.work, config.image.parent)
        self.volume_steps, self.step_files = read_step_layout(self.top / 'CMakeLists.txt')
        self.configured = False
        self.built: dict[str, ex.Build] = {}
        self._gtest_hints: dict[str, dict[str, str]] = {}

    # ------------------------------------------------------------ layout

    def all_steps(self) -> list[str]:
        steps = [s for s in self.volume_steps if (self.top / 'steps' / s).is_dir()]
        if (self.top / 'steps' / TEST_STEP).is_dir():
            steps.append(TEST_STEP)
        return steps

    def title(self, step: str) -> str:
        if step == FULL:
            return ('the whole runtime, from the reference code only'
                    if self.config.origin == 'solutions' else 'the whole runtime, from your code only')
        readme = self.top / 'steps' / step / 'README.md'
        try:
            first = readme.read_text().splitlines()[0]
            return re.sub(r'^#+\s*', '', first).strip()
        except (OSError, IndexError):
            return step

    def student_file(self, step: str) -> Path:
        """The file the student writes for @step (in the origin graded)."""
        if step == TEST_STEP:
            found = sorted((self.top / self.config.origin / TEST_STEP).glob('*.bats'))
            return found[0] if found else self.top / self.config.origin / TEST_STEP / 'volumes.bats'
        return self.top / self.config.origin / step / self.step_files.get(step, '')

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.top))
        except ValueError:
            return str(path)

    @staticmethod
    def readme_hint(step: str, number: str = '') -> str:
        """Where a failing check of @step sends the student: its hint @number, with the
        command that shows it, or the guide's hints."""
        readme = f'steps/{step}/README.md'
        if number:
            return f'read Hint {number} in {readme} ({hint_command(step, number)})'
        return f'read the "Hints" section of {readme} (make hint STEP={step.split("-")[0]})'

    def faults(self) -> list[Fault]:
        found = []
        for source in sorted((self.top / 'steps' / TEST_STEP / 'faults').glob('*.cpp')):
            text = source.read_text(errors='replace')
            description = re.search(r'^//\s*Fault:\s*(.+)$', text, re.M)
            if not description:
                continue          # not a runtime fault (e.g. a probe of the grader)
            hint = re.search(r'^//\s*Hint:\s*(\d+)', text, re.M)
            found.append(Fault(source.stem, description.group(1).strip(),
                               hint.group(1) if hint else ''))
        return sorted(found, key=lambda f: (int(f.hint) if f.hint else 99, f.name))

    # ------------------------------------------------------------ building

    def configure(self) -> bool:
        if self.configured:
            return True
        result = ex.configure(self.top, self.config.build_dir, self.config.build_type)
        if result.returncode != 0:
            self.console.line(self.console.red('CMake could not configure the build:'))
            for line in result.output.strip().splitlines()[-15:]:
                self.console.line('    ' + line)
            return False
        self.configured = True
        return True

    def build(self, targets: list[str], student_files: list[Path]) -> ex.Build:
        key = ' '.join(targets)
        if key not in self.built:
            if not self.configure():
                return ex.Build(False, '', ['CMake could not configure the build (see above)'], False)
            self.built[key] = ex.build(self.config.build_dir, targets, self.config.jobs,
                                       student_files, self.top)
        return self.built[key]

    def binary(self, target: str) -> Path:
        return self.config.build_dir / 'bin' / target

    def runtime_target(self, step: str) -> str:
        if self.config.origin == 'solutions':
            return 'container'
        return 'container-student' if step == FULL else f'container-{step}'

    def report_build_failure(self, result: StepResult, build: ex.Build, files: list[Path]) -> None:
        c = self.console
        if build.missing_target:
            result.note = f'cannot be built: the build has no target {build.missing_target}'
            c.line(f'  {c.cross} {result.note}')
            return
        errors = ' '.join(build.errors)
        undefined_own = 'undefined reference' in errors and any(
            f'container::{function}' in errors for function, owner in FUNCTION_STEP.items()
            if self.student_file(owner) in files)
        if undefined_own:
            result.note = 'your code does not link: a function of the step is missing'
            c.line(f'  {c.cross} {c.bold("Your code does not link.")} The linker says:')
        elif build.in_student_file or any(self.rel(f) in errors for f in files):
            result.note = 'your code does not compile'
            c.line(f'  {c.cross} {c.bold("Your code does not compile.")} The compiler says:')
        else:
            result.note = 'the build failed'
            c.line(f'  {c.cross} {c.bold("The build failed.")} The first errors:')
        for line in build.errors:
            c.line('      ' + line)
        if '[-Werror' in build.output:
            c.line('    (warnings count as errors here: fix them too)')

    def grade_step(self, step: str) -> StepResult:
        """Grades one step (or FULL). A failure of the grader itself ends this step only."""
        try:
            if step == FULL:
                return self.grade_full()
            if step == TEST_STEP:
                return self.grade_test_step()
            return self.grade_code_step(step)
        except (ex.CannotRun, PermissionError):
            raise                  # no check can run, or no file be written: the grade stops
        except Exception as error:  # noqa: BLE001 - report it, grade the other steps
            import traceback
            ex.end_leftover_processes()
            result = StepResult(step, self.title(step), note=f'the grader failed: {error!r}')
            check = Check(step, 'grader', 'the grader could grade this step', 'grader')
            check.summary = f'the grader itself failed: {error!r} (please report this)'
            check.happened = trim(traceback.format_exc().splitlines()[-6:], 6)
            self.record(result, check)
            return result

    # ------------------------------------------------------------ coding steps 01-04

    def grade_code_step(self, step: str) -> StepResult:
        c = self.console
        result = StepResult(step, self.title(step))
        c.heading(f'{step}: {result.title}')
        test_target = f'test-{step}-{self.config.origin}'
        runtime = self.runtime_target(step)
        student = self.student_file(step)
        tests = sorted((self.top / 'steps' / step).glob('*_test.cpp'))
        bats_files = sorted((self.top / 'steps' / step).glob('*.bats'))
        targets = ([test_target] if tests else []) + [runtime]
        c.line(c.dim(f'  building {", ".join(targets)} ...'))
        if not student.is_file():
            build = ex.Build(False, '', [], True)
            result.note = f'{self.rel(student)} is missing'
            fix = (f'put the skeleton back with make reset STEP={step.split("-")[0]}'
                   if self.config.origin == 'steps' else
                   f'put the file back (git checkout -- {self.rel(student)})')
            c.line(f'  {c.cross} {result.note}: {fix}')
        else:
            build = self.build(targets, [student])
            if not build.ok:
                self.report_build_failure(result, build, [student])
        if not build.ok:
            for source in tests:
                for ident in gtest_names_in_source(source):
                    result.checks.append(self.unbuilt(step, ident, 'gtest', result.note))
            for bats in bats_files:
                for name in bats_tests(bats):
                    result.checks.append(self.unbuilt(step, name, 'bats', result.note))
            if result.checks:
                c.line(f'  {len(result.checks)} checks were not run.')
            return result
        if tests:
            self.run_gtests(step, self.binary(test_target), result)
        for bats in bats_files:
            self.run_bats_file(step, bats, self.binary(runtime), result)
        if not result.checks:
            c.line(f'  {c.cross} this step has no checks')
        return result

    def unbuilt(self, step: str, ident: str, kind: str, why: str = 'the code does not compile') -> Check:
        name = core.sentence(ident) if kind == 'gtest' else ident
        return Check(step, ident, name, kind, status=BUILD_FAILED, summary=f'not run: {why}')

    def run_gtests(self, step: str, binary: Path, result: StepResult) -> None:
        listing = self.sandbox.run([str(binary), '--gtest_list_tests'],
                                   timeout=max(self.config.timeout, 30), watch_mounts=False)
        names = parse_gtest_list(listing.output) if listing.returncode == 0 else []
        if not names:
            check = Check(step, 'list', 'the GoogleTest checks can be listed', 'gtest')
            check.summary = 'the test binary did not list its checks'
            check.happened = trim(listing.output.splitlines(), 8)
            self.record(result, check)
            return
        for ident in names:
            self.record(result, self.run_gtest(step, binary, ident))

    def run_gtest(self, step: str, binary: Path, ident: str) -> Check:
        check = Check(step, ident, core.sentence(ident), 'gtest')
        report = 'gtest.json'
        run = self.sandbox.run([str(binary), f'--gtest_filter={ident}', '--gtest_color=no',
                                f'--gtest_output=json:{self.sandbox.results / report}'],
                               timeout=self.config.timeout, results=(report,))
        check.duration = run.duration
        check.left_mounted = list(run.left_mounted)
        record = read_gtest_json(run.results[report], ident)
        if run.timed_out:
            check.status = TIMEOUT
            check.summary = f'timed out after {self.config.timeout:g} s'
            check.happened = ['the function did not return: a loop that never ends, or a '
                              'wait for something that never happens?']
            check.hint = self.readme_hint(step)
        elif record is None and not_implemented_function(run.output):
            self.not_implemented(check, not_implemented_function(run.output))
        elif record is None:
            sig = run.signal or (run.returncode - 128 if run.returncode and run.returncode > 128 else None)
            check.status = CRASH
            if sig:
                run.signal = sig
                check.summary = f'crashed ({run.signal_name})'
            else:
                check.summary = f'ended without a result (exit status {run.returncode})'
            check.happened = trim(crash_lines(run.output), 8)
            check.hint = self.readme_hint(step)
        else:
            self.judge_gtest(check, record)
        return check

    def judge_gtest(self, check: Check, record: dict) -> None:
        step = check.step
        failures = [f.get('failure', '') for f in record.get('failures', [])]
        # The support's report of mounts left behind is shown as such, not as the failure.
        for point in gtest_left_mounted(failures):
            if point not in check.left_mounted:
                check.left_mounted.append(point)
        mount_reports = [f for f in failures if MOUNT_REPORT_RE.search(f)]
        failures = [f for f in failures if not MOUNT_REPORT_RE.search(f)]
        if mount_reports and not failures:
            check.status = FAIL
            check.summary = 'left mounts behind'
            check.expected = 'every mount the function makes for the check is undone by the end'
            check.hint = self.readme_hint(step)
            return
        hint = str(record.get('hint', '') or '') or self.gtest_source_hints(step).get(check.id, '')
        if record.get('result') == 'SKIPPED' and not failures:
            check.status = SKIPPED
            check.summary = 'skipped: a skipped check counts as not passed'
            return
        if not failures:
            check.status = PASS
            check.points = check.max_points
            return
        text = '\n'.join(failures)
        missing = not_implemented_function(text)
        if missing:
            self.not_implemented(check, missing)
            return
        check.status = FAIL
        check.expected, check.happened = explain_gtest_failure(failures[0])
        if len(failures) > 1:
            check.happened.append(f'(and {len(failures) - 1} more failed expectation'
                                  f'{"s" if len(failures) > 2 else ""} in this check)')
        check.hint = self.readme_hint(step, hint)

    def gtest_source_hints(self, step: str) -> dict[str, str]:
        """Suite.Name -> hint number, from a "// hint: N" comment just above the TEST()."""
        if step not in self._gtest_hints:
            hints: dict[str, str] = {}
            for source in sorted((self.top / 'steps' / step).glob('*_test.cpp')):
                hints.update(hints_above_tests(
                    source.read_text(errors='replace').splitlines(), '//',
                    re.compile(r'^\s*TEST(?:_F|_P)?\(\s*(\w+)\s*,\s*(\w+)\s*\)'),
                    lambda t: f'{t.group(1)}.{t.group(2)}'))
            self._gtest_hints[step] = hints
        return self._gtest_hints[step]

    def not_implemented(self, check: Check, function: str) -> None:
        check.status = NOT_IMPLEMENTED
        owner = FUNCTION_STEP.get(function, check.step if check.step in self.step_files else '')
        check.summary = f'not implemented yet ({function})'
        if owner:
            file = f'steps/{owner}/{self.step_files.get(owner, "")}'
            check.hint = f'fill in the TODOs of {file}'
        else:
            check.hint = 'fill in the TODOs of the step\'s skeleton'

    # ------------------------------------------------------------ Bats

    def bats_env(self, runtime: Path) -> dict[str, str]:
        """The variables a Bats check (and tests/support/helpers.bash) reads."""
        return {
            'CONTAINER': str(runtime),
            'REPO_ROOT': str(self.top),
            'IMAGE': str(self.config.image),
            'CONTAINER_TIMEOUT': str(max(5, int(self.config.timeout) - 2)),
        }

    def run_bats_test(self, bats: Path, name: str, runtime: Path, step: str,
                      watch_mounts: bool = True) -> Check:
        check = Check(step, name, name, 'bats')
        run = self.sandbox.run(['bats', '--tap', '--filter', '^' + ere_escape(name) + '$',
                                str(bats)], timeout=self.config.timeout,
                               env=self.bats_env(runtime), watch_mounts=watch_mounts)
        check.duration = run.duration
        check.left_mounted = run.left_mounted
        hint = bats_hints(bats).get(name, '')
        tap = parse_tap(run.output)
        outcome = tap[0] if tap else None
        if run.timed_out:
            check.status = TIMEOUT
            check.summary = f'timed out after {self.config.timeout:g} s'
            check.happened = ['the container did not finish: a hang in the volume code?']
            check.hint = self.readme_hint(step, hint) if step != TEST_STEP else ''
        elif outcome is None:
            check.status = CRASH
            check.summary = f'Bats gave no result (exit status {run.returncode})'
            check.happened = trim(run.output.splitlines(), 8)
        elif outcome.ok and outcome.skipped:
            check.status = SKIPPED
            check.summary = 'skipped' + (f': {outcome.skip_reason}' if outcome.skip_reason else '') \
                + ' (a skipped check counts as not passed)'
        elif outcome.ok:
            check.status = PASS
            check.points = check.max_points
        else:
            diagnostics = '\n'.join(outcome.diagnostics)
            missing = not_implemented_function(diagnostics)
            if missing and step != TEST_STEP:
                self.not_implemented(check, missing)
                return check
            check.status = FAIL
            check.happened = explain_bats_failure(outcome.diagnostics)
            check.summary = container_crash(diagnostics)
            if step != TEST_STEP:
                check.hint = self.readme_hint(step, hint)
        return check

    def run_bats_file(self, step: str, bats: Path, runtime: Path, result: StepResult) -> None:
        names = bats_tests(bats)
        if not names:
            check = Check(step, self.rel(bats), f'{self.rel(bats)} holds checks', 'bats')
            check.summary = 'no @test found in it'
            self.record(result, check)
            return
        for name in names:
            self.record(result, self.run_bats_test(bats, name, runtime, step))

    def record(self, result: StepResult, check: Check) -> None:
        result.checks.append(check)
        self.console.check(check)

    # ------------------------------------------------------------ step 05: testing

    def grade_test_step(self) -> StepResult:
        c = self.console
        step = TEST_STEP
        result = StepResult(step, self.title(step))
        c.heading(f'{step}: {result.title}')
        bats = self.student_file(step)
        faults = self.faults()
        targets = ['container'] + [f.target for f in faults]
        c.line(c.dim(f'  building the reference runtime and {len(faults)} faulty ones ...'))
        build = self.build(targets, [])
        main = Check(step, 'reference', 'your checks pass against the correct runtime', 'bats05')
        fault_checks = [Check(step, f'fault:{f.name}', f'they catch the broken runtime "{f.name}"',
                              'fault') for f in faults]
        if not build.ok:
            self.report_build_failure(result, build, [])
            for check in [main] + fault_checks:
                check.status = BUILD_FAILED
                check.summary = 'not run: the runtimes could not be built'
                result.checks.append(check)
            return result
        names = bats_tests(bats) if bats.exists() else []
        if not names:
            main.summary = (f'{self.rel(bats)} holds no @test' if bats.exists()
                            else f'{self.rel(bats)} does not exist')
            main.hint = self.readme_hint(step)
            self.record(result, main)
            for check in fault_checks:
                check.summary = 'not checked: there are no checks to run'
                self.record(result, check)
            return result

        # 1. Against the reference: each of the student's checks must pass.
        reference = self.binary('container')
        passing: list[str] = []
        failed: list[Check] = []
        for name in names:
            check = self.run_bats_test(bats, name, reference, step)
            main.duration += check.duration
            (passing if check.passed else failed).append(name if check.passed else check)
        unwritten = [check for check in failed
                     if re.search(r'\bTODO \d+', '\n'.join(check.happened))]
        if failed and len(unwritten) == len(failed) == len(names):
            main.status = NOT_IMPLEMENTED
            main.summary = 'not written yet: every check still holds its TODO'
            main.hint = f'write the checks of {self.rel(bats)}, TODO 1 first'
        elif failed:
            main.status = FAIL
            main.summary = f'{len(failed)} of your {len(names)} checks fail against the correct runtime'
            for check in failed:
                main.happened.append(f'✗ {check.name}' if c.unicode else f'FAIL {check.name}')
                main.happened.extend('    ' + line for line in
                                     ([check.summary] if check.summary else []) + check.happened[:6])
            main.hint = ('a check that fails on a correct runtime cannot tell a broken one '
                         'apart: ' + self.readme_hint(step))
            if unwritten:
                main.happened.insert(0, f'{len(unwritten)} of them still hold their TODO')
        else:
            main.status = PASS
            main.points = main.max_points
            main.summary = f'{len(names)} checks'
        self.record(result, main)

        # 2. Against each faulty runtime: some check that passed above must fail.
        for fault, check in zip(faults, fault_checks):
            if not passing:
                check.summary = 'not checked: none of your checks passes against the correct runtime'
                check.hint = self.readme_hint(step)
                self.record(result, check)
                continue
            runtime = self.binary(fault.target)
            caught_by = None
            for name in passing:
                attempt = self.run_bats_test(bats, name, runtime, step, watch_mounts=False)
                check.duration += attempt.duration
                if not attempt.passed:
                    caught_by = (name, attempt)
                    break
            if caught_by:
                check.status = PASS
                check.points = check.max_points
                check.summary = f'it {fault.description}; caught by "{caught_by[0]}"'
            else:
                check.status = FAIL
                check.summary = f'your checks did not notice: a runtime that {fault.description}'
                check.hint = self.readme_hint(step, fault.hint)
            self.record(result, check)
        return result

    # ------------------------------------------------------------ the whole runtime

    def grade_full(self) -> StepResult:
        c = self.console
        result = StepResult(FULL, self.title(FULL))
        c.heading(f'Full runtime: {result.title}')
        target = self.runtime_target(FULL)
        c.line(c.dim(f'  building {target} ...'))
        files = [self.student_file(s) for s in self.volume_steps]
        build = self.build([target], files)
        scenario = full_runtime_scenario()
        if not build.ok:
            self.report_build_failure(result, build, files)
            for ident, name, _ in scenario:
                result.checks.append(Check(FULL, ident, name, 'full', status=BUILD_FAILED,
                                           summary=f'not run: {result.note}'))
            return result
        runtime = self.binary(target)
        for ident, name, script in scenario:
            self.record(result, self.run_scenario_check(runtime, ident, name, script))
        return result

    def run_scenario_check(self, runtime: Path, ident: str, name: str, script: str) -> Check:
        """One check of the full-runtime scenario against @runtime."""
        check = Check(FULL, ident, name, 'full')
        run = self.sandbox.run(['bash', '-c', FULL_PRELUDE + script, 'full-runtime'],
                               timeout=self.config.timeout, env=self.bats_env(runtime))
        check.duration = run.duration
        check.left_mounted = run.left_mounted
        lines = [l for l in run.output.splitlines() if l.strip()]
        if run.timed_out:
            check.status = TIMEOUT
            check.summary = f'timed out after {self.config.timeout:g} s'
        elif run.returncode == 0:
            check.status = PASS
            check.points = check.max_points
        else:
            missing = not_implemented_function(run.output)
            if missing:
                self.not_implemented(check, missing)
            else:
                check.status = FAIL
                expected = [l[len('expected: '):] for l in lines if l.startswith('expected: ')]
                check.expected = expected[0] if expected else ''
                check.happened = trim([l for l in lines if not l.startswith('expected: ')], 10)
                check.hint = ('grade each step on its own (make grade STEP=NN-name) to find '
                              'the one that breaks this')
        return check


def resolve_step(wanted: str, steps: list[str]) -> str | None:
    """The step of @steps (or FULL) that @wanted names: "02-mount", "02", "2", "mount"."""
    wanted = wanted.strip().rstrip('/')
    wanted = re.sub(r'^steps/', '', wanted)
    if wanted in (FULL, 'all-steps', 'student'):
        return FULL
    for step in steps:
        number = step.split('-')[0]
        if wanted in (step, number, number.lstrip('0'), step.split('-', 1)[-1]):
            return step
    return None


def preflight(console: core.Console, image: Path, top: Path) -> bool:
    """What every grade needs before it starts; says what is missing."""
    missing = [tool for tool in ('cmake', 'bats', 'unshare') if not shutil.which(tool)]
    if missing:
        console.line(f'grade: missing {", ".join(missing)}: install them with `make deps`.')
        return False
    if not image.is_dir():
        console.line(f'grade: no image at {image}: make it first with `make image`.')
        return False
    # The checks mount things: root through sudo, asked for once now (common/tools/root-access).
    if os.geteuid() != 0:
        sys.stdout.flush()
        if subprocess.run([str(top / 'common/tools/root-access'), 'grade']).returncode != 0:
            return False
    return True


# ---------------------------------------------------------------- the full-runtime scenario

FULL_PRELUDE = r'''
set -u
fail() { printf '%s\n' "$@"; exit 1; }
[ -x "$CONTAINER" ] || fail "expected: a runtime at $CONTAINER" "it was not built"
src=$(mktemp -d "$TMPDIR/full.XXXXXX")
rootfs=$src.rootfs
cp -a "$IMAGE" "$rootfs" || fail "expected: a copy of the image $IMAGE" "could not copy it"
# Sets $status, $out (stdout) and $err (stderr).
run_container() {
  out=$(timeout -k 2 "$CONTAINER_TIMEOUT" "$CONTAINER" run "$@" 2>"$src.stderr"); status=$?
  err=$(cat "$src.stderr")
}
show_run() {
  printf 'exit status %s, output:\n' "$status"; printf '%s\n' "$out" | head -n 8 | sed 's/^/  | /'
  [ -z "$err" ] || { printf 'stderr:\n'; printf '%s\n' "$err" | head -n 8 | sed 's/^/  | /'; }
}
'''


def full_runtime_scenario() -> list[tuple[str, str, str]]:
    """(id, name, script) of each check of the whole runtime; each script exits 0 when it passes."""
    return [
        ('host-file-read', 'a file written on the host is read in the container', r'''
echo "written on the host" > "$src/greeting.txt"
run_container -v "$src:/volume" "$rootfs" cat /volume/greeting.txt
[ "$status" -eq 0 ] && [ "$out" = "written on the host" ] || {
  echo "expected: the container prints 'written on the host' (cat /volume/greeting.txt) and exits 0"
  show_run; exit 1; }
'''),
        ('container-file-seen', 'a file made in the container is seen on the host', r'''
run_container -v "$src:/volume" "$rootfs" sh -c 'echo "made in the container" > /volume/new.txt'
[ "$status" -eq 0 ] || { echo "expected: the container writes /volume/new.txt and exits 0"; show_run; exit 1; }
[ "$(cat "$src/new.txt" 2>/dev/null)" = "made in the container" ] || {
  echo "expected: $src/new.txt on the host holds 'made in the container'"
  if [ -e "$src/new.txt" ]; then echo "it holds: $(head -c 200 "$src/new.txt")"; else echo "there is no such file on the host"; fi
  exit 1; }
'''),
        ('nothing-left', 'nothing is left mounted, nor anything the runtime made', r'''
before=$(cat /proc/self/mountinfo)
listing() { (cd "$1" && find . -printf '%p %y %m\n' | LC_ALL=C sort); }
# A volume nested in another: its mount point (and that one's parents) is made in the
# outer volume's source on the host, not in the container's own layer over the image.
inner=$src.inner
mkdir "$inner"
source_before=$(listing "$src")
tree_before=$(listing "$rootfs")
run_container -v "$src:/volume" -v "$inner:/volume/deep/inside" "$rootfs" ls /volume/deep/inside
[ "$status" -eq 0 ] || { echo "expected: the container runs and exits 0"; show_run; exit 1; }
[ -z "$err" ] || { echo "expected: nothing on stderr (a cleanup that fails says so there)"; show_run; exit 1; }
after=$(cat /proc/self/mountinfo)
leaked=$(awk 'NR == FNR { seen[$1] = 1; next } !($1 in seen) { print $5 }' <(echo "$before") <(echo "$after"))
[ -z "$leaked" ] || { echo "expected: the host's mount table unchanged after the container exited"
  echo "still mounted on the host:"; echo "$leaked" | sed 's/^/  /'; exit 1; }
changed=$(diff <(echo "$source_before") <(listing "$src") | sed -n 's/^[<>] //p')
[ -z "$changed" ] || { echo "expected: $src left as it was (the mount point deep/inside and its parent, made there, removed)"
  echo "it changed:"; echo "$changed" | head -n 8 | sed 's/^/  /'; exit 1; }
changed=$(diff <(echo "$tree_before") <(listing "$rootfs") | sed -n 's/^[<>] //p')
[ -z "$changed" ] || { echo "expected: the image left as it was"
  echo "it changed:"; echo "$changed" | head -n 8 | sed 's/^/  /'; exit 1; }
'''),
    ]


# ---------------------------------------------------------------- parsing helpers

def read_step_layout(cmakelists: Path) -> tuple[list[str], dict[str, str]]:
    """VOLUME_STEPS and STEP_FILE_<step> from the top CMakeLists.txt."""
    text = cmakelists.read_text()
    m = re.search(r'set\(VOLUME_STEPS\s+([^)]*)\)', text)
    steps = m.group(1).split() if m else ['01-setup', '02-mount', '03-unmount', '04-integrate']
    files = dict(re.findall(r'set\(STEP_FILE_(\S+)\s+(\S+)\)', text))
    return steps, files


def parse_gtest_list(output: str) -> list[str]:
    names, suite = [], None
    for line in output.splitlines():
        if not line.strip() or line.startswith(('Running main()', '[')):
            continue
        if not line.startswith(' '):
            head = line.split('#')[0].strip()
            suite = head[:-1] if head.endswith('.') else None
        elif suite:
            names.append(f'{suite}.{line.split("#")[0].strip()}')
    return names


def gtest_names_in_source(source: Path) -> list[str]:
    text = source.read_text(errors='replace')
    return [f'{s}.{t}' for s, t in
            re.findall(r'^\s*TEST(?:_F|_P)?\(\s*(\w+)\s*,\s*(\w+)\s*\)', text, re.M)]


def read_gtest_json(text: str, ident: str) -> dict | None:
    """The record of check @ident in a GoogleTest JSON report, or None."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    suite_name, _, test_name = ident.partition('.')
    for suite in data.get('testsuites', []):
        for test in suite.get('testsuite', []):
            if f'{suite.get("name")}.{test.get("name")}' == ident or \
                    (suite.get('name') == suite_name and test.get('name') == test_name):
                return test
    return None


MOUNT_REPORT_RE = re.compile(r'the mount table at the end of the test is not what it was|'
                             r'mounts were left in the test')


def gtest_left_mounted(failures: list[str]) -> list[str]:
    """Mount points the GoogleTest support reported as left behind by a check."""
    points: list[str] = []
    for failure in failures:
        if not MOUNT_REPORT_RE.search(failure):
            continue
        for line in failure.splitlines():
            added = re.match(r'^\s*added:\s+(.*)$', line)
            if added:
                fields = added.group(1).split()
                if len(fields) >= 5:
                    points.append(fields[4].replace('\\040', ' '))
                continue
            left = re.match(r'^\s{2}(/\S*) \(', line)
            if left and left.group(1) not in points:
                points.append(left.group(1))
    return points


GTEST_STRUCTURE = re.compile(r'^(Value of: |Expected|  Actual: |Actual: |    Which is: |Which is: |'
                             r'Failed$|With diff:|The difference between|Google Mock)')


def explain_gtest_failure(text: str) -> tuple[str, list[str]]:
    """(what was expected, in the check author's words; what happened) from one gtest failure."""
    lines = text.splitlines()
    location = ''
    if lines and re.match(r'^(\S.*:\d+|unknown file)$', lines[0]):
        location = lines.pop(0)
    exception = re.search(r'C\+\+ exception with description "(.*)" thrown in (the test body|.*)\.',
                          text, re.S)
    if exception:
        return '', [f'an exception escaped: {exception.group(1)}']
    # gtest's own lines come first; the author's message (<< "...") after them.
    structure: list[str] = []
    in_equality = False
    while lines:
        line = lines[0]
        if line.startswith('Expected equality of these values:'):
            in_equality = True
        elif in_equality and line.startswith('  '):
            pass
        elif GTEST_STRUCTURE.match(line):
            in_equality = False
        else:
            break
        structure.append(lines.pop(0))
    custom = [l for l in lines if l.strip()]
    happened = rewrite_gtest(structure)
    expected = ''
    if custom:
        expected = custom.pop(0).strip()
        happened += [l.rstrip() for l in custom]
    if location and location != 'unknown file':
        happened.append(f'(at {os.path.basename(location)})')
    return expected[:400], trim(happened, 10)


def rewrite_gtest(lines: list[str]) -> list[str]:
    """gtest's structured lines as one sentence, for the usual assertions."""
    text = '\n'.join(lines).strip()
    m = re.match(r'Expected equality of these values:\n  (.*?)\n(?:    Which is: (.*?)\n)?'
                 r'  (.*?)(?:\n    Which is: (.*))?$', text, re.S)
    if m:
        a, a_val, b, b_val = m.groups()
        left = f'{a} is {a_val}' if a_val else a
        right = f'{b} ({b_val})' if b_val else b
        return [f'{left}, expected {right}']
    m = re.match(r'Value of: (.*?)\n  Actual: (.*?)\nExpected: (.*)$', text, re.S)
    if m:
        return [f'{m.group(1)} is {m.group(2)}, expected {m.group(3)}']
    return [l.rstrip() for l in lines if l.strip() and l.strip() != 'Failed']


def crash_lines(output: str) -> list[str]:
    lines = [l for l in output.splitlines() if l.strip() and not l.startswith(('[==', '[--', 'Note: '))]
    return lines[-8:]


@dataclass
class TapResult:
    ok: bool
    number: int
    name: str
    skipped: bool = False
    skip_reason: str = ''
    diagnostics: list[str] = None  # type: ignore[assignment]


def parse_tap(output: str) -> list[TapResult]:
    results: list[TapResult] = []
    for line in output.splitlines():
        m = re.match(r'^(not ok|ok) (\d+) (.*?)(?: # (skip|SKIP)\b ?(.*))?$', line)
        if m:
            results.append(TapResult(m.group(1) == 'ok', int(m.group(2)), m.group(3),
                                     skipped=m.group(4) is not None,
                                     skip_reason=(m.group(5) or '').strip(), diagnostics=[]))
        elif line.startswith('#') and results:
            results[-1].diagnostics.append(line[2:] if line.startswith('# ') else line[1:])
    return results


def explain_bats_failure(diagnostics: list[str]) -> list[str]:
    """What a failed Bats check printed, without Bats' own stack trace."""
    failed_commands, lines = [], []
    for line in diagnostics:
        if re.match(r'^\s*\(?(from function|in test file) .*[,)]\s*$', line):
            continue
        m = re.match(r"^\s*`(.*)' failed(.*)$", line)
        if m:
            failed_commands.append(f'{m.group(1)}{m.group(2)}')
            continue
        lines.append(line.rstrip())
    if not any(l.strip() for l in lines):
        # Nothing but the failing line: show it.
        return [f'this line of the check failed: {c}' for c in failed_commands[:2]]
    return trim(lines, 12)


CRASH_SIGNALS = {4: 'SIGILL', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 11: 'SIGSEGV'}


def container_crash(diagnostics: str) -> str:
    """A summary when a Bats check's container crashed or hung, else ''."""
    for m in re.finditer(r'(?:exit status:?|got) (\d+)\b', diagnostics):
        code = int(m.group(1))
        if code - 128 in CRASH_SIGNALS:
            return f'the container crashed ({CRASH_SIGNALS[code - 128]})'
        if code == 124:
            return 'the container did not finish in time'
    return ''


def bats_tests(path: Path) -> list[str]:
    """The names of the @test blocks of a Bats file, in order."""
    names = []
    try:
        text = path.read_text(errors='replace')
    except OSError:
        return names
    for m in re.finditer(r'^[ \t]*@test[ \t]+(.*?)[ \t]*\{[ \t]*$', text, re.M):
        raw = m.group(1)
        try:
            parts = shlex.split(raw)
            names.append(' '.join(parts) if parts else raw)
        except ValueError:
            names.append(raw.strip('"\''))
    return names


def hints_above_tests(lines: list[str], comment: str, test: re.Pattern,
                      name_of) -> dict[str, str]:
    """Check name -> hint number, from a "<comment> hint: N" line just above a test
    (other comments may stand between; code may not). name_of(match) names the test,
    or returns None when it cannot."""
    hint_line = re.compile(rf'^\s*{re.escape(comment)}\s*[Hh]int:?\s*(\d+)')
    hints, pending = {}, ''
    for line in lines:
        m = hint_line.match(line)
        if m:
            pending = m.group(1)
            continue
        t = test.match(line)
        if t:
            name = name_of(t)
            if pending and name:
                hints[name] = pending
            pending = ''
        elif line.strip() and not line.strip().startswith(comment):
            pending = ''
    return hints


def bats_test_name(raw: str):
    """The name Bats gives a test from its @test line, or None when it cannot be parsed."""
    try:
        return ' '.join(shlex.split(raw))
    except ValueError:
        return None


def bats_hints(path: Path) -> dict[str, str]:
    """Test name -> hint number, from a "# hint: N" comment just above the @test."""
    try:
        lines = path.read_text(errors='replace').splitlines()
    except OSError:
        return {}
    return hints_above_tests(lines, '#', re.compile(r'^[ \t]*@test[ \t]+(.*?)[ \t]*\{[ \t]*$'),
                             lambda t: bats_test_name(t.group(1)))


def ere_escape(text: str) -> str:
    return re.sub(r'([\\.^$|?*+()\[\]{}])', r'\\\1', text)


def trim(lines: list[str], limit: int) -> list[str]:
    lines = [l[:240] + ('...' if len(l) > 240 else '') for l in lines if l.strip()]
    if len(lines) > limit:
        return lines[:limit] + [f'... ({len(lines) - limit} more lines)']
    return lines
