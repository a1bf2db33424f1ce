"""`--format gitlab`: GitLab Code Quality report (a JSON array of issues).

Each issue has description, check_name, fingerprint (stable across unrelated edits, see
kafkalint.baseline), severity and location.path/lines.begin, which is what the merge request
widget needs; categories and the rule's fix go along as extra information.
"""

from __future__ import annotations

import json
from typing import Any

from kafkalint.baseline import result_fingerprints
from kafkalint.report.escaping import json_safe

# Code Quality severities: info, minor, major, critical, blocker.
SEVERITIES = {"error": "critical", "warning": "major", "info": "info"}

_CATEGORIES = {"4": "Security"}


def issue(finding: Any, fingerprint: str) -> dict[str, Any]:
    location = finding.location
    digits = "".join(char for char in finding.code if char.isdigit())
    return {
        "type": "issue",
        "check_name": f"{finding.code} {finding.name}",
        "description": f"{finding.code} {finding.name}: {finding.message}",
        "content": {"body": finding.fix} if finding.fix else {"body": finding.message},
        "categories": [_CATEGORIES.get(digits[:1], "Bug Risk")],
        "severity": SEVERITIES[finding.severity.value],
        "fingerprint": fingerprint,
        "location": {
            "path": location.path,
            "lines": {"begin": location.line, "end": location.end_line or location.line},
        },
        "engine_name": "kafkalint",
    }


def render(result: Any, options: dict[str, Any]) -> str:
    prints = result_fingerprints(result)
    return json.dumps(json_safe([issue(finding, prints[id(finding)]) for finding in result.findings]), indent=2) + "\n"
