"""`--format json`: one object with version, findings and summary (schema: docs/output.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from kafkalint import __version__
from kafkalint.baseline import result_fingerprints
from kafkalint.report.escaping import json_safe
from kafkalint.report.summary import run_summary


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
        "fingerprint": fingerprint,
    }


def render(result: Any, options: dict[str, Any]) -> str:
    prints = result_fingerprints(result)
    document = {
        "version": __version__,
        "findings": [finding_dict(finding, prints[id(finding)]) for finding in result.findings],
        "summary": run_summary(result),
    }
    return json.dumps(json_safe(document), indent=2) + "\n"
