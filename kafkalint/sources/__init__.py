"""Sources: each turns one file into model objects; this module reads files and dispatches.

A file is read once, decoded once and (for YAML/JSON) parsed once, in sources/structured.py,
which is imported only when a YAML or JSON file needs it (PyYAML is ~10 ms of start-up).
"""

from __future__ import annotations

import stat
from pathlib import Path

from kafkalint.model import Location, Project, SourceFile
from kafkalint.sources.read_problems import parse_problem
from kafkalint.sources.clientfile import (
    RawEntry,
    build_client,
    is_broker_map,
    is_kafka_client_map,
)

MAX_FILE_BYTES = 5 * 1024 * 1024


class Unreadable(Exception):
    """The file cannot be read as text; the message says why in a few words."""


def read_text(path: Path, display: str, allow_latin1: bool = False) -> str:
    return decode(read_bytes(path), allow_latin1)


def read_bytes(path: Path) -> bytes:
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            # A FIFO or device named like a config would block or never end: never open one.
            raise Unreadable("not a regular file")
        size = status.st_size
        if size > MAX_FILE_BYTES:
            raise Unreadable(
                f"file is {size // (1024 * 1024)} MB, over the {MAX_FILE_BYTES // (1024 * 1024)} MB "
                "limit kafkalint reads; refused"
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except PermissionError:
        raise Unreadable("permission denied") from None
    except OSError as error:
        raise Unreadable(error.strerror or str(error)) from None
    return data


def decode(data: bytes, allow_latin1: bool = False) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise Unreadable(f"file is over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit kafkalint reads; refused")
    if b"\x00" in data[:8192]:
        raise Unreadable("binary file (contains NUL bytes), not a text configuration")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if not allow_latin1:
            raise Unreadable(f"not valid UTF-8 text (byte {error.start})") from None
        # java.util.Properties.load(InputStream) reads ISO-8859-1: so does the Java client.
        text = data.decode("latin-1")
    return text


# --- .properties ----------------------------------------------------------------------------


def read_properties(text: str, display: str, project: Project) -> None:
    from kafkalint.sources.properties import parse_properties

    entries, problems = parse_properties(text, display)
    for problem in problems:
        project.problems.append(parse_problem(display, problem.message, problem.line, problem.column))
    raw = [RawEntry(e.key, e.value, e.value, e.key_location, e.value_location) for e in entries]
    keys = [entry.key for entry in raw]
    for reader in PROPERTIES_READERS:
        if isinstance(reader, tuple):  # (module, function), imported only when a file reaches it
            import importlib

            reader = getattr(importlib.import_module(reader[0]), reader[1])
        if reader(raw, text, display, project):
            return
    if is_broker_map(keys):
        from kafkalint.sources.broker import broker_from_entries

        project.brokers.append(broker_from_entries(raw, display, project))
        return
    if is_kafka_client_map(keys, display):
        # Findings about defaults point at the first setting, not at a comment header.
        first = raw[0].key_location
        anchor = Location(display, first.line, first.column, first.end_line, first.end_column)
        project.clients.append(build_client(raw, display, anchor, project))


# Readers of .properties entries that claim special files (Spring, Connect, ...), tried first.
PROPERTIES_READERS: list = [
    ("kafkalint.sources.spring", "read_spring_properties"),
    ("kafkalint.sources.quarkus", "read_quarkus_properties"),
    ("kafkalint.sources.connect", "read_connect_properties"),
]

# Cheap byte markers: a YAML/JSON file with none of these cannot concern Kafka.
_STRUCTURED_MARKERS = (
    b"kafka", b"Kafka", b"KAFKA", b"bootstrap", b"acks", b"group.id", b"serializer",
    b"strimzi", b"auto.commit", b"max.poll", b"sasl.", b"security.protocol",
    b"connector.class",
)


_STRUCTURED_TEXT_MARKERS = tuple(marker.decode() for marker in _STRUCTURED_MARKERS)


def wants_structured(content: bytes | str) -> bool:
    markers = _STRUCTURED_MARKERS if isinstance(content, bytes) else _STRUCTURED_TEXT_MARKERS
    return any(marker in content for marker in markers)


def may_concern_kafka(kind: str, content: bytes | str) -> bool:
    """The cheap test every YAML, JSON and Python file passes before it is decoded or parsed."""
    if kind in ("yaml", "json"):
        return wants_structured(content)
    if kind == "python":
        return (b"kafka" if isinstance(content, bytes) else "kafka") in content
    return True


def read_file(path: Path, display: str, kind: str, project: Project) -> None:
    """Read one discovered file into the project; every failure becomes a parse problem.

    Most YAML, JSON and Python files in a repository never mention Kafka: they are dropped on
    their bytes, before decoding, so a binary or non-UTF-8 file that cannot concern Kafka is
    not reported either.
    """
    try:
        data = read_bytes(path)
        if not may_concern_kafka(kind, data):
            return
        text = decode(data, allow_latin1=(kind == "properties"))
    except Unreadable as error:
        project.problems.append(parse_problem(display, str(error)))
        return
    read_text_as(text, display, kind, project)


def read_text_as(text: str, display: str, kind: str, project: Project) -> None:
    source = SourceFile(display, kind, text)
    if not may_concern_kafka(kind, text):
        return
    if kind == "python":
        from kafkalint.sources import python as python_source

        if not python_source.mentions_kafka(text):
            return
        project.files.append(source)
        python_source.read_python(text, display, project)
        return
    project.files.append(source)
    if kind == "properties":
        read_properties(text, display, project)
    elif kind in ("yaml", "json"):
        from kafkalint.sources.structured import read_structured

        read_structured(text, display, project, is_json=(kind == "json"))
    else:
        for module_name, function_name in OTHER_READERS.get(kind, ()):
            import importlib

            getattr(importlib.import_module(module_name), function_name)(text, display, project)


# Readers for other kinds of files (build files for version detection, ...): kind -> readers.
OTHER_READERS: dict[str, list[tuple[str, str]]] = {
    "requirements": [("kafkalint.knowledge.versions", "read_requirements")],
    "pyproject": [("kafkalint.knowledge.versions", "read_pyproject")],
    "setup-cfg": [("kafkalint.knowledge.versions", "read_setup_cfg")],
    "pipfile": [("kafkalint.knowledge.versions", "read_pipfile")],
    "lock": [("kafkalint.knowledge.versions", "read_lock")],
    "pom": [("kafkalint.knowledge.versions", "read_pom")],
    "gradle": [("kafkalint.knowledge.versions", "read_gradle")],
    "gradle-catalog": [("kafkalint.knowledge.versions", "read_version_catalog")],
}

