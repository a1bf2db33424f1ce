"""Reports render findings; they never decide anything. One module per output format."""

from __future__ import annotations

import importlib
from typing import Any, Callable

FORMATS: dict[str, str] = {
    "text": "kafkalint.report.text",
    "json": "kafkalint.report.json_report",
    "sarif": "kafkalint.report.sarif",
    "github": "kafkalint.report.github",
    "junit": "kafkalint.report.junit",
    "gitlab": "kafkalint.report.gitlab",
}


def renderer(name: str) -> Callable[..., str]:
    return getattr(importlib.import_module(FORMATS[name]), "render")


def scanned_paths(result: Any) -> list[str]:
    """Every file the run looked at, as displayed: discovered files plus stdin content."""
    paths = {item.display for item in getattr(result, "files", [])}
    project = getattr(result, "project", None)
    if project is not None:
        paths.update(source.path for source in project.files)
    return sorted(paths)


def summary(findings: list[Any], files_scanned: int, result: Any = None) -> dict[str, Any]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity.value] += 1
    document: dict[str, Any] = {"files": files_scanned, "findings": len(findings), **counts}
    if result is not None:
        document["suppressed"] = getattr(result, "suppressed", 0)
        document["baseline"] = getattr(result, "extra", {}).get("baseline_known", 0)
    return document


def run_summary(result: Any) -> dict[str, Any]:
    return summary(result.findings, len(scanned_paths(result)), result)
