"""`--format junit`: JUnit XML for CI test-report views.

One <testsuite> per file looked at; in it one <testcase> per finding (classname = file,
name = `CODE rule-name at line:column`). A finding at or above the run's fail-on level (default
warning) carries one <failure>; a finding below it (info, by default) is a passing testcase whose
<system-out> says what was found, since it does not fail the run either. A file without findings
gets a single passing testcase, so a clean run still shows what was checked. Every `tests` and
`failures` count is the number of those elements, so the totals add up.
"""

from __future__ import annotations

from typing import Any

from kafkalint.model import Severity
from kafkalint.report.escaping import xml_safe
from kafkalint.report.summary import scanned_paths


def _finding_text(finding: Any) -> str:
    location = finding.location
    lines = [f"{location.path}:{location.line}:{location.column}: {finding.code} [{finding.severity.value}] {finding.message}"]
    if finding.snippet.strip():
        lines.append(f"    {finding.snippet.rstrip()}")
    if finding.fix:
        lines.append(f"Fix: {finding.fix}")
    return xml_safe("\n".join(lines))


def render(result: Any, options: dict[str, Any]) -> str:
    import xml.etree.ElementTree as ElementTree

    threshold = Severity(options.get("fail_on") or Severity.WARNING.value)
    by_file: dict[str, list[Any]] = {}
    for finding in result.findings:
        by_file.setdefault(finding.location.path, []).append(finding)
    paths = sorted(set(scanned_paths(result)) | set(by_file))
    root = ElementTree.Element("testsuites", name="kafkalint")
    total_tests = total_failures = 0
    for raw_path in paths:
        findings = by_file.get(raw_path, [])
        # A control character or an undecodable byte in a name makes the XML invalid.
        path = xml_safe(raw_path)
        suite = ElementTree.SubElement(root, "testsuite", name=path)
        failures = 0
        if not findings:
            ElementTree.SubElement(suite, "testcase", classname=path, name="kafkalint", file=path)
        for finding in findings:
            location = finding.location
            case = ElementTree.SubElement(
                suite, "testcase", classname=path,
                name=f"{finding.code} {finding.name} at {location.line}:{location.column}", file=path,
            )
            case.set("line", str(location.line))
            if finding.severity.rank >= threshold.rank:
                failure = ElementTree.SubElement(
                    case,
                    "failure",
                    message=xml_safe(f"line {location.line}, column {location.column}: {finding.message}"),
                    type=f"{finding.code} {finding.severity.value}",
                )
                failure.text = _finding_text(finding)
                failures += 1
            else:
                ElementTree.SubElement(case, "system-out").text = _finding_text(finding)
        tests = max(len(findings), 1)
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total_tests += tests
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    root.set("skipped", "0")
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"
