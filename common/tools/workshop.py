"""What the learner and instructor tools share: the steps, the skeletons, the state file,
the copies of the checkout.

The state file is the grader's, BUILD_DIR/grade-state.json (ignored by git): "steps" holds
each step's last grade, "passed" when each step first passed (kept through resets, for
`make solution`: grade_core.write_state), "hints" the hints shown ({"01-setup": [1, 3]};
an older file's count, {"01-setup": 2}, means hints 1 and 2).
"""

from __future__ import annotations

import datetime as dt
import json
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
    """One line for a file a tool may not write, with what gives it back when root owns
    it (an earlier `sudo make`: common/tools/ownership)."""
    advice = subprocess.run([str(TOOLS / 'ownership'), '--check'], capture_output=True,
                            text=True).stdout.strip()
    return (f'{Path(sys.argv[0]).name}: cannot write {error.filename or "a file"}: '
            f'{error.strerror}. ' + (advice or 'Is it yours?'))


def rel(path: Path, top: Path = TOP) -> str:
    return str(path.relative_to(top)) if path.is_relative_to(top) else str(path)


# ---------------------------------------------------------------- the steps

def steps(top: Path = TOP, with_full: bool = False) -> list[Step]:
    """Every step of steps/steps.json, in order; the whole runtime (FULL) only @with_full."""
    try:
        return [step for step in manifest.load(top) if with_full or step.name != FULL]
    except manifest.ManifestError as error:
        raise Refusal(str(error)) from None


def find_step(wanted: str, top: Path = TOP) -> Step:
    """The step called @wanted: "01-setup", "01", "1", "setup" or "steps/01-setup/"."""
    all_steps = steps(top)
    names = ', '.join(s.name for s in all_steps)
    if not (wanted or '').strip():
        raise Refusal(f'Which step? Say STEP=NN, one of: {names}', 2)
    found = manifest.find(wanted, [s.name for s in all_steps])
    if found is None:
        raise Refusal(f'There is no step {wanted.strip()!r}. The steps are: {names}', 2)
    return next(s for s in all_steps if s.name == found)


# ---------------------------------------------------------------- skeletons

def touched_skeletons(top: Path = TOP) -> list[str]:
    """The student files of @top that are not untouched skeletons (relative paths)."""
    return [rel(path, top) for step in steps(top) for path in step.student_files()
            if not path.is_file() or not is_skeleton(path.name, path.read_text(errors='replace'))]


def skeleton_in_git(path: Path, top: Path = TOP) -> tuple[str, str]:
    """(commit, text) of the untouched skeleton of the student file @path: its version in
    HEAD while that is one (nothing of the student's committed yet), else that of the
    commit that added the file, the student's first."""
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


def steps_untouched() -> bool:
    """STEPS_UNTOUCHED=1 (set by .ci/run, on a clean clone): steps/ must hold the untouched
    skeletons and the proofs take them as they are, so that one committed by mistake with
    work in it fails them. Otherwise a file with work in it is taken for a student's, and
    the proofs take its skeleton from git."""
    return os.environ.get('STEPS_UNTOUCHED') == '1'


def student_work(top: Path = TOP) -> list[str]:
    """The student files of @top that hold work (none under STEPS_UNTOUCHED=1)."""
    return [] if steps_untouched() else touched_skeletons(top)


def skeleton_text(path: Path, top: Path = TOP) -> str:
    """The untouched skeleton of the student file @path: the file itself while it is one
    (or under STEPS_UNTOUCHED=1), else the one in git."""
    if path.is_file():
        text = path.read_text(errors='replace')
        if steps_untouched() or is_skeleton(path.name, text):
            return text
    elif steps_untouched():
        raise Refusal(f'{rel(path, top)} is missing.')
    return skeleton_in_git(path, top)[1]


# ---------------------------------------------------------------- the state file

def state_path() -> Path:
    """BUILD_DIR (set by make), else build/ of the checkout, holds the state file."""
    return Path(os.environ.get('BUILD_DIR') or TOP / 'build').resolve() / 'grade-state.json'


def load_state() -> dict:
    try:
        state = json.loads(state_path().read_text())
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def step_grade(state: dict, step: str) -> dict | None:
    """The last grade of @step in the state file, or None."""
    graded = state.get('steps', {})
    entry = graded.get(step) if isinstance(graded, dict) else None
    return entry if isinstance(entry, dict) else None


def passed_on(state: dict, step: str) -> str | None:
    """When @step first passed every check, whatever came after (a reset, a grade that fails
    again), or None."""
    passed = state.get('passed')
    when = passed.get(step) if isinstance(passed, dict) else None
    return when if isinstance(when, str) and when else None


