"""Broker and topic settings: explicit values, inherited cluster values, and broker defaults.

A topic's effective value is its own setting, else its cluster's (the broker-level key, e.g.
`log.retention.bytes` for `retention.bytes`), else the broker default from `data/broker.json`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from kafkalint.knowledge import DATA
from kafkalint.model import UNKNOWN, BrokerConfig, Setting, TopicSpec


@lru_cache(maxsize=1)
def broker_catalogue() -> dict[str, Any]:
    with (DATA / "broker.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def broker_default(key: str) -> Any:
    entry = broker_catalogue()["keys"].get(key)
    return None if entry is None else entry.get("default")


def setting_source(setting: Setting) -> str:
    """Where an explicit value comes from: its line, or why it applies unwritten (an image's own
    server.properties)."""
    return setting.implied or f"set at line {setting.key_location.line}"


def cluster_name(cluster: BrokerConfig) -> str:
    """How messages name a cluster: its label (`Kafka my-cluster`, `service kafka`)."""
    return cluster.label or f"cluster {cluster.name}"


def inherited_source(cluster: BrokerConfig, setting: Setting, broker_key: str | None = None) -> str:
    """Where a topic's value comes from when its cluster sets it: `inherited from Kafka c at
    kafka.yaml:9`, naming the cluster's key when it is not the topic's own (messages put this
    in brackets: it has none of its own)."""
    what = f"{cluster_name(cluster)}'s {broker_key}" if broker_key else cluster_name(cluster)
    if setting.implied:
        return f"inherited from {what}, {setting.implied}"
    return f"inherited from {what} at {setting.key_location.path}:{setting.key_location.line}"


def broker_effective(target: BrokerConfig | TopicSpec, key: str) -> tuple[Any, Setting | None, str]:
    """(value, explicit setting or None, where it came from). A broker whose defaults are not
    known (an unknown image) has UNKNOWN for every key it does not set."""
    setting = target.settings.get(key)
    if setting is not None:
        return setting.value, setting, setting_source(setting)
    if isinstance(target, TopicSpec):
        cluster = target.cluster_config
        entry = broker_catalogue()["keys"].get(key, {})
        broker_key = entry.get("broker_key", key)
        if cluster is not None:
            inherited = cluster.settings.get(broker_key)
            if inherited is not None:
                return inherited.value, None, inherited_source(cluster, inherited, broker_key if broker_key != key else None)
            if not cluster.defaults_known:
                return UNKNOWN, None, "not known (the cluster's image sets its own defaults)"
    elif not target.defaults_known:
        return UNKNOWN, None, "not known (the image sets its own defaults)"
    return broker_default(key), None, "broker default"


_MS_PER = {"log.retention.ms": 1, "log.retention.minutes": 60_000, "log.retention.hours": 3_600_000}


def broker_retention_ms(broker: BrokerConfig) -> tuple[Any, Setting | None, str]:
    """The broker's time retention as Kafka computes it: log.retention.ms, else .minutes, else
    .hours (default 168); any negative value means no time limit (-1)."""
    for key, factor in _MS_PER.items():
        setting = broker.settings.get(key)
        if setting is None:
            continue
        if not isinstance(setting.value, int) or isinstance(setting.value, bool):
            return setting.value, setting, setting_source(setting)
        millis = setting.value * factor
        return (-1 if millis < 0 else millis), setting, f"{key}={setting.raw} at line {setting.key_location.line}"
    if not broker.defaults_known:
        return UNKNOWN, None, "not known (the image sets its own defaults)"
    return broker_default("log.retention.hours") * _MS_PER["log.retention.hours"], None, "broker default (168 hours)"


def topic_retention_ms(topic: TopicSpec) -> tuple[Any, Setting | None, str]:
    """retention.ms of a topic: its own, else its cluster's broker retention, else the default."""
    setting = topic.settings.get("retention.ms")
    if setting is not None:
        return setting.value, setting, f"set at line {setting.key_location.line}"
    if topic.cluster_config is not None:
        value, inherited, origin = broker_retention_ms(topic.cluster_config)
        if inherited is not None or value is UNKNOWN:
            return value, None, f"inherited from {cluster_name(topic.cluster_config)}, {origin}"
    return broker_default("retention.ms"), None, "broker default"


def topic_replication_factor(topic: TopicSpec) -> tuple[int | None, str]:
    """(replicas, where from): the topic's own, else its cluster's default.replication.factor,
    else None when the cluster is unknown."""
    if topic.replicas is not None:
        line = topic.replicas_location.line if topic.replicas_location else topic.anchor.line
        return topic.replicas, f"replicas set at line {line}"
    if topic.cluster_config is None:
        return None, "unknown (no cluster found)"
    value, setting, origin = broker_effective(topic.cluster_config, "default.replication.factor")
    if not isinstance(value, int) or isinstance(value, bool):
        return None, origin
    where = f"cluster {topic.cluster_config.name}'s default.replication.factor" + (
        f" (line {setting.key_location.line})" if setting is not None else " (broker default)"
    )
    return value, where


def policy_items(value: Any) -> list[str]:
    """cleanup.policy as a list of words, whether written `compact,delete` or as a list."""
    if isinstance(value, (list, tuple)):
        return [str(item).strip().lower() for item in value]
    return [item.strip().lower() for item in str(value).split(",") if item.strip()]
