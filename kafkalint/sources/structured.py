"""YAML and JSON files: parsed once into located trees, offered to each document reader.

Readers are tried in order (Strimzi, Spring, Quarkus, compose, Connect); the first that claims
the file wins, and a plain map of client settings is the fallback.
"""

from __future__ import annotations

import importlib
import json

from kafkalint.model import Location, Project
from kafkalint.sources.read_problems import duplicate_key_problem
from kafkalint.sources import parse_problem
from kafkalint.sources.clientfile import RawEntry, build_client, is_broker_map, is_kafka_client_map
from kafkalint.sources.yamltree import Node, YamlError, load_documents, scalar_text

def entries_from_map(node: Node) -> list[RawEntry]:
    """Scalar entries of a map, nested maps flattened to dotted keys (`ssl: {truststore: …}`)."""
    entries: list[RawEntry] = []

    def walk(prefix: str, current: Node) -> None:
        for key, child in current.items():
            dotted = f"{prefix}{key}"
            if child.is_map:
                walk(dotted + ".", child)
            elif child.is_list:
                raw = ",".join(scalar_text(item) for item in child.value if not item.is_map and not item.is_list)
                key_location = child.key_location or child.location
                entries.append(RawEntry(dotted, [item.value for item in child.value], raw, key_location, child.location))
            else:
                key_location = child.key_location or child.location
                entries.append(RawEntry(dotted, child.value, scalar_text(child), key_location, child.location))

    walk("", node)
    return entries


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
        if is_kafka_client_map(keys, display):
            anchor = Location(display, document.location.line, document.location.column)
            project.clients.append(build_client(entries, display, anchor, project))
            found = True
    return found


def is_kafka_client_map_strict(keys: list[str]) -> bool:
    return any(key in keys for key in ("key.serializer", "value.serializer", "group.id", "acks"))


# Readers of parsed YAML/JSON documents, tried in order; the first that claims the file wins.
# Each is (module, function) imported only when a file reaches it.
DOCUMENT_READERS: list[tuple[str, str]] = [
    ("kafkalint.sources.strimzi", "read_strimzi_documents"),
    ("kafkalint.sources.spring", "read_spring_documents"),
    ("kafkalint.sources.quarkus", "read_quarkus_documents"),
    ("kafkalint.sources.compose", "read_compose_documents"),
    ("kafkalint.sources.connect", "read_connect_documents"),
]


# Readers of parsed YAML/JSON documents, tried in order; the first that claims the file wins.
# Each is (module, function) imported only when a file reaches it.
DOCUMENT_READERS: list[tuple[str, str]] = [
    ("kafkalint.sources.strimzi", "read_strimzi_documents"),
    ("kafkalint.sources.spring", "read_spring_documents"),
    ("kafkalint.sources.quarkus", "read_quarkus_documents"),
    ("kafkalint.sources.compose", "read_compose_documents"),
    ("kafkalint.sources.connect", "read_connect_documents"),
]


def read_structured(text: str, display: str, project: Project, is_json: bool) -> None:
    if is_json:
        try:
            json.loads(text)
        except json.JSONDecodeError as error:
            project.problems.append(parse_problem(display, f"invalid JSON: {error.msg}", error.lineno, error.colno))
            return
        except RecursionError:
            project.problems.append(parse_problem(display, "JSON nested too deep to read safely"))
            return
    duplicates: list[tuple[str, Location, Location]] = []
    try:
        documents = load_documents(text, display, duplicates)
    except YamlError as error:
        if not is_json and "{{" in text:
            return  # a Helm or Jinja template: not YAML until rendered
        if is_json:
            return  # valid JSON that PyYAML cannot compose (rare escapes): nothing to locate
        project.problems.append(parse_problem(display, str(error), error.line, error.column))
        return
    claimed = False
    for module_name, function_name in DOCUMENT_READERS:
        reader = getattr(importlib.import_module(module_name), function_name)
        if reader(documents, text, display, project):
            claimed = True
            break
    if not claimed:
        claimed = read_client_documents(documents, display, project)
    if claimed:
        for key, first, repeat in duplicates:
            project.problems.append(duplicate_key_problem(key, first, repeat))


