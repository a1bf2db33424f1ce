"""Text from a repository made safe to show: on a terminal, in XML, in JSON.

File names, keys and values are whatever a repository holds. A newline in a file name would
forge a finding line, an escape sequence would drive the terminal, a control character makes
an XML report invalid, and a lone surrogate (a `\\uD800` escape, or a byte that is not UTF-8
in a file name or on stdin, which Python carries as `\\udcXX`) cannot be encoded at all. Each
is shown as a visible backslash escape instead: `\\n`, `\\x1b`, `\\xff` (an undecodable
byte), `\\ud800` (a lone surrogate), `\\u202e` (a bidirectional override).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable

# C0 controls, DEL, C1 controls, lone surrogates, bidirectional overrides and isolates (they
# reorder what a terminal or a browser shows: "trojan source"), and the line/paragraph
# separators some viewers break lines on.
# Nearly every text is printable ASCII and is returned as it is; the patterns (their wide
# classes take ~2.5 ms to compile) are compiled the first time a text is not.
_UNSAFE_FOR_TERMINAL = "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\u2028\u2029]"
_SURROGATES = "[\ud800-\udfff]"
# What XML 1.0 forbids (everything but TAB, LF, CR below 0x20; surrogates; U+FFFE, U+FFFF),
# plus the controls an XML viewer or a CI log would pass to the terminal.
_UNSAFE_FOR_XML = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"


@lru_cache(maxsize=None)
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def _plain(text: str) -> bool:
    """Printable ASCII (space to tilde): nothing in it to escape."""
    return text.isascii() and text.isprintable()

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape): show the byte
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def visible(text: str, keep: str = "") -> str:
    """One line of text safe for a terminal: every control character escaped but those in
    `keep` (a tab in a source line; CR and LF where the format escapes them its own way)."""
    if _plain(text):
        return text
    if keep:
        return _pattern(_UNSAFE_FOR_TERMINAL).sub(lambda match: match.group() if match.group() in keep else _escape(match), text)
    return _pattern(_UNSAFE_FOR_TERMINAL).sub(_escape, text)


def without_surrogates(text: str) -> str:
    """Text that encodes as UTF-8; everything else is left as it is (JSON escapes controls)."""
    return text if text.isascii() else _pattern(_SURROGATES).sub(_escape, text)


def xml_safe(text: str) -> str:
    """Text every XML 1.0 parser accepts; line breaks and tabs are kept."""
    return text if _plain(text) else _pattern(_UNSAFE_FOR_XML).sub(_escape, text)


def map_strings(document: Any, function: Callable[[str], str]) -> Any:
    """The document (dicts, lists, scalars) with `function` applied to every string, keys too."""
    if isinstance(document, str):
        return function(document)
    if isinstance(document, dict):
        return {map_strings(key, function): map_strings(value, function) for key, value in document.items()}
    if isinstance(document, (list, tuple)):
        return [map_strings(item, function) for item in document]
    return document


def json_safe(document: Any) -> Any:
    """A JSON-able document whose strings all encode as UTF-8 (json escapes the controls)."""
    return map_strings(document, without_surrogates)


def terminal_safe(document: Any) -> Any:
    """A document whose strings are all safe to lay out in a table on a terminal."""
    return map_strings(document, visible)
