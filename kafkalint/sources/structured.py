"""YAML and JSON files: parsed once into located trees, offered to each document claimant.

The claimants (Strimzi, Spring, Quarkus, compose, Connect) and their order are the format's, in
kafkalint/formats.py; the first that claims the file wins, and a plain map of client settings
is the fallback.
"""

from __future__ import annotations

import json
import re
from typing import Callable, Iterable

from kafkalint.model import Location, Project
from kafkalint.sources.clientfile import build_client, entries_from_map, is_broker_map, is_kafka_client_map, read_client_map
from kafkalint.sources.read_problems import duplicate_key_problem, parse_problem
from kafkalint.sources.yamltree import Node, YamlError, load_documents

__all__ = ["entries_from_map", "read_client_documents", "read_json", "read_yaml"]

DocumentClaimant = Callable[[list[Node], str, str, Project], bool]


_SECTIONS = {"producer": "producer", "consumer": "consumer", "admin": "admin"}


def read_client_documents(documents: list[Node], display: str, project: Project) -> bool:
    """Flat client maps, or maps with producer:/consumer:/admin: sections (shared keys on top)."""
    from kafkalint.model import Role

    found = False
    for document in documents:
        if not document.is_map:
            continue
        sections = {key: node for key, node in document.items() if key in _SECTIONS and node.is_map}
        if sections:
            shared_node = Node({k: v for k, v in document.items() if k not in sections}, document.location)
            shared = [e for e in entries_from_map(shared_node)]
            for key, node in sections.items():
                entries = shared + entries_from_map(node)
                if not is_kafka_client_map([entry.key for entry in entries]):
                    continue
                anchor = node.key_location or node.location
                client = build_client(entries, display, anchor, project, role=Role(_SECTIONS[key]), name=key)
                # Keys beside the sections are given to every section's client.
                beside = {entry.key_location for entry in shared}
                for setting in client.settings.values():
                    setting.shared = setting.key_location in beside
                project.clients.append(client)
                found = True
            continue
        entries = entries_from_map(document)
        keys = [entry.key for entry in entries]
        if is_broker_map(keys) and not is_kafka_client_map_strict(keys):
            continue
        anchor = Location(display, document.location.line, document.location.column)
        if read_client_map(entries, display, anchor, project):
            found = True
    return found


def is_kafka_client_map_strict(keys: list[str]) -> bool:
    return any(key in keys for key in ("key.serializer", "value.serializer", "group.id", "acks"))


def read_yaml(text: str, display: str, project: Project, claimants: Iterable[DocumentClaimant]) -> None:
    read_structured(text, display, project, claimants, is_json=False)


def read_json(text: str, display: str, project: Project, claimants: Iterable[DocumentClaimant]) -> None:
    read_structured(text, display, project, claimants, is_json=True)


# A JSON file that does not parse is reported only when it claims to be Kafka configuration:
# its name says so, or it writes a key only Kafka configuration has.
_KAFKA_FILE_WORDS = re.compile(r"kafka|producer|consumer|connect|strimzi|streams|broker", re.IGNORECASE)
_KAFKA_JSON_KEYS = re.compile(
    r'"(?:bootstrap\.servers|connector\.class|group\.id|(?:key|value)\.(?:de)?serializer|security\.protocol|'
    r'transactional\.id|enable\.auto\.commit)"\s*:|"apiVersion"\s*:\s*"kafka\.strimzi\.io/'
)
_JSON_COMMENT = re.compile(r'^\s*(?://|/\*)', re.MULTILINE)


