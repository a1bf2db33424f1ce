"""Rule documentation rendered from the catalogue: `kafkalint rule X` and docs/rules.md."""

from __future__ import annotations

import difflib
from typing import Any

from kafkalint.catalogue import Catalogue, Rule


def suggest_rule(catalogue: Catalogue, selector: str) -> str:
    names = [rule.name for rule in catalogue.rules] + [rule.code for rule in catalogue.rules]
    close = difflib.get_close_matches(selector, names, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def _example_block(example: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if example.get("description"):
        lines.append(f"_{example['description']}_")
        lines.append("")
    for path, content in example["files"].items():
        language = {"properties": "properties", "yaml": "yaml", "yml": "yaml", "json": "json", "py": "python"}.get(
            path.rsplit(".", 1)[-1], ""
        )
        lines.append(f"`{path}`:")
        lines.append("")
        lines.append(f"```{language}")
        lines.extend(content.rstrip("\n").splitlines())
        lines.append("```")
        lines.append("")
    return lines


def rule_markdown(rule: Rule, heading: str = "#") -> str:
    lines = [f"{heading} {rule.code} {rule.name}", ""]
    applies = rule.target
    if rule.roles:
        applies += f" ({', '.join(rule.roles)})"
    if rule.dialects:
        applies += f", dialects: {', '.join(rule.dialects)}"
    if rule.kinds:
        applies += f", kinds: {', '.join(rule.kinds)}"
    lines += [f"Default severity: **{rule.severity.value}**. Applies to: {applies}.", ""]
    lines += [f"{heading}# What it does", "", rule.summary, ""]
    lines += [f"{heading}# Why is this bad?", "", rule.rationale, ""]
    bad = rule.examples.get("bad", [])
    good = rule.examples.get("good", [])
    if bad:
        lines += [f"{heading}# Example", ""]
        lines += _example_block(bad[0])
    if good:
        lines += ["Use instead:", ""]
        lines += _example_block(good[0])
    lines += [f"{heading}# How to fix", "", rule.fix, ""]
    if rule.parameters:
        lines += [f"{heading}# Options", ""]
        for name, spec in rule.parameters.items():
            lines.append(f"- `{name}` (default `{spec['default']}`): {spec['description']}")
        lines.append("")
    if rule.references:
        lines += [f"{heading}# References", ""]
        lines += [f"- <{reference}>" for reference in rule.references]
        lines.append("")
    return "\n".join(lines)
