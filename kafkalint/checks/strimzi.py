"""Checks over Strimzi resources themselves: storage, listeners, ACLs, versions, and settings
Strimzi manages or no longer serves. Rules that only ask "does the resource lack spec.X" (no
authorization, no Cruise Control, no metrics, no entity operator) use the `resource-lacks-field`
template of checks/templates.py instead of a function here."""

from __future__ import annotations

from typing import Iterator

from kafkalint.checks import CheckContext, Hit
from kafkalint.checks.registry import check
from kafkalint.knowledge import version_tuple
from kafkalint.knowledge.strimzi import (
    api_version_fact,
    connect_config_forbidden_prefix,
    is_external_listener,
    kafka_config_forbidden_prefix,
    kafka_config_managed_by,
    strimzi_facts,
)
from kafkalint.model import Location, Severity
from kafkalint.sources.strimzi import (
    CLUSTER_LABEL,
    StrimziCrd,
    StrimziResource,
    is_kraft,
    key_location,
    pool_roles,
    text_of,
    uses_node_pools,
)
from kafkalint.sources.yamltree import Node


def _storage_hits(resource: StrimziResource, storage: Node | None, owner: str, holds: str) -> Iterator[Hit]:
    if storage is None or not storage.is_map:
        return
    storage_type = storage.get("type")
    if text_of(storage_type) == "ephemeral":
        what = f"{owner} storage" if owner else "storage"
        yield Hit(key_location(storage_type), {"resource": resource.describe(), "storage": what, "holds": holds})
        return
    volumes = storage.get("volumes")
    for volume in volumes.value if volumes is not None and volumes.is_list else []:
        volume_type = volume.get("type") if volume.is_map else None
        if text_of(volume_type) == "ephemeral":
            what = f"JBOD volume {text_of(volume.get('id')) or '?'}" + (f" of {owner} storage" if owner else "")
            yield Hit(key_location(volume_type), {"resource": resource.describe(), "storage": what, "holds": holds})


BROKER_DATA = "broker data"


