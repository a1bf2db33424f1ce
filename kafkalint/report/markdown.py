"""`--format markdown`: a CI job summary or merge-request comment — findings grouped by rule
(worst severity first, then the most frequent), each rule linked to its documentation, then the
topology picture as a Mermaid block GitHub and GitLab render.

Messages are passed through the one redaction policy (kafkalint.redaction) once more, and escaped for
Markdown tables (`|`, `<`, `>`, `&`, line breaks). Source lines are never shown. Sizes are
capped so a large run stays inside GitHub's 1 MiB job-summary limit: at most
DETAIL_ROWS findings listed per rule, and the picture is left out (with a note) when it is
larger than Mermaid's default 50,000-character limit.
"""

from __future__ import annotations

from typing import Any

RULES_URL = "https://github.com/kafkalint/kafkalint/blob/main/docs/rules.md"
DETAIL_ROWS = 50
MERMAID_LIMIT = 50_000
_ORDER = {"error": 0, "warning": 1, "info": 2}


def cell(text: str) -> str:
    """Text safe in one Markdown table cell."""
    from kafkalint.report.escaping import visible

    escaped = visible(text, keep="\n\r\t").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
    return " ".join(escaped.split())


def rule_link(code: str, name: str) -> str:
    # GitHub's heading anchor for "## KL601 partitioner-mismatch".
    return f"[{code} {name}]({RULES_URL}#{code.lower()}-{name.lower()})"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 or word == "info" else f"{count} {word}s"


def render(result: Any, options: dict[str, Any]) -> str:
    from kafkalint.redaction import redact_text, secret_texts
    from kafkalint.report.summary import run_summary

    counts = run_summary(result)
    findings = list(result.findings)
    project = getattr(result, "project", None)
    secrets = secret_texts(project) if project is not None else frozenset()
    out: list[str] = []
    if findings:
        tally = ", ".join(_plural(counts[level], level) for level in ("error", "warning", "info") if counts[level])
        out.append(f"## kafkalint: {tally} in {_plural(counts['files'], 'file')}")
    else:
        out.append(f"## kafkalint: no findings in {_plural(counts['files'], 'file')}")
    out.append("")
    by_rule: dict[str, list[Any]] = {}
    for finding in findings:
        by_rule.setdefault(finding.code, []).append(finding)
    ordered = sorted(by_rule.values(), key=lambda group: (
        min(_ORDER[item.severity.value] for item in group), -len(group), group[0].code))
    if ordered:
        out += ["| Severity | Rule | Findings |", "|---|---|---:|"]
        for group in ordered:
            worst = min((item.severity.value for item in group), key=_ORDER.__getitem__)
            out.append(f"| {worst} | {rule_link(group[0].code, group[0].name)} | {len(group)} |")
        out.append("")
        for group in ordered:
            out.append(f"<details><summary>{group[0].code} {cell(group[0].name)} ({len(group)})</summary>")
            out += ["", "| Location | Severity | Message |", "|---|---|---|"]
            for finding in group[:DETAIL_ROWS]:
                where = f"{finding.location.path}:{finding.location.line}:{finding.location.column}"
                out.append(f"| {cell(where)} | {finding.severity.value} | {cell(redact_text(finding.message, secrets))} |")
            if len(group) > DETAIL_ROWS:
                out.append(f"| … | | {len(group) - DETAIL_ROWS} more: run `kafkalint check` locally |")
            out += ["", "</details>", ""]
    if project is not None and (project.clients or project.topics):
        from kafkalint.inventory import topology
        from kafkalint.topology import mermaid

        chart = mermaid.render(topology(project, findings))
        out += ["### Topology", ""]
        if len(chart) > MERMAID_LIMIT:
            out.append(f"The topology chart ({len(chart)} characters) is larger than Mermaid renders by default; "
                       "draw it with `kafkalint inventory --format dot | dot -Tsvg`.")
        else:
            out += ["```mermaid", chart.rstrip("\n"), "```"]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
