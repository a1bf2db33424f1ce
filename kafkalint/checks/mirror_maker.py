"""MirrorMaker 2: the topics MirrorMaker creates (mirrored topics, offset syncs, checkpoints,
heartbeats, and in dedicated mode its herders' Connect internal topics) with too few replicas,
whether it runs as a Strimzi KafkaMirrorMaker2 or from a connect-mirror-maker.properties file."""

from __future__ import annotations

from typing import Any, Iterator

from kafkalint.checks import CheckContext, Hit, and_joined, value_text
from kafkalint.checks.registry import check
from kafkalint.knowledge.mirror_maker import mirror_maker_facts, topic_replication_keys
from kafkalint.model import UNKNOWN, MirrorMakerConfig, Project, Setting

# connector section of a Strimzi mirror -> the connector whose replication keys it holds.
_SECTIONS = {"sourceConnector": "source", "checkpointConnector": "checkpoint", "heartbeatConnector": "heartbeat"}


def _keys_of(connector: str) -> dict[str, dict[str, Any]]:
    return {key: facts for key, facts in topic_replication_keys().items() if facts["connector"] == connector}


def _too_few(setting: Setting | None, minimum: int) -> int | None:
    """The replication factor written, when it is below the floor; None otherwise (unknown,
    unreadable, enough, or the broker's default)."""
    if setting is None or setting.value is UNKNOWN:
        return None
    try:
        value = int(value_text(setting.value).strip())
    except ValueError:
        return None
    if value == mirror_maker_facts()["broker_default_value"]["value"] or value >= minimum:
        return None
    return value


def _strimzi_worker_config(resource: Any) -> Any:
    """The Connect worker configuration of a KafkaMirrorMaker2: `spec.target.config` (v1), or
    the config of the cluster `spec.connectCluster` names (v1beta2)."""
    target = resource.at("spec", "target")
    if target is not None and target.is_map:
        return target.get("config")
    connect_cluster, clusters = resource.at("spec", "connectCluster"), resource.at("spec", "clusters")
    if connect_cluster is None or clusters is None or not clusters.is_list:
        return None
    for cluster in clusters.value:
        alias = cluster.get("alias") if cluster.is_map else None
        if alias is not None and not alias.is_map and not alias.is_list and alias.value == connect_cluster.value:
            return cluster.get("config")
    return None


def _strimzi_hits(resource: Any, minimum: int) -> Iterator[Hit]:
    from kafkalint.sources.strimzi import config_settings

    worker = config_settings(_strimzi_worker_config(resource))
    for key, facts in _keys_of("worker").items():
        setting = worker.get(key)
        value = _too_few(setting, minimum)
        if setting is not None and value is not None:
            yield Hit(setting.key_location, {
                "resource": resource.describe(), "key": key, "value": value, "minimum": minimum, "holds": facts["holds"],
                "brief": facts["brief"],
            })
    mirrors = resource.at("spec", "mirrors")
    if mirrors is None or not mirrors.is_list:
        return
    for mirror in mirrors.value:
        if not mirror.is_map:
            continue
        for section, connector_kind in _SECTIONS.items():
            connector = mirror.get(section)
            if connector is None or not connector.is_map:
                continue
            settings = config_settings(connector.get("config"))
            for key, facts in _keys_of(connector_kind).items():
                setting = settings.get(key)
                value = _too_few(setting, minimum)
                if setting is not None and value is not None:
                    yield Hit(setting.key_location, {
                        "resource": resource.describe(), "key": key, "value": value, "minimum": minimum, "holds": facts["holds"],
                        "brief": facts["brief"],
                    })


def _used_settings(config: MirrorMakerConfig) -> Iterator[tuple[str, Setting]]:
    """(replication key, the setting in effect) for each topic a running flow or herder creates;
    a top-level key shared by several flows once."""
    seen: set[int] = set()

    def first_time(setting: Setting | None) -> bool:
        if setting is None or id(setting) in seen:
            return False
        seen.add(id(setting))
        return True

    for flow in config.flows:
        running = {"source": flow.enabled, "checkpoint": flow.enabled, "heartbeat": flow.heartbeats}
        for key, facts in topic_replication_keys().items():
            setting = config.connector_setting(flow, key) if running.get(facts["connector"]) else None
            if first_time(setting):
                yield key, setting
    for worker in config.worker_settings.values():
        for key in _keys_of("worker"):
            if first_time(worker.get(key)):
                yield key, worker[key]


@check("KL714")
def mirror_maker_topic_replication(project: Project, context: CheckContext) -> Iterator[Hit]:
    """One finding per MirrorMaker 2 for all its topics with too few replicas: the sample file
    shipped with Kafka sets all seven factors to 1 at once, one mistake with one fix."""
    minimum = int(context.param("minimum"))
    for resource in project.resources:
        if getattr(resource, "kind", None) == "KafkaMirrorMaker2":
            yield from _one_finding(list(_strimzi_hits(resource, minimum)), minimum)
    holds = topic_replication_keys()
    for config in project.mirror_makers:
        found = []
        for key, setting in _used_settings(config):
            value = _too_few(setting, minimum)
            if value is not None:
                found.append(Hit(setting.key_location, {
                    "resource": config.describe(), "key": setting.written_key or key, "value": value, "minimum": minimum,
                    "holds": holds[key]["holds"], "brief": holds[key]["brief"],
                }))
        yield from _one_finding(found, minimum)


def _one_finding(hits: list[Hit], minimum: int) -> Iterator[Hit]:
    """The hits of one MirrorMaker as one, at the first setting written. Several settings are
    named in file order with their lines, and what their topics hold in brief: the sample file's
    seven settings would otherwise make a paragraph."""
    if not hits:
        return
    hits.sort(key=lambda hit: (hit.location.line, hit.location.column))
    first = hits[0]
    if len(hits) == 1:
        below = f"{first.variables['key']}={first.variables['value']} is below {minimum}"
        holds = first.variables["holds"]
    else:
        settings = and_joined([f"{hit.variables['key']}={hit.variables['value']}" for hit in hits])
        lines = and_joined([str(line) for line in dict.fromkeys(hit.location.line for hit in hits)])
        below = f"{settings} (lines {lines}) are below {minimum}"
        holds = "the " + and_joined(list(dict.fromkeys(hit.variables["brief"] for hit in hits)))
    variables = {"resource": first.variables["resource"], "below": below, "holds": holds}
    yield Hit(first.location, variables, related=tuple(dict.fromkeys(hit.location for hit in hits[1:])))
