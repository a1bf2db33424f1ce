"""The one redaction policy: what counts as a secret, and how it is masked wherever kafkalint
shows text from a repository (snippets and messages of every report, `explain`, `inventory`).

A value is secret when its key says so — by name (`sasl.password`, `basic.auth.user.info`,
`*.jaas.config`, ...) or by a near-miss spelling of such a name (`sasl.passwrod`,
`ssl.keystore.pasword`: a typo does not make a password public) — or when it is the password
of a URL (`jdbc:mysql://user:****@db`). On a source line that holds a secret, every value is
masked, not only the one a source recognised: the line may hold another secret written in a
way no source knows. Masking more than needed costs a little context; masking less leaks.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterator

from kafkalint.model import Location, Project

MASK = "****"

# Words that make a key secret wherever they appear in it (`ssl.keystore.password`,
# `sasl_plain_password`, `client-secret`, `sasl.jaas.config`, `apiKey`).
_SECRET_WORDS = ("password", "passwd", "passphrase", "secret", "credential", "token", "apikey", "jaas", "userinfo")
# Whole words (after splitting on . _ - and camelCase) that are secret on their own.
_SECRET_TOKENS = {"pwd", "pass", "pw"}
# Word pairs: `basic.auth.user.info`, `api.key`, `private.key`, `ssl.key` (the key itself).
_SECRET_PAIRS = {
    ("user", "info"), ("api", "key"), ("private", "key"), ("ssl", "key"), ("access", "key"), ("oauthbearer", "config"),
}
# Misspellings are matched against these: one edit away (two for the longer words), so
# `passwrod`, `pasword`, `secert` match and `socket`, `secure` do not.
_NEAR_MISS_WORDS = ("password", "passwd", "secret", "credentials", "credential", "passphrase")
# Keys that name where a secret is, or what kind it is, not the secret itself.
_NOT_SECRET_SUFFIXES = (
    "location", "type", "algorithm", "file", "path", "url", "uri", "class", "endpoint", "callback",
    "handler", "provider", "mechanism", "mechanisms", "protocol", "enable", "enabled", "ms", "size", "format",
    "length", "strategy",
)

_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def _words(key: str) -> list[str]:
    """The key's words, without the name a broker's listener was given: in
    `listener.name.<listener>.<setting>` (KAFKA_LISTENER_NAME_<LISTENER>_... in a container's
    environment) the listener's name is anyone's choice, and a listener named TOKEN or SECRETS
    makes its `security.protocol` no secret."""
    words = [word.lower() for word in _WORDS.findall(key)]
    for index in range(len(words) - 3):
        if words[index] == "listener" and words[index + 1] == "name":
            return words[:index + 2] + words[index + 3:]
    return words


def _within_edits(word: str, target: str, limit: int) -> bool:
    """Optimal string alignment distance <= limit (a transposition counts as one edit)."""
    if abs(len(word) - len(target)) > limit:
        return False
    # One edit adds at most one letter to the word's set of letters and removes at most one: a
    # cheap bound that turns away nearly every pair before the quadratic alignment.
    if len(set(word).symmetric_difference(target)) > 2 * limit:
        return False
    previous2: list[int] = []
    previous = list(range(len(target) + 1))
    for i in range(1, len(word) + 1):
        current = [i] + [0] * len(target)
        for j in range(1, len(target) + 1):
            cost = 0 if word[i - 1] == target[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and word[i - 1] == target[j - 2] and word[i - 2] == target[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return False
        previous2, previous = previous, current
    return previous[-1] <= limit


def names_no_secret(key: str) -> bool:
    """The key's last word says it holds where a secret is, what kind it is, or a flag or a
    size about it (`...refresh.token.enabled`, `...credentials.provider`), not the secret."""
    words = _words(key)
    return bool(words) and words[-1] in _NOT_SECRET_SUFFIXES


@lru_cache(maxsize=4096)
def is_secret_key(key: str) -> bool:
    """Whether a value written under this key (any dialect, any spelling) is to be masked."""
    if names_no_secret(key):
        return False
    words = _words(key)
    if not words:
        return False
    joined = "".join(words)
    if any(word in joined for word in _SECRET_WORDS):
        return True
    if any(word in _SECRET_TOKENS for word in words):
        return True
    if any(pair in _SECRET_PAIRS for pair in zip(words, words[1:])):
        return True
    if len(words) > 1 and words[-1] == "key":  # ssl.keystore.key, delegation.token.master.key
        return True
    return any(
        len(word) >= 5 and _within_edits(word, target, 1 if len(target) < 8 else 2)
        for word in words
        for target in _NEAR_MISS_WORDS
    )


# `scheme://user:password@host` and `scheme://token@host`.
_URL_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)(?P<user>[^\s:/@\"'<>]*)(?::(?P<password>[^\s/@\"'<>]*))?@")


def _mask_userinfo(match: re.Match[str]) -> str:
    if match.group("password") is not None:
        return f"{match.group('scheme')}{match.group('user')}:{MASK}@"
    return f"{match.group('scheme')}{MASK}@"


def mask_urls(text: str) -> str:
    """URL passwords (and bare URL tokens) masked; the rest of the text as it is."""
    if "://" not in text or "@" not in text:
        return text
    return _URL_USERINFO.sub(_mask_userinfo, text)


def shown_value(key: str, text: str, secret: bool = False) -> str:
    """A value as kafkalint may show it: masked under a secret key, URL passwords masked."""
    if secret or is_secret_key(key):
        return MASK
    return mask_urls(text)


# --- source lines -----------------------------------------------------------------------------

# A `key = value` / `key: value` / `"key": value` pair on one line, in any format we read.
_PAIR = re.compile(
    r"""(?x)
    (?P<key> "[^"\n]{1,200}" | '[^'\n]{1,200}' | (?<![\w.\-])[A-Za-z_][\w.\-]{0,200} )
    (?P<separator> \s*[:=]\s* )
    (?P<value> "(?:[^"\\\n]|\\.)*"? | '(?:[^'\\\n]|\\.)*'? | [^\s,;}\])]+ (?:[ \t]+[^\s,;}\])=:]+(?![\w.\-]*\s*[:=]))* )
    """
)
# Any string literal, and any unquoted value after `=` or `:` (for lines that hold a secret).
_STRING = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'""")
_COLON_AFTER = re.compile(r"[ \t]*:")
_UNQUOTED_VALUE = re.compile(r"""(?<=[=:])[ \t]*(?P<value>[^\s"',;}\])(\[{]+)(?![\w.]*\()""")


