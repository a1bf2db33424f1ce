"""Problems a source records while reading a file: it cannot be parsed, or a key is written twice.

Sources state the facts (which file, why, which key, which lines); the rule files own the words.
Every source builds these problems here, so each states the same fact the same way.
"""

from __future__ import annotations

from kafkalint.model import Location, ParseProblem

PARSE_ERROR = "parse-error"
DUPLICATE_KEY = "duplicate-config-key"


def parse_problem(display: str, reason: str, line: int = 1, column: int = 1) -> ParseProblem:
    """The file (or a part of it) cannot be read: `reason` is the parser's own explanation."""
    return ParseProblem(PARSE_ERROR, "", Location(display, line, column), {"file": display, "reason": reason})


def duplicate_key_problem(written_key: str, first: Location, repeat: Location) -> ParseProblem:
    """The first of two settings of one key: reported where the ignored value is."""
    return ParseProblem(DUPLICATE_KEY, "", first, {"key": written_key, "line": repeat.line})
