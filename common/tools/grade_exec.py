"""Running things for the grader: builds, and checks in a throwaway sandbox.

Every check runs in its own mount namespace (common/tools/in-namespace, or an
equivalent `unshare -m` when that tool is missing) with a sandbox on top:

- a fresh tmpfs on /tmp (TMPDIR and GRADE_SANDBOX point at it), so temporary
  directories, and whatever a faulty runtime deletes, vanish with the namespace;
- the images directory seen through an overlay whose upper layer lives in that
  tmpfs, so a mount point a broken cleanup leaves in an image never reaches the
  real image;
- /proc/self/mountinfo saved before and after the check, so mounts a broken
  attempt left behind can be reported (the namespace then takes them away).

Each check is stopped by a timeout; the grader is a child subreaper and kills
every process a check left behind, so nothing outlives its check.
"""

from __future__ import annotations

import ctypes
import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

# The script that sets the sandbox up inside the namespace, then runs the check.
# Arguments: SANDBOX IMAGES MOUNTINFO_PREFIX COMMAND...
SANDBOX_SCRIPT = r'''
sandbox=$1 images=$2 snapshot=$3
shift 3
mount -t tmpfs -o mode=1777,size=1g grade-sandbox "$sandbox" || { echo "grade: cannot mount the sandbox on $sandbox" >&2; exit 90; }
if [ -n "$images" ] && [ -d "$images" ]; then
  mkdir -p "$sandbox/.grade-images/upper" "$sandbox/.grade-images/work"
  mount -t overlay grade-images \
    -o "lowerdir=$images,upperdir=$sandbox/.grade-images/upper,workdir=$sandbox/.grade-images/work" \
    "$images" || { echo "grade: cannot protect the images in $images" >&2; exit 90; }
fi
export TMPDIR=$sandbox GRADE_SANDBOX=$sandbox BATS_TMPDIR=$sandbox
# The runtime's journals (of what a run makes on the host) go with the sandbox too.
export CONTAINER_STATE=$sandbox/.container-state
[ -n "$snapshot" ] && cat /proc/self/mountinfo > "$snapshot.before"
"$@"
status=$?
[ -n "$snapshot" ] && cat /proc/self/mountinfo > "$snapshot.after"
exit $status
'''

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> None:
    """Orphans of the checks become our children, so that we can end them."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def descendants(pid: int) -> list[int]:
    """Every process below @pid, children before grandchildren."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open(f'/proc/{entry}/stat', 'rb') as f:
                stat = f.read().decode(errors='replace')
        except OSError:
            continue
        # pid (comm) state ppid ...; comm may hold spaces and parentheses.
        rest = stat[stat.rfind(')') + 2:].split()
        if len(rest) >= 2:
            children.setdefault(int(rest[1]), []).append(int(entry))
    found: list[int] = []
    queue = [pid]
    while queue:
        for child in children.get(queue.pop(0), []):
            found.append(child)
            queue.append(child)
    return found


def end_leftover_processes() -> None:
    """Kills whatever a check left running below the grader, and reaps it."""
    for _ in range(3):
        left = descendants(os.getpid())
        if not left:
            break
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.05)
        reap()
    reap()


def reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


@dataclass
class Run:
    """What one command did."""
    returncode: int | None          # None when it was stopped by the timeout
    output: str
    duration: float
    timed_out: bool = False
    signal: int | None = None       # the signal that killed it, if any
    left_mounted: list[str] = field(default_factory=list)

    @property
    def signal_name(self) -> str:
        try:
            return signal.Signals(self.signal).name
        except (ValueError, TypeError):
            return f'signal {self.signal}'


def run(argv: list[str], *, timeout: float | None, env: dict[str, str] | None = None,
        cwd: str | os.PathLike | None = None) -> Run:
    """Runs @argv with stdout and stderr together; stops it and all it started at the timeout."""
    start = time.monotonic()
    try:
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env=env, cwd=cwd,
                                   start_new_session=True)
    except OSError as error:
        return Run(127, f'cannot run {argv[0]}: {error.strerror}', 0.0)
    timed_out = False
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        for pid in descendants(process.pid) + [process.pid]:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        out, _ = process.communicate()
    duration = time.monotonic() - start
    end_leftover_processes()
    text = out.decode('utf-8', errors='replace')
    rc = process.returncode
    if timed_out:
        return Run(None, text, duration, timed_out=True)
    sig = -rc if rc < 0 else None
    return Run(rc, text, duration, signal=sig)


