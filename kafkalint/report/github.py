"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

    ::error file=conf/producer.properties,line=2,col=1,endLine=2,endColumn=5,title=KL101 producer-acks-zero::acks=0 ...

Values are escaped as the runner expects (`%`, CR, LF everywhere; `:` and `,` in properties).
"""

from __future__ import annotations

from typing import Any

from kafkalint.report.escaping import visible

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    # Other control characters would reach the log viewer raw: shown as backslash escapes.
    return visible(value, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Any) -> str:
    location = finding.location
    properties = [
        ("file", location.path),
        ("line", str(location.line)),
        ("col", str(location.column)),
    ]
    if location.end_line is not None:
        properties.append(("endLine", str(location.end_line)))
    if location.end_column is not None and (location.end_line in (None, location.line)):
        properties.append(("endColumn", str(location.end_column)))
    properties.append(("title", f"{finding.code} {finding.name}"))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMANDS[finding.severity.value]} {rendered}::{escape_data(finding.message)}"


def render(result: Any, options: dict[str, Any]) -> str:
    return "".join(annotation(finding) + "\n" for finding in result.findings)
