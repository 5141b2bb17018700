#!/usr/bin/env python3
"""The mount table of this mount namespace, read in one place for every tool.

    mountinfo.py points [--under P]... [--below P]... [--deepest-first] [--null]
        the mount points, one a line: --under, at or below a P; --below, strictly below a P
        and holding none (a mount that holds the checkout is not a leftover in it)
    mountinfo.py new-since FILE
        the mount points not in FILE (an earlier /proc/self/mountinfo; - for stdin)

The kernel writes a space, tab, newline or backslash in a path as \\040, \\011, \\012, \\134:
decoded here, so a tool sees the real path.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import namedtuple

Mount = namedtuple('Mount', 'id parent root point options fstype source')


def decode(field: str) -> str:
    return re.sub(r'\\([0-7]{3})', lambda m: chr(int(m.group(1), 8)), field)


def parse(text: str) -> list[Mount]:
    """The mounts of a copy of /proc/self/mountinfo, parents first (proc(5)): ID PARENT
    MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER_OPTIONS."""
    mounts = []
    for fields in (line.split(' ') for line in text.splitlines()):
        if len(fields) >= 10 and '-' in fields[6:]:
            dash = fields.index('-', 6)
            mounts.append(Mount(fields[0], fields[1], decode(fields[3]), decode(fields[4]),
                                fields[5], fields[dash + 1], decode(fields[dash + 2])))
    return mounts


def read() -> list[Mount]:
    with open('/proc/self/mountinfo', encoding='utf-8', errors='surrogateescape') as f:
        return parse(f.read())


def inside(point: str, path: str) -> bool:
    """Whether @point is @path or below it."""
    path = path.rstrip('/')
    return point == (path or '/') or point.startswith(path + '/')


def points_by_id() -> dict[str, str]:
    return {m.id: m.point for m in read()}


def new_since(before: str, now: list[Mount] | None = None) -> list[str]:
    """The mount points of @now (default: the table now) not in the table @before (a mount
    id is never reused while its mount exists)."""
    old = {m.id for m in parse(before)}
    return [m.point for m in (read() if now is None else now) if m.id not in old]


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog='mountinfo.py', description=__doc__.split('\n')[0])
    p.set_defaults(under=[], below=[], deepest_first=False, null=False)
    sub = p.add_subparsers(dest='command', required=True)
    points = sub.add_parser('points')
    points.add_argument('--under', action='append', default=[])
    points.add_argument('--below', action='append', default=[])
    points.add_argument('--deepest-first', action='store_true')
    points.add_argument('--null', action='store_true')
    sub.add_parser('new-since').add_argument('file', type=argparse.FileType())
    args = p.parse_args(argv)
    if args.command == 'new-since':
        found = new_since(args.file.read())
    else:
        found = list(dict.fromkeys(m.point for m in read()))
    if args.under:
        found = [f for f in found if any(inside(f, u) for u in args.under)]
    if args.below:
        found = [f for f in found if any(inside(f, b) for b in args.below)
                 and not any(inside(b, f) for b in args.below)]
    if args.deepest_first:
        found.sort(key=lambda f: f.count('/'), reverse=True)
    sys.stdout.write(''.join(f + ('\0' if args.null else '\n') for f in found))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
