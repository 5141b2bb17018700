"""Running things for the grader: builds, and checks in a throwaway sandbox (Sandbox)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# What runs inside the namespace, around the check. Arguments: OUT COMMAND... (OUT: the
# grader's directory for this check). It writes back only into files the grader made
# there, and only while they are there (dd's nocreat): an interrupted grader removes them.
HAND_BACK_SCRIPT = r'''
out=$1
shift
mkdir "$GRADE_RESULTS"
hand_back() { dd of="$out/$1" conv=nocreat status=none 2>/dev/null; }
echo started | hand_back started
"$@"
status=$?
for result in "$GRADE_RESULTS"/*; do
  [ -f "$result" ] && hand_back "${result##*/}" <"$result"
done
exit $status
'''


class CannotRun(Exception):
    """A check could not even start (no root, no mount namespace): no grade can be given."""


@dataclass
class Run:
    """What one command did."""
    returncode: int | None          # None when it was stopped by the timeout
    output: str                     # stdout and stderr together
    duration: float
    timed_out: bool = False
    left_mounted: list[str] = field(default_factory=list)
    results: dict[str, str] = field(default_factory=dict)   # files the check wrote in GRADE_RESULTS


def run(argv: list[str], *, timeout: float, cwd: str | os.PathLike | None = None) -> Run:
    """Runs @argv; stops it and all it started at the timeout, or on Ctrl-C."""
    start = time.monotonic()
    try:
        # A process group of its own (a terminal's Ctrl-C reaches the grader only, which
        # then ends the check), in the same session: sudo's remembered password belongs
        # to the terminal's session, and a check in a new session would be asked again.
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, cwd=cwd, process_group=0)
    except OSError as error:
        return Run(127, f'cannot run {argv[0]}: {error.strerror}', 0.0)
    try:
        out, _ = process.communicate(timeout=timeout)
    except BaseException as error:   # the timeout, or Ctrl-C: the check ends with the grader
        stop(process)
        if not isinstance(error, subprocess.TimeoutExpired):
            raise
        out = process.communicate()[0]
        return Run(None, out.decode(errors='replace'), time.monotonic() - start, timed_out=True)
    return Run(process.returncode, out.decode(errors='replace'), time.monotonic() - start)


def stop(process: subprocess.Popen) -> None:
    """Ends @process and its group: SIGTERM, then SIGKILL. A check's in-namespace passes
    SIGTERM on to every process of its namespace, which ends with it; when the grader is
    not root, only sudo takes signals from it, and SIGKILL it cannot pass on (the timeout
    that Sandbox.run puts inside, as root, ends those)."""
    for sig, wait in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
            process.wait(wait)
            return
        except ProcessLookupError:
            return                  # the group is gone
        except (OSError, subprocess.TimeoutExpired):
            continue


class Sandbox:
    """Runs each check in its own mount and PID namespace (common/tools/in-namespace), with
    a fresh tmpfs on /tmp, the images seen through an overlay, the mount points it left
    behind listed, under a timeout. The check runs as root (through sudo), but the grader's
    files stay the student's: what a check hands back (the leaked mounts, GoogleTest's
    report) goes into files the grader made beforehand and removes once it has read them."""

    def __init__(self, top: Path, work: Path, images: Path | None):
        self.top = top
        self.work = work                  # the grader's own files, outside /tmp
        self.images = images
        work.mkdir(parents=True, exist_ok=True)
        # /tmp is the sandbox unless the checkout itself lives there.
        self.sandbox = Path('/tmp')
        if any(str(p).startswith('/tmp/') for p in (top, work)):
            self.sandbox = work / 'sandbox'
            self.sandbox.mkdir(exist_ok=True)
        # Where a check writes what it hands back (GRADE_RESULTS), as the check sees it.
        self.results = self.sandbox / '.grade-results'

    def run(self, argv: list[str], *, timeout: float, env: dict[str, str] | None = None,
            watch_mounts: bool = True, results: tuple[str, ...] = ()) -> Run:
        """Runs @argv in the sandbox; @env: variables to set for it (on the command line,
        so that they survive sudo); @results: the names of the files the check writes in
        self.results, read into Run.results. Raises CannotRun when the sandbox could not
        be set up (no root, no mount namespace)."""
        out = Path(tempfile.mkdtemp(prefix=f'check-{os.getpid()}-', dir=self.work))
        try:
            for name in ('started', 'left-mounted', *results):
                (out / name).touch()
            isolation = [str(self.top / 'common/tools/in-namespace'), '--tmpfs', str(self.sandbox)]
            if self.images and self.images.is_dir():
                isolation += ['--overlay', str(self.images)]
            if watch_mounts:
                isolation += ['--leaks', str(out / 'left-mounted')]
            sandbox = {'TMPDIR': self.sandbox, 'GRADE_SANDBOX': self.sandbox,
                       'BATS_TMPDIR': self.sandbox, 'GRADE_RESULTS': self.results,
                       # The runtime's journals (of what a run makes on the host) go too.
                       'CONTAINER_STATE': self.sandbox / '.container-state'}
            variables = [f'{key}={value}' for key, value in {**sandbox, **(env or {})}.items()]
            # `timeout` inside as well: when the grader is not root, the check's processes
            # are root's, and only a timeout running as root can end them.
            backstop = ['timeout', '-s', 'KILL', f'{int(timeout) + 3}']
            result = run(isolation + ['--', *backstop, 'env', *variables, 'bash', '-c',
                                      HAND_BACK_SCRIPT, 'grade-sandbox', str(out), *argv],
                         timeout=timeout)
            if not (out / 'started').read_text():
                lines = [line.strip() for line in result.output.splitlines() if line.strip()]
                raise CannotRun(lines[0] if lines else
                                'the sandbox of the check could not be set up')
            result.left_mounted = (out / 'left-mounted').read_text(errors='replace').splitlines()
            result.results = {name: (out / name).read_text(errors='replace') for name in results}
            return result
        finally:
            shutil.rmtree(out, ignore_errors=True)


def remove_scratch(work: Path) -> None:
    """Removes this grader's check directories (check-PID-*) left in @work: a Ctrl-C can land
    between the making of one and the `try` whose `finally` removes it."""
    for scratch in work.glob(f'check-{os.getpid()}-*'):
        shutil.rmtree(scratch, ignore_errors=True)


# ---------------------------------------------------------------- building

@dataclass
class Build:
    ok: bool
    output: str
    errors: list[str]          # the compiler's first errors, trimmed
    missing_target: str | None = None


def configure(top: Path, build_dir: Path, build_type: str) -> Run:
    argv = ['cmake', '-S', str(top), '-B', str(build_dir)]
    if not (build_dir / 'CMakeCache.txt').exists():
        argv.append(f'-DCMAKE_BUILD_TYPE={build_type}')
    return run(argv, timeout=600)


def build(build_dir: Path, targets: list[str], jobs: str, top: Path) -> Build:
    result = run(['cmake', '--build', str(build_dir), '-j', jobs, '--target', *targets],
                 timeout=1800)
    if result.returncode == 0:
        return Build(True, result.output, [])
    missing = re.search(r"No rule to make target '([^']+)'|unknown target '([^']+)'",
                        result.output)
    return Build(False, result.output, first_errors(result.output, str(top) + '/'),
                 missing_target=(missing.group(1) or missing.group(2)) if missing else None)


def first_errors(output: str, prefix: str, limit: int = 12) -> list[str]:
    """The first compiler or linker errors, each with the source line and caret that follow
    it, without the checkout's @prefix; else the last lines of @output."""
    lines = [line.replace(prefix, '')[:300] for line in output.splitlines()]
    picked: list[str] = []
    for i, line in enumerate(lines):
        undefined = re.search(r"undefined reference to `(.*)'", line)
        if undefined:
            line = f'undefined reference to {undefined.group(1)}: nothing defines it'
        elif not re.search(r'\berror\b:', line) or 'ld returned' in line or \
                line.startswith(('gmake', 'make', 'ninja')):
            continue
        if line not in picked:
            picked.append(line)
            for follow in lines[i + 1:i + 4] if not undefined else []:
                if not re.match(r'^\s*\d*\s*\|', follow):
                    break
                picked.append(follow)
        if len(picked) >= limit:
            break
    return (picked or [line for line in lines if line.strip()][-limit:])[:limit]
