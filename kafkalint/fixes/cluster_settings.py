"""Fixers that add a cluster setting: min.insync.replicas 2 into a Strimzi Kafka's
spec.kafka.config, written as one new line at the indentation of its neighbours."""

from __future__ import annotations

from typing import Any

from kafkalint.fixes import Applicability, Fix, TextEdit
from kafkalint.fixes.registry import fix
from kafkalint.fixes.client_settings import file_of
from kafkalint.model import Location, Project

MIN_INSYNC_REPLICAS = 2


def _line(text: str, number: int) -> str | None:
    lines = text.split("\n")
    return lines[number - 1] if 1 <= number <= len(lines) else None


def _block_key(text: str, location: Location | None) -> tuple[int, str] | None:
    """(indent, newline) of a key that starts its own line in block style, else None."""
    if location is None:
        return None
    line = _line(text, location.line)
    if line is None or line[: location.column - 1].strip():
        return None  # flow style ({a: 1}) or a key after a list dash: no line to add beside
    return location.column - 1, "\r\n" if line.endswith("\r") else "\n"


def _first_key_location(node: Any) -> Location | None:
    if node is None or not node.is_map:
        return None
    for _key, child in node.items():
        return child.key_location
    return None


def _insertion(location: Location, text: str) -> TextEdit:
    return TextEdit(location.path, location.line, 1, location.line, 1, text)


@fix("KL301")
def add_min_insync_replicas(hit: Any, project: Project, context: Any) -> Fix | None:
    broker = next((item for item in project.brokers if item.anchor == hit.location and item.origin == "strimzi"), None)
    if broker is None or broker.broker_count is None or broker.broker_count < 3:
        return None
    # With fewer than 3 copies of a topic, a floor of 2 would stop acks=all writes whenever one
    # replica is away: only a cluster that replicates 3 times by default gets the line.
    replication = broker.settings.get("default.replication.factor")
    if replication is None or not isinstance(replication.value, int) or isinstance(replication.value, bool) or replication.value < 3:
        return None
    resource = broker.extras.get("resource")
    kafka = resource.spec.get("kafka") if resource is not None and resource.spec is not None else None
    if kafka is None or not kafka.is_map:
        return None
    _kind, text = file_of(project, broker.anchor.path)
    if text is None:
        return None
    # The replication factor checked above is written in spec.kafka.config, so the mapping is
    # there: the new line goes first in it, at the indentation of its keys. (A Kafka without a
    # config: mapping replicates once by default and gets no floor.)
    first = _first_key_location(kafka.get("config"))
    shape = _block_key(text, first)
    if first is None or shape is None:
        return None
    indent, newline = shape
    line = f"{' ' * indent}min.insync.replicas: {MIN_INSYNC_REPLICAS}{newline}"
    return Fix(f"Add min.insync.replicas: {MIN_INSYNC_REPLICAS} to spec.kafka.config", Applicability.SAFE, (_insertion(first, line),))
