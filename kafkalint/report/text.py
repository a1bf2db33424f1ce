"""Text output: `path:line:col: CODE name message`, the source line beneath, a summary."""

from __future__ import annotations

from collections import Counter
from typing import Any

from kafkalint.report.summary import run_summary

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render(result: Any, options: dict[str, Any]) -> str:
    """Plain text; markup (for rich) only when options['color'] is true."""
    color = options.get("color", False)
    quiet = options.get("quiet", False)
    lines: list[str] = []
    current_path = None
    for finding in result.findings:
        location = finding.location
        if options.get("group") and location.path != current_path:
            if current_path is not None:
                lines.append("")
            current_path = location.path
        head = f"{location.path}:{location.line}:{location.column}:"
        severity = finding.severity.value
        if color:
            from rich.markup import escape

            style = _STYLE[severity]
            lines.append(
                f"[bold]{escape(head)}[/bold] [{style}]{finding.code}[/{style}] "
                f"[{style}]{finding.name}[/{style}] {escape(finding.message)}"
            )
        else:
            lines.append(f"{head} {finding.code} {finding.name} {finding.message}")
        if not quiet and finding.snippet.strip():
            snippet = finding.snippet.rstrip()
            if color:
                from rich.markup import escape

                lines.append(f"[dim]    {escape(snippet)}[/dim]")
            else:
                lines.append(f"    {snippet}")
    if options.get("statistics"):
        counts = Counter((finding.code, finding.name, finding.severity.value) for finding in result.findings)
        if lines:
            lines.append("")
        for (code, name, severity), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            lines.append(f"{count:5d}  {code}  {name} ({severity})")
    totals = run_summary(result)
    if not quiet or totals["findings"]:
        if lines:
            lines.append("")
        if totals["findings"]:
            parts = [f"{totals[key]} {key}{'s' if totals[key] != 1 else ''}" for key in ("error", "warning", "info") if totals[key]]
            text = f"Found {totals['findings']} finding{'s' if totals['findings'] != 1 else ''} ({', '.join(parts)}) in {totals['files']} file{'s' if totals['files'] != 1 else ''}."
        else:
            text = f"No findings in {totals['files']} file{'s' if totals['files'] != 1 else ''}."
        hidden = []
        if totals["suppressed"]:
            hidden.append(f"{totals['suppressed']} suppressed inline")
        if totals["baseline"]:
            hidden.append(f"{totals['baseline']} known in the baseline")
        if hidden:
            text = text[:-1] + f"; {', '.join(hidden)}."
        lines.append(f"[bold]{text}[/bold]" if color else text)
    return "\n".join(lines) + "\n"
