"""Java `.properties` files, the whole format (java.util.Properties.load), with exact locations,
and the reader that turns one into model objects.

Handles `=`, `:` and whitespace separators, `#`/`!` comments, backslash line continuations,
escapes including `\\uXXXX`, and reports each key's and value's line and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from kafkalint.model import UNKNOWN, Location, Project
from kafkalint.sources.read_problems import parse_problem

_WHITESPACE = " \t\f"
# The most entries read from one file. No client or broker has this many settings; beyond it a
# file is generated data, and every entry costs rules time and memory (80,000 duplicate lines
# took 358 MB). The entries after it are not read, and a problem says so.
MAX_ENTRIES = 10_000
_SIMPLE_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


@dataclass(slots=True)
class PropertyEntry:
    key: str
    value: str
    key_location: Location
    value_location: Location


@dataclass(slots=True)
class PropertiesProblem:
    message: str
    line: int
    column: int


def _logical_lines(text: str) -> list[list[tuple[int, int, str]]]:
    """Group physical lines into logical ones; each part is (line number, start column, text).

    A line ending in an odd number of backslashes continues on the next line, whose leading
    whitespace is dropped. Comment and blank lines never continue.
    """
    logical: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] | None = None
    for index, physical in enumerate(text.splitlines()):
        number = index + 1
        if current is None:
            stripped = physical.lstrip(_WHITESPACE)
            if not stripped or stripped[0] in "#!":
                continue
            start = len(physical) - len(stripped)
            current = [(number, start + 1, stripped)]
        else:
            stripped = physical.lstrip(_WHITESPACE)
            current.append((number, len(physical) - len(stripped) + 1, stripped))
        body = current[-1][2]
        trailing = len(body) - len(body.rstrip("\\"))
        if trailing % 2 == 1:
            current[-1] = (current[-1][0], current[-1][1], body[:-1])
            continue
        logical.append(current)
        current = None
    if current is not None:
        logical.append(current)
    return logical


def _positions(parts: list[tuple[int, int, str]]) -> tuple[str, list[tuple[int, int]]]:
    """Join the parts of a logical line, remembering each character's (line, column)."""
    chars: list[str] = []
    where: list[tuple[int, int]] = []
    for line, column, text in parts:
        for offset, char in enumerate(text):
            chars.append(char)
            where.append((line, column + offset))
    return "".join(chars), where


def _unescape(text: str, start: int, end: int, problems: list[str]) -> str:
    out: list[str] = []
    index = start
    while index < end:
        char = text[index]
        if char == "\\" and index + 1 < end:
            following = text[index + 1]
            if following == "u":
                digits = text[index + 2 : index + 6]
                if len(digits) == 4 and all(c in "0123456789abcdefABCDEF" for c in digits):
                    out.append(chr(int(digits, 16)))
                    index += 6
                    continue
                problems.append("malformed \\uXXXX escape")
                index += 2
                continue
            out.append(_SIMPLE_ESCAPES.get(following, following))
            index += 2
            continue
        if char == "\\":
            index += 1
            continue
        out.append(char)
        index += 1
    return "".join(out)


def parse_properties(text: str, path: str) -> tuple[list[PropertyEntry], list[PropertiesProblem]]:
    entries: list[PropertyEntry] = []
    problems: list[PropertiesProblem] = []
    for parts in _logical_lines(text):
        joined, where = _positions(parts)
        length = len(joined)
        if length == 0:
            continue  # a lone `\` continued onto a blank line or the end: Java reads no entry
        if len(entries) == MAX_ENTRIES:
            problems.append(
                PropertiesProblem(f"more than {MAX_ENTRIES} entries; the rest of the file is not read", where[0][0], where[0][1])
            )
            break
        index = 0
        while index < length:
            char = joined[index]
            if char == "\\":
                index += 2
                continue
            if char in "=:" or char in _WHITESPACE:
                break
            index += 1
        key_end = min(index, length)
        value_start = key_end
        while value_start < length and joined[value_start] in _WHITESPACE:
            value_start += 1
        if value_start < length and joined[value_start] in "=:":
            value_start += 1
            while value_start < length and joined[value_start] in _WHITESPACE:
                value_start += 1
        escape_problems: list[str] = []
        key = _unescape(joined, 0, key_end, escape_problems)
        value = _unescape(joined, value_start, length, escape_problems)
        first_line, first_column = where[0]
        for message in escape_problems:
            problems.append(PropertiesProblem(message, first_line, first_column))
        key_last = where[key_end - 1] if key_end > 0 else where[0]
        key_location = Location(path, first_line, first_column, key_last[0], key_last[1] + 1)
        if value_start < length:
            value_first = where[value_start]
            value_last = where[length - 1]
            value_location = Location(path, value_first[0], value_first[1], value_last[0], value_last[1] + 1)
        else:
            value_location = Location(path, key_last[0], key_last[1] + 1, key_last[0], key_last[1] + 1)
        entries.append(PropertyEntry(key, value, key_location, value_location))
    return entries, problems


