"""The catalogue of wrong answers: the proof that the checks of steps 01-04 catch realistic
mistakes, not only the untouched skeletons (`make catalogue`, and part of the self-check).

solutions/catalogue/NN-name.toml lists variants of the reference of step NN, each with one
mistake; solutions/catalogue/README.md describes the format. For each variant:

1. its edit is applied to a copy of solutions/NN-name/<file>, written to
   BUILD_DIR/catalogue/NN-name/<file> (the text to replace must be found exactly once:
   a variant whose text is gone from the reference fails loudly);
2. test-NN-name-catalogue and container-NN-name-catalogue are built from that copy and
   the reference of the other steps (CMakeLists.txt): only that one object compiles again;
3. step NN alone is graded, stopping at its first failing check (Config.first_failure).

A variant is caught when a check fails (or times out, or crashes). One that does not
compile is a defect of the catalogue: it would be caught for the wrong reason. An
equivalent variant (`equivalent = "why"`) is applied but neither built nor graded, and not
counted. Before the variants of a step, the unchanged copy must pass every check of the
step through the same build: otherwise every variant would look caught.

Ends with "catalogue: K/N variants caught (E equivalent)".
"""

from __future__ import annotations

import re
import time
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

import grade_core as core
from grade_core import BUILD_FAILED, NOT_RUN, PASS
from grade_steps import Config, Grader

CATALOGUE = 'catalogue'          # the origin graded: the copy in BUILD_DIR/catalogue/


class CatalogueError(Exception):
    """A variant that cannot be used as written (the message names it)."""


@dataclass
class Edit:
    find: str
    replace: str


@dataclass
class Variant:
    step: str
    name: str
    mistake: str
    edits: list[Edit] = field(default_factory=list)
    equivalent: str = ''          # why no check can observe it ('' for a real mistake)

    @property
    def label(self) -> str:
        return f'{self.step} {self.name}'


# ---------------------------------------------------------------- reading and applying

NAME = re.compile(r'^[a-z0-9][a-z0-9-]*$')


