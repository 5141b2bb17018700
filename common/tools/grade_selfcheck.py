"""The grader's proof that its checks can be trusted (`grade --selfcheck`, in `make test`).

- Every step passes against solutions/: each check of each step, the whole runtime,
  and step 05's reference checks catch every faulty runtime, the extra ones too.
- Each faulty runtime of step 05 needs its own observation: exactly the reference checks
  that say they catch it ("# catches: NAME" above them) do, and every reference check but
  the basic one ("# catches: none") is the only one to catch some fault, so that leaving
  any one of them out lowers the score.
- Every step fails against its untouched skeleton, each check on its own: a check that
  passes on a skeleton cannot fail, and proves nothing. The skeleton must compile (a
  build failure would fail every check for the wrong reason). A step whose file holds
  your work is left out, with a note (see workshop.student_work): a clean clone, as in
  CI, proves them all.
- Every skeleton still holds its numbered TODOs (and the C++ ones their not_implemented()):
  the file, or its skeleton in git when it holds your work (workshop.skeleton_text).
- Each broken runtime of step 05 still passes the basic reference check (a file of the
  host read in the container) and every other check not credited with it: it has one
  fault, and is not simply dead (which any check at all would catch). This comes from
  the same runs as the line above.
- The grader's own machinery: a check that hangs is stopped by the timeout, a crash is
  reported as one (probes built by steps/05-test/CMakeLists.txt).
- The catalogue of wrong answers (solutions/catalogue/, grade_catalogue.py): a check of
  its step catches each variant of the reference with one mistake in it.
- The machine's mount table is the same before and after.

With --step (make grade-selfcheck STEP=01): that step only, without the grader's own
machinery. Ends with its own "N passed, N failed" line; the details of every grade are
in BUILD_DIR/grade/selfcheck.log.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import grade_core as core
import grade_exec as ex
import mountinfo
from grade_core import BUILD_FAILED, CRASH, TIMEOUT, StepResult
from grade_catalogue import Catalogue
from grade_explain import bats_catches_in_text, parse_gtest_list
from grade_steps import (FULL, TEST_STEP, Config, Grader, bats_tests, preflight, read_text,
                         resolve_step)
import workshop as ws

PROBES = {
    # target: (step whose checks it runs, expected status, what it proves)
    'grade-probe-hang': ('02-mount', TIMEOUT, 'a function that hangs is stopped by the timeout'),
    'grade-probe-crash': ('02-mount', CRASH, 'a function that crashes is reported as a crash'),
}
PROBE_TIMEOUT = 3


class SelfCheck:
    def __init__(self, args: argparse.Namespace, console: core.Console, top: Path):
        self.args = args
        self.console = console
        self.top = top
        self.build_dir = Path(args.build_dir).resolve()
        self.log_path = self.build_dir / 'grade' / 'selfcheck.log'
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log = open(self.log_path, 'w', encoding='utf-8')
        self.quiet = core.Console(stream=self.log, colour=False)
        self.quiet.unicode = True
        self.passed = 0
        self.failed = 0
        # The steps to prove: every one and the whole runtime, or the one of --step.
        every = self.every_step()
        self.steps = [resolve_step(args.step, every) or args.step] if args.step else every

    def every_step(self) -> list[str]:
        return self.grader('steps').all_steps() + [FULL]

    def grader(self, origin: str, timeout: float | None = None) -> Grader:
        config = Config(top=self.top, build_dir=self.build_dir, origin=origin,
                        timeout=timeout or self.args.timeout, jobs=self.args.jobs,
                        build_type=self.args.build_type, image=Path(self.args.image).resolve())
        return Grader(config, self.quiet)

    def verdict(self, ok: bool, text: str, details: list[str] | None = None) -> None:
        c = self.console
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        c.line(f'  {c.tick if ok else c.cross} {text}')
        if not ok:
            for line in (details or [])[:12]:
                c.line(f'      {line}')

    # ------------------------------------------------------------ parts

    def grade_all(self, grader: Grader, steps: list[str]) -> list[StepResult]:
        results = []
        for step in steps:
            self.quiet.line(f'=== {grader.config.origin}: {step}')
            results.append(grader.grade_step(step))
        return results

    def solutions_pass(self) -> None:
        self.console.heading('The reference (solutions/) passes every check')
        grader = self.grader('solutions')
        for result in self.grade_all(grader, self.steps):
            # A check that passes short of its points: extra faults of step 05 missed.
            failing = [c for c in result.checks if not c.passed or c.points < c.max_points]
            if not result.checks:
                self.verdict(False, f'{result.step}: no checks at all', [result.note])
                continue
            if result.note:
                self.verdict(False, f'{result.step}: {result.note}', [])
                continue
            for c in failing:
                self.verdict(False, f'{result.step}: "{c.name}" fails on the reference',
                             [core.message_of(c)] + ([c.hint] if c.hint else []))
            passing = len(result.checks) - len(failing)
            if passing:
                what = 'its checks catch every faulty runtime' if result.step == TEST_STEP \
                    else 'passes'
                self.passed += passing
                self.console.line(f'  {self.console.tick} {result.step}: {what} '
                                  f'({passing} of {len(result.checks)} checks)')
        if TEST_STEP in self.steps:
            self.faults_need_own_checks(grader)

    def faults_need_own_checks(self, grader: Grader) -> None:
        """From the grade of step 05 just made (every reference check run against every
        faulty runtime, each in a sandbox of its own): each fault is caught by exactly the
        checks credited with it, and each check is the only one to catch some fault. As the
        checks are independent, a check left out changes nothing for the others: each fault
        credited to it alone would then get through (the score drops)."""
        self.console.heading('Each faulty runtime of step 05 needs its own check')
        bats = grader.student_file(TEST_STEP)
        names = bats_tests(bats)
        credits = bats_catches_in_text(read_text(bats))
        faults = grader.faults()
        known = {fault.name for fault in faults}
        for name in names:
            if name not in credits:
                self.verdict(False, f'"{name}" does not say which faults it catches',
                             ['add "# catches: NAME, ..." (or "# catches: none") above it'])
            for unknown in sorted(set(credits.get(name, [])) - known):
                self.verdict(False, f'"{name}" is credited with {unknown}, which is no fault of '
                                    f'{grader.rel(grader.fault_list())}')
        if not grader.catches:
            self.verdict(False, 'no faulty runtime was tried: the grade of step 05 stopped early')
            return
        for fault in faults:
            credited = [name for name in names if fault.name in credits.get(name, [])]
            caught = grader.catches.get(fault.name, [])
            if not credited:
                self.verdict(False, f'{fault.name}: no reference check says it catches it',
                             [f'caught by: {", ".join(caught) or "none"}'])
            elif set(caught) != set(credited):
                self.verdict(False, f'{fault.name}: caught by other checks than the ones credited '
                                    'with it', [f'credited: {", ".join(credited)}',
                                                f'caught by: {", ".join(caught) or "none"}'])
            else:
                # Equal to its credits: it passes every other check, the basic one too,
                # so it has one fault and is not simply dead.
                self.verdict(True, f'{fault.name}: caught by "{caught[0]}" only'
                             if len(caught) == 1 else f'{fault.name}: caught by {len(caught)} '
                             'checks: ' + ', '.join(f'"{name}"' for name in caught))
        # Leaving a check out must let some fault through.
        needed = [name for name in names if credits.get(name) != []]   # not the basic one
        for name in needed:
            if not any(caught == [name] for caught in grader.catches.values()):
                self.verdict(False, f'without "{name}" the score would not drop: no fault is '
                                    'caught by it alone', [])
                needed = []
        if needed:
            self.verdict(True, f'without any one of its {len(needed)} checks (the basic one '
                               'aside) the reference catches fewer faulty runtimes')

    def skeletons_fail(self) -> None:
        self.console.heading('Every untouched skeleton fails each of its checks')
        grader = self.grader('steps')
        # Your work in a step is no skeleton: grading it proves nothing about the checks.
        work = ws.student_work(self.top)
        with_work = [step for step in grader.all_steps()
                     if grader.rel(grader.student_file(step)) in work]
        if set(with_work) - {TEST_STEP}:
            with_work.append(FULL)     # the whole runtime is built from every coding step
        left_out = [step for step in self.steps if step in with_work]
        if left_out:
            self.console.line(f'  note: not proved here for {", ".join(left_out)}: your work '
                              'is in it (a clean clone, as in CI, proves every step)')
        chosen = [step for step in self.steps if step not in with_work]
        for result in self.grade_all(grader, chosen):
            if not result.checks:
                self.verdict(False, f'{result.step}: no checks at all', [])
                continue
            if any(c.status == BUILD_FAILED for c in result.checks):
                self.verdict(False, f'{result.step}: the skeleton does not build, so its checks '
                                    'fail for the wrong reason', [result.note])
                continue
            wrongly_passing = [c for c in result.checks if c.passed]
            for c in wrongly_passing:
                self.verdict(False, f'{result.step}: "{c.name}" passes on the untouched skeleton: '
                                    'a check that cannot fail', [c.summary] if c.summary else [])
            failing = len(result.checks) - len(wrongly_passing)
            if failing:
                self.passed += failing
                reasons = sorted({c.status for c in result.checks if not c.passed})
                self.console.line(f'  {self.console.tick} {result.step}: {failing} of '
                                  f'{len(result.checks)} checks fail ({", ".join(reasons)})')

    def todos_present(self) -> None:
        self.console.heading('Every skeleton holds its numbered TODOs')
        grader = self.grader('steps')
        for step in [step for step in self.steps if step != FULL]:
            file = grader.student_file(step)
            name = grader.rel(file)
            try:
                text = ws.skeleton_text(file, self.top)
            except ws.Refusal as refusal:
                if file.exists():      # your work, and no skeleton to compare with
                    self.console.line(f'  note: {name} holds your work, and {refusal}')
                else:
                    self.verdict(False, f'{name} is missing')
                continue
            todos = sorted({int(n) for n in re.findall(r'\bTODO (\d+)\b', text)})
            problems = []
            if not todos:
                problems.append('no "TODO N" left in it')
            elif todos != list(range(1, len(todos) + 1)):
                problems.append(f'the TODOs are not numbered 1..N: {todos}')
            if file.suffix == '.cpp' and 'not_implemented(' not in text:
                problems.append('it no longer ends in not_implemented(...)')
            if not file.is_file():
                origin = ' (its skeleton in git: the file is missing)'
            elif text != file.read_text(errors='replace'):
                origin = ' (its skeleton in git: the file holds your work)'
            else:
                origin = ''
            self.verdict(not problems, f'{name}: TODO 1..{len(todos)}{origin}'
                         if not problems else f'{name}{origin}: {problems[0]}', problems)

    def probes(self) -> None:
        self.console.heading("The grader's own machinery")
        grader = self.grader('solutions', timeout=PROBE_TIMEOUT)
        for target, (step, expected, proves) in PROBES.items():
            build = grader.build([target], [])
            if not build.ok:
                self.verdict(False, f'{proves}: the probe {target} does not build', build.errors)
                continue
            listing = grader.sandbox.run([str(grader.binary(target)), '--gtest_list_tests'],
                                         timeout=30, watch_mounts=False)
            names = parse_gtest_list(listing.output)
            if not names:
                self.verdict(False, f'{proves}: the probe {target} lists no checks')
                continue
            # The first check that calls the step's function shows it; try a few.
            got = []
            for ident in names[:8]:
                check = grader.run_gtest(step, grader.binary(target), ident)
                got.append(f'{ident}: {check.status} {check.summary}')
                if check.status == expected:
                    self.verdict(True, f'{proves} ("{check.summary}")')
                    break
            else:
                self.verdict(False, f'{proves}: no check of {target} ended as {expected}', got)

    def catalogue(self) -> None:
        chosen = None
        if self.args.step:
            chosen = [step for step in self.steps if step not in (TEST_STEP, FULL)]
            if not chosen:
                return          # the catalogue holds variants of the coding steps only
        self.console.heading('Each wrong answer of the catalogue (solutions/catalogue/) is caught')
        directory = getattr(self.args, 'catalogue_dir', None)
        Catalogue(self.top, self.grader('solutions').config, self.console, self.quiet,
                  self.verdict, Path(directory) if directory else None).run(
                      chosen, getattr(self.args, 'variant', ''))

    # ------------------------------------------------------------ all

    def run(self, only_catalogue: bool = False) -> int:
        c = self.console
        if any(step not in self.every_step() for step in self.steps):
            c.line(f'grade: no step {self.args.step!r}; the steps are: {", ".join(self.every_step())}')
            return 2
        if not preflight(c, Path(self.args.image), self.top):     # one line, no count
            return 1
        title = 'The catalogue of wrong answers' if only_catalogue else 'Grader self-check'
        c.line(c.bold(title) + c.dim(f'  [details in {self.log_path}]'))
        before = mountinfo.points_by_id()
        try:
            if not only_catalogue:
                self.todos_present()
                self.solutions_pass()
                self.skeletons_fail()
                if not self.args.step:     # they run checks of 02-mount
                    self.probes()
            self.catalogue()
        except ex.CannotRun as error:
            self.verdict(False, f'stopped: a check could not be started: {error}')
        c.heading("This machine's mount table")
        after = mountinfo.points_by_id()
        added = sorted(set(after) - set(before), key=lambda k: after[k])
        removed = sorted(set(before) - set(after), key=lambda k: before[k])
        details = [f'+ {after[k]}' for k in added] + [f'- {before[k]}' for k in removed]
        self.verdict(not details, 'unchanged after all of the above', details)
        self.log.close()
        c.line()
        c.line(f'{self.passed} passed, {self.failed} failed')
        return 0 if self.failed == 0 else 1


def selfcheck(args: argparse.Namespace, console: core.Console, top: Path,
              only_catalogue: bool = False) -> int:
    return SelfCheck(args, console, top).run(only_catalogue)
