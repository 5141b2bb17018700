"""The catalogue of wrong answers, solutions/catalogue/NN-name.toml (its README.md has the
format): variants of the reference of the coding steps, one mistake each, which a check of
the step must catch (grade_selfcheck.py grades them). `grade_catalogue.py --write STEP
VARIANT OUT` writes one for the build: a faulty runtime of step 05 made from the catalogue
(steps/05-test/CMakeLists.txt).
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

NAME = re.compile(r'^[a-z0-9][a-z0-9-]*$')
KEYS = {'name', 'mistake', 'find', 'replace', 'edit', 'equivalent', 'expect'}
EXPECT = ('', 'timeout', 'crash')     # how the check that catches it ends ('': any failure)


class CatalogueError(Exception):
    """A variant that cannot be used as written (the message names it)."""


@dataclass
class Variant:
    step: str
    name: str
    mistake: str
    edits: list[tuple[str, str]] = field(default_factory=list)   # (text to find, replacement)
    equivalent: str = ''          # why no check can observe it ('' for a real mistake)
    expect: str = ''              # a status of grade_core that the catching check must have

    @property
    def label(self) -> str:
        return f'{self.step} {self.name}'


def parse_catalogue(text: str, step: str, where: str) -> list[Variant]:
    """The variants of @step in the TOML @text (of the file @where, for messages)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(f'{where}: not valid TOML: {error}') from None
    if set(data) - {'variant'}:
        raise CatalogueError(f'{where}: unknown key {sorted(set(data) - {"variant"})[0]!r} '
                             '(only [[variant]] tables)')
    variants: list[Variant] = []
    for n, table in enumerate(data.get('variant', []), 1):
        name, mistake = table.get('name', ''), table.get('mistake', '')
        equivalent, unknown = table.get('equivalent', ''), sorted(set(table) - KEYS)
        expect = table.get('expect', '')
        edits = [(e.get('find'), e.get('replace')) for e in table.get('edit', [])]
        if 'find' in table or 'replace' in table:
            edits.insert(0, (table.get('find'), table.get('replace')))
        for ok, problem in (
                (isinstance(name, str) and NAME.match(name),
                 'needs a name of letters, digits and dashes'),
                (all(v.name != name for v in variants), 'the name is used twice'),
                (not unknown, f'unknown key {unknown[0]!r}' if unknown else ''),
                (isinstance(mistake, str) and mistake.strip(),
                 'says nothing of its mistake (mistake = "...")'),
                (edits, 'has no edit (find = "...", replace = "...")'),
                (all(isinstance(f, str) and isinstance(r, str) and f for f, r in edits),
                 'each edit needs a text to find and its replacement'),
                (all(f != r for f, r in edits), 'an edit replaces a text by itself'),
                (isinstance(equivalent, str), 'equivalent = "why no check can observe it"'),
                (expect in EXPECT, f'expect is one of {", ".join(map(repr, EXPECT[1:]))}')):
            if not ok:
                raise CatalogueError(f'{where}: variant {name or n}: {problem}')
        variants.append(Variant(step, name, mistake.strip(), edits, equivalent.strip(), expect))
    return variants


def apply_variant(variant: Variant, reference: str, where: str) -> str:
    """@reference (the text of the file @where) with the edits of @variant."""
    text = reference
    for find, replacement in variant.edits:
        count = text.count(find)
        shown = find.strip().splitlines()[0][:70] if find.strip() else find
        if count == 0:
            raise CatalogueError(f'{variant.label}: its text is no longer in {where} ("{shown}"): '
                                 'the reference changed; rewrite the variant')
        if count > 1:
            raise CatalogueError(f'{variant.label}: its text is found {count} times in {where} '
                                 f'("{shown}"): give more of it, so that it is found once')
        text = text.replace(find, replacement)
    return text


def load_catalogue(directory: Path, steps: list[str]) -> dict[str, list[Variant]]:
    """The variants of each of @steps that has a catalogue file, in the order of @steps."""
    return {step: parse_catalogue((directory / f'{step}.toml').read_text(), step,
                                  str(directory / f'{step}.toml'))
            for step in steps if (directory / f'{step}.toml').is_file()}


def tally_line(caught: int, counted: int, equivalent: int) -> str:
    return f'catalogue: {caught}/{counted} variants caught ({equivalent} equivalent)'


def write_variant(top: Path, step: str, name: str, out: Path) -> None:
    """Writes the reference of @step (solutions/<step>/<the name of @out>) with the variant
    @name applied to @out; leaves @out alone when it holds that text already, so that
    nothing compiles again for nothing."""
    reference = top / 'solutions' / step / out.name
    variants = load_catalogue(top / 'solutions' / 'catalogue', [step]).get(step, [])
    variant = next((v for v in variants if v.name == name), None)
    if variant is None:
        raise CatalogueError(f'solutions/catalogue/{step}.toml has no variant {name!r}')
    text = apply_variant(variant, reference.read_text(), str(reference.relative_to(top)))
    if not out.is_file() or out.read_text() != text:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)


if __name__ == '__main__':
    if len(sys.argv) != 5 or sys.argv[1] != '--write':
        sys.exit('usage: grade_catalogue.py --write STEP VARIANT OUT')
    try:
        write_variant(Path(__file__).resolve().parents[2], *sys.argv[2:4], Path(sys.argv[4]))
    except (CatalogueError, OSError) as error:
        sys.exit(f'grade_catalogue.py: {error}')