def parse_catalogue(text: str, step: str, where: str) -> list[Variant]:
    """The variants of @step in the TOML @text (of the file @where, for messages)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(f'{where}: not valid TOML: {error}') from None
    unknown = set(data) - {'variant'}
    if unknown:
        raise CatalogueError(f'{where}: unknown key {sorted(unknown)[0]!r} (only [[variant]] tables)')
    variants: list[Variant] = []
    for n, table in enumerate(data.get('variant', []), 1):
        name = table.get('name', '')
        label = f'{where}: variant {name or n}'
        if not isinstance(name, str) or not NAME.match(name):
            raise CatalogueError(f'{label}: needs a name of letters, digits and dashes')
        if any(v.name == name for v in variants):
            raise CatalogueError(f'{label}: the name is used twice')
        unknown = set(table) - {'name', 'mistake', 'find', 'replace', 'edit', 'equivalent'}
        if unknown:
            raise CatalogueError(f'{label}: unknown key {sorted(unknown)[0]!r}')
        mistake = table.get('mistake', '')
        if not isinstance(mistake, str) or not mistake.strip():
            raise CatalogueError(f'{label}: says nothing of its mistake (mistake = "...")')
        pairs = table.get('edit', [])
        if 'find' in table or 'replace' in table:
            pairs = [{'find': table.get('find'), 'replace': table.get('replace')}] + pairs
        if not pairs:
            raise CatalogueError(f'{label}: has no edit (find = "...", replace = "...")')
        edits = []
        for pair in pairs:
            find, replace = pair.get('find'), pair.get('replace')
            if not isinstance(find, str) or not isinstance(replace, str) or not find:
                raise CatalogueError(f'{label}: each edit needs a text to find and its replacement')
            if find == replace:
                raise CatalogueError(f'{label}: an edit replaces a text by itself')
            edits.append(Edit(find, replace))
        equivalent = table.get('equivalent', '')
        if not isinstance(equivalent, str):
            raise CatalogueError(f'{label}: equivalent = "why no check can observe it"')
        variants.append(Variant(step, name, mistake.strip(), edits, equivalent.strip()))
    return variants


def apply_variant(variant: Variant, reference: str, where: str) -> str:
    """@reference (the text of the file @where) with the edits of @variant."""
    text = reference
    for edit in variant.edits:
        count = text.count(edit.find)
        shown = edit.find.strip().splitlines()[0][:70] if edit.find.strip() else edit.find
        if count == 0:
            raise CatalogueError(f'{variant.label}: its text is no longer in {where} ("{shown}"): '
                                 'the reference changed; rewrite the variant')
        if count > 1:
            raise CatalogueError(f'{variant.label}: its text is found {count} times in {where} '
                                 f'("{shown}"): give more of it, so that it is found once')
        text = text.replace(edit.find, edit.replace)
    return text


def load_catalogue(directory: Path, steps: list[str]) -> dict[str, list[Variant]]:
    """The variants of each of @steps that has a catalogue file, in the order of @steps."""
    found = {}
    for step in steps:
        path = directory / f'{step}.toml'
        if path.is_file():
            found[step] = parse_catalogue(path.read_text(), step, str(path))
    return found


# ---------------------------------------------------------------- running

@dataclass
class Tally:
    caught: int = 0
    survived: list[str] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    equivalent: int = 0
    graded: int = 0               # variants built and graded (the unchanged copies aside)
    seconds: float = 0.0          # all of it
    checking: float = 0.0         # of which running checks (the rest: building, mostly)

    def line(self) -> str:
        counted = self.caught + len(self.survived) + len(self.defects)
        return f'catalogue: {self.caught}/{counted} variants caught ({self.equivalent} equivalent)'


class Catalogue:
    """Runs the catalogue; each outcome goes to @verdict(ok, text, details), the grades'
    details to @log (a Console)."""

    def __init__(self, top: Path, config: Config, console: core.Console, log: core.Console,
                 verdict, directory: Path | None = None):
        self.top = top
        self.console = console
        self.log = log
        self.verdict = verdict
        self.directory = directory or top / 'solutions' / 'catalogue'
        self.grader = Grader(replace(config, origin=CATALOGUE, first_failure=True), log)
        self.tally = Tally()

    def run(self, only_steps: list[str] | None = None, only_variant: str = '') -> Tally:
        c = self.console
        steps = [s for s in self.grader.volume_steps if not only_steps or s in only_steps]
        try:
            catalogue = load_catalogue(self.directory, steps)
        except CatalogueError as error:
            self.defect(str(error))
            return self.tally
        if only_variant:
            catalogue = {step: [v for v in variants if v.name == only_variant]
                         for step, variants in catalogue.items()}
            catalogue = {step: variants for step, variants in catalogue.items() if variants}
            if not catalogue:
                self.defect(f'no variant named {only_variant!r} in {self.grader.rel(self.directory)}')
                return self.tally
        if not catalogue:
            self.defect(f'{self.grader.rel(self.directory)} holds no variant')
            return self.tally
        start = time.monotonic()
        for step, variants in catalogue.items():
            self.run_step(step, variants, verbose=bool(only_variant))
        t = self.tally
        t.seconds = time.monotonic() - start
        if t.graded:
            c.line(c.dim(f'  ({t.graded} variant{"s" if t.graded != 1 else ""} and '
                         f'{len(catalogue)} unchanged cop{"ies" if len(catalogue) != 1 else "y"} '
                         f'built and graded in {t.seconds:.0f} s, {t.checking:.0f} s of it '
                         f'running checks)'))
        c.line(t.line())
        return self.tally

    def run_step(self, step: str, variants: list[Variant], verbose: bool) -> None:
        reference_path = self.top / 'solutions' / step / self.grader.step_files.get(step, '')
        where = self.grader.rel(reference_path)
        try:
            reference = reference_path.read_text()
        except OSError as error:
            self.defect(f'{step}: cannot read its reference {where}: {error.strerror}')
            return
        baseline = self.grade(step, reference, 'the unchanged reference')
        failing = [check for check in baseline.checks if not check.passed]
        if failing or not baseline.checks:
            self.defect(f'{step}: the unchanged copy of {where} does not pass the checks of the '
                        'step, so no variant of it can be judged',
                        [core.message_of(failing[0]) if failing else baseline.note or 'no checks'])
            return
        for variant in variants:
            try:
                text = apply_variant(variant, reference, where)
            except CatalogueError as error:
                self.defect(str(error))
                continue
            if variant.equivalent:
                self.tally.equivalent += 1
                self.console.line(f'  - {variant.label}: equivalent, not counted '
                                  f'({variant.equivalent})')
                continue
            self.judge(variant, self.grade(step, text, variant.label), verbose)
        self.write(step, reference)     # the copy is the reference again

    def judge(self, variant: Variant, result: core.StepResult, verbose: bool) -> None:
        self.tally.graded += 1
        took = sum(check.duration for check in result.checks)
        if any(check.status == BUILD_FAILED for check in result.checks):
            self.defect(f'{variant.label}: does not compile, so it would be caught for the wrong '
                        'reason', [result.note])
            return
        caught = next((check for check in result.checks
                       if check.status not in (PASS, NOT_RUN)), None)
        if caught is None:
            self.tally.survived.append(variant.label)
            self.verdict(False, f'{variant.label} survives every check of {variant.step}: it '
                                f'{variant.mistake}')
            return
        self.tally.caught += 1
        self.verdict(True, f'{variant.label}: caught by "{caught.name}" '
                           f'{self.console.dim(f"({took:.1f} s)")}')
        if verbose:
            self.console.check(caught, indent='      ')

    def grade(self, step: str, text: str, what: str) -> core.StepResult:
        self.write(step, text)
        self.grader.built.clear()          # a new variant: build again
        self.log.line(f'=== catalogue: {step}: {what}')
        result = self.grader.grade_code_step(step)
        self.tally.checking += sum(check.duration for check in result.checks)
        return result

    def write(self, step: str, text: str) -> None:
        """Puts @text in the copy the catalogue's targets are built from (always written:
        its new time makes the build compile it again)."""
        path = self.grader.student_file(step)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def defect(self, text: str, details: list[str] | None = None) -> None:
        self.tally.defects.append(text)
        self.verdict(False, text, details or [])


# ---------------------------------------------------------------- one variant, for the build

def write_variant(top: Path, step: str, name: str, out: Path) -> None:
    """Writes the reference of @step with the variant @name applied to @out, whose file name
    is the step's file (solutions/<step>/<that name>): how a faulty runtime of step 05 is
    made from the catalogue (steps/05-test/CMakeLists.txt). Leaves @out alone when it
    holds that text already, so that nothing compiles again for nothing."""
    reference_path = top / 'solutions' / step / out.name
    where = str(reference_path.relative_to(top))
    variants = load_catalogue(top / 'solutions' / 'catalogue', [step]).get(step, [])
    variant = next((v for v in variants if v.name == name), None)
    if variant is None:
        raise CatalogueError(f'solutions/catalogue/{step}.toml has no variant {name!r}')
    text = apply_variant(variant, reference_path.read_text(), where)
    if not out.is_file() or out.read_text() != text:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)


if __name__ == '__main__':
    import sys
    if len(sys.argv) != 5 or sys.argv[1] != '--write':
        sys.exit('usage: grade_catalogue.py --write STEP VARIANT OUT')
    try:
        write_variant(Path(__file__).resolve().parents[2], sys.argv[2], sys.argv[3],
                      Path(sys.argv[4]))
    except (CatalogueError, OSError) as error:
        sys.exit(f'grade_catalogue.py: {error}')
