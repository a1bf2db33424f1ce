"""Text output: `path:line:col: CODE [severity] message`, the source line beneath with a caret
under the span when its end is known, a summary."""

from __future__ import annotations

from collections import Counter
from typing import Any

from kafkalint.report.escaping import visible
from kafkalint.report.summary import run_summary

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def caret_line(snippet: str, location: Any) -> str:
    """`^^^^` under the span's columns of its first line; empty when the end is unknown or the
    line was masked (a secret redacted to `****` no longer has the original columns)."""
    if location.end_column is None or "****" in snippet:
        return ""
    start = location.column - 1
    if start >= len(snippet):
        return ""
    end = location.end_column - 1 if (location.end_line or location.line) == location.line else len(snippet)
    end = min(max(end, start + 1), len(snippet))
    # Tabs before the span stay tabs, so the carets line up however the terminal expands them.
    padding = "".join(char if char == "\t" else " " for char in snippet[:start])
    return padding + "^" * (end - start)


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
        # A file name or value may hold a newline (a forged finding line) or an escape sequence.
        head = f"{visible(location.path)}:{location.line}:{location.column}:"
        message = visible(finding.message)
        severity = finding.severity.value
        if color:
            from rich.markup import escape

            style = _STYLE[severity]
            lines.append(
                f"[bold]{escape(head)}[/bold] [{style}]{finding.code}[/{style}] "
                f"[{style}]{escape(f'[{severity}]')}[/{style}] {escape(message)}"
            )
        else:
            lines.append(f"{head} {finding.code} [{severity}] {message}")
        if not quiet and finding.snippet.strip():
            raw_snippet = finding.snippet.rstrip()
            snippet = visible(raw_snippet, keep="\t")
            # Escapes, and the window cut out of a long line, move the columns: no caret then.
            windowed = raw_snippet.startswith("...") and location.column > 101
            caret = caret_line(raw_snippet, location) if snippet == raw_snippet and not windowed else ""
            if color:
                from rich.markup import escape

                lines.append(f"[dim]    {escape(snippet)}[/dim]")
                if caret:
                    lines.append(f"    [{_STYLE[severity]}]{caret}[/{_STYLE[severity]}]")
            else:
                lines.append(f"    {snippet}")
                if caret:
                    lines.append(f"    {caret}")
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
    return "\n".join(lines) + "\n" if lines else ""  # -q with nothing to say prints nothing
