"""Identical brokers of one cluster are judged once.

A compose file with three broker services that differ only in their node id and listeners is
one cluster with one configuration: leaving min.insync.replicas at 1 is one mistake, not three.
Rules on brokers see one representative per group of such services, labelled with the group
("cluster of services kafka1, kafka2, kafka3"); services whose other settings differ are
judged one by one (a difference may be deliberate, or the mistake itself).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from kafkalint.model import BrokerConfig, Project

# Settings each node of a cluster must have its own value of: they never make nodes different.
PER_NODE_KEYS = frozenset({
    "broker.id", "node.id", "listeners", "advertised.listeners", "advertised.host.name",
    "advertised.port", "host.name", "port", "broker.rack", "log.dirs", "log.dir",
    "jmx.port", "jmx.hostname",
})
# ... and the families of such keys (`kafka.rest.advertised.listeners`, `confluent.http.server.listeners`).
PER_NODE_SUFFIXES = (".listeners", ".host.name", ".hostname", ".port", ".id")
# Each node's own key and certificate files (`/etc/kafka/secrets/kafka.kafka1.keystore.jks`).
PER_NODE_FILE_SUFFIXES = (
    ".keystore.location", ".truststore.location", ".keystore.filename", ".truststore.filename",
    ".keystore.credentials", ".truststore.credentials", ".key.credentials",
)
# How a node names its ensemble or quorum: the nodes of one cluster group already share one
# (kafkalint.sources.compose._clusters), however each lists its servers.
CLUSTER_KEYS = frozenset({"zookeeper.connect", "controller.quorum.voters", "controller.quorum.bootstrap.servers"})
_LISTED_NAMES = 3


def _per_node(key: str) -> bool:
    return key in PER_NODE_KEYS or key.endswith(PER_NODE_SUFFIXES) or key.endswith(PER_NODE_FILE_SUFFIXES)


def _signature(broker: BrokerConfig) -> tuple[Any, ...]:
    settings = tuple(sorted(
        (key, repr(setting.value), setting.implied or "")
        for key, setting in broker.settings.items()
        if not _per_node(key) and key not in CLUSTER_KEYS
    ))
    return (broker.cluster_group, broker.defaults_known, broker.extras.get("image"), settings)


def group_label(members: list[BrokerConfig]) -> str:
    names = [member.name for member in members]
    if len(names) <= _LISTED_NAMES:
        return "cluster of services " + ", ".join(names)
    return f"cluster of services {', '.join(names[:2])}, ... ({len(names)} brokers)"


def judged_brokers(project: Project) -> list[BrokerConfig]:
    """project.brokers with each group of identical compose broker services as one broker."""
    groups: dict[tuple[Any, ...], list[BrokerConfig]] = {}
    order: list[tuple[Any, ...] | BrokerConfig] = []
    for broker in project.brokers:
        if broker.cluster_group is None or broker.broker_count == 1 or not broker.name:
            order.append(broker)
            continue
        key = _signature(broker)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(broker)
    judged: list[BrokerConfig] = []
    for item in order:
        if isinstance(item, BrokerConfig):
            judged.append(item)
            continue
        members = groups[item]
        if len(members) == 1:
            judged.append(members[0])
        else:
            judged.append(dataclasses.replace(members[0], label=group_label(members)))
    return judged
