"""Broker and topic settings: explicit values, inherited cluster values, and broker defaults.

A topic's effective value is its own setting, else its cluster's (the broker-level key, e.g.
`log.retention.bytes` for `retention.bytes`), else the broker default from `data/broker.json`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from kafkalint.knowledge import DATA
from kafkalint.model import BrokerConfig, Setting, TopicSpec


@lru_cache(maxsize=1)
def broker_catalogue() -> dict[str, Any]:
    with (DATA / "broker.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def broker_default(key: str) -> Any:
    entry = broker_catalogue()["keys"].get(key)
    return None if entry is None else entry.get("default")


def broker_effective(target: BrokerConfig | TopicSpec, key: str) -> tuple[Any, Setting | None, str]:
    """(value, explicit setting or None, where it came from)."""
    setting = target.settings.get(key)
    if setting is not None:
        return setting.value, setting, f"set at line {setting.key_location.line}"
    if isinstance(target, TopicSpec):
        cluster = target.cluster_config
        entry = broker_catalogue()["keys"].get(key, {})
        broker_key = entry.get("broker_key", key)
        if cluster is not None:
            inherited = cluster.settings.get(broker_key)
            if inherited is not None:
                return inherited.value, None, f"inherited from cluster {cluster.name} ({broker_key})"
    return broker_default(key), None, "broker default"
