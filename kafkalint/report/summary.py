"""What a run covered, in numbers every report shows: files scanned, findings per severity.

Below the renderers (which import it) and the report package (which dispatches to them), so
neither needs the other.
"""

from __future__ import annotations

from typing import Any


def scanned_paths(result: Any) -> list[str]:
    """Every file the run looked at, as displayed: discovered files plus stdin content."""
    paths = {item.display for item in getattr(result, "files", [])}
    scope = getattr(result, "extra", {}).get("scope_files")
    if scope is not None:  # the whole project was read as context; the run covered its scope
        return sorted(paths | set(scope))
    project = getattr(result, "project", None)
    if project is not None:
        paths.update(source.path for source in project.files)
        # A file that could not be read was looked at too (stdin that is not UTF-8, ...).
        paths.update(problem.location.path for problem in project.problems if problem.rule == "parse-error")
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
