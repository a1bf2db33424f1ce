"""One explained key, as `kafkalint explain` shows it for clients, clusters and topics alike: its
value in force (secrets masked), where that value comes from, the rules that read it and the
findings on it; and how a list of them is laid out as text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kafkalint.model import UNKNOWN


@dataclass(slots=True)
class ExplainedKey:
    key: str
    value: str
    source: str
    explicit: bool
    line: int | None = None
    written_key: str = ""
    rules: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "written_key": self.written_key or self.key,
            "value": self.value,
            "source": self.source,
            "explicit": self.explicit,
            "line": self.line,
            "rules": self.rules,
            "findings": self.findings,
        }


def shown_value(value: Any, secret: bool) -> str:
    """A value as explain prints it: secrets masked, URL passwords masked, unknowns said so."""
    from kafkalint.checks import value_text

    if value is UNKNOWN:
        return "(unknown statically)"
    from kafkalint.redaction import MASK, mask_urls

    if secret:
        return MASK
    return mask_urls(value_text(value))


def key_lines(keys: list[dict[str, Any]]) -> list[str]:
    """One aligned line per key: name, value (long ones cut), origin, rules reading it, findings."""
    width = max((len(item["key"]) for item in keys), default=10)
    value_width = min(max((len(item["value"]) for item in keys), default=10), 40)
    lines = []
    for item in keys:
        value = item["value"] if len(item["value"]) <= 40 else item["value"][:37] + "..."
        extra = ""
        if item["rules"]:
            extra += f"  [read by {', '.join(item['rules'])}]"
        if item["findings"]:
            extra += f"  [findings: {', '.join(item['findings'])}]"
        lines.append(f"  {item['key']:<{width}}  {value:<{value_width}}  {item['source']}{extra}")
    return lines
