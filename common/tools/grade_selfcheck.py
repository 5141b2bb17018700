"""The grader's proof that its checks can be trusted (`grade --selfcheck`, in `make test`), one
part a heading: the reference passes every check; step 05's reference checks catch each
faulty runtime, each fault by exactly the checks that say so ("# catches:"); every untouched
skeleton fails each of its checks and reads as not started; each wrong answer of the
catalogue is caught (grade_catalogue.py), the grader's own machinery too (a hang, a crash);
the machine's mount table is the same after. With --step, that step only. Ends with its own
"N passed, N failed"; the details of every grade are in BUILD_DIR/grade/selfcheck.log.
"""

from __future__ import annotations

import argparse
import copy
import io
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import grade_core as core
import grade_exec as ex
import mountinfo
from grade_catalogue import CatalogueError, Variant, apply_variant, load_catalogue, tally_line
from grade_core import BUILD_FAILED, NOT_IMPLEMENTED, NOT_RUN, PASS, TIMEOUT, StepResult
from grade_explain import bats_catches_in_text, test_names
from grade_steps import FULL, TEST_STEP, Config, Grader, preflight, read_text
import workshop as ws

HANG_TIMEOUT = 3      # seconds: a variant expected to hang needs no more to show it


class SelfCheck:
    def __init__(self, args: argparse.Namespace, console: core.Console, top: Path):
        self.args, self.console, self.top = args, console, top
        self.log_path = Path(args.build_dir).resolve() / 'grade' / 'selfcheck.log'
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log = open(self.log_path, 'w', encoding='utf-8')
        self.quiet = core.Console(stream=self.log, colour=False)
        self.quiet.unicode = True
        self.passed = self.failed = 0
        self.building = threading.Lock()      # see in_parallel
        # The steps to prove: every one and the whole runtime, or the one of --step.
        self.every = [step.name for step in ws.steps(top)] + [FULL]
        self.steps = [args.step] if args.step else self.every

    def grader(self, origin: str, first_failure: bool = False) -> Grader:
        return Grader(Config.of(self.args, self.top, origin=origin, first_failure=first_failure,
                                build_lock=self.building), self.quiet)

    def in_parallel(self, first: Callable[[SelfCheck], None],
                    second: Callable[[SelfCheck], None]) -> None:
        """Runs the parts @first and @second of the self-check at once: their checks are
        independent, each in a sandbox of its own, and the machine has a core for each. Their
        builds take turns (two makes in one build directory could race on the files they
        share). @second runs on a copy of this self-check with an output of its own, shown
        once @first is done."""
        twin = copy.copy(self)
        twin.console = core.Console(stream=io.StringIO(), colour=self.console.colour)
        twin.quiet = core.Console(stream=io.StringIO(), colour=False)
        twin.console.unicode, twin.quiet.unicode = self.console.unicode, True
        twin.passed = twin.failed = 0
        failed: list[BaseException] = []

        def run_second() -> None:
            try:
                second(twin)
            except BaseException as error:   # noqa: BLE001 - raised again below
                failed.append(error)
        # A daemon: a Ctrl-C ends the self-check without waiting for it.
        worker = threading.Thread(target=run_second, daemon=True)
        worker.start()
        first(self)
        worker.join()
        self.console.stream.write(twin.console.stream.getvalue())
        self.log.write(twin.quiet.stream.getvalue())
        self.passed, self.failed = self.passed + twin.passed, self.failed + twin.failed
        if failed:
            raise failed[0]

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

    def grade_each(self, grader: Grader, steps: list[str]) -> Iterator[StepResult]:
        """The grades of @steps that have checks (a verdict says so of each that has none)."""
        for step in steps:
            self.quiet.line(f'=== {grader.config.origin}: {step}')
            result = grader.grade_step(step)
            if result.checks:
                yield result
            else:
                self.verdict(False, f'{step}: {result.note or "no checks at all"}')

    def solutions_pass(self) -> None:
        self.console.heading('The reference (solutions/) passes every check')
        grader = self.grader('solutions')
        for result in self.grade_each(grader, self.steps):
            if result.note:
                self.verdict(False, f'{result.step}: {result.note}')
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

    def solutions_then_skeletons(self) -> None:
        self.solutions_pass()
        self.skeletons_fail()

    def faults_need_own_checks(self, grader: Grader) -> None:
        """From the grade of step 05 just made (every reference check against every faulty
        runtime, each in a sandbox of its own). As the checks are independent, a check left
        out changes nothing for the others: each fault caught by it alone would get through."""
        self.console.heading('Each faulty runtime of step 05 needs its own check')
        bats = grader.student_file(TEST_STEP)
        names, credits = test_names(read_text(bats)), bats_catches_in_text(read_text(bats))
        faults = grader.faults()
        # That each check has its "# catches:" line, naming faults of faults.txt, is a rule of
        # `make check-workshop` (workshop_check.py).
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
                self.verdict(True, f'{fault.name}: caught by ' + ', '.join(
                    f'"{name}"' for name in caught) + (' only' if len(caught) == 1 else ''))
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

    # ------------------------------------------------------------ the catalogue

    def catalogue(self) -> None:
        """Each variant is written to BUILD_DIR/catalogue/NN-name/<file>, from which
        test-NN-name-catalogue and container-NN-name-catalogue are built, and graded up to
        its first failing check. Its unchanged copy must pass first, through the same build:
        otherwise every variant would look caught. Every verdict of this part counts in its
        tally: a variant caught, or a variant (or the catalogue) at fault."""
        c, only = self.console, self.args.variant
        steps = [s.name for s in ws.steps(self.top) if s.kind == 'code' and s.name in self.steps]
        if not steps:
            return          # the catalogue holds variants of the coding steps only
        c.heading('Each wrong answer of the catalogue (solutions/catalogue/) is caught')
        directory, passed, failed = Path(self.args.catalogue_dir), self.passed, self.failed
        start, self.checking, self.equivalent = time.monotonic(), 0.0, 0
        try:
            found = {step: [v for v in variants if v.name == only or not only]
                     for step, variants in load_catalogue(directory, steps).items()}
            found = {step: variants for step, variants in found.items() if variants}
            if not found:
                self.verdict(False, f'no variant named {only!r} in {ws.rel(directory, self.top)}'
                             if only else f'{ws.rel(directory, self.top)} holds no variant')
        except CatalogueError as error:
            found = {}
            self.verdict(False, str(error))
        grader = self.grader('catalogue', first_failure=True)
        for step, variants in found.items():
            self.catalogue_step(grader, step, variants)
        if found:
            c.line(c.dim(f'  (built and graded in {time.monotonic() - start:.0f} s, '
                         f'{self.checking:.0f} s of it running checks)'))
        caught = self.passed - passed
        c.line(tally_line(caught, caught + self.failed - failed, self.equivalent))

    def catalogue_step(self, grader: Grader, step: str, variants: list[Variant]) -> None:
        copy = grader.student_file(step)        # what the catalogue's targets are built from
        where = ws.rel(self.top / 'solutions' / step / copy.name, self.top)
        try:
            reference = (self.top / where).read_text()
        except OSError as error:
            return self.verdict(False, f'{step}: cannot read its reference {where}: '
                                       f'{error.strerror}')
        in_full = grader.build

        def fast(targets: list[str]) -> ex.Build:
            """Once the unchanged copy is built, a variant changes only the one object that
            its targets link: make's TARGET/fast rules build that (then they) without going
            through every target they depend on again, a second or more each time."""
            built = in_full([f'{step}-catalogue/fast'])
            return in_full([f'{target}/fast' for target in targets]) if built.ok else built
        makefiles = (grader.config.build_dir / 'Makefile').is_file()   # not with Ninja
        for variant in [None] + variants:     # the unchanged copy first
            grader.build = fast if variant and makefiles else in_full
            try:
                text = apply_variant(variant, reference, where) if variant else reference
            except CatalogueError as error:
                self.verdict(False, str(error))
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
            grader.config.timeout = HANG_TIMEOUT if variant and variant.expect == TIMEOUT \
                else self.args.timeout
            self.quiet.line(f'=== catalogue: {step}: '
                            f'{variant.label if variant else "the unchanged reference"}')
            result = grader.grade_step(step)
            self.checking += sum(check.duration for check in result.checks)
            if variant:
                self.judge(variant, result)
                continue
            failing = [check for check in result.checks if not check.passed]
            if failing or not result.checks:
                return self.verdict(
                    False, f'{step}: the unchanged copy of {where} does not pass the checks of '
                           'the step, so no variant of it can be judged',
                    [core.message_of(failing[0]) if failing else result.note or 'no checks'])
        copy.write_text(reference)     # the copy is the reference again
        grader.build = in_full

    def judge(self, variant: Variant, result: StepResult) -> None:
        caught = next((c for c in result.checks if c.status not in (PASS, NOT_RUN)), None)
        if any(check.status == BUILD_FAILED for check in result.checks):
            self.verdict(False, f'{variant.label}: does not compile, so it would be caught for '
                                'the wrong reason', [result.note])
        elif caught is None:
            self.verdict(False, f'{variant.label} survives every check of {variant.step}: it '
                                f'{variant.mistake}')
        elif variant.expect and caught.status != variant.expect:
            self.verdict(False, f'{variant.label}: "{caught.name}" should end as '
                                f'{variant.expect}, not {caught.status}: the variant '
                                f'{variant.mistake}', [caught.summary])
        else:
            took = sum(check.duration for check in result.checks)
            self.verdict(True, f'{variant.label}: caught by "{caught.name}" '
                               + self.console.dim(f'({took:.1f} s)'))
            if self.args.variant:
                self.console.check(caught, indent='      ')

    # ------------------------------------------------------------ all

    def run(self, only_catalogue: bool = False) -> int:
        c = self.console
        if not preflight(c, Path(self.args.image), self.top):     # one line, no count
            return 1
        title = 'The catalogue of wrong answers' if only_catalogue else 'Grader self-check'
        c.line(c.bold(title) + c.dim(f'  [details in {self.log_path}]'))
        before = mountinfo.points_by_id()
        try:
            if only_catalogue:
                self.catalogue()
            else:
                # The catalogue takes about as long as the two parts before it together.
                self.in_parallel(SelfCheck.solutions_then_skeletons, SelfCheck.catalogue)
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

