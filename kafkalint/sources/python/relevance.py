"""Which top-level definitions of a file may concern Kafka, decided on the text before parsing.

Parsing is the dominant cost; in a file that uses Kafka in two functions out of forty the rest
need not be parsed at all. Top-level `def`/`class` blocks (with their decorators) that name no
client class, no variable a client is assigned to and no blocking call are replaced by empty
lines, so every kept line keeps its number and columns. The module-level statements between
them are always kept. Region boundaries are found on the text (a code line at column 0 ends a
block); when they are wrong the reduced text does not parse and the caller parses the file
whole, so a mistake here costs time, never a finding.
"""

from __future__ import annotations

import re

_PACKAGES = r"(?:confluent_kafka|aiokafka|kafka)"
_FROM_IMPORT = re.compile(
    r"^[ \t]*from[ \t]+" + _PACKAGES + r"(?:\.[\w.]+)?[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.MULTILINE
)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([^\n]*)", re.MULTILINE)
_COLUMN_ZERO_CODE = re.compile(r"^[^\s#)\]}]", re.MULTILINE)
_HEADER = re.compile(r"(?:@|def\b|async[ \t]+def\b|class\b)")
_DEFINITION = re.compile(r"(?:def\b|async[ \t]+def\b|class\b)")

# Words that keep a definition: blocking calls a poll loop may reach through it, and the
# usual names of client variables (a helper taking `consumer` as a parameter).
_ALWAYS = ("sleep", "subprocess", "requests", "urlopen", "input(", "consumer", "producer", "Kafka", "kafka")


def client_tokens(text: str) -> set[str]:
    """Local names bound to anything imported from a Kafka package, and the variables they
    are assigned to (`name = Consumer(`, `self.name = ck.Producer(`, `with Consumer(...) as name`)."""
    tokens: set[str] = set(_ALWAYS)
    for match in _FROM_IMPORT.finditer(text):
        for piece in match.group(1).strip("()").replace("\n", " ").split(","):
            words = piece.split()
            if words:
                tokens.add(words[-1].strip("\\"))
    for match in _IMPORT.finditer(text):
        for piece in match.group(1).split(","):
            words = piece.split()
            if words and re.match(_PACKAGES + r"\b", words[0]):
                tokens.add(words[-1] if len(words) == 3 else words[0].split(".")[0])
    tokens.discard("")
    classes = sorted(token for token in tokens if token not in _ALWAYS and token.isidentifier())
    if classes:
        # Find the constructor calls first (a plain alternation), then look at their line.
        constructor = re.compile(r"\b(?:" + "|".join(map(re.escape, classes)) + r")[ \t]*\(")
        for match in constructor.finditer(text):
            line_start = text.rfind("\n", 0, match.start()) + 1
            line_end = text.find("\n", match.end())
            before = text[line_start : match.start()]
            assigned = _ASSIGNED.search(before)
            if assigned:
                tokens.add(assigned.group(1))
            elif "with" in before:
                managed = _MANAGED.search(text, match.end(), len(text) if line_end < 0 else line_end)
                if managed:
                    tokens.add(managed.group(1))
    return tokens


_FIRST_BODY_LINE = re.compile(r"\n([ \t]+)[^\s#]")


def _wraps_body_in_try(text: str, start: int, end: int) -> bool:
    """Does a top-level function run its body inside try/except? A poll loop calling it
    hands its failures to that handler, so the function must be parsed to know it."""
    definition = _DEFINITION.search(text, start, end)
    if definition is None or text.startswith("class", definition.start()):
        return False
    body = _FIRST_BODY_LINE.search(text, definition.end(), end)
    if body is None:
        return False
    return re.search(r"\n" + re.escape(body.group(1)) + r"try[ \t]*:", text[body.start() : end]) is not None


_ASSIGNED = re.compile(r"(\w+)[ \t]*(?::[^=]+)?=[ \t]*(?:await[ \t]+)?(?:\w+\.)*$")
_MANAGED = re.compile(r"\bas[ \t]+(?:self\.)?(\w+)")


def blank_unrelated_definitions(text: str) -> tuple[str, int]:
    """(text with unrelated top-level definitions blanked, how many were blanked)."""
    tokens = client_tokens(text)
    names = sorted(token for token in tokens if token not in _ALWAYS and token.isidentifier())
    alternatives = [re.escape(word) for word in _ALWAYS]
    if names:
        alternatives.append(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")
    mentions = re.compile("|".join(alternatives))
    starts = [match.start() for match in _COLUMN_ZERO_CODE.finditer(text)]
    pieces: list[str] = []
    kept_from = 0
    blanked = 0
    index = 0
    while index < len(starts):
        start = starts[index]
        if not _HEADER.match(text, start):
            index += 1
            continue
        # decorators, then the def/class line; the block ends at the next column-0 code line
        first = index
        while index < len(starts) and not _DEFINITION.match(text, starts[index]):
            if not text.startswith("@", starts[index]):
                break
            index += 1
        if index >= len(starts) or not _DEFINITION.match(text, starts[index]):
            index = max(index, first + 1)
            continue
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        index += 1
        if mentions.search(text, start, end) or _wraps_body_in_try(text, start, end):
            continue
        block = text[start:end]
        pieces.append(text[kept_from:start])
        pieces.append("\n" * block.count("\n"))
        kept_from = end
        blanked += 1
    if not blanked:
        return text, 0
    pieces.append(text[kept_from:])
    return "".join(pieces), blanked
