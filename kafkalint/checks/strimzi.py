"""Checks over Strimzi resources themselves: storage, listeners, authorization, ACLs,
operations add-ons, versions, and settings Strimzi manages or no longer serves."""

from __future__ import annotations

from typing import Iterator

from kafkalint.checks import CheckContext, Hit
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
        yield Hit(
            key_location(storage_type),
            message=(
                f"{resource.describe()}: {owner + ' ' if owner else ''}storage is ephemeral (emptyDir): {holds} is lost whenever a pod "
                "is deleted, rescheduled or evicted; use persistent-claim"
            ),
        )
        return
    volumes = storage.get("volumes")
    for volume in volumes.value if volumes is not None and volumes.is_list else []:
        volume_type = volume.get("type") if volume.is_map else None
        if text_of(volume_type) == "ephemeral":
            yield Hit(
                key_location(volume_type),
                message=(
                    f"{resource.describe()}: JBOD volume {text_of(volume.get('id')) or '?'}{' of ' + owner if owner else ''} is ephemeral "
                    f"(emptyDir): {holds} on it is lost whenever a pod is deleted, rescheduled or evicted; use persistent-claim"
                ),
            )


def ephemeral_storage(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    if resource.kind == "KafkaNodePool":
        roles = pool_roles(resource)
        if "broker" in roles:
            holds = "broker data (every partition replica)"
        elif "controller" in roles:
            holds = "the KRaft metadata log"
        else:
            return
        yield from _storage_hits(resource, resource.at("spec", "storage"), "", holds)
    elif resource.kind == "Kafka":
        if not uses_node_pools(resource):
            yield from _storage_hits(resource, resource.at("spec", "kafka", "storage"), "broker", "broker data (every partition replica)")
        yield from _storage_hits(resource, resource.at("spec", "zookeeper", "storage"), "ZooKeeper", "cluster metadata")


def _listeners(resource: StrimziResource) -> list[Node]:
    listeners = resource.at("spec", "kafka", "listeners")
    if listeners is None or not listeners.is_list:
        return []
    return [listener for listener in listeners.value if listener.is_map]


def _listener_label(listener: Node) -> tuple[str, str, bool]:
    name = text_of(listener.get("name")) or "?"
    listener_type = text_of(listener.get("type")) or "internal"
    return name, listener_type, is_external_listener(listener_type)


def listener_without_tls(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    for listener in _listeners(resource):
        tls = listener.get("tls")
        if tls is None or tls.value is not False:
            continue
        name, listener_type, external = _listener_label(listener)
        reach = "outside the Kubernetes cluster" if external else "inside the Kubernetes cluster"
        consequence = (
            "the operator rejects it, since route and ingress listeners pass TLS through by hostname"
            if listener_type in strimzi_facts()["tls_required_listener_types"]["types"]
            else "records and SASL credentials cross the network in clear text"
        )
        yield Hit(
            key_location(tls),
            severity=Severity.ERROR if external else None,
            message=f"{resource.describe()}: listener {name} ({listener_type}, reachable {reach}) has tls: false: {consequence}",
        )


def listener_without_authentication(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    for listener in _listeners(resource):
        if listener.get("authentication") is not None:
            continue
        name, listener_type, external = _listener_label(listener)
        reach = "from outside the Kubernetes cluster" if external else "from any pod in the Kubernetes cluster"
        name_node = listener.get("name")
        yield Hit(
            key_location(name_node) if name_node is not None else listener.location,
            severity=Severity.ERROR if external else None,
            message=(
                f"{resource.describe()}: listener {name} ({listener_type}) has no authentication: anyone who reaches "
                f"it {reach} connects as ANONYMOUS"
            ),
        )


def no_authorization(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    if resource.at("spec", "kafka") is None or resource.at("spec", "kafka", "authorization") is not None:
        return
    yield Hit(
        resource.anchor,
        message=(
            f"{resource.describe()} has no spec.kafka.authorization: every client that can connect may read, "
            "write and delete every topic and consumer group, and KafkaUser ACLs are not enforced"
        ),
    )


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
            message=(
                f"{resource.describe()}: ACL allows {shown or 'operations'} on every {resource_type} (name: '*'): "
                f"this user reaches {'topics' if resource_type == 'topic' else 'consumer groups'} it was never meant "
                "to, including ones created later; name them or use a prefix"
            ),
        )


def no_cruise_control(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    if resource.spec is None or resource.at("spec", "cruiseControl") is not None:
        return
    yield Hit(
        resource.anchor,
        message=(
            f"{resource.describe()} has no spec.cruiseControl: partitions are not rebalanced when brokers are "
            "added or removed or load is uneven (no KafkaRebalance, no auto-rebalancing)"
        ),
    )


def no_metrics(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    if resource.at("spec", "kafka") is None:
        return
    missing = []
    if resource.at("spec", "kafka", "metricsConfig") is None:
        missing.append("spec.kafka.metricsConfig (broker metrics)")
    if resource.at("spec", "kafkaExporter") is None:
        missing.append("spec.kafkaExporter (consumer lag)")
    if not missing:
        return
    yield Hit(
        resource.anchor,
        message=(
            f"{resource.describe()} has no {' and no '.join(missing)}: under-replicated partitions, "
            "offline partitions and consumer lag go unnoticed"
        ),
    )


def _line(version: str) -> tuple[int, ...]:
    return version_tuple(version)[:2]


def kafka_version_mismatch(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    version_node = resource.at("spec", "kafka", "version")
    version = text_of(version_node)
    if not version:
        return
    kafka_line = _line(version)
    shown_line = ".".join(str(part) for part in kafka_line)
    kraft = is_kraft(resource)
    metadata = resource.at("spec", "kafka", "metadataVersion")
    if metadata is not None and kraft is not False and text_of(metadata):
        metadata_line = _line(text_of(metadata))
        if metadata_line > kafka_line:
            yield Hit(
                key_location(metadata),
                message=(
                    f"{resource.describe()}: metadataVersion {text_of(metadata)} is newer than Kafka {version}: "
                    "the brokers cannot run it and the operator refuses the change"
                ),
            )
        elif metadata_line < kafka_line:
            yield Hit(
                key_location(metadata),
                message=(
                    f"{resource.describe()}: metadataVersion {text_of(metadata)} is behind Kafka {version}: the "
                    f"upgrade is unfinished and {shown_line} features stay off; raise it once the brokers run {version}"
                ),
            )
    config = resource.at("spec", "kafka", "config")
    for key in ("inter.broker.protocol.version", "log.message.format.version"):
        node = config.get(key) if config is not None and config.is_map else None
        if node is None or not text_of(node):
            continue
        written = text_of(node)
        if kafka_line >= (4, 0):
            problem = f"was removed in Kafka 4.0 and has no effect on Kafka {version}"
        elif kraft is True and key == "inter.broker.protocol.version":
            problem = "is ignored in KRaft mode, where metadataVersion sets the protocol"
        elif key == "log.message.format.version" and kafka_line >= (3, 0):
            problem = f"is ignored since Kafka 3.0 and has no effect on Kafka {version}"
        elif _line(written) > kafka_line:
            problem = f"is newer than Kafka {version}: the brokers refuse to start"
        elif _line(written) < kafka_line:
            problem = f"is behind Kafka {version}: the upgrade is unfinished; raise it to {shown_line} once every broker runs {version}"
        else:
            continue
        yield Hit(key_location(node), message=f"{resource.describe()}: {key}={written} {problem}")


def zookeeper_config_on_kraft(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    if is_kraft(resource) is not True:
        return
    facts = strimzi_facts()["zookeeper_removed"]
    if resource.version == "v1":
        why = f"kafka.strimzi.io/v1 has no ZooKeeper (Strimzi {facts['strimzi']}+ runs KRaft only)"
    elif resource.annotations.get("strimzi.io/kraft", "").strip().lower() == "enabled":
        why = "the cluster runs in KRaft mode (strimzi.io/kraft: enabled)"
    else:
        why = f"Kafka {text_of(resource.at('spec', 'kafka', 'version'))} has no ZooKeeper mode (removed in Kafka {facts['kafka']})"
    zookeeper = resource.node.path("spec").get("zookeeper") if resource.spec is not None else None
    if zookeeper is not None:
        yield Hit(
            key_location(zookeeper),
            message=f"{resource.describe()}: spec.zookeeper is ignored: {why}; remove it",
        )
    config = resource.at("spec", "kafka", "config")
    for key, node in config.items() if config is not None else ():
        if key.startswith("zookeeper."):
            yield Hit(key_location(node), message=f"{resource.describe()}: {key} in spec.kafka.config has no effect: {why}")


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
                message=(
                    f"{resource.describe()}: Strimzi ignores {key} in spec.kafka.config (forbidden prefix '{prefix}'): "
                    f"it is managed by {kafka_config_managed_by(prefix)}"
                ),
            )
    elif resource.kind == "KafkaConnect":
        config = resource.at("spec", "config")
        for key, node in config.items() if config is not None else ():
            prefix = connect_config_forbidden_prefix(key, resource.version)
            if prefix is None:
                continue
            yield Hit(
                key_location(node),
                message=(
                    f"{resource.describe()}: Strimzi ignores {key} in spec.config (forbidden prefix '{prefix}'): "
                    "set it through the KafkaConnect spec fields instead"
                ),
            )


def api_version_not_served(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    api_node = resource.node.get("apiVersion")
    location = key_location(api_node) if api_node is not None else resource.kind_location
    version = resource.version
    crds = [
        item for item in context.project.resources
        if isinstance(item, StrimziCrd) and item.crd_kind == resource.kind
    ]
    removed = strimzi_facts()["removed_kinds"].get(resource.kind)
    if removed is not None:
        yield Hit(
            resource.kind_location,
            message=(
                f"{resource.describe()}: Strimzi {removed['removed_in']} and later no longer support {resource.kind}; "
                f"the operator ignores it: move to {removed['replacement']}"
            ),
        )
        return
    # Several copies of the CRDs (a chart and the install files): any one serving it is enough.
    if crds and not any(crd.versions.get(version, (False, None))[0] for crd in crds):
        crd = crds[0]
        listed = ", ".join(name for name, (on, _) in crd.versions.items() if on) or "none"
        yield Hit(
            location,
            severity=Severity.ERROR,
            message=(
                f"{resource.describe()}: {resource.api_version} is not served by the CustomResourceDefinition in "
                f"{crd.path} (serves {listed}): the API server rejects this resource"
            ),
        )
        return
    if version == "v1":
        return
    fact = api_version_fact(version)
    if fact is None:
        yield Hit(
            location,
            severity=Severity.ERROR,
            message=f"{resource.describe()}: {resource.api_version} is not an API version Strimzi has ever served",
        )
        return
    if version == "v1beta2":
        yield Hit(
            location,
            severity=Severity.INFO,
            message=(
                f"{resource.describe()}: {resource.api_version} is served by Strimzi {fact['served']} only; "
                f"Strimzi {fact['removed_in']} and later serve v1 alone: convert it (Strimzi's v1 API conversion tool) "
                "before upgrading"
            ),
        )
        return
    yield Hit(
        location,
        severity=Severity.ERROR,
        message=(
            f"{resource.describe()}: {resource.api_version} is no longer served (served {fact['served']}); "
            "current Strimzi serves kafka.strimzi.io/v1 only"
        ),
    )


def metadata_quorum_too_small(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    quorum = resource.extras.get("controllers")
    if quorum is None:
        return
    voters, location, what = quorum
    if voters >= 3 and voters % 2 == 1:
        return
    if voters < 3:
        problem = (
            "a majority needs every one of them, so losing one stops the cluster's metadata: no leader "
            "elections, no topic changes, brokers fenced"
        )
        severity = None
    else:
        problem = f"an even count tolerates no more failures than {voters - 1} while adding one more voter to wait for"
        severity = Severity.INFO
    yield Hit(location, severity=severity, message=f"{resource.describe()} has {voters} {what}: {problem}")


def _label_location(resource: StrimziResource) -> Location:
    labels = resource.at("metadata", "labels")
    label = labels.get(CLUSTER_LABEL) if labels is not None else None
    return key_location(label) if label is not None else resource.anchor


def connector_resources_not_enabled(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    connect = resource.extras.get("connect")
    if connect is None:
        return
    if connect.annotations.get("strimzi.io/use-connector-resources", "").strip().lower() == "true":
        return
    yield Hit(
        _label_location(resource),
        message=(
            f"{resource.describe()} is never started: KafkaConnect {connect.name} ({connect.path}) lacks the "
            "annotation strimzi.io/use-connector-resources: \"true\", so the operator ignores its KafkaConnectors"
        ),
        related=(connect.anchor,),
    )


def entity_operator_missing(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    kafka = resource.extras.get("kafka")
    if kafka is None:
        return
    operator = "topicOperator" if resource.kind == "KafkaTopic" else "userOperator"
    if kafka.at("spec", "entityOperator", operator) is not None:
        return
    name = "Topic Operator" if operator == "topicOperator" else "User Operator"
    yield Hit(
        _label_location(resource),
        message=(
            f"{resource.describe()} is never applied by its cluster: Kafka {kafka.name} ({kafka.path}) has no "
            f"spec.entityOperator.{operator}, so no {name} watches it (unless one is deployed standalone)"
        ),
        related=(kafka.anchor,),
    )
