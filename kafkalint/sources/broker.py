"""Broker configuration files (server.properties, broker.properties) into BrokerConfig."""

from __future__ import annotations

from typing import Any

from kafkalint.knowledge import looks_secret
from kafkalint.model import UNKNOWN, BrokerConfig, Location, Project, Setting
from kafkalint.sources.read_problems import duplicate_key_problem
from kafkalint.sources.placeholders import holds_placeholder


def typed_broker_value(value: Any) -> Any:
    """Broker values as the broker would type them: integers, booleans, else text."""
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    text = str(value).strip()
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    try:
        return int(text)
    except ValueError:
        return text


def broker_from_entries(entries: list, display: str, project: Project, origin: str = "file") -> BrokerConfig:
    name = display.rsplit("/", 1)[-1]
    broker = BrokerConfig(anchor=Location(display, 1, 1), name=name, label=name, origin=origin)
    for entry in entries:
        if entry.key in broker.settings:
            previous = broker.settings[entry.key]
            project.problems.append(duplicate_key_problem(entry.key, previous.key_location, entry.key_location))
        broker.settings[entry.key] = Setting(
            key=entry.key,
            raw=entry.raw,
            # ${...}, {{ }} and $VAR are filled in at deploy time: unknown, never judged.
            value=UNKNOWN if holds_placeholder(entry.value) else typed_broker_value(entry.value),
            location=entry.value_location,
            key_location=entry.key_location,
            written_key=entry.key,
            secret=looks_secret(entry.key),
        )
    return broker