def _quoted_inner(start: int, end: int, text: str) -> tuple[int, int]:
    """The span inside the quotes when the value is quoted (the quotes stay visible)."""
    if end - start >= 2 and text[start] in "\"'" and text[end - 1] == text[start]:
        return start + 1, end - 1
    return start, end


def secret_value_spans(line: str) -> list[tuple[int, int]]:
    """0-based [start, end) spans of values under secret keys on the line."""
    spans: list[tuple[int, int]] = []
    for match in _PAIR.finditer(line):
        if is_secret_key(match.group("key").strip("\"'")):
            spans.append(_quoted_inner(match.start("value"), match.end("value"), line))
    return spans


def _every_value_span(line: str) -> list[tuple[int, int]]:
    """Every value on a line: string literals that are not keys, and unquoted values."""
    spans: list[tuple[int, int]] = []
    for match in _STRING.finditer(line):
        if not _COLON_AFTER.match(line, match.end()):  # `"key":` stays readable
            spans.append(_quoted_inner(match.start(), match.end(), line))
    for match in _UNQUOTED_VALUE.finditer(line):
        value = match.group("value").rstrip()
        if value and not value.startswith(("#", "//")):
            spans.append((match.start("value"), match.start("value") + len(value)))
    return spans


def redact_line(line: str, spans: list[tuple[int, int]], keep: tuple[int, int] | None = None) -> str:
    """The line with secrets masked. `spans`: secret value spans a source located (1-based
    columns, end exclusive). A line that holds any secret has all its values masked, but for
    `keep` (1-based, the span a finding points at) when it overlaps no secret."""
    flags = masked_characters(line, spans, keep)
    return mask_urls(_render(line, flags)) if flags is not None else mask_urls(line)


