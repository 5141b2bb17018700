"""Machine-readable reports of a grade: JSON, JUnit XML, TAP (REPORT=json|junit|tap).

Each is written from the same per-check records (grade_core.check_record). JUnit: a
<testsuite> per step, a <testcase> per check (classname = step, time = duration) with
properties step, id, status, points and max_points, and a <failure> holding the message.
TAP 13: a line per check and a YAML block with step, status, points, max_points, duration
and message.
"""

from __future__ import annotations

import json
from pathlib import Path
import xml.etree.ElementTree as ET

import grade_core as core

FILES = {'json': 'grade.json', 'junit': 'grade.xml', 'tap': 'grade.tap'}
FORMATS = tuple(FILES)


def write(fmt: str, directory: Path, origin: str, results: list[core.StepResult]) -> Path:
    path = directory / FILES[fmt]
    directory.mkdir(parents=True, exist_ok=True)
    if fmt == 'json':
        data = {'origin': origin, 'graded_at': core.now(),
                'steps': [core.step_record(r) for r in results]}
        path.write_text(json.dumps(data, indent=2) + '\n')
    else:
        path.write_text(junit(results) if fmt == 'junit' else tap(results))
    return path


def junit(results: list[core.StepResult]) -> str:
    def properties(parent: ET.Element, **values: object) -> None:
        block = ET.SubElement(parent, 'properties')
        for name, value in values.items():
            ET.SubElement(block, 'property', name=name, value=str(value))

    suites = ET.Element('testsuites', name='grade', tests=str(sum(len(r.checks) for r in results)),
                        failures=str(sum(len(r.checks) - r.passed for r in results)))
    for r in results:
        suite = ET.SubElement(suites, 'testsuite', name=r.step, tests=str(len(r.checks)),
                              failures=str(len(r.checks) - r.passed),
                              time=f'{sum(c.duration for c in r.checks):.3f}')
        properties(suite, points=r.points, max_points=r.max_points, score=r.score)
        for c in r.checks:
            case = ET.SubElement(suite, 'testcase', classname=r.step, name=c.name,
                                 time=f'{c.duration:.3f}')
            # Per check: its step, status and points (JUnit has no place of its own for them).
            properties(case, step=c.step, id=c.id, status=c.status, points=c.points,
                       max_points=c.max_points)
            message = core.message_of(c)
            if c.passed and c.summary:
                ET.SubElement(case, 'system-out').text = c.summary
            elif not c.passed:
                failure = ET.SubElement(case, 'failure', type=c.status,
                                        message=message.splitlines()[0] if message else c.status)
                failure.text = message + ('\nhint: ' + c.hint if c.hint else '')
    ET.indent(suites)
    return ET.tostring(suites, encoding='unicode', xml_declaration=True) + '\n'


def tap(results: list[core.StepResult]) -> str:
    checks = [c for r in results for c in r.checks]
    out = ['TAP version 13', f'1..{len(checks)}']
    for n, c in enumerate(checks, 1):
        message = core.message_of(c)
        out += [f'{"ok" if c.passed else "not ok"} {n} {c.step}: {c.name}', '  ---',
                f'  step: {c.step}', f'  status: {c.status}', f'  points: {c.points}',
                f'  max_points: {c.max_points}', f'  duration: {c.duration:.3f}']
        if message:
            out += ['  message: |'] + ['    ' + line for line in message.splitlines()]
        if c.hint:
            out.append(f'  hint: {json.dumps(c.hint)}')
        out.append('  ...')
    return '\n'.join(out) + '\n'
