"""Checks for Python code facts: the Python source records each pitfall as a CodeFact whose
detail holds the message variables; a rule turns it into a finding, at the fact's location.
"""

from __future__ import annotations

from collections.abc import Iterator

from kafkalint.checks import CheckContext, Hit
from kafkalint.model import CodeFact, Severity


def code_fact(fact: CodeFact, context: CheckContext) -> Iterator[Hit]:
    severity = fact.detail.get("severity")
    yield Hit(fact.location, dict(fact.detail), severity=Severity(severity) if severity else None)