@check("KL307")
def ephemeral_storage(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    if resource.kind == "KafkaNodePool":
        roles = pool_roles(resource)
        if "broker" in roles:
            holds = BROKER_DATA
        elif "controller" in roles:
            holds = "the KRaft metadata log"
        else:
            return
        yield from _storage_hits(resource, resource.at("spec", "storage"), "", holds)
    elif resource.kind == "Kafka":
        if not uses_node_pools(resource):
            yield from _storage_hits(resource, resource.at("spec", "kafka", "storage"), "broker", BROKER_DATA)
        yield from _storage_hits(resource, resource.at("spec", "zookeeper", "storage"), "ZooKeeper", "cluster metadata")


def _listeners(resource: StrimziResource) -> list[Node]:
    listeners = resource.at("spec", "kafka", "listeners")
    if listeners is None or not listeners.is_list:
        return []
    return [listener for listener in listeners.value if listener.is_map]


def _listener_variables(resource: StrimziResource, listener: Node) -> tuple[dict[str, str], bool]:
    """The variables naming a listener, and whether it is reachable from outside Kubernetes."""
    listener_type = text_of(listener.get("type")) or "internal"
    external = is_external_listener(listener_type)
    variables = {"resource": resource.describe(), "listener": text_of(listener.get("name")) or "?", "type": listener_type}
    return variables, external


@check("KL402")
def listener_without_tls(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    for listener in _listeners(resource):
        tls = listener.get("tls")
        if tls is None or tls.value is not False:
            continue
        variables, external = _listener_variables(resource, listener)
        passes_through = variables["type"] in strimzi_facts()["tls_required_listener_types"]["types"]
        variables["effect"] = "the operator rejects it" if passes_through else "clear-text traffic and credentials"
        yield Hit(key_location(tls), variables, severity=Severity.ERROR if external else None)


@check("KL403")
def listener_without_authentication(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    for listener in _listeners(resource):
        if listener.get("authentication") is not None:
            continue
        variables, external = _listener_variables(resource, listener)
        name_node = listener.get("name")
        yield Hit(
            key_location(name_node) if name_node is not None else listener.location,
            variables,
            severity=Severity.ERROR if external else None,
        )


@check("KL405")
def kafkauser_wildcard_acl(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    acls = resource.at("spec", "authorization", "acls")
    for acl in acls.value if acls is not None and acls.is_list else []:
        if not acl.is_map or text_of(acl.get("type")).lower() == "deny":
            continue
        target = acl.get("resource")
        if target is None or not target.is_map:
            continue
        resource_type = text_of(target.get("type"))
        name_node = target.get("name")
        if resource_type not in ("topic", "group") or name_node is None or text_of(name_node) != "*":
            continue
        if text_of(target.get("patternType")) not in ("", "literal"):
            continue
        operations = acl.get("operations") or acl.get("operation")
        shown = (
            ", ".join(text_of(item) for item in operations.value)
            if operations is not None and operations.is_list
            else text_of(operations)
        )
        yield Hit(
            key_location(name_node),
            {"resource": resource.describe(), "operations": shown or "operations", "resource_type": resource_type},
        )


def _line(version: str) -> tuple[int, ...]:
    return version_tuple(version)[:2]


def _protocol_problem(key: str, written: str, kafka_line: tuple[int, ...], kraft: bool | None) -> str | None:
    """Why an inter-broker protocol or message format version does not fit the Kafka version."""
    if kafka_line >= (4, 0):
        return "removed in Kafka 4.0"
    if kraft is True and key == "inter.broker.protocol.version":
        return "ignored in KRaft mode"
    if key == "log.message.format.version" and kafka_line >= (3, 0):
        return "ignored since Kafka 3.0"
    if _line(written) > kafka_line:
        return "newer than the brokers"
    if _line(written) < kafka_line:
        return "behind: upgrade unfinished"
    return None


@check("KL706")
def kafka_version_mismatch(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    version_node = resource.at("spec", "kafka", "version")
    version = text_of(version_node)
    if not version:
        return
    kafka_line = _line(version)
    kraft = is_kraft(resource)

    def hit(node: Node, key: str, value: str, problem: str) -> Hit:
        variables = {"resource": resource.describe(), "key": key, "value": value, "version": version, "problem": problem}
        return Hit(key_location(node), variables)

    metadata = resource.at("spec", "kafka", "metadataVersion")
    if metadata is not None and kraft is not False and text_of(metadata):
        metadata_line = _line(text_of(metadata))
        if metadata_line > kafka_line:
            yield hit(metadata, "metadataVersion", text_of(metadata), "newer than the brokers")
        elif metadata_line < kafka_line:
            yield hit(metadata, "metadataVersion", text_of(metadata), "behind: upgrade unfinished")
    config = resource.at("spec", "kafka", "config")
    for key in ("inter.broker.protocol.version", "log.message.format.version"):
        node = config.get(key) if config is not None and config.is_map else None
        if node is None or not text_of(node):
            continue
        problem = _protocol_problem(key, text_of(node), kafka_line, kraft)
        if problem is not None:
            yield hit(node, key, text_of(node), problem)


def _kraft_evidence(resource: StrimziResource) -> str:
    facts = strimzi_facts()["zookeeper_removed"]
    if resource.version == "v1":
        return f"kafka.strimzi.io/v1, Strimzi {facts['strimzi']}+"
    if resource.annotations.get("strimzi.io/kraft", "").strip().lower() == "enabled":
        return "strimzi.io/kraft: enabled"
    return f"Kafka {text_of(resource.at('spec', 'kafka', 'version'))}, no ZooKeeper since {facts['kafka']}"


@check("KL707")
def zookeeper_config_on_kraft(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    if is_kraft(resource) is not True:
        return
    evidence = _kraft_evidence(resource)
    zookeeper = resource.node.path("spec").get("zookeeper") if resource.spec is not None else None
    if zookeeper is not None:
        yield Hit(key_location(zookeeper), {"resource": resource.describe(), "field": "spec.zookeeper", "evidence": evidence})
    config = resource.at("spec", "kafka", "config")
    for key, node in config.items() if config is not None else ():
        if key.startswith("zookeeper."):
            yield Hit(key_location(node), {"resource": resource.describe(), "field": f"spec.kafka.config {key}", "evidence": evidence})


@check("KL708")
def strimzi_managed_config(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    if resource.kind == "Kafka":
        config = resource.at("spec", "kafka", "config")
        kraft = is_kraft(resource)
        for key, node in config.items() if config is not None else ():
            prefix = kafka_config_forbidden_prefix(key)
            if prefix is None or (kraft is True and key.startswith("zookeeper.")):
                continue
            yield Hit(
                key_location(node),
                {"resource": resource.describe(), "key": key, "section": "spec.kafka.config", "prefix": prefix,
                 "managed_by": kafka_config_managed_by(prefix)},
            )
    elif resource.kind == "KafkaConnect":
        config = resource.at("spec", "config")
        for key, node in config.items() if config is not None else ():
            prefix = connect_config_forbidden_prefix(key, resource.version)
            if prefix is None:
                continue
            yield Hit(
                key_location(node),
                {"resource": resource.describe(), "key": key, "section": "spec.config", "prefix": prefix,
                 "managed_by": "the KafkaConnect spec fields"},
            )


def _served_versions(crd: StrimziCrd) -> str:
    return ", ".join(name for name, (on, _) in crd.versions.items() if on) or "none"


@check("KL702")
def api_version_not_served(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    api_node = resource.node.get("apiVersion")
    location = key_location(api_node) if api_node is not None else resource.kind_location
    version = resource.version
    current = "kafka.strimzi.io/v1"

    def hit(where: Location, subject: str, status: str, replacement: str, severity: Severity | None, related: tuple[Location, ...] = ()) -> Hit:
        variables = {"resource": resource.describe(), "subject": subject, "status": status, "replacement": replacement}
        return Hit(where, variables, severity=severity, related=related)

    removed = strimzi_facts()["removed_kinds"].get(resource.kind)
    if removed is not None:
        status = f"unsupported since Strimzi {removed['removed_in']}"
        yield hit(resource.kind_location, resource.kind, status, removed["replacement"], None)
        return
    crds = [item for item in context.project.resources if isinstance(item, StrimziCrd) and item.crd_kind == resource.kind]
    # Several copies of the CRDs (a chart and the install files): any one serving it is enough.
    if crds and not any(crd.versions.get(version, (False, None))[0] for crd in crds):
        yield hit(location, resource.api_version, "not served by the CRD in the tree", _served_versions(crds[0]), Severity.ERROR, (crds[0].anchor,))
        return
    if version == "v1":
        return
    fact = api_version_fact(version)
    if fact is None:
        yield hit(location, resource.api_version, "never served by Strimzi", current, Severity.ERROR)
    elif version == "v1beta2":
        status = f"served by Strimzi {fact['served']} only, not {fact['removed_in']}+"
        yield hit(location, resource.api_version, status, current, Severity.INFO)
    else:
        yield hit(location, resource.api_version, f"no longer served (served {fact['served']})", current, Severity.ERROR)


@check("KL311")
def metadata_quorum_too_small(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    quorum = resource.extras.get("controllers")
    if quorum is None:
        return
    voters, location, voter_kind = quorum
    if voters >= 3 and voters % 2 == 1:
        return
    from kafkalint.checks.cluster import is_development_cluster

    if is_development_cluster(resource.extras.get("broker")):
        return  # a single node by design: too-few-brokers reports it once
    if voters < 3:
        effect, severity = "losing one stops metadata changes", None
    else:
        effect, severity = "an even count adds no fault tolerance", Severity.INFO
    yield Hit(location, {"resource": resource.describe(), "voters": voters, "voter_kind": voter_kind, "effect": effect}, severity=severity)


def cluster_label_location(resource: StrimziResource) -> Location:
    """The strimzi.io/cluster label of a resource, else its anchor."""
    labels = resource.at("metadata", "labels")
    label = labels.get(CLUSTER_LABEL) if labels is not None else None
    return key_location(label) if label is not None else resource.anchor


@check("KL709")
def connector_resources_not_enabled(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    connect = resource.extras.get("connect")
    # Two KafkaConnects of that name (other namespaces, overlays) and none chosen: the connector
    # is still never started when none of them enables connector resources.
    candidates = [connect] if connect is not None else resource.extras.get("connect_candidates", [])
    if not candidates or any(_enables_connector_resources(item) for item in candidates):
        return
    yield Hit(
        cluster_label_location(resource),
        {"resource": resource.describe(), "connect": candidates[0].describe()},
        related=tuple(item.anchor for item in candidates),
    )


def _enables_connector_resources(connect: StrimziResource) -> bool:
    return connect.annotations.get("strimzi.io/use-connector-resources", "").strip().lower() == "true"


# Where a Kafka resource states broker metrics: metricsConfig (v1beta2, v1), the pre-0.22
# `metrics` map, or a metrics reporter of its own in the broker config.
_BROKER_METRICS = (("spec", "kafka", "metricsConfig"), ("spec", "kafka", "metrics"), ("spec", "kafka", "config", "metric.reporters"))


@check("KL705")
def no_metrics(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    if resource.at("spec", "kafka") is None:
        return
    missing = []
    if not any(resource.at(*path) is not None for path in _BROKER_METRICS):
        missing.append(("spec.kafka.metricsConfig", "under-replication"))
    if resource.at("spec", "kafkaExporter") is None:
        missing.append(("spec.kafkaExporter", "consumer lag"))
    if not missing:
        return
    unnoticed = " and ".join(what for _, what in missing)
    effect = f"{unnoticed} go{'' if len(missing) > 1 else 'es'} unnoticed"
    yield Hit(resource.anchor, {"resource": resource.describe(), "field": " and no ".join(field for field, _ in missing), "effect": effect})
