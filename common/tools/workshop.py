"""What the learner's and instructor's tools share: the steps, the skeletons, the student
release's filter of the pages and the copies of the checkout."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.dont_write_bytecode = True   # no __pycache__ in the checkout

import grade_core as core  # noqa: E402
from grade_explain import is_skeleton  # noqa: E402
import manifest  # noqa: E402
from manifest import FULL, Step, read_hints  # noqa: E402,F401 (for the tools)

TOP = Path(__file__).resolve().parent.parent.parent
TOOLS = TOP / 'common' / 'tools'
console = core.Console


class Refusal(Exception):
    """A user mistake: the message is printed as it is, exit status 1 (2: a usage error)."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


def main(function, argv: list[str] | None = None) -> None:
    """Runs @function(argv) and turns a Refusal into its message and exit status."""
    try:
        status = function(sys.argv[1:] if argv is None else argv)
    except Refusal as refusal:
        print(str(refusal), file=sys.stderr)
        status = refusal.status
    except KeyboardInterrupt:
        print('\ninterrupted', file=sys.stderr)
        status = 130
    except PermissionError as error:
        print(cannot_write(error), file=sys.stderr)
        status = 1
    except BrokenPipeError:          # `make solution | head`: the reader has enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 0
    sys.exit(status or 0)


def cannot_write(error: PermissionError) -> str:
    """One line for a file a tool may not write, with what gives it back when root owns it
    (an earlier `sudo make`)."""
    advice = subprocess.run([str(TOOLS / 'ownership'), '--check'], capture_output=True,
                            text=True).stdout.strip()
    return (f'{Path(sys.argv[0]).name}: cannot write {error.filename or "a file"}: '
            f'{error.strerror}. ' + (advice or 'Is it yours?'))


def rel(path: Path, top: Path = TOP) -> str:
    return str(path.relative_to(top)) if path.is_relative_to(top) else str(path)


def steps(top: Path = TOP, with_full: bool = False) -> list[Step]:
    """Every step of steps/steps.json, in order; the whole runtime (FULL) only @with_full."""
    try:
        return [step for step in manifest.load(top) if with_full or step.name != FULL]
    except manifest.ManifestError as error:
        raise Refusal(str(error)) from None


def find_step(wanted: str, top: Path = TOP) -> Step:
    """The step called @wanted: "01-setup", "01", "1", "setup" or "steps/01-setup/"."""
    every = steps(top)
    names = ', '.join(s.name for s in every)
    if not (wanted or '').strip():
        raise Refusal(f'Which step? Say STEP=NN, one of: {names}', 2)
    found = manifest.find(wanted, [s.name for s in every])
    if found is None:
        raise Refusal(f'There is no step {wanted.strip()!r}. The steps are: {names}', 2)
    return next(s for s in every if s.name == found)


# ---------------------------------------------------------------- skeletons

def touched_skeletons(top: Path = TOP) -> list[str]:
    """The student files of @top that are not untouched skeletons (relative paths)."""
    return [rel(path, top) for step in steps(top) for path in step.student_files()
            if not path.is_file() or not is_skeleton(path.name, path.read_text(errors='replace'))]


def skeleton_in_git(path: Path, top: Path = TOP) -> tuple[str, str]:
    """(commit, text) of the untouched skeleton of the student file @path: HEAD's while that
    is one, else that of the commit that added the file (the student's first)."""
    name = rel(path, top)
    if not in_git(top):
        raise Refusal(f'{top} is not a git checkout: the skeleton of {name} comes from its history.')
    added = git(top, 'log', '--diff-filter=A', '--format=%H', '--', name).stdout.split()
    for commit in ['HEAD'] + added[-1:]:
        shown = git(top, 'show', f'{commit}:{name}')
        if shown.returncode == 0 and is_skeleton(path.name, shown.stdout):
            return git(top, 'rev-parse', commit).stdout.strip(), shown.stdout
    raise Refusal(f'no commit of this repository holds an untouched skeleton of {name}: '
                  'neither the last one nor the one that added it.')


# STEPS_UNTOUCHED=1 (.ci/run, a clean clone): steps/ holds the untouched skeletons and the
# proofs take them as they are, so that one committed with work in it fails them.
def student_work(top: Path = TOP) -> list[str]:
    """The student files of @top that hold work (none under STEPS_UNTOUCHED=1)."""
    return [] if os.environ.get('STEPS_UNTOUCHED') == '1' else touched_skeletons(top)


