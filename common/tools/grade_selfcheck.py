"""The grader's proof that its checks can be trusted (`grade --selfcheck`, in `make test`).

- Every step passes against solutions/, the whole runtime too, and step 05's reference
  checks catch every faulty runtime, the extra ones too.
- Each faulty runtime of step 05 is caught by exactly the reference checks that say so
  ("# catches: NAME" above them), and each of them but the basic one ("# catches: none")
  is the only one to catch some fault: leaving any one out lowers the score. A fault caught
  by exactly its checks passes every other one: it has one fault, and is not simply dead.
- Every untouched skeleton fails each of its checks (one that passes cannot fail, and
  proves nothing) and reads as not started ("not implemented yet"); it must compile, or
  its checks fail for the wrong reason. A step whose file holds your work is left out,
  with a note (workshop.student_work): a clean clone, as in CI, proves them all. (Its
  numbered TODOs are `make check-workshop`'s.)
- A check that hangs is stopped by the timeout, a crash is reported as one (probes built
  by steps/05-test/CMakeLists.txt).
- The catalogue of wrong answers (solutions/catalogue/README.md): each variant of the
  reference, written to BUILD_DIR/catalogue/NN-name/<file> (test-NN-name-catalogue and
  container-NN-name-catalogue are built from it), is caught by a check of step NN, graded
  up to its first failing check. Its unchanged copy must pass first, through the same
  build: otherwise every variant would look caught.
- The machine's mount table is the same before and after.

With --step (make grade-selfcheck STEP=01): that step only, without the probes. Ends with
its own "N passed, N failed" line; the details of every grade are in
BUILD_DIR/grade/selfcheck.log.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import grade_core as core
import grade_exec as ex
import manifest
import mountinfo
from grade_catalogue import CatalogueError, Variant, apply_variant, load_catalogue, tally_line
from grade_core import BUILD_FAILED, CRASH, NOT_IMPLEMENTED, NOT_RUN, PASS, TIMEOUT, StepResult
from grade_explain import bats_catches_in_text, parse_gtest_list
from grade_steps import FULL, TEST_STEP, Config, Grader, bats_tests, preflight, read_text
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
        self.log_path = Path(args.build_dir).resolve() / 'grade' / 'selfcheck.log'
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log = open(self.log_path, 'w', encoding='utf-8')
        self.quiet = core.Console(stream=self.log, colour=False)
        self.quiet.unicode = True
        self.passed = self.failed = 0
        # The steps to prove: every one and the whole runtime, or the one of --step.
        self.every = [step.name for step in ws.steps(top)] + [FULL]
        self.steps = [manifest.find(args.step, self.every) or args.step] if args.step \
            else self.every

    def grader(self, origin: str, timeout: float = 0, first_failure: bool = False) -> Grader:
        a = self.args
        config = Config(top=self.top, build_dir=Path(a.build_dir).resolve(), origin=origin,
                        timeout=timeout or a.timeout, jobs=a.jobs, build_type=a.build_type,
                        image=Path(a.image).resolve(), first_failure=first_failure)
        return Grader(config, self.quiet)

    def verdict(self, ok: bool, text: str, details: list[str] = (), count: int = 1) -> None:
        """One line for @count checks passed or failed (with @details when failed)."""
        c = self.console
        if ok:
            self.passed += count
        else:
            self.failed += count
        c.line(f'  {c.tick if ok else c.cross} {text}')
        for line in [] if ok else details[:12]:
            c.line(f'      {line}')

    def grade_each(self, grader: Grader, steps: list[str]) -> list[StepResult]:
        results = []
        for step in steps:
            self.quiet.line(f'=== {grader.config.origin}: {step}')
            results.append(grader.grade_step(step))
        return results

    def solutions_pass(self) -> None:
        self.console.heading('The reference (solutions/) passes every check')
        grader = self.grader('solutions')
        for result in self.grade_each(grader, self.steps):
            if not result.checks or result.note:
                self.verdict(False, f'{result.step}: {result.note or "no checks at all"}')
                continue
            # A check that passes short of its points: extra faults of step 05 missed.
            failing = [c for c in result.checks if not c.passed or c.points < c.max_points]
            for c in failing:
                self.verdict(False, f'{result.step}: "{c.name}" fails on the reference',
                             [core.message_of(c)] + ([c.hint] if c.hint else []))
            passing = len(result.checks) - len(failing)
            what = 'its checks catch every faulty runtime' if result.step == TEST_STEP else 'passes'
            if passing:
                self.verdict(True, f'{result.step}: {what} ({passing} of {len(result.checks)} '
                                   'checks)', count=passing)
        if TEST_STEP in self.steps:
            self.faults_need_own_checks(grader)

    def faults_need_own_checks(self, grader: Grader) -> None:
        """From the grade of step 05 just made (every reference check run against every
        faulty runtime, each in a sandbox of its own). As the checks are independent, a
        check left out changes nothing for the others: each fault credited to it alone
        would then get through (the score drops)."""
        self.console.heading('Each faulty runtime of step 05 needs its own check')
        bats = grader.student_file(TEST_STEP)
        names, credits = bats_tests(bats), bats_catches_in_text(read_text(bats))
        faults = grader.faults()
        for name in names:
            if name not in credits:
                self.verdict(False, f'"{name}" does not say which faults it catches',
                             ['add "# catches: NAME, ..." (or "# catches: none") above it'])
            for unknown in sorted(set(credits.get(name, [])) - {f.name for f in faults}):
                self.verdict(False, f'"{name}" is credited with {unknown}, which is no fault of '
                                    f'{ws.rel(grader.fault_list(), self.top)}')
        if not grader.catches:
            return self.verdict(False, 'no faulty runtime was tried: the grade of step 05 '
                                       'stopped early')
        for fault in faults:
            credited = [name for name in names if fault.name in credits.get(name, [])]
            caught = grader.catches.get(fault.name, [])
            by = [f'caught by: {", ".join(caught) or "none"}']
            if not credited:
                self.verdict(False, f'{fault.name}: no reference check says it catches it', by)
            elif set(caught) != set(credited):
                self.verdict(False, f'{fault.name}: caught by other checks than the ones credited '
                                    'with it', [f'credited: {", ".join(credited)}'] + by)
            else:
                self.verdict(True, f'{fault.name}: caught by "{caught[0]}" only'
                             if len(caught) == 1 else f'{fault.name}: caught by {len(caught)} '
                             'checks: ' + ', '.join(f'"{name}"' for name in caught))
        needed = [name for name in names if credits.get(name) != []]   # not the basic one
        alone = [name for name in needed if [name] not in grader.catches.values()]
        for name in alone:
            self.verdict(False, f'without "{name}" the score would not drop: no fault is '
                                'caught by it alone')
        if needed and not alone:
            self.verdict(True, f'without any one of its {len(needed)} checks (the basic one '
                               'aside) the reference catches fewer faulty runtimes')

    def skeletons_fail(self) -> None:
        self.console.heading('Every untouched skeleton fails each of its checks')
        grader = self.grader('steps')
        # Your work in a step is no skeleton: grading it proves nothing about the checks.
        work = ws.student_work(self.top)
        with_work = [step for step in self.every[:-1]
                     if ws.rel(grader.student_file(step), self.top) in work]
        if set(with_work) - {TEST_STEP}:
            with_work.append(FULL)     # the whole runtime is built from every coding step
        left_out = [step for step in self.steps if step in with_work]
        if left_out:
            self.console.line(f'  note: not proved here for {", ".join(left_out)}: your work '
                              'is in it (a clean clone, as in CI, proves every step)')
        for result in self.grade_each(grader, [s for s in self.steps if s not in with_work]):
            statuses = [c.status for c in result.checks]
            wrongly_passing = [c for c in result.checks if c.passed]
            if not result.checks:
                self.verdict(False, f'{result.step}: no checks at all')
                continue
            if BUILD_FAILED in statuses:
                self.verdict(False, f'{result.step}: the skeleton does not build, so its checks '
                                    'fail for the wrong reason', [result.note])
                continue
            for c in wrongly_passing:
                self.verdict(False, f'{result.step}: "{c.name}" passes on the untouched skeleton: '
                                    'a check that cannot fail', [c.summary] if c.summary else [])
            if NOT_IMPLEMENTED not in statuses:
                self.verdict(False, f'{result.step}: the untouched skeleton does not read as not '
                                    'started: no check says "not implemented yet" (does it still '
                                    'call not_implemented()?)')
                continue
            failing = len(statuses) - len(wrongly_passing)
            reasons = ', '.join(sorted({s for s in statuses if s != PASS}))
            if failing:
                self.verdict(True, f'{result.step}: {failing} of {len(statuses)} checks fail '
                                   f'({reasons})', count=failing)

    def probes(self) -> None:
        self.console.heading("The grader's own machinery")
        grader = self.grader('solutions', timeout=PROBE_TIMEOUT)
        for target, (step, expected, proves) in PROBES.items():
            build = grader.build([target], [])
            listing = grader.sandbox.run([str(grader.binary(target)), '--gtest_list_tests'],
                                         timeout=30, watch_mounts=False) if build.ok else None
            names = parse_gtest_list(listing.output) if listing else []
            if not names:
                self.verdict(False, f'{proves}: the probe {target} ' + (
                    'lists no checks' if build.ok else 'does not build'), build.errors)
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

    # ------------------------------------------------------------ the catalogue

    def catalogue(self) -> None:
        c, only = self.console, self.args.variant
        steps = [s.name for s in ws.steps(self.top)
                 if s.kind == 'code' and (not self.args.step or s.name in self.steps)]
        if not steps:
            return          # the catalogue holds variants of the coding steps only
        c.heading('Each wrong answer of the catalogue (solutions/catalogue/) is caught')
        directory = Path(self.args.catalogue_dir)
        self.caught = self.missed = self.equivalent = self.graded = self.checking = 0
        try:
            found = {step: [v for v in variants if v.name == only or not only]
                     for step, variants in load_catalogue(directory, steps).items()}
        except CatalogueError as error:
            return self.defect(str(error))
        found = {step: variants for step, variants in found.items() if variants}
        if not found:
            return self.defect(f'no variant named {only!r} in {ws.rel(directory, self.top)}'
                               if only else f'{ws.rel(directory, self.top)} holds no variant')
        start = time.monotonic()
        grader = self.grader('catalogue', first_failure=True)
        for step, variants in found.items():
            self.catalogue_step(grader, step, variants)
        if self.graded:
            n = len(found)
            c.line(c.dim(f'  ({self.graded} variant{"s" if self.graded != 1 else ""} and {n} '
                         f'unchanged cop{"ies" if n != 1 else "y"} built and graded in '
                         f'{time.monotonic() - start:.0f} s, {self.checking:.0f} s of it '
                         'running checks)'))
        c.line(tally_line(self.caught, self.caught + self.missed, self.equivalent))

    def catalogue_step(self, grader: Grader, step: str, variants: list[Variant]) -> None:
        copy = grader.student_file(step)        # what the catalogue's targets are built from
        where = ws.rel(self.top / 'solutions' / step / copy.name, self.top)
        try:
            reference = (self.top / where).read_text()
        except OSError as error:
            return self.defect(f'{step}: cannot read its reference {where}: {error.strerror}')
        for variant in [None] + variants:     # the unchanged copy first
            try:
                text = apply_variant(variant, reference, where) if variant else reference
            except CatalogueError as error:
                self.defect(str(error))
                continue
            if variant and variant.equivalent:
                self.equivalent += 1
                self.console.line(f'  - {variant.label}: equivalent, not counted '
                                  f'({variant.equivalent})')
                continue
            # Always written: its new time makes the build compile it again.
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(text)
            grader.built.clear()
            self.quiet.line(f'=== catalogue: {step}: '
                            f'{variant.label if variant else "the unchanged reference"}')
            result = grader.grade_step(step)
            self.checking += sum(check.duration for check in result.checks)
            if variant is None:
                failing = [check for check in result.checks if not check.passed]
                if failing or not result.checks:
                    return self.defect(
                        f'{step}: the unchanged copy of {where} does not pass the checks of the '
                        'step, so no variant of it can be judged',
                        [core.message_of(failing[0]) if failing else result.note or 'no checks'])
            else:
                self.graded += 1
                self.judge(variant, result)
        copy.write_text(reference)     # the copy is the reference again

    def judge(self, variant: Variant, result: StepResult) -> None:
        caught = next((c for c in result.checks if c.status not in (PASS, NOT_RUN)), None)
        took = sum(check.duration for check in result.checks)
        if any(check.status == BUILD_FAILED for check in result.checks):
            self.defect(f'{variant.label}: does not compile, so it would be caught for the '
                        'wrong reason', [result.note])
        elif caught is None:
            self.defect(f'{variant.label} survives every check of {variant.step}: it '
                        f'{variant.mistake}')
        else:
            self.caught += 1
            self.verdict(True, f'{variant.label}: caught by "{caught.name}" '
                               f'{self.console.dim(f"({took:.1f} s)")}')
            if self.args.variant:
                self.console.check(caught, indent='      ')

    def defect(self, text: str, details: list[str] = ()) -> None:
        """A variant not caught, or a catalogue that cannot be used as it is."""
        self.missed += 1
        self.verdict(False, text, details)

    # ------------------------------------------------------------ all

    def run(self, only_catalogue: bool = False) -> int:
        c = self.console
        if any(step not in self.every for step in self.steps):
            c.line(f'grade: no step {self.args.step!r}; the steps are: {", ".join(self.every)}')
            return 2
        if not preflight(c, Path(self.args.image), self.top):     # one line, no count
            return 1
        title = 'The catalogue of wrong answers' if only_catalogue else 'Grader self-check'
        c.line(c.bold(title) + c.dim(f'  [details in {self.log_path}]'))
        before = mountinfo.points_by_id()
        try:
            if not only_catalogue:
                self.solutions_pass()
                self.skeletons_fail()
                if not self.args.step:     # they run checks of 02-mount
                    self.probes()
            self.catalogue()
        except ex.CannotRun as error:
            self.verdict(False, f'stopped: a check could not be started: {error}')
        c.heading("This machine's mount table")
        after = mountinfo.points_by_id()
        details = [f'+ {after[k]}' for k in sorted(set(after) - set(before), key=after.get)] + \
            [f'- {before[k]}' for k in sorted(set(before) - set(after), key=before.get)]
        self.verdict(not details, 'unchanged after all of the above', details)
        self.log.close()
        c.line()
        c.line(f'{self.passed} passed, {self.failed} failed')
        return 0 if self.failed == 0 else 1


def selfcheck(args: argparse.Namespace, console: core.Console, top: Path,
              only_catalogue: bool = False) -> int:
    return SelfCheck(args, console, top).run(only_catalogue)
