"""Application configuration files shared by the Spring Boot and Quarkus readers.

`application.properties`, `application.yml`, `application-<profile>.yaml`: which files are
such files, which profile a file or document belongs to, entries flattened to dotted keys,
and placeholder values (`${...}`) that cannot be known statically.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from kafkalint.model import UNKNOWN
from kafkalint.sources.clientfile import RawEntry
from kafkalint.sources.placeholders import is_placeholder
from kafkalint.sources.yamltree import Node

_APPLICATION_FILE = re.compile(r"^application(?:-(?P<profile>[A-Za-z0-9_.\-]+))?\.(?:properties|ya?ml)$")
# Spring Boot 2.4+ splits one .properties file into documents with a `#---` (or `!---`) line.
_PROPERTIES_DOCUMENT_SEPARATOR = re.compile(r"^[#!]---\s*$")


def application_file_profile(display: str) -> tuple[bool, str | None]:
    """(is an application config file, profile named by the file name)."""
    match = _APPLICATION_FILE.match(display.rsplit("/", 1)[-1])
    if match is None:
        return False, None
    return True, match.group("profile")


def has_placeholder(raw: str) -> bool:
    return is_placeholder(raw)


def known_value(entry: RawEntry) -> Any:
    """The entry's value, or UNKNOWN when it is (or contains) a `${...}` placeholder."""
    if isinstance(entry.value, str) and has_placeholder(entry.value):
        return UNKNOWN
    if isinstance(entry.value, list) and any(isinstance(item, str) and has_placeholder(item) for item in entry.value):
        return UNKNOWN
    return entry.value


def _strip_brackets(key: str) -> str:
    # Spring map keys with dots are written `properties[sasl.mechanism]` or `"[sasl.mechanism]"`.
    return re.sub(r"\[([^\]]*)\]", lambda match: "." + match.group(1), key).replace("..", ".").strip(".")


def flattened(node: Node) -> list[RawEntry]:
    """Scalar entries of a YAML map with nested keys joined by dots (bracketed keys unwrapped)."""
    from kafkalint.sources.clientfile import entries_from_map

    entries = entries_from_map(node)
    for entry in entries:
        entry.key = _strip_brackets(entry.key)
    return entries


def normalized_properties_keys(entries: Iterable[RawEntry]) -> list[RawEntry]:
    out: list[RawEntry] = []
    for entry in entries:
        out.append(RawEntry(_strip_brackets(entry.key), entry.value, entry.raw, entry.key_location, entry.value_location))
    return out


def properties_documents(entries: list[RawEntry], text: str) -> list[list[RawEntry]]:
    """A .properties file's entries split at `#---` document separators (Spring Boot 2.4+)."""
    separators = [index + 1 for index, line in enumerate(text.splitlines()) if _PROPERTIES_DOCUMENT_SEPARATOR.match(line)]
    if not separators:
        return [entries]
    documents: list[list[RawEntry]] = [[] for _ in range(len(separators) + 1)]
    for entry in entries:
        position = sum(1 for line in separators if line < entry.key_location.line)
        documents[position].append(entry)
    return [document for document in documents if document]