def masked_characters(line: str, spans: list[tuple[int, int]], keep: tuple[int, int] | None = None) -> list[bool] | None:
    """Per character of the line, whether it is masked; None when nothing is."""
    secret = [(max(start - 1, 0), min(end - 1, len(line))) for start, end in spans]
    secret += secret_value_spans(line)
    secret = [(start, end) for start, end in secret if end > start]
    if not secret:
        return None  # a URL password alone masks only itself (mask_urls)
    masked = list(secret)
    kept = None
    if keep is not None:
        kept = (keep[0] - 1, keep[1] - 1)
        for match in _PAIR.finditer(line):  # a finding at a key shows that key's value too
            if match.start("key") < kept[1] and kept[0] < match.end("key"):
                kept = (min(kept[0], match.start("value")), max(kept[1], match.end("value")))
        if any(start < kept[1] and kept[0] < end for start, end in secret):
            kept = None
    for start, end in _every_value_span(line):
        if kept is not None and start < kept[1] and kept[0] < end:
            continue
        masked.append((start, end))
    flags = [False] * len(line)
    for start, end in masked:
        for index in range(max(start, 0), min(end, len(line))):
            flags[index] = True
    return flags


def _render(line: str, flags: list[bool]) -> str:
    """Each run of masked characters becomes one MASK."""
    out: list[str] = []
    index = 0
    while index < len(line):
        if flags[index]:
            while index < len(line) and flags[index]:
                index += 1
            out.append(MASK)
        else:
            out.append(line[index])
            index += 1
    return "".join(out)


def secret_spans(project: Project) -> dict[tuple[str, int], list[tuple[int, int]]]:
    """(path, line) -> 1-based column spans of every secret value the sources located."""
    spans: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for holder in project.setting_holders():
        for setting in holder.settings.values():
            if not (setting.secret or is_secret_key(setting.written_key or setting.key)):
                continue
            location = setting.location
            end_line = location.end_line or location.line
            for line in range(location.line, end_line + 1):
                start = location.column if line == location.line else 1
                end = (location.end_column or 10_000) if line == end_line else 10_000
                spans.setdefault((location.path, line), []).append((start, end))
    for key, extra in _fact_secret_spans(project):
        spans.setdefault(key, []).append(extra)
    return spans


def _fact_secret_spans(project: Project) -> Iterator[tuple[tuple[str, int], tuple[int, int]]]:
    for fact in project.facts:
        if fact.kind == "secret-value":
            location = fact.location
            yield (location.path, location.line), (location.column, location.end_column or 10_000)


def secret_texts(project: Project) -> frozenset[str]:
    """The literal secret values of the project, to be masked wherever they would appear."""
    texts: set[str] = set()
    for holder in project.setting_holders():
        for setting in holder.settings.values():
            if setting.secret or is_secret_key(setting.written_key or setting.key):
                raw = (setting.raw or "").strip().strip("\"'")
                # A flag is no secret, and masking every "true" of every message would hide
                # what they say (a boolean under a key that only looks secret).
                if len(raw) >= 4 and raw != MASK and raw.lower() not in ("true", "false"):
                    texts.add(raw)
    return frozenset(texts)


def redact_text(text: str, secrets: frozenset[str]) -> str:
    """A message or other prose with every known secret value and URL password masked.

    A secret is masked where it stands as a value, not where it is part of a longer word: a
    demo whose password is `confluent` had every `confluent.metadata.server.*` key of its
    messages printed as `****.metadata.server.*`, unreadable, and telling the reader the
    password by the very mask."""
    for secret in secrets:
        if secret in text:
            text = _mask_standalone(text, secret)
    return mask_urls(text)


