"""Reports render findings; they never decide anything. One module per output format."""

from __future__ import annotations

import importlib
from typing import Any, Callable

FORMATS: dict[str, str] = {
    "text": "kafkalint.report.text",
    "json": "kafkalint.report.json_report",
}


def renderer(name: str) -> Callable[..., str]:
    return getattr(importlib.import_module(FORMATS[name]), "render")


def summary(findings: list[Any], files_scanned: int) -> dict[str, Any]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity.value] += 1
    return {"files": files_scanned, "findings": len(findings), **counts}
