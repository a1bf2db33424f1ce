"""`--format junit`: JUnit XML for CI test-report views.

One <testsuite> per file looked at; in it one <testcase> per rule that reported in that file
(classname = file, name = `CODE rule-name`), carrying one <failure> per finding. A file without
findings gets a single passing testcase, so a clean run still shows what was checked.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kafkalint.report.summary import scanned_paths


def _failure_text(finding: Any) -> str:
    location = finding.location
    lines = [f"{location.path}:{location.line}:{location.column}: {finding.code} {finding.name} {finding.message}"]
    if finding.snippet.strip():
        lines.append(f"    {finding.snippet.rstrip()}")
    if finding.fix:
        lines.append(f"Fix: {finding.fix}")
    return "\n".join(lines)


def render(result: Any, options: dict[str, Any]) -> str:
    import xml.etree.ElementTree as ElementTree

    by_file: dict[str, dict[tuple[str, str], list[Any]]] = defaultdict(lambda: defaultdict(list))
    for finding in result.findings:
        by_file[finding.location.path][(finding.code, finding.name)].append(finding)
    paths = sorted(set(scanned_paths(result)) | set(by_file))
    root = ElementTree.Element("testsuites", name="kafkalint")
    total_tests = total_failures = 0
    for path in paths:
        rules = by_file.get(path, {})
        suite = ElementTree.SubElement(root, "testsuite", name=path)
        tests = failures = 0
        if not rules:
            ElementTree.SubElement(suite, "testcase", classname=path, name="kafkalint", file=path)
            tests = 1
        for (code, name), findings in sorted(rules.items()):
            case = ElementTree.SubElement(suite, "testcase", classname=path, name=f"{code} {name}", file=path)
            case.set("line", str(findings[0].location.line))
            for finding in findings:
                failure = ElementTree.SubElement(
                    case,
                    "failure",
                    message=f"line {finding.location.line}, column {finding.location.column}: {finding.message}",
                    type=f"{finding.code} {finding.severity.value}",
                )
                failure.text = _failure_text(finding)
            tests += 1
            failures += 1
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total_tests += tests
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"
