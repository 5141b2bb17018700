"""Grading the steps: builds and runs the checks, each in the sandbox (grade_exec), and
records their results (grade_explain judges each one, the Console shows them).

A coding step: its GoogleTest binary and a runtime built from the student's code for that
step and the reference for the others; each GoogleTest check, then each check of its Bats
files. Step 05 (kind "tests"): the student's Bats checks must pass against the reference
runtime, and catch the runtimes with one fault each (steps/05-test/faults/faults.txt).
The whole runtime (FULL): the scenario's checks against the runtime of the student's code.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import traceback
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import grade_core as core
import grade_exec as ex
from grade_core import BUILD_FAILED, FAIL, NOT_RUN, STEP_HANGS, TIMEOUT, Check, StepResult
from grade_explain import (HINT_TAG, Advice, FaultLine, ere_escape, gtest_record, judge_bats,
                           judge_extra_faults, judge_fault, judge_gtest, judge_own_checks,
                           judge_timeout, parse_fault_list, parse_gtest_list, parse_tap,
                           tags_above_tests, test_names, test_step_score, trim)
import manifest
from manifest import FULL

TEST_STEP = '05-test'     # the step whose checks the student writes (kind "tests")


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
    # Held while building: graders that share a build directory take turns (two makes in
    # one build directory could race on the files they share; grade_selfcheck.py).
    build_lock: AbstractContextManager = field(default_factory=nullcontext)

    @classmethod
    def of(cls, args, top: Path, **other) -> Config:
        """The configuration the options @args of grade or grade-all give, with @other."""
        settings = dict(top=top, build_dir=Path(args.build_dir).resolve(),
                        origin=getattr(args, 'origin', 'steps'), timeout=args.timeout,
                        jobs=args.jobs, build_type=args.build_type,
                        image=Path(args.image).resolve())
        return cls(**(settings | other))


class Grader:
    """Grades step by step; shows each check on @console as it ends (core.Console)."""

    def __init__(self, config: Config, console: core.Console):
        self.config, self.console, self.top = config, console, config.top
        # The images directory is seen through an overlay: nothing a check does reaches it.
        self.sandbox = ex.Sandbox(self.top, config.build_dir / 'grade', config.image.parent)
        self.steps = {step.name: step for step in manifest.load(self.top)}
        self.volume_steps = [s.name for s in self.steps.values() if s.kind == 'code']
        self.owner = manifest.function_step(self.steps.values())    # function -> its step
        self.configured = False
        self.built: dict[str, ex.Build] = {}
        # Step 05: fault name -> the student's checks that caught it (in the last grade).
        self.catches: dict[str, list[str]] = {}

    def all_steps(self) -> list[str]:
        """The steps of the manifest but the whole runtime (FULL), in order."""
        return [name for name in self.steps if name != FULL]

    def student_file(self, step: str) -> Path:
        """The file the student writes for @step, in the origin graded (for the catalogue of
        wrong answers: the copy of the reference with one mistake, grade_catalogue.py)."""
        catalogue = self.config.origin == 'catalogue' and self.steps[step].kind == 'code'
        origin = self.config.build_dir / 'catalogue' if catalogue else self.top / self.config.origin
        return origin / step / self.steps[step].files[0]

    def rel(self, path: Path) -> str:
        return str(path.relative_to(self.top)) if path.is_relative_to(self.top) else str(path)

    def advice(self, step: str) -> Advice:
        """Where a failing check of @step sends the student: the file of each function."""
        files = {function: f'steps/{owner}/{self.steps[owner].files[0]}'
                 for function, owner in self.owner.items()}
        if step in self.volume_steps:
            files[''] = f'steps/{step}/{self.steps[step].files[0]}'
        return Advice(step, files)

    def faults(self) -> list[FaultLine]:
        """The faulty runtimes of step 05: the described ones in the order of their hints,
        then the extra ones."""
        listed = self.top / self.steps[TEST_STEP].faults / 'faults.txt'
        try:
            lines = parse_fault_list(read_text(listed))
        except ValueError as error:
            raise ValueError(f'{self.rel(listed)}: {error}') from None
        return sorted(lines, key=lambda f: (not f.described, int(f.hint) if f.hint else 99))

    # ------------------------------------------------------------ building

    def build(self, targets: list[str]) -> ex.Build:
        key = ' '.join(targets)
        with self.config.build_lock:
            if not self.configured:
                run = ex.configure(self.top, self.config.build_dir, self.config.build_type)
                if run.returncode != 0:
                    return ex.Build(False, run.output, ['CMake could not configure the build:']
                                    + run.output.strip().splitlines()[-15:])
                self.configured = True
            if key not in self.built:
                self.built[key] = ex.build(self.config.build_dir, targets, self.config.jobs,
                                           self.top)
        return self.built[key]

    def binary(self, target: str) -> Path:
        return self.config.build_dir / 'bin' / target

    def runtime_target(self, step: str) -> str:
        if self.config.origin == 'solutions':
            return 'container'
        if self.config.origin == 'catalogue':
            return f'container-{step}-catalogue'
        return 'container-student' if step == FULL else f'container-{step}'

    def check_files(self, step: str) -> tuple[list[Path], list[Path]]:
        """The GoogleTest sources and Bats files of @step's checks."""
        directory = self.top / 'steps' / step
        return sorted(directory.glob('*_test.cpp')), sorted(directory.glob('*.bats'))

    def targets_for(self, step: str) -> list[str]:
        """What grading @step builds: a code step's GoogleTest binary (if it has such checks)
        and runtime; a tests step's reference runtime and faulty ones."""
        if self.steps[step].kind == 'tests':
            return ['container'] + [f.target for f in self.faults()]
        tests = [f'test-{step}-{self.config.origin}'] if self.check_files(step)[0] else []
        return tests + [self.runtime_target(step)]

    def build_failed(self, result: StepResult, build: ex.Build, files: list[Path]) -> None:
        """Notes on @result why @build failed, with the first errors."""
        errors = ' '.join(build.errors)
        own = [f for f, owner in self.owner.items() if self.student_file(owner) in files]
        if build.missing_target:
            result.note = f'cannot be built: the build has no target {build.missing_target}'
            result.report = [result.note]
            return
        if 'undefined reference' in errors and any(f'container::{f}' in errors for f in own):
            result.note = 'your code does not link: a function of the step is missing'
            result.report = ['Your code does not link. The linker says:']
        elif any(self.rel(f) in errors for f in files):
            result.note = 'your code does not compile'
            result.report = ['Your code does not compile. The compiler says:']
        else:
            result.note = 'the build failed'
            result.report = ['The build failed. The first errors:']
        result.report += build.errors
        if '[-Werror' in build.output:
            result.report.append('(warnings count as errors here: fix them too)')

    # ------------------------------------------------------------ grading

    def grade_step(self, step: str) -> StepResult:
        """Grades one step (or FULL). A failure of the grader itself ends this step only."""
        result = StepResult(step, self.steps[step].heading, worth=self.steps[step].points,
                            optional=self.steps[step].optional)
        if step == FULL and self.config.origin == 'solutions':
            result.title = 'the whole runtime, from the reference code only'
        self.console.heading(f'Full runtime: {result.title}' if step == FULL
                             else f'{step}: {result.title}')
        try:
            if self.steps[step].kind == 'tests':
                self.grade_test_step(result)
            else:
                self.grade_code_step(result)
        except (ex.CannotRun, PermissionError):
            raise                  # no check can run, or no file be written: the grade stops
        except Exception as error:  # noqa: BLE001 - report it, grade the other steps
            result.note = f'the grader failed: {error!r}'
            check = Check(step, 'grader', 'the grader could grade this step', 'grader',
                          summary=f'the grader itself failed: {error!r} (please report this)',
                          happened=trim(traceback.format_exc().splitlines()[-6:], 6))
            self.record(result, check)
        self.console.finish(result)
        return result

    def grade_code_step(self, result: StepResult) -> None:
        """A coding step, or the whole runtime (FULL: the student's files of every step)."""
        step = result.step
        tests, bats_files = self.check_files(step)
        test_target, runtime = f'test-{step}-{self.config.origin}', self.runtime_target(step)
        files = [self.student_file(s) for s in (self.volume_steps if step == FULL else [step])]
        targets = self.targets_for(step)
        if tests and self.config.first_failure:
            targets = [test_target]     # the runtime only once its checks are due (below)
        self.console.progress(f'building {", ".join(targets)} ...')
        missing = [f for f in files if not f.is_file()]
        if missing:
            build = ex.Build(False, '', [])
            result.note = f'{self.rel(missing[0])} is missing'
            fix = (f'put the skeleton back with make reset STEP={step.split("-")[0]}'
                   if self.config.origin == 'steps' else
                   f'put the file back (git checkout -- {self.rel(missing[0])})')
            result.report = [f'{result.note}: {fix}']
        else:
            build = self.build(targets)
        if build.ok and tests:
            self.run_gtests(step, self.binary(test_target), result)
        if build.ok and runtime not in targets and bats_files and not self.stopping(result):
            build = self.build([runtime])
            tests = []                  # they ran
        if not build.ok:
            if not missing:
                self.build_failed(result, build, files)
            result.checks += self.unbuilt(step, tests + bats_files, result.note)
            return
        for bats in bats_files:
            self.run_bats_file(step, bats, self.binary(runtime), result)

    @staticmethod
    def unbuilt(step: str, sources: list[Path], why: str) -> list[Check]:
        """The checks of @sources (GoogleTest sources or Bats files), none of them run."""
        kinds = [(source, 'gtest' if source.suffix == '.cpp' else 'bats') for source in sources]
        return [named_check(step, name, kind, status=BUILD_FAILED, summary=f'not run: {why}')
                for source, kind in kinds for name in test_names(read_text(source), kind)]

    def record(self, result: StepResult, check: Check) -> None:
        result.checks.append(check)
        self.console.check(check)

    def stopping(self, result: StepResult) -> str:
        """Why the checks of @result's step still to come are not run, or '': once a check
        timed out (the step hangs: each other check would wait for its own timeout too),
        or after the first failure when Config.first_failure says so."""
        if any(c.status == TIMEOUT for c in result.checks):
            return STEP_HANGS
        if self.config.first_failure and any(not c.passed for c in result.checks):
            return 'not run (a check before failed)'
        return ''

    def ran(self, check: Check, run: ex.Run, why: str, hint: str = '') -> bool:
        """Notes on @check how long @run took and what it left mounted; whether it ended
        before the timeout (else @check says so, and @why it may have hung)."""
        check.duration, check.left_mounted = run.duration, list(run.left_mounted)
        if run.timed_out:
            judge_timeout(check, self.config.timeout, why, hint)
        return not run.timed_out

    def run_each(self, result: StepResult, names: list[str], kind: str, run) -> None:
        """Runs check by check (@run(name) -> Check) while the step is not stopping."""
        for name in names:
            why = self.stopping(result)
            if why:
                result.checks.append(named_check(result.step, name, kind, status=NOT_RUN,
                                                 summary=why))
            else:
                self.record(result, run(name))

    def run_gtests(self, step: str, binary: Path, result: StepResult) -> None:
        listing = self.sandbox.run([str(binary), '--gtest_list_tests'],
                                   timeout=max(self.config.timeout, 30), watch_mounts=False)
        names = parse_gtest_list(listing.output) if listing.returncode == 0 else []
        if not names:
            self.record(result, Check(step, 'list', 'the GoogleTest checks can be listed', 'gtest',
                                      summary='the test binary did not list its checks',
                                      happened=trim(listing.output.splitlines(), 8)))
        self.run_each(result, names, 'gtest', lambda name: self.run_gtest(step, binary, name))

    def run_gtest(self, step: str, binary: Path, ident: str) -> Check:
        check = named_check(step, ident, 'gtest')
        report = 'gtest.json'
        run = self.sandbox.run([str(binary), f'--gtest_filter={ident}', '--gtest_color=no',
                                f'--gtest_output=json:{self.sandbox.results / report}'],
                               timeout=self.config.timeout, results=(report,))
        advice = self.advice(step)
        if self.ran(check, run, 'the function did not return: a loop that never ends, or a '
                    'wait for something that never happens?', advice.hint()):
            hints = {name: hint for source in self.check_files(step)[0]
                     for name, hint in tags_above_tests(read_text(source), HINT_TAG,
                                                        'gtest').items()}
            judge_gtest(check, gtest_record(run.results[report], ident), run.output,
                        run.returncode, advice, hints.get(ident, ''))
        return check

    def run_bats(self, bats: Path, names: list[str], runtime: Path, **options) -> ex.Run:
        """Runs the checks @names of @bats against @runtime, in one run of Bats (each check in
        a sandbox of its own: tests/support/helpers.bash, which reads these variables)."""
        pattern = '^(' + '|'.join(ere_escape(name) for name in names) + ')$'
        env = {'CONTAINER': str(runtime), 'REPO_ROOT': str(self.top),
               'IMAGE': str(self.config.image),
               'CONTAINER_TIMEOUT': str(max(5, int(self.config.timeout) - 2))}
        return self.sandbox.run(['bats', '--tap', '--filter', pattern, str(bats)],
                                timeout=self.config.timeout * len(names), env=env, **options)

    def run_bats_test(self, bats: Path, name: str, runtime: Path, step: str) -> Check:
        check = named_check(step, name, 'bats')
        run = self.run_bats(bats, [name], runtime)
        # The checks of step 05 are the student's: no hint of ours explains them.
        advice = None if step == TEST_STEP else self.advice(step)
        hint = tags_above_tests(read_text(bats), HINT_TAG, 'bats').get(name, '')
        if self.ran(check, run, 'the container did not finish: a hang in the volume code?',
                    advice.hint(hint) if advice else ''):
            judge_bats(check, run.output, run.returncode, advice, hint)
        return check

    def run_bats_file(self, step: str, bats: Path, runtime: Path, result: StepResult) -> None:
        names = test_names(read_text(bats))
        if not names:
            self.record(result, Check(step, self.rel(bats), f'{self.rel(bats)} holds checks',
                                      'bats', summary='no @test found in it'))
        self.run_each(result, names, 'bats',
                      lambda name: self.run_bats_test(bats, name, runtime, step))

    # ------------------------------------------------------------ step 05: testing

    def grade_test_step(self, result: StepResult) -> None:
        """Step 05, graded by mutation score: the student's checks must all pass against
        the reference runtime; a faulty runtime is caught when one of them fails against
        it. A check per described fault (named when missed, with the hint that leads to a
        check for it); one for the extra faults together, extra credit, which never fails
        the step and names them only once the step passes."""
        step, c = result.step, self.console
        bats, faults, advice = self.student_file(step), self.faults(), self.advice(step)
        described = [f for f in faults if f.described]
        extras = [f for f in faults if not f.described]
        self.catches = {}
        main = Check(step, 'reference', 'your checks pass against the correct runtime', 'bats05')
        fault_checks = [Check(step, f'fault:{f.name}', f'they catch the broken runtime "{f.name}"',
                              'fault') for f in described]
        extra = Check(step, 'extra-faults', 'extra credit: faulty runtimes the guide does not '
                      'describe', 'fault-extra', max_points=len(extras))
        unchecked = fault_checks + ([extra] if extras else [])

        def leave(why: str, status: str = FAIL, hint: str = '') -> None:
            """The checks still @unchecked are not run, for the reason @why; shown one by one
            unless the build failed (its report stands for them all)."""
            for check in unchecked:
                check.status, check.summary, check.hint = status, why, hint
                if status == BUILD_FAILED:
                    result.checks.append(check)
                else:
                    self.record(result, check)

        # The faulty runtimes only once a check passes on the reference: a first grade
        # of the untouched skeleton need not wait for them.
        c.progress('building the reference runtime ...')
        build = self.build(['container'])
        names = test_names(read_text(bats))
        if not build.ok:
            self.build_failed(result, build, [])
            unchecked.insert(0, main)
            return leave('not run: the runtimes could not be built', BUILD_FAILED)
        if not names:
            main.summary = f'{self.rel(bats)} ' + ('holds no @test' if bats.exists()
                                                   else 'does not exist')
            main.hint = advice.hint()
            self.record(result, main)
            return leave('not checked: there are no checks to run')

        # 1. Against the reference: each of the student's checks must pass.
        runs = [self.run_bats_test(bats, name, self.binary('container'), step) for name in names]
        main.duration = sum(check.duration for check in runs)
        passing = [check.name for check in runs if check.passed]
        judge_own_checks(main, names, [check for check in runs if not check.passed],
                         self.rel(bats), advice, c.unicode)
        self.record(result, main)
        if not passing:
            return leave('not checked: none of your checks passes against the correct runtime',
                         hint=advice.hint())
        c.progress(f'building the {len(faults)} faulty runtimes ...')
        build = self.build([f.target for f in faults])
        if not build.ok:
            self.build_failed(result, build, [])
            return leave('not run: the faulty runtimes could not be built', BUILD_FAILED)

        # 2. Against each faulty runtime: the checks that passed above.
        for fault in faults:
            caught_by, took = self.checks_failing(bats, passing, self.binary(fault.target))
            self.catches[fault.name] = caught_by
            if fault.described:
                check = fault_checks[described.index(fault)]
                check.duration = took
                judge_fault(check, fault, caught_by, advice)
                self.record(result, check)
            else:
                extra.duration += took

        # 3. The extra faults, then the score.
        if extras:
            judge_extra_faults(extra, [(f.name, f.description, bool(self.catches[f.name]))
                                       for f in extras],
                               main.passed and all(check.passed for check in fault_checks),
                               c.unicode)
            self.record(result, extra)
        caught = sum(1 for f in faults if self.catches[f.name])
        result.closing = test_step_score(caught, len(described), len(extras))

    def checks_failing(self, bats: Path, names: list[str],
                       runtime: Path) -> tuple[list[str], float]:
        """(the checks of @names that do not pass against @runtime, seconds taken); a check
        that never reports (the run timed out) did not pass."""
        run = self.run_bats(bats, names, runtime, watch_mounts=False)
        passed = {outcome.name for outcome in parse_tap(run.output)
                  if outcome.ok and not outcome.skipped}
        return [name for name in names if name not in passed], run.duration


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
        return subprocess.run([str(top / 'common/tools/root-access'), 'grade']).returncode == 0
    return True


def named_check(step: str, name: str, kind: str, **fields) -> Check:
    """The check called @name in its file: a sentence of a GoogleTest Suite.Name, a Bats
    test's own words."""
    return Check(step, name, core.sentence(name) if kind == 'gtest' else name, kind, **fields)


def read_text(path: Path) -> str:
    try:
        return path.read_text(errors='replace')
    except OSError:
        return ''

