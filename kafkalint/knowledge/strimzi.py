"""Facts about the Strimzi operator (data/strimzi.json): API versions it serves, listener
types that leave the Kubernetes cluster, config keys it manages itself."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from kafkalint.knowledge import DATA


@lru_cache(maxsize=1)
def strimzi_facts() -> dict[str, Any]:
    with (DATA / "strimzi.json").open(encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=1)
def connector_facts() -> dict[str, Any]:
    with (DATA / "connector.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def is_external_listener(listener_type: str) -> bool:
    return listener_type in strimzi_facts()["external_listener_types"]


def _forbidden(key: str, prefixes: list[str], exceptions: list[str]) -> str | None:
    if key in exceptions:
        return None
    for prefix in prefixes:
        if key.startswith(prefix):
            return prefix
    return None


def kafka_config_forbidden_prefix(key: str) -> str | None:
    """The Strimzi forbidden prefix `key` falls under in spec.kafka.config, or None."""
    facts = strimzi_facts()["kafka_config_forbidden"]
    return _forbidden(key, facts["prefixes"], facts["exceptions"])


def kafka_config_managed_by(prefix: str) -> str:
    managed = strimzi_facts()["kafka_config_forbidden"]["managed_by"]
    for known, where in managed.items():
        if prefix.startswith(known) or known.startswith(prefix):
            return where
    return "the operator"


def connect_config_forbidden_prefix(key: str, api_version: str) -> str | None:
    facts = strimzi_facts()["connect_config_forbidden"]
    entry = facts.get(api_version) or facts["v1"]
    return _forbidden(key, entry["prefixes"], entry["exceptions"])


def api_version_fact(version: str) -> dict[str, Any] | None:
    return strimzi_facts()["api_versions"].get(version)