def claims_kafka_configuration(text: str, display: str) -> bool:
    """Whether a JSON file that does not parse was meant as Kafka configuration. JSON with
    comments (editor settings, JSONC) and JSON Lines data are other formats, never claimed; so is
    a file that does not even begin like JSON (a `curl ... -d '{...}'` script or SQL saved as .json)."""
    if not text.lstrip("\ufeff \t\r\n").startswith(("{", "[")):
        return False
    if _JSON_COMMENT.search(text):
        return False
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and all(line.lstrip().startswith(("{", "[")) and line.rstrip().endswith(("}", "]")) for line in lines):
        return False  # JSON Lines: one record per line
    stem = display.rsplit("/", 1)[-1]
    return bool(_KAFKA_FILE_WORDS.search(stem) or _KAFKA_JSON_KEYS.search(text))


_BLANK_LINE = re.compile(r"\n([ \t\r]*)\n")


def json_stream_as_yaml(text: str) -> str | None:
    """Several JSON objects one after the other (connector configurations kept together, each
    to be posted on its own) as a YAML stream of documents: the blank line between two objects
    becomes `---`, so every line and column stays where it was. None when the text is not such
    a stream, or two objects have no blank line between them (a separator would move lines)."""
    decoder = json.JSONDecoder(parse_int=str, parse_float=str)
    spans: list[tuple[int, int]] = []
    index = 0
    while True:
        while index < len(text) and text[index] in " \t\r\n\ufeff":
            index += 1
        if index >= len(text):
            break
        if text[index] != "{":
            return None
        try:
            _value, end = decoder.raw_decode(text, index)
        except (json.JSONDecodeError, RecursionError):
            return None
        spans.append((index, end))
        index = end
    if len(spans) < 2:
        return None
    pieces = [text[: spans[0][1]]]
    for (_start, end), (next_start, next_end) in zip(spans, spans[1:]):
        gap = text[end:next_start]
        blank = _BLANK_LINE.search(gap)
        if blank is None:
            return None
        pieces.append(gap[: blank.start(1)] + "---" + gap[blank.end(1) :])
        pieces.append(text[next_start:next_end])
    pieces.append(text[spans[-1][1] :])
    return "".join(pieces)


def _placeholder_near(text: str, line: int) -> bool:
    """Whether the line YAML stopped at, or the one before it, holds a `${...}` placeholder."""
    lines = text.splitlines()
    return any("${" in lines[number - 1] for number in (line - 1, line) if 1 <= number <= len(lines))


def read_structured(text: str, display: str, project: Project, claimants: Iterable[DocumentClaimant], is_json: bool) -> None:
    if is_json:
        try:
            # Only the syntax is checked here (the YAML loader builds the tree): numbers stay
            # text, so one over Python's 4,300-digit conversion limit is no error.
            json.loads(text, parse_int=str, parse_float=str)
        except json.JSONDecodeError as error:
            stream = json_stream_as_yaml(text) if error.msg == "Extra data" else None
            if stream is None:
                if claims_kafka_configuration(text, display):
                    project.problems.append(parse_problem(display, f"invalid JSON: {error.msg}", error.lineno, error.colno))
                return
            text = stream
        except RecursionError:
            project.problems.append(parse_problem(display, "JSON nested too deep to read safely"))
            return
    duplicates: list[tuple[str, Location, Location]] = []
    try:
        documents = load_documents(text, display, duplicates)
    except YamlError as error:
        if not is_json and "{{" in text:
            return  # a Helm or Jinja template: not YAML until rendered
        if not is_json and _placeholder_near(text, error.line):
            # `addresses: [ ${REDPANDA_SERVERS} ]`: a configuration its tool (Redpanda Connect,
            # Benthos) fills from the environment before it parses it; not YAML until then.
            return
        if is_json:
            return  # valid JSON that PyYAML cannot compose (rare escapes): nothing to locate
        project.problems.append(parse_problem(display, str(error), error.line, error.column))
        return
    claimed = any(claim(documents, text, display, project) for claim in claimants)
    if not claimed:
        claimed = read_client_documents(documents, display, project)
    if claimed:
        for key, first, repeat in duplicates:
            project.problems.append(duplicate_key_problem(key, first, repeat))