class Sandbox:
    """Runs commands in a throwaway mount namespace with a sandbox (see the module's doc)."""

    def __init__(self, top: Path, work: Path, images: Path | None):
        self.top = top
        self.work = work                  # the grader's own files, outside /tmp
        self.images = images
        work.mkdir(parents=True, exist_ok=True)
        # /tmp is the sandbox unless the checkout itself lives there.
        inside_tmp = any(str(p).startswith('/tmp/') for p in (top, work))
        if inside_tmp:
            self.sandbox = work / 'sandbox'
            self.sandbox.mkdir(exist_ok=True)
        else:
            self.sandbox = Path('/tmp')
        self._counter = 0

    def wrapper(self) -> list[str]:
        """common/tools/in-namespace (which goes through sudo itself when not root), or
        the same with unshare where that tool is missing."""
        tool = self.top / 'common/tools/in-namespace'
        if os.access(tool, os.X_OK):
            return [str(tool)]
        prefix = ['unshare', '-m', '--propagation', 'private', 'sh', '-c',
                  'mount --make-rshared / && exec "$@"', 'sh']
        return prefix if os.geteuid() == 0 else ['sudo', '--'] + prefix

    def run(self, argv: list[str], *, timeout: float, env: dict[str, str] | None = None,
            watch_mounts: bool = True, cwd: str | os.PathLike | None = None) -> Run:
        """Runs @argv in the sandbox; @env: variables to set for it (passed on the command
        line, so that they survive sudo)."""
        self._counter += 1
        snapshot = self.work / f'mountinfo-{os.getpid()}-{self._counter}' if watch_mounts else None
        images = str(self.images) if self.images and self.images.is_dir() else ''
        variables = [f'{key}={value}' for key, value in (env or {}).items()]
        # `timeout` inside as well: when the grader is not root, the check's processes
        # are root's, and only a timeout running as root can end them.
        backstop = ['timeout', '-s', 'KILL', f'{int(timeout) + 3}']
        command = self.wrapper() + backstop + ['env'] + variables + [
            'bash', '-c', SANDBOX_SCRIPT, 'grade-sandbox', str(self.sandbox), images,
            str(snapshot or '')] + argv
        result = run(command, timeout=timeout, cwd=cwd)
        if snapshot is not None:
            result.left_mounted = left_mounted(snapshot)
        return result


def _mounts(path: Path) -> dict[str, str]:
    table = {}
    try:
        for line in path.read_text(errors='replace').splitlines():
            fields = line.split()
            if len(fields) >= 5:
                table[fields[0]] = fields[4].replace('\\040', ' ')
    except OSError:
        pass
    return table


def left_mounted(snapshot: Path) -> list[str]:
    """Mount points present after a check and not before it."""
    before_file = Path(f'{snapshot}.before')
    after_file = Path(f'{snapshot}.after')
    try:
        if not after_file.exists():
            return []
        before, after = _mounts(before_file), _mounts(after_file)
        return [point for mount_id, point in after.items() if mount_id not in before]
    finally:
        for f in (before_file, after_file):
            try:
                f.unlink()
            except OSError:
                pass


# ---------------------------------------------------------------- building

@dataclass
class Build:
    ok: bool
    output: str
    errors: list[str]          # the compiler's first errors, trimmed
    in_student_file: bool      # the first error is in the file the student writes
    missing_target: str | None = None


def configure(top: Path, build_dir: Path, build_type: str) -> Run:
    argv = ['cmake', '-S', str(top), '-B', str(build_dir)]
    if not (build_dir / 'CMakeCache.txt').exists():
        argv.append(f'-DCMAKE_BUILD_TYPE={build_type}')
    return run(argv, timeout=600)


def build(build_dir: Path, targets: list[str], jobs: str, student_files: list[Path],
          top: Path) -> Build:
    result = run(['cmake', '--build', str(build_dir), '-j', jobs, '--target', *targets],
                 timeout=1800)
    if result.returncode == 0:
        return Build(True, result.output, [], False)
    missing = re.search(r"No rule to make target '([^']+)'|unknown target '([^']+)'",
                        result.output)
    errors = first_errors(result.output, top)
    names = [str(f.relative_to(top)) if f.is_relative_to(top) else str(f) for f in student_files]
    in_student = bool(errors) and any(n in errors[0] for n in names)
    return Build(False, result.output, errors, in_student,
                 missing_target=(missing.group(1) or missing.group(2)) if missing else None)


def first_errors(output: str, top: Path, limit: int = 12) -> list[str]:
    """The first compiler or linker errors, with paths relative to the checkout."""
    lines = output.splitlines()
    picked: list[str] = []
    prefix = str(top) + '/'
    for i, line in enumerate(lines):
        undefined = re.search(r"undefined reference to `(.*)'", line)
        if undefined:
            text = f'undefined reference to {undefined.group(1)}: nothing defines it'
            if text not in picked:
                picked.append(text)
            continue
        if re.search(r'\berror\b[:]', line) and 'ld returned' not in line and \
                not line.startswith(('gmake', 'make', 'ninja')):
            block = [line]
            # the source line and caret that follow a compiler error
            for follow in lines[i + 1:i + 4]:
                if re.match(r'^\s*\d*\s*\|', follow):
                    block.append(follow)
                else:
                    break
            first = block[0].replace(prefix, '')[:300]
            if first not in picked:
                picked.append(first)
                picked.extend(b.replace(prefix, '')[:300] for b in block[1:])
        if len(picked) >= limit:
            break
    if not picked:
        tail = [l.replace(prefix, '') for l in lines if l.strip()][-limit:]
        picked = tail
    return picked[:limit]