def skeleton_text(path: Path, top: Path = TOP) -> str:
    """The untouched skeleton of the student file @path: the file while it is one (or under
    STEPS_UNTOUCHED=1), else the one in git."""
    untouched = os.environ.get('STEPS_UNTOUCHED') == '1'
    if path.is_file():
        text = path.read_text(errors='replace')
        if untouched or is_skeleton(path.name, text):
            return text
    elif untouched:
        raise Refusal(f'{rel(path, top)} is missing.')
    return skeleton_in_git(path, top)[1]


# ---------------------------------------------------------------- the student release

# The Markdown pages speak to both copies of the workshop, this one and the student release
# (common/tools/student-release: no solutions/). What holds in one copy only is marked with
# HTML comments, which neither a forge nor Doxygen shows:
RELEASE_MARKERS = [
    # a line holding this marker is left out of the release
    (r'^.*<!-- not in a student release -->.*(\n|\Z)', ''),
    # and so are these two lines and those between them
    (r'^[ \t]*<!-- not in a student release: begin -->[ \t]*\n(?:.*\n)*?'
     r'[ \t]*<!-- not in a student release: end -->[ \t]*(\n|\Z)', ''),
    # the lines between these two are shown in the release only
    (r'^[ \t]*<!-- in a student release:[ \t]*\n((?:.*\n)*?)[ \t]*-->[ \t]*(\n|\Z)', r'\1'),
]


def release_markdown(text: str, name: str = 'the page') -> str:
    """@text (a Markdown page of the checkout) as the release shows it."""
    for marker, replacement in RELEASE_MARKERS:
        text = re.sub(marker, replacement, text, flags=re.M)
    left = re.search(r'^[ \t]*(<!-- (not )?in a student release:.*)$', text, re.M)
    if left:
        what = 'without its begin' if left[1].endswith('end -->') else 'is never closed'
        raise Refusal(f'student-release: {name}:{text.count(chr(10), 0, left.start()) + 1}: '
                      f'{left[1].strip()} {what}')
    return text


# ---------------------------------------------------------------- files of the checkout

def git(top: Path, *args: str) -> subprocess.CompletedProcess:
    """Runs a read-only git command in @top; its output as text."""
    return subprocess.run(['git', '-C', str(top), *args], capture_output=True, text=True)


def in_git(top: Path) -> bool:
    return git(top, 'rev-parse', '--is-inside-work-tree').stdout.strip() == 'true'


# What never belongs to a copy of the checkout (built or made files, git itself).
NOT_COPIED = re.compile(r'^(\.git|build|build-[^/]*|bin|images|\.backup|\.grade-state)(/|$)'
                        r'|(^|/)__pycache__(/|$)')


def repo_files(top: Path = TOP) -> list[str]:
    """The files of the checkout @top, relative to it: those git sees (tracked, and new ones
    not ignored), every one but built ones outside git (a downloaded archive)."""
    if in_git(top):
        names = git(top, 'ls-files', '-z', '--cached', '--others', '--exclude-standard').stdout
        names = names.split('\0')
    else:
        names = [str(p.relative_to(top)) for p in top.rglob('*')]
    return sorted(n for n in set(names) if n and not NOT_COPIED.search(n)
                  and ((top / n).is_file() or (top / n).is_symlink()))


def copy_files(names: list[str], dest: Path, top: Path = TOP, markdown=None) -> None:
    """Copies the files @names of @top to @dest: a symlink as a symlink, a Markdown page
    through @markdown(text, name) when given (the student release's filter)."""
    for name in names:
        source, target = top / name, dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if markdown and name.endswith('.md') and not source.is_symlink():
            target.write_text(markdown(source.read_text(), name))
            shutil.copymode(source, target)
        else:
            shutil.copy2(source, target, follow_symlinks=False)


def copy_checkout(dest: Path, top: Path = TOP) -> None:
    """Copies the checkout @top to @dest, each student file as its untouched skeleton: the
    workshop as a student starts it, whatever work is in @top."""
    copy_files(repo_files(top), dest, top)
    for step in steps(top):
        for path in step.student_files():
            target = dest / rel(path, top)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(skeleton_text(path, top))