def _word_character(character: str) -> bool:
    return character.isalnum() or character in "_-"


def _mask_standalone(text: str, secret: str) -> str:
    """`text` with each occurrence of `secret` masked unless a word goes on past it on either
    side: a letter, digit, `_` or `-`, or a dot with one of those beyond it, next to a letter,
    digit, `_` or `-` of the secret (a key such as `confluent.metadata.server.url` or a word
    such as `kafkaesque` is not the value `kafka`; `x!secret` still holds `!secret`)."""
    pieces: list[str] = []
    position = 0
    start = text.find(secret)
    while start != -1:
        end = start + len(secret)
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        inside = (
            _word_character(secret[0])
            and (_word_character(before) or (before == "." and start >= 2 and _word_character(text[start - 2])))
        ) or (
            _word_character(secret[-1])
            and (_word_character(after) or (after == "." and end + 1 < len(text) and _word_character(text[end + 1])))
        )
        if not inside:
            pieces.append(text[position:start])
            pieces.append(MASK)
            position = end
        start = text.find(secret, end if not inside else start + 1)
    pieces.append(text[position:])
    return "".join(pieces)


class SourceLines:
    """Each file's lines, split on first use: only files with findings are split."""

    def __init__(self, project: Project) -> None:
        self._texts = {file.path: file.text for file in project.files}
        self._lines: dict[str, list[str]] = {}
        self._masks: dict[tuple[str, int], list[bool] | None] = {}

    def masked(self, path: str, number: int, line: str, spans: list[tuple[int, int]]) -> list[bool] | None:
        key = (path, number)
        if key not in self._masks:
            self._masks[key] = masked_characters(line, spans)
        return self._masks[key]

    def line(self, path: str, number: int) -> str | None:
        if path not in self._lines:
            text = self._texts.get(path)
            self._lines[path] = text.splitlines() if text is not None else []
        lines = self._lines[path]
        return lines[number - 1] if 1 <= number <= len(lines) else None


# A snippet is a window of this many characters around the finding on a longer line (a
# minified JSON file is one line): the report stays readable.
SNIPPET_WINDOW = 400
MAX_MASKED_LINE = 64 * 1024


def snippet_for(lines: SourceLines, location: Location, spans: dict[tuple[str, int], list[tuple[int, int]]]) -> str:
    line = lines.line(location.path, location.line)
    if line is None:
        return ""
    line_spans = spans.get((location.path, location.line), [])
    if len(line) <= SNIPPET_WINDOW:
        keep = None
        if location.end_column is not None and (location.end_line in (None, location.line)):
            keep = (location.column, location.end_column)
        return redact_line(line, line_spans, keep)
    if len(line) > MAX_MASKED_LINE:
        # Masking costs time per character: on a giant line that may hold a secret, no
        # snippet at all (the finding's message still says what and where).
        lowered = line.lower()
        if line_spans or any(word in lowered for word in (*_SECRET_WORDS, "pass", "pw", "key", "info", "@")):
            return ""
        flags = None
    else:
        # Masked over the whole line (once per line: a long line often has many findings),
        # then cut: a window must not separate a secret from the key that makes it one.
        flags = lines.masked(location.path, location.line, line, line_spans)
    start = max(location.column - 1 - SNIPPET_WINDOW // 4, 0)
    end = start + SNIPPET_WINDOW
    window = _render(line[start:end], flags[start:end]) if flags is not None else line[start:end]
    return ("..." if start else "") + mask_urls(window) + ("..." if end < len(line) else "")


def redacted_document(document: Any, secrets: frozenset[str]) -> Any:
    """A JSON-able document (explain, inventory) with known secrets and URL passwords masked."""
    if isinstance(document, str):
        return redact_text(document, secrets)
    if isinstance(document, dict):
        return {key: redacted_document(value, secrets) for key, value in document.items()}
    if isinstance(document, list):
        return [redacted_document(item, secrets) for item in document]
    return document
