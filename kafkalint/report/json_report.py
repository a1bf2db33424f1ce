"""`--format json`: one object with version, findings and summary (schema: docs/output.schema.json).

Large runs produce tens of thousands of findings: each finding is encoded on its own line by
json's C encoder (compact separators; `indent` would switch to the pure-Python encoder, several
times slower), and the lines are joined once, so writing is linear in the findings.
"""

from __future__ import annotations

import json
from typing import Any

from kafkalint import __version__
from kafkalint.baseline import result_fingerprints
from kafkalint.report.escaping import json_safe
from kafkalint.report.summary import run_summary

_ENCODE = json.JSONEncoder(separators=(",", ":")).encode


def finding_dict(finding: Any, fingerprint: str | None = None) -> dict[str, Any]:
    location = finding.location.to_dict()
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "path": location["path"],
        "line": location["line"],
        "column": location["column"],
        "end_line": location["end_line"],
        "end_column": location["end_column"],
        "source": finding.snippet,
        "fix": finding.fix,
        "autofix": finding.autofix.to_dict() if finding.autofix is not None else None,
        "related": [item.to_dict() for item in finding.related],
        "related_omitted": finding.related_omitted,
        "fingerprint": fingerprint,
    }


def render(result: Any, options: dict[str, Any]) -> str:
    prints = result_fingerprints(result)
    lines = [_ENCODE(json_safe(finding_dict(finding, prints[id(finding)]))) for finding in result.findings]
    findings = "[\n    " + ",\n    ".join(lines) + "\n  ]" if lines else "[]"
    return (
        "{\n"
        f'  "version": {_ENCODE(__version__)},\n'
        f'  "findings": {findings},\n'
        f'  "summary": {_ENCODE(json_safe(run_summary(result)))}\n'
        "}\n"
    )
