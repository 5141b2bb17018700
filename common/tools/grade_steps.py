"""Grading the steps: the coding steps 01-04, the testing step 05, and the full runtime.

Coding step NN (01-04): build the step's GoogleTest binary and a runtime from the
student's code for that step and the reference for the others; run each GoogleTest
check on its own, then each check of the step's Bats file, each in the sandbox.

Testing step 05: the student's Bats checks must pass against the reference runtime; the
grade is how many of the runtimes with one deliberate fault each (steps/05-test/faults/
faults.txt) they catch: "your checks caught K of N faulty runtimes".

Full runtime: the exercise's scenario against the runtime built only from the
student's code.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import grade_core as core
import grade_exec as ex
from grade_core import (BUILD_FAILED, CRASH, FAIL, NOT_IMPLEMENTED, NOT_RUN, PASS, SKIPPED,
                        STEP_HANGS, TIMEOUT, Check, StepResult)
# The parsers and message builders: pure functions, tested on their own.
from grade_explain import (FaultLine, HUNG_CONTAINER, MOUNT_REPORT_RE, bats_hints_in_text,
                           bats_test_names, container_crash, crash_lines, ere_escape,
                           explain_bats_failure, explain_gtest_failure, explain_script_output,
                           extra_faults_report, gtest_hints_in_text, gtest_left_mounted,
                           gtest_names_in_text, gtest_record, mutation_score,
                           not_implemented_function, parse_fault_list, parse_gtest_list,
                           parse_tap, test_step_rule, trim)
# The steps, their files and functions: steps/steps.json.
import manifest
from manifest import FULL, hint_command

TEST_STEP = '05-test'     # the name of the step whose checks the student writes (kind "tests")


@dataclass
class Config:
    top: Path
    build_dir: Path
    origin: str               # "steps" (the student's code), "solutions" (the reference) or
                              # "catalogue" (a variant of the reference: grade_catalogue.py)
    timeout: float
    jobs: str
    build_type: str
    image: Path
    first_failure: bool = False   # stop grading a step at its first failing check


class Grader:
    def __init__(self, config: Config, console: core.Console):
        self.config = config
        self.console = console
        self.top = config.top
        self.work = config.build_dir / 'grade'
        # The images directory is seen through an overlay: nothing a check does reaches it.
        self.sandbox = ex.Sandbox(self.top, self.work, config.image.parent)
        self.steps = {step.name: step for step in manifest.load(self.top)}
        # The coding steps, in order, and the file each one's student writes.
        self.volume_steps = [s.name for s in self.steps.values() if s.kind == 'code']
        self.step_files = {s.name: s.files[0] for s in self.steps.values() if s.kind == 'code'}
        self.function_step = manifest.function_step(list(self.steps.values()))
        self.configured = False
        self.built: dict[str, ex.Build] = {}
        # Step 05: fault name -> the student's checks that caught it (in the last grade).
        self.catches: dict[str, list[str]] = {}

    # ------------------------------------------------------------ layout

    def all_steps(self) -> list[str]:
        """The steps of the manifest but the whole runtime (FULL), in order."""
        return [name for name in self.steps if name != FULL]

    def title(self, step: str) -> str:
        if step == FULL and self.config.origin == 'solutions':
            return 'the whole runtime, from the reference code only'
        return self.steps[step].heading if step in self.steps else step

    def is_tests(self, step: str) -> bool:
        """Whether the student writes checks in @step (kind "tests"), not code."""
        return step in self.steps and self.steps[step].kind == 'tests'

    def worth(self, step: str) -> int:
        """The points of @step (steps/steps.json): earned when all its checks pass."""
        return self.steps[step].points if step in self.steps else 0

    def student_file(self, step: str) -> Path:
        """The file the student writes for @step, in the origin graded: steps/ or
        solutions/, or for the catalogue of wrong answers (code steps only) the copy of the
        reference with one mistake, in the build directory (grade_catalogue.py)."""
        catalogue = self.config.origin == 'catalogue' and self.steps[step].kind == 'code'
        origin = self.config.build_dir / 'catalogue' if catalogue else self.top / self.config.origin
        return origin / step / self.steps[step].files[0]

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.top))
        except ValueError:
            return str(path)

    @staticmethod
    def readme_hint(step: str, number: str = '') -> str:
        """Where a failing check of @step sends the student: its hint @number, with the
        command that shows it, or the step's next hint."""
        if number:
            return f'read Hint {number} of {step} ({hint_command(step, number)})'
        return f'read the next hint of {step} (make hint STEP={step.split("-")[0]})'

    def faults(self) -> list[FaultLine]:
        """The faulty runtimes of step 05 (steps/05-test/faults/faults.txt): the described
        ones in the order of their hints, then the extra ones."""
        try:
            lines = parse_fault_list(read_text(self.fault_list()))
        except ValueError as error:
            raise ValueError(f'{self.rel(self.fault_list())}: {error}') from None
        return sorted(lines, key=lambda f: (not f.described, int(f.hint) if f.hint else 99))

    def fault_list(self) -> Path:
        return self.top / self.steps[TEST_STEP].faults / 'faults.txt'

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
        if self.config.origin == 'catalogue':
            return f'container-{step}-catalogue'
        return 'container-student' if step == FULL else f'container-{step}'

    def targets_for(self, step: str) -> list[str]:
        """What grading @step builds: a code step's GoogleTest binary (when it has checks
        of that kind) and its runtime; a tests step's reference runtime and faulty ones;
        the whole runtime."""
        if step == FULL:
            return [self.runtime_target(FULL)]
        if self.is_tests(step):
            return ['container'] + [f.target for f in self.faults()]
        tests = list((self.top / 'steps' / step).glob('*_test.cpp'))
        return ([f'test-{step}-{self.config.origin}'] if tests else []) + [self.runtime_target(step)]

    def report_build_failure(self, result: StepResult, build: ex.Build, files: list[Path]) -> None:
        c = self.console
        if build.missing_target:
            result.note = f'cannot be built: the build has no target {build.missing_target}'
            c.line(f'  {c.cross} {result.note}')
            return
        errors = ' '.join(build.errors)
        undefined_own = 'undefined reference' in errors and any(
            f'container::{function}' in errors for function, owner in self.function_step.items()
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
            if self.steps[step].kind == 'tests':
                return self.grade_test_step(step)
            return self.grade_code_step(step)
        except (ex.CannotRun, PermissionError):
            raise                  # no check can run, or no file be written: the grade stops
        except Exception as error:  # noqa: BLE001 - report it, grade the other steps
            import traceback
            result = StepResult(step, self.title(step), worth=self.worth(step), note=f'the grader failed: {error!r}')
            check = Check(step, 'grader', 'the grader could grade this step', 'grader')
            check.summary = f'the grader itself failed: {error!r} (please report this)'
            check.happened = trim(traceback.format_exc().splitlines()[-6:], 6)
            self.record(result, check)
            return result

    # ------------------------------------------------------------ coding steps 01-04

    def grade_code_step(self, step: str) -> StepResult:
        c = self.console
        result = StepResult(step, self.title(step), worth=self.worth(step))
        c.heading(f'{step}: {result.title}')
        test_target = f'test-{step}-{self.config.origin}'
        runtime = self.runtime_target(step)
        student = self.student_file(step)
        tests = sorted((self.top / 'steps' / step).glob('*_test.cpp'))
        bats_files = sorted((self.top / 'steps' / step).glob('*.bats'))
        targets = self.targets_for(step)
        if tests and self.config.first_failure:
            targets = [test_target]     # the runtime only once its checks are due (below)
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
            result.checks += self.unbuilt(step, tests, result.note) + \
                self.unbuilt(step, bats_files, result.note)
            if result.checks:
                c.line(f'  {len(result.checks)} checks were not run.')
            return result
        if tests:
            self.run_gtests(step, self.binary(test_target), result)
        if runtime not in targets and bats_files and not self.stopping(result):
            build = self.build([runtime], [student])
            if not build.ok:
                self.report_build_failure(result, build, [student])
                result.checks += self.unbuilt(step, bats_files, result.note)
                return result
        for bats in bats_files:
            self.run_bats_file(step, bats, self.binary(runtime), result)
        self.report_unrun(result)
        if not result.checks:
            c.line(f'  {c.cross} this step has no checks')
        return result

    @staticmethod
    def unbuilt(step: str, sources: list[Path], why: str) -> list[Check]:
        """The checks of @sources (C++ GoogleTest files or Bats files), none of them run."""
        checks = []
        for source in sources:
            text, gtest = read_text(source), source.suffix == '.cpp'
            for ident in gtest_names_in_text(text) if gtest else bats_test_names(text):
                checks.append(Check(step, ident, core.sentence(ident) if gtest else ident,
                                    'gtest' if gtest else 'bats', status=BUILD_FAILED,
                                    summary=f'not run: {why}'))
        return checks

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
            if not self.left_unrun(result, ident, 'gtest'):
                self.record(result, self.run_gtest(step, binary, ident))

    def run_gtest(self, step: str, binary: Path, ident: str) -> Check:
        check = Check(step, ident, core.sentence(ident), 'gtest')
        report = 'gtest.json'
        run = self.sandbox.run([str(binary), f'--gtest_filter={ident}', '--gtest_color=no',
                                f'--gtest_output=json:{self.sandbox.results / report}'],
                               timeout=self.config.timeout, results=(report,))
        record = gtest_record(run.results[report], ident)
        if self.timed_out(check, run, 'the function did not return: a loop that never ends, '
                          'or a wait for something that never happens?', self.readme_hint(step)):
            return check
        if record is None and not_implemented_function(run.output):
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

    def timed_out(self, check: Check, run: ex.Run, why: str = '', hint: str = '') -> bool:
        """Notes on @check how long @run took and what it left mounted; whether it was
        stopped by the timeout (@check then says so, and @why it may have hung)."""
        check.duration = run.duration
        check.left_mounted = list(run.left_mounted)
        if run.timed_out:
            check.status = TIMEOUT
            check.summary = f'timed out after {self.config.timeout:g} s'
            check.happened = [why] if why else []
            check.hint = hint
        return run.timed_out

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
        return {name: hint for source in sorted((self.top / 'steps' / step).glob('*_test.cpp'))
                for name, hint in gtest_hints_in_text(read_text(source)).items()}

    def not_implemented(self, check: Check, function: str) -> None:
        check.status = NOT_IMPLEMENTED
        owner = self.function_step.get(function, check.step if check.step in self.step_files else '')
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
        hint = bats_hints_in_text(read_text(bats)).get(name, '')
        tap = parse_tap(run.output)
        outcome = tap[0] if tap else None
        if self.timed_out(check, run, 'the container did not finish: a hang in the volume code?',
                          self.readme_hint(step, hint) if not self.is_tests(step) else ''):
            return check
        if outcome is None:
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
            if missing and not self.is_tests(step):
                self.not_implemented(check, missing)
                return check
            check.status = FAIL
            check.expected, check.happened = explain_bats_failure(outcome.diagnostics)
            check.summary = container_crash(diagnostics)
            if not self.is_tests(step):
                check.hint = self.readme_hint(step, hint)
                if check.summary == HUNG_CONTAINER:
                    check.status = TIMEOUT      # the runtime with the step's code hangs
        return check

    def run_bats_file(self, step: str, bats: Path, runtime: Path, result: StepResult) -> None:
        names = bats_tests(bats)
        if not names:
            check = Check(step, self.rel(bats), f'{self.rel(bats)} holds checks', 'bats')
            check.summary = 'no @test found in it'
            self.record(result, check)
            return
        for name in names:
            if not self.left_unrun(result, name, 'bats'):
                self.record(result, self.run_bats_test(bats, name, runtime, step))

    def record(self, result: StepResult, check: Check) -> None:
        result.checks.append(check)
        self.console.check(check)

    def left_unrun(self, result: StepResult, ident: str, kind: str) -> bool:
        """Whether the check @ident of @result's step is left unrun, and recorded so: once a
        check of the step timed out (the step hangs: each other check would wait for its
        own timeout too), or after the first failure when Config.first_failure says so."""
        why = self.stopping(result)
        if why:
            name = core.sentence(ident) if kind == 'gtest' else ident
            result.checks.append(Check(result.step, ident, name, kind, status=NOT_RUN, summary=why))
        return bool(why)

    def stopping(self, result: StepResult) -> str:
        """Why the checks of @result's step still to come are not run, or ''."""
        if any(c.status == TIMEOUT for c in result.checks):
            return STEP_HANGS
        if self.config.first_failure and any(not c.passed for c in result.checks):
            return 'not run (a check before failed)'
        return ''

    def report_unrun(self, result: StepResult) -> None:
        """One line for the checks left unrun, rather than one each."""
        unrun = [check for check in result.checks if check.status == NOT_RUN]
        if unrun:
            c = self.console
            c.line(f'  {c.cross} {c.yellow(f"the other {len(unrun)} checks: {unrun[0].summary}")}')
            if unrun[0].summary == STEP_HANGS:
                c.line(f'      {c.dim("make the check that timed out finish, then grade again")}')

    # ------------------------------------------------------------ step 05: testing

    def grade_test_step(self, step: str) -> StepResult:
        """A step of kind "tests" (05), graded by mutation score: the student's checks
        must all pass against the reference runtime, and each faulty runtime is caught when
        one of them fails against it. A check per described fault (named when missed, with
        the hint that leads to a check for it); one for the extra faults together, extra
        credit, which never fails the step and names them only once the step passes."""
        c = self.console
        result = StepResult(step, self.title(step), worth=self.worth(step))
        c.heading(f'{step}: {result.title}')
        bats = self.student_file(step)
        faults = self.faults()
        described = [f for f in faults if f.described]
        extras = [f for f in faults if not f.described]
        self.catches = {}
        # The faulty runtimes only once a check passes on the reference: a first grade
        # of the untouched skeleton need not wait for them.
        c.line(c.dim('  building the reference runtime ...'))
        build = self.build(['container'], [])
        main = Check(step, 'reference', 'your checks pass against the correct runtime', 'bats05')
        fault_checks = [Check(step, f'fault:{f.name}', f'they catch the broken runtime "{f.name}"',
                              'fault') for f in described]
        extra = Check(step, 'extra-faults', 'extra credit: faulty runtimes the guide does not '
                      'describe', 'fault-extra', max_points=len(extras))
        unchecked = fault_checks + ([extra] if extras else [])
        if not build.ok:
            self.report_build_failure(result, build, [])
            self.leave(result, [main] + unchecked, 'not run: the runtimes could not be built',
                       BUILD_FAILED)
            return result
        names = bats_tests(bats) if bats.exists() else []
        if not names:
            main.summary = (f'{self.rel(bats)} holds no @test' if bats.exists()
                            else f'{self.rel(bats)} does not exist')
            main.hint = self.readme_hint(step)
            self.record(result, main)
            self.leave(result, unchecked, 'not checked: there are no checks to run')
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
                     if re.search(r'\bTODO \d+', core.message_of(check))]
        if failed and len(unwritten) == len(failed) == len(names):
            main.status = NOT_IMPLEMENTED
            main.summary = 'not written yet: every check still holds its TODO'
            main.hint = f'write the checks of {self.rel(bats)}, TODO 1 first'
        elif failed:
            main.status = FAIL
            main.summary = (f'{len(failed)} of your {len(names)} checks fail against the correct '
                            'runtime: a wrong check')
            for check in failed:
                main.happened.append(f'✗ {check.name}' if c.unicode else f'FAIL {check.name}')
                main.happened.extend('    ' + line for line in
                                     core.message_of(check).splitlines()[:7])
            main.hint = ('a check that fails on a correct runtime cannot tell a broken one '
                         'apart: ' + self.readme_hint(step))
            if unwritten:
                main.happened.insert(0, f'{len(unwritten)} of them still hold their TODO')
        else:
            main.status = PASS
            main.points = main.max_points
            main.summary = f'{len(names)} checks'
        self.record(result, main)
        if not passing:
            self.leave(result, unchecked, 'not checked: none of your checks passes against the '
                       'correct runtime', hint=self.readme_hint(step))
            return result
        c.line(c.dim(f'  building the {len(faults)} faulty runtimes ...'))
        build = self.build([f.target for f in faults], [])
        if not build.ok:
            self.report_build_failure(result, build, [])
            self.leave(result, unchecked, 'not run: the faulty runtimes could not be built',
                       BUILD_FAILED)
            return result

        # 2. Against each faulty runtime: the checks that passed above, each in its own
        # sandbox; the runtime is caught when one of them fails.
        for fault in faults:
            caught_by, took = self.checks_failing(bats, passing, self.binary(fault.target))
            self.catches[fault.name] = caught_by
            if not fault.described:
                extra.duration += took
                continue
            check = fault_checks[described.index(fault)]
            check.duration = took
            if caught_by:
                check.status = PASS
                check.points = check.max_points
                check.summary = f'it {fault.description}; caught by "{caught_by[0]}"'
            else:
                check.status = FAIL
                check.summary = f'your checks did not notice: a runtime that {fault.description}'
                check.hint = self.readme_hint(step, fault.hint)
            self.record(result, check)

        # 3. The extra faults, then the score.
        passes = main.passed and all(check.passed for check in fault_checks)
        if extras:
            extra.summary, lines = extra_faults_report(
                [(f.name, f.description, bool(self.catches[f.name])) for f in extras],
                passes, c.unicode)
            extra.status = PASS       # extra credit: it never fails the step
            extra.points = sum(1 for f in extras if self.catches[f.name])
            extra.happened = lines
            self.record(result, extra)
            for line in lines:
                c.line(f'      {line}')
        caught = sum(1 for f in faults if self.catches[f.name])
        c.line(f'  {c.bold(mutation_score(caught, len(faults)))}')
        c.line(c.dim(f'  ({test_step_rule(len(described), len(extras))})'))
        return result

    def leave(self, result: StepResult, checks: list[Check], summary: str, status: str = FAIL,
              hint: str = '') -> None:
        """Records @checks as not run, for the reason @summary; shown one by one unless the
        build failed (its report, above, stands for them all)."""
        for check in checks:
            check.status, check.summary, check.hint = status, summary, hint
            if status == BUILD_FAILED:
                result.checks.append(check)
            else:
                self.record(result, check)

    def checks_failing(self, bats: Path, names: list[str], runtime: Path) -> tuple[list[str], float]:
        """(the checks of @names that do not pass against @runtime, seconds taken). One
        run of Bats for them all, each check in a sandbox of its own (tests/support/
        helpers.bash); a check that never reports (the run timed out) did not pass."""
        pattern = '^(' + '|'.join(ere_escape(name) for name in names) + ')$'
        run = self.sandbox.run(['bats', '--tap', '--filter', pattern, str(bats)],
                               timeout=self.config.timeout * len(names),
                               env=self.bats_env(runtime), watch_mounts=False)
        passed = {outcome.name for outcome in parse_tap(run.output)
                  if outcome.ok and not outcome.skipped}
        return [name for name in names if name not in passed], run.duration

    # ------------------------------------------------------------ the whole runtime

    def grade_full(self) -> StepResult:
        c = self.console
        result = StepResult(FULL, self.title(FULL), worth=self.worth(FULL))
        c.heading(f'Full runtime: {result.title}')
        target = self.runtime_target(FULL)
        c.line(c.dim(f'  building {target} ...'))
        files = [self.student_file(s) for s in self.volume_steps]
        build = self.build(self.targets_for(FULL), files)
        scenario = full_runtime_scenario()
        if not build.ok:
            self.report_build_failure(result, build, files)
            for ident, name, _ in scenario:
                result.checks.append(Check(FULL, ident, name, 'full', status=BUILD_FAILED,
                                           summary=f'not run: {result.note}'))
            return result
        runtime = self.binary(target)
        for ident, name, script in scenario:
            if not self.left_unrun(result, ident, 'full'):
                self.record(result, self.run_scenario_check(runtime, ident, name, script))
        self.report_unrun(result)
        return result

    def run_scenario_check(self, runtime: Path, ident: str, name: str, script: str) -> Check:
        """One check of the full-runtime scenario against @runtime."""
        check = Check(FULL, ident, name, 'full')
        run = self.sandbox.run(['bash', '-c', FULL_PRELUDE + script, 'full-runtime'],
                               timeout=self.config.timeout, env=self.bats_env(runtime))
        missing = not_implemented_function(run.output)
        if self.timed_out(check, run):
            pass
        elif run.returncode == 0:
            check.status = PASS
            check.points = check.max_points
        elif missing:
            self.not_implemented(check, missing)
        else:
            check.status = FAIL
            check.expected, check.happened = explain_script_output(run.output.splitlines())
            check.hint = ('grade each step on its own (make grade STEP=NN-name) to find '
                          'the one that breaks this')
        return check


def resolve_step(wanted: str, steps: list[str]) -> str | None:
    """The step of @steps (or FULL) that @wanted names: "02-mount", "02", "2", "mount"."""
    return manifest.find(wanted, steps + [FULL])


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
leaked=$(python3 "$REPO_ROOT/common/tools/mountinfo.py" new-since - <<<"$before")
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


# ---------------------------------------------------------------- reading the files

def read_text(path: Path) -> str:
    try:
        return path.read_text(errors='replace')
    except OSError:
        return ''


def bats_tests(path: Path) -> list[str]:
    """The names of the @test blocks of a Bats file, in order."""
    return bats_test_names(read_text(path))
