"""The two problems every reader states the same way: a file it cannot read, a key set twice.

One constructor each, so the wording and the location (the first, overridden occurrence) are
the same whatever the format.
"""

from __future__ import annotations

from kafkalint.model import Location, ParseProblem


def parse_problem(display: str, reason: str, line: int = 1, column: int = 1) -> ParseProblem:
    return ParseProblem("parse-error", f"cannot read {display}: {reason}", Location(display, line, column))


def duplicate_key_problem(written_key: str, first: Location, repeat: Location) -> ParseProblem:
    """A key set twice in one scope: reported at the first occurrence, which the later one overrides."""
    return ParseProblem(
        "duplicate-config-key",
        f"'{written_key}' is set again at line {repeat.line}; the later value wins and this one is ignored",
        first,
    )