def when(graded_at: str) -> str:
    """"2025-03-01T14:02:11+01:00" -> "2025-03-01 14:02"."""
    try:
        return dt.datetime.fromisoformat(graded_at).strftime('%Y-%m-%d %H:%M')
    except (TypeError, ValueError):
        return graded_at or 'never'


def seen_hints(state: dict, step: str) -> set[int]:
    """The numbers of the hints of @step shown so far."""
    hints = state.get('hints')
    seen = hints.get(step) if isinstance(hints, dict) else None
    if isinstance(seen, int) and not isinstance(seen, bool):     # an older file: a count
        return set(range(1, min(seen, 99) + 1))
    if isinstance(seen, list):
        return {n for n in seen if isinstance(n, int) and not isinstance(n, bool) and n > 0}
    return set()


def remember_hint(step: str, number: int) -> set[int]:
    """Records that hint @number of @step was shown; returns the hints seen now."""
    def change(state: dict) -> None:
        if not isinstance(state.get('hints'), dict):
            state['hints'] = {}
        state['hints'][step] = sorted(seen_hints(state, step) | {number})
    return seen_hints(core.update_state(state_path(), change), step)


# ---------------------------------------------------------------- the student release

# The Markdown pages speak to both copies of the workshop, this one and the student release
# (common/tools/student-release), which has no solutions/. What holds in one copy only is
# marked with HTML comments, which neither a forge nor Doxygen shows:
NOT_IN_RELEASE = '<!-- not in a student release -->'          # this line is left out
NOT_IN_RELEASE_BEGIN = '<!-- not in a student release: begin -->'
NOT_IN_RELEASE_END = '<!-- not in a student release: end -->'  # and the lines between
RELEASE_ONLY_BEGIN = '<!-- in a student release:'              # the lines between shown
RELEASE_ONLY_END = '-->'                                       # in the release only


def release_markdown(text: str, name: str = 'the page') -> str:
    """@text (a Markdown page of the checkout) as the release shows it."""
    out: list[str] = []
    block = ''            # '', or the marker that closes the block we are in
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        marker = line.strip()
        if block:
            if marker == block:
                block = ''
            elif block == RELEASE_ONLY_END:
                out.append(line)
        elif marker in (NOT_IN_RELEASE_BEGIN, RELEASE_ONLY_BEGIN):
            block = NOT_IN_RELEASE_END if marker == NOT_IN_RELEASE_BEGIN else RELEASE_ONLY_END
        elif marker == NOT_IN_RELEASE_END:
            raise Refusal(f'student-release: {name}:{number}: {NOT_IN_RELEASE_END} '
                          'without its begin')
        elif NOT_IN_RELEASE not in line:
            out.append(line)
    if block:
        raise Refusal(f'student-release: {name}: a marked block is never closed ({block})')
    return ''.join(out)


# ---------------------------------------------------------------- files of the checkout

def git(top: Path, *args: str) -> subprocess.CompletedProcess:
    """Runs a read-only git command in @top; its output as text."""
    return subprocess.run(['git', '-C', str(top), *args], capture_output=True, text=True)


def in_git(top: Path) -> bool:
    try:
        return git(top, 'rev-parse', '--is-inside-work-tree').stdout.strip() == 'true'
    except OSError:
        return False


# What never belongs to a copy of the checkout (built or made files, git itself).
NOT_COPIED = re.compile(r'^(\.git|build|build-[^/]*|bin|images|\.backup|\.grade-state)(/|$)'
                        r'|(^|/)__pycache__(/|$)')


def repo_files(top: Path = TOP) -> list[str]:
    """The files of the checkout, relative to @top: git's tracked and untracked-but-not-
    ignored files in a git work tree, else every file but built ones."""
    if in_git(top):
        out = git(top, 'ls-files', '-z', '--cached', '--others', '--exclude-standard').stdout
        names = out.split('\0')
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
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
        elif markdown and name.endswith('.md'):
            target.write_text(markdown(source.read_text(), name))
            shutil.copymode(source, target)
        else:
            shutil.copy2(source, target)


def copy_checkout(dest: Path, top: Path = TOP) -> None:
    """Copies the checkout @top to @dest, each student file as its untouched skeleton: the
    workshop as a student starts it, whatever work is in @top."""
    copy_files(repo_files(top), dest, top)
    for step in steps(top):
        for path in step.student_files():
            target = dest / rel(path, top)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(skeleton_text(path, top))
