"""Machine-readable reports of a grade: JSON, JUnit XML, TAP (REPORT=json|junit|tap).

Each is written from the same per-check records (grade_core.check_record): step, id,
name, status, points, duration, message. JUnit: a <testsuite> per step, a <testcase> per
check (classname = step, time = duration) with properties step, id, status, points and
max_points, and a <failure> holding the message. TAP 13: a line per check and a YAML
block with step, status, points, max_points, duration and message.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import grade_core as core

FORMATS = ('json', 'junit', 'tap')


def write(fmt: str, directory: Path, origin: str, results: list[core.StepResult]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    if fmt == 'json':
        path = directory / 'grade.json'
        core.write_json(path, origin, results)
        return path
    if fmt == 'junit':
        path = directory / 'grade.xml'
        path.write_text(junit(results))
        return path
    path = directory / 'grade.tap'
    path.write_text(tap(results))
    return path


def junit(results: list[core.StepResult]) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    total = sum(len(r.checks) for r in results)
    failures = sum(len(r.checks) - r.passed for r in results)
    out.append(f'<testsuites name="grade" tests="{total}" failures="{failures}">')
    for r in results:
        time = sum(c.duration for c in r.checks)
        out.append(f'  <testsuite name={quoteattr(r.step)} tests="{len(r.checks)}" '
                   f'failures="{len(r.checks) - r.passed}" time="{time:.3f}">')
        out.append(f'    <properties><property name="points" value="{r.points}"/>'
                   f'<property name="max_points" value="{r.max_points}"/>'
                   f'<property name="score" value="{r.score}"/></properties>')
        for c in r.checks:
            out.append(f'    <testcase classname={quoteattr(r.step)} name={quoteattr(c.name)} '
                       f'time="{c.duration:.3f}">')
            # Per check: its step, status and points (JUnit has no place of its own for them).
            out.append('      <properties>' + ''.join(
                f'<property name="{key}" value={quoteattr(str(value))}/>' for key, value in
                (('step', c.step), ('id', c.id), ('status', c.status), ('points', c.points),
                 ('max_points', c.max_points))) + '</properties>')
            if c.passed and c.summary:
                out.append(f'      <system-out>{escape(c.summary)}</system-out>')
            if not c.passed:
                message = core.message_of(c)
                first = message.splitlines()[0] if message else c.status
                out.append(f'      <failure type={quoteattr(c.status)} message={quoteattr(first)}>'
                           f'{escape(message + (chr(10) + "hint: " + c.hint if c.hint else ""))}'
                           f'</failure>')
            out.append('    </testcase>')
        out.append('  </testsuite>')
    out.append('</testsuites>')
    return '\n'.join(out) + '\n'


def tap(results: list[core.StepResult]) -> str:
    checks = [c for r in results for c in r.checks]
    out = ['TAP version 13', f'1..{len(checks)}']
    for n, c in enumerate(checks, 1):
        out.append(f'{"ok" if c.passed else "not ok"} {n} {c.step}: {c.name}')
        # A YAML block for every check: step, status, points, duration, message.
        out.append('  ---')
        out.append(f'  step: {c.step}')
        out.append(f'  status: {c.status}')
        out.append(f'  points: {c.points}')
        out.append(f'  max_points: {c.max_points}')
        out.append(f'  duration: {c.duration:.3f}')
        message = core.message_of(c)
        if message:
            out.append('  message: |')
            out.extend('    ' + line for line in message.splitlines())
        if c.hint:
            out.append(f'  hint: {json.dumps(c.hint)}')
        out.append('  ...')
    return '\n'.join(out) + '\n'
