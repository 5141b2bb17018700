#!/usr/bin/env python3
"""The mount table of this mount namespace, read in one place for every tool.

    mountinfo.py points [--under P]... [--below P]... [--deepest-first] [--null]
        the mount points, one a line (NUL-ended with --null): with --under, only those at
        or below one of the paths P; with --below, only those strictly below one of them
        and not holding any (a mount that holds the checkout is not a leftover in it)
    mountinfo.py new-since FILE
        the mount points that are not in FILE (an earlier copy of /proc/self/mountinfo;
        - reads it from stdin): what a command left mounted

/proc/self/mountinfo writes a space, tab, newline or backslash of a path as three octal
digits (\\040, \\011, \\012, \\134): they are decoded here, so a tool sees the real path.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import namedtuple

# One line of the table, its paths decoded (every field a string).
Mount = namedtuple('Mount', 'id parent root point options fstype source')


def decode(field: str) -> str:
    """A path as the kernel wrote it ("a\\040b") as it is ("a b")."""
    return re.sub(r'\\([0-7]{3})', lambda m: chr(int(m.group(1), 8)), field)


def parse(text: str) -> list[Mount]:
    """The mounts of a copy of /proc/self/mountinfo, in the kernel's order (parents first):
    ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER_OPTIONS."""
    mounts = []
    for line in text.splitlines():
        fields = line.split(' ')
        if len(fields) < 10 or '-' not in fields[6:]:
            continue
        dash = fields.index('-', 6)
        mounts.append(Mount(fields[0], fields[1], decode(fields[3]), decode(fields[4]),
                            fields[5], fields[dash + 1], decode(fields[dash + 2])))
    return mounts


def read() -> list[Mount]:
    """The mounts of this mount namespace, now."""
    with open('/proc/self/mountinfo', encoding='utf-8', errors='surrogateescape') as f:
        return parse(f.read())


def inside(point: str, path: str) -> bool:
    """Whether @point is @path or below it."""
    path = path.rstrip('/')
    return point == (path or '/') or point.startswith(path + '/')


def points_by_id() -> dict[str, str]:
    """Mount id -> mount point, for this namespace now."""
    return {m.id: m.point for m in read()}


def new_since(before: str, now: list[Mount] | None = None) -> list[str]:
    """The mount points of @now (default: this namespace now) whose mount was not in the
    table @before (mount ids are never reused while a mount exists)."""
    old = {m.id for m in parse(before)}
    return [m.point for m in (read() if now is None else now) if m.id not in old]


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog='mountinfo.py', description=__doc__.split('\n')[0])
    sub = p.add_subparsers(dest='command', required=True)
    points = sub.add_parser('points')
    for option in ('--under', '--below'):
        points.add_argument(option, action='append', default=[])
    points.add_argument('--deepest-first', action='store_true')
    points.add_argument('--null', action='store_true')
    sub.add_parser('new-since').add_argument('file', type=argparse.FileType())
    args = p.parse_args(argv)
    if args.command == 'new-since':
        found, end = new_since(args.file.read()), '\n'
    else:
        found = list(dict.fromkeys(m.point for m in read()))
        if args.under:
            found = [f for f in found if any(inside(f, u) for u in args.under)]
        if args.below:      # strictly below one, and holding none
            found = [f for f in found if any(inside(f, b) for b in args.below)
                     and not any(inside(b, f) for b in args.below)]
        if args.deepest_first:
            found.sort(key=lambda f: f.count('/'), reverse=True)
        end = '\0' if args.null else '\n'
    sys.stdout.write(''.join(f + end for f in found))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