# Keys every broker's own server.properties sets (who it is, where it keeps data, how it is
# reached or joins its cluster): a file with none of them is a fragment of a configuration.
BROKER_IDENTITY_KEYS = frozenset({
    "broker.id", "node.id", "process.roles", "zookeeper.connect", "controller.quorum.voters",
    "controller.quorum.bootstrap.servers", "log.dirs", "log.dir", "listeners", "advertised.listeners",
})


def read_properties(text: str, display: str, project: Project, claimants: Iterable[Callable[..., bool]]) -> None:
    """A .properties file into the project: offered to the framework claimants (Spring, Quarkus,
    Connect) in their order, else read as broker settings or a client configuration."""
    from kafkalint.sources.clientfile import RawEntry

    entries, problems = parse_properties(text, display)
    for problem in problems:
        project.problems.append(parse_problem(display, problem.message, problem.line, problem.column))
    raw = [RawEntry(e.key, e.value, e.value, e.key_location, e.value_location) for e in entries]
    template = any(entry.key.startswith(TEMPLATE_DIRECTIVES) for entry in raw)
    branched: set[str] = set()
    if template:
        raw, branched = _template_entries(raw)
    marks = (len(project.brokers), len(project.clients))
    _read_entries(raw, text, display, project, claimants)
    if template:
        # Rendered, a template may set more than it shows (a loop over overrides), and which
        # branch of an `{% if %}` applies is not known: nothing it leaves out is a default, and
        # a key its branches write differently has no known value.
        for broker in project.brokers[marks[0]:]:
            broker.defaults_known = False
            _forget_values(broker.settings, branched)
        for client in project.clients[marks[1]:]:
            client.all_settings_known = False
            _forget_values(client.settings, branched)


def _read_entries(raw: list[Any], text: str, display: str, project: Project, claimants: Iterable[Callable[..., bool]]) -> None:
    from kafkalint.sources.clientfile import is_broker_map, read_client_map

    for claim in claimants:
        if claim(raw, text, display, project):
            return
    keys = [entry.key for entry in raw]
    if is_broker_map(keys):
        from kafkalint.sources.broker import broker_from_entries

        broker = broker_from_entries(raw, display, project)
        if not any(key in BROKER_IDENTITY_KEYS for key in keys):
            # A fragment merged into a broker configured elsewhere (an embedded test broker's
            # `spring.kafka.embedded.broker.properties.location`, overrides passed with
            # --override): what it leaves out is not known to be the Kafka default.
            broker.defaults_known = False
        project.brokers.append(broker)
        return
    if raw:
        # Findings about defaults point at the first setting, not at a comment header.
        first = raw[0].key_location
        anchor = Location(display, first.line, first.column, first.end_line, first.end_column)
        read_client_map(raw, display, anchor, project)


# Lines of a Jinja (or Liquid) template that are its own statements and comments, not entries:
# `{% if tls %}`, `{% endif %}`, `{# ... #}`. A .properties file holding one is a template.
TEMPLATE_DIRECTIVES = ("{%", "{#")


def _template_entries(raw: list[Any]) -> tuple[list[Any], set[str]]:
    """A template's entries, its statements dropped and a key written more than once (in the
    branches of an `{% if %}`, one of which the rendering keeps) kept once, at its last place,
    rather than reported as a duplicate; and those keys, whose value is not known."""
    entries = [entry for entry in raw if not entry.key.startswith(TEMPLATE_DIRECTIVES)]
    last = {entry.key: index for index, entry in enumerate(entries)}
    branched = {entry.key for index, entry in enumerate(entries) if last[entry.key] != index}
    return [entry for index, entry in enumerate(entries) if last[entry.key] == index], branched


def _forget_values(settings: dict[str, Any], keys: set[str]) -> None:
    for setting in settings.values():
        if (setting.written_key or setting.key) in keys:
            setting.value = UNKNOWN
