"""Fixes: the text edits a rule may offer for one of its findings.

A fixer is `function(hit, target, context) -> Fix | None`, registered by rule code with
`@fix("KL003")` (kafkalint/fixes/registry.py) beside the fixers of related rules (the way checks register with `@check`).
It reads the located spans the sources recorded (a Setting's key and value locations are
exact) and proposes edits of exactly those spans, so comments, quoting, ordering and line
endings outside them stay byte for byte. The rule file declares how far its fix may be trusted
(`fix_applicability: safe|unsafe`); a fixer may lower that for one finding, never raise it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from kafkalint.model import Location


class Applicability(str, Enum):
    # ruff's notion: safe fixes keep what the author meant, unsafe ones may change behaviour
    # the author depends on and are applied only when asked for (`--unsafe-fixes`).
    SAFE = "safe"
    UNSAFE = "unsafe"

    @property
    def rank(self) -> int:
        return 2 if self is Applicability.SAFE else 1


@dataclass(slots=True, frozen=True)
class TextEdit:
    """Replace the text from (line, column) up to (end_line, end_column) - 1-based, end column
    exclusive, columns in characters as everywhere in the model - with `replacement`."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "replacement": self.replacement,
        }


@dataclass(slots=True, frozen=True)
class Fix:
    title: str  # "Replace 'enable.idempotency' with 'enable.idempotence'"
    applicability: Applicability
    edits: tuple[TextEdit, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "applicability": self.applicability.value,
            "edits": [edit.to_dict() for edit in self.edits],
        }


def replace_span(location: Location, replacement: str) -> TextEdit:
    return TextEdit(
        location.path,
        location.line,
        location.column,
        location.end_line if location.end_line is not None else location.line,
        location.end_column if location.end_column is not None else location.column,
        replacement,
    )
