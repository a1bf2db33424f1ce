"""Strimzi custom resources (kafka.strimzi.io) into the model, and the cross-resource resolver.

A Kafka CR becomes a BrokerConfig (spec.kafka.config), a KafkaTopic a TopicSpec, a
KafkaConnector a ConnectorConfig, so the cluster, topic and connector rules are written once
for Strimzi and plain files alike. Every Strimzi object is also kept as a StrimziResource (its
located tree) for the rules that read the resource itself. The resolver then does what the
operator does: a KafkaNodePool or KafkaTopic belongs to the Kafka named by its
`strimzi.io/cluster` label; broker counts come from broker-role node pools (or
spec.kafka.replicas before node pools); the schemas are checked last.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterator

from kafkalint.knowledge import looks_secret
from kafkalint.model import UNKNOWN, BrokerConfig, ConnectorConfig, Location, Project, Setting, TopicSpec
from kafkalint.sources.broker import typed_broker_value
from kafkalint.sources.placeholders import is_placeholder
from kafkalint.sources.yamltree import Node, scalar_text

GROUP = "kafka.strimzi.io"
CLUSTER_LABEL = "strimzi.io/cluster"


@dataclass(slots=True)
class StrimziResource:
    """One Strimzi custom resource as written: identity, labels and the located tree."""

    kind: str
    api_version: str
    name: str
    namespace: str | None
    labels: dict[str, str]
    annotations: dict[str, str]
    node: Node
    anchor: Location
    kind_location: Location
    path: str
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def version(self) -> str:
        """`v1`, `v1beta2`, ... (the part after the group)."""
        return self.api_version.split("/", 1)[1] if "/" in self.api_version else self.api_version

    @property
    def spec(self) -> Node | None:
        spec = self.node.get("spec")
        return spec if spec is not None and spec.is_map else None

    @property
    def cluster(self) -> str | None:
        return self.labels.get(CLUSTER_LABEL)

    def at(self, *keys: str) -> Node | None:
        return self.node.path(*keys)

    def describe(self) -> str:
        return f"{self.kind} {self.name}" if self.name else self.kind


@dataclass(slots=True)
class StrimziCrd:
    """A Strimzi CustomResourceDefinition found in the scanned tree (vendored install files)."""

    kind: str
    crd_kind: str
    versions: dict[str, tuple[bool, dict[str, Any] | None]]
    anchor: Location
    path: str
    validators: dict[str, Any] = field(default_factory=dict)


def key_location(node: Node) -> Location:
    return node.key_location or node.location


def text_of(node: Node | None) -> str:
    if node is None or node.is_map or node.is_list:
        return ""
    return scalar_text(node)


def _string_map(node: Node | None) -> dict[str, str]:
    if node is None or not node.is_map:
        return {}
    return {key: text_of(child) for key, child in node.items() if not child.is_map and not child.is_list}


def _objects(documents: list[Node]) -> Iterator[Node]:
    """Every Kubernetes object of the stream; a `kind: List` gives its items."""
    for document in documents:
        if not document.is_map:
            continue
        items = document.get("items")
        if text_of(document.get("kind")).endswith("List") and items is not None and items.is_list:
            yield from (item for item in items.value if item.is_map)
        else:
            yield document


def _is_strimzi_crd(node: Node) -> bool:
    return text_of(node.get("kind")) == "CustomResourceDefinition" and text_of(node.path("spec", "group")) == GROUP


def read_strimzi_documents(documents: list[Node], text: str, display: str, project: Project) -> bool:
    """Claim a YAML/JSON stream holding any Strimzi resource or Strimzi CRD."""
    claimed = False
    for node in _objects(documents):
        api_version = text_of(node.get("apiVersion"))
        if api_version.startswith(GROUP + "/"):
            resource = _resource(node, api_version, display)
            project.resources.append(resource)
            _derive(resource, project)
            from kafkalint.sources.strimzi_validation import OWN_ERRORS, own_errors

            # Checked now, with the file: the parse cache keeps the verdict with the resource.
            resource.extras[OWN_ERRORS] = own_errors(resource)
            claimed = True
        elif _is_strimzi_crd(node):
            project.resources.append(_crd(node, display))
            claimed = True
    return claimed


def _resource(node: Node, api_version: str, display: str) -> StrimziResource:
    metadata = node.get("metadata")
    name_node = metadata.get("name") if metadata is not None else None
    kind_node = node.get("kind")
    kind_location = key_location(kind_node) if kind_node is not None else node.location
    anchor = key_location(name_node) if name_node is not None else kind_location
    namespace = text_of(metadata.get("namespace")) if metadata is not None else ""
    return StrimziResource(
        kind=text_of(kind_node),
        api_version=api_version,
        name=text_of(name_node),
        namespace=namespace or None,
        labels=_string_map(metadata.get("labels") if metadata is not None else None),
        annotations=_string_map(metadata.get("annotations") if metadata is not None else None),
        node=node,
        anchor=anchor,
        kind_location=kind_location,
        path=display,
    )


def _crd(node: Node, display: str) -> StrimziCrd:
    versions: dict[str, tuple[bool, dict[str, Any] | None]] = {}
    listed = node.path("spec", "versions")
    for version in listed.value if listed is not None and listed.is_list else []:
        if not version.is_map:
            continue
        schema = version.path("schema", "openAPIV3Schema")
        served = version.get("served")
        versions[text_of(version.get("name"))] = (
            served is None or served.value is True,
            schema.plain() if schema is not None and schema.is_map else None,
        )
    kind_node = node.get("kind")
    return StrimziCrd(
        kind="CustomResourceDefinition",
        crd_kind=text_of(node.path("spec", "names", "kind")),
        versions=versions,
        anchor=key_location(kind_node) if kind_node is not None else node.location,
        path=display,
    )


def config_settings(config: Node | None) -> dict[str, Setting]:
    """A Strimzi `config:` map as settings (broker, topic and connector configs alike)."""
    settings: dict[str, Setting] = {}
    if config is None or not config.is_map:
        return settings
    for key, child in config.items():
        if child.is_map:
            continue
        if child.is_list:
            raw = ",".join(text_of(item) for item in child.value)
            value: Any = [item.value for item in child.value]
        else:
            raw = text_of(child)
            value = UNKNOWN if is_placeholder(raw) else typed_broker_value(child.value)
        settings[key] = Setting(
            key=key,
            raw=raw,
            value=value,
            location=child.location,
            key_location=key_location(child),
            written_key=key,
            secret=looks_secret(key),
        )
    return settings


def integer_of(node: Node | None) -> int | None:
    if node is None or isinstance(node.value, bool) or not isinstance(node.value, int):
        return None
    return node.value


def _derive(resource: StrimziResource, project: Project) -> None:
    spec = resource.spec
    if resource.kind == "Kafka":
        kafka = spec.get("kafka") if spec is not None else None
        broker = BrokerConfig(
            anchor=resource.anchor,
            name=resource.name,
            settings=config_settings(kafka.get("config") if kafka is not None else None),
            origin="strimzi",
            label=f"Kafka {resource.name}",
            extras={"resource": resource, "path": resource.path},
        )
        replicas = kafka.get("replicas") if kafka is not None else None
        if replicas is not None and not uses_node_pools(resource):
            broker.broker_count = integer_of(replicas)
            broker.broker_count_location = key_location(replicas)
            broker.broker_count_source = "spec.kafka.replicas"
            broker.node_count = broker.broker_count
        resource.extras["broker"] = broker
        project.brokers.append(broker)
    elif resource.kind == "KafkaTopic":
        topic_name = text_of(spec.get("topicName")) if spec is not None else ""
        replicas = spec.get("replicas") if spec is not None else None
        topic = TopicSpec(
            name=topic_name or resource.name,
            anchor=resource.anchor,
            cluster=resource.cluster,
            partitions=integer_of(spec.get("partitions")) if spec is not None else None,
            replicas=integer_of(replicas),
            replicas_location=key_location(replicas) if replicas is not None else None,
            settings=config_settings(spec.get("config") if spec is not None else None),
            origin="strimzi",
            label=f"KafkaTopic {topic_name or resource.name}",
        )
        resource.extras["topic"] = topic
        project.topics.append(topic)
    elif resource.kind == "KafkaConnector":
        connector = ConnectorConfig(
            name=resource.name,
            anchor=resource.anchor,
            connector_class=text_of(spec.get("class")) or None if spec is not None else None,
            settings=config_settings(spec.get("config") if spec is not None else None),
            origin="strimzi",
        )
        resource.extras["connector"] = connector
        project.connectors.append(connector)
    elif resource.kind == "KafkaBridge":
        _bridge_producer(resource, project)


def _bridge_producer(resource: StrimziResource, project: Project) -> None:
    """The bridge's Java producer, when spec.producer.config sets anything: the producer rules
    judge it like any other. (Its consumers are left alone: the HTTP client that creates each
    one decides auto-commit and the group.)"""
    from kafkalint.model import Dialect, Role
    from kafkalint.sources.clientfile import entries_from_map
    from kafkalint.sources.clientfile import build_client

    config = resource.at("spec", "producer", "config")
    if config is None or not config.is_map or not config.value:
        return
    entries = entries_from_map(config)
    client = build_client(
        entries, resource.path, resource.anchor, project, role=Role.PRODUCER, dialect=Dialect.JAVA,
        name=f"KafkaBridge {resource.name} producer", origin="strimzi",
    )
    for entry in entries:
        if isinstance(entry.raw, str) and is_placeholder(entry.raw) and entry.key in client.settings:
            client.settings[entry.key].value = UNKNOWN
    resource.extras["producer"] = client
    project.clients.append(client)


def uses_node_pools(resource: StrimziResource) -> bool:
    """A v1 Kafka always does; a v1beta2 Kafka only with the node-pools annotation."""
    if resource.version != "v1beta2":
        return True
    return resource.annotations.get("strimzi.io/node-pools", "").strip().lower() == "enabled"


def is_kraft(resource: StrimziResource) -> bool | None:
    """True for KRaft, False for ZooKeeper, None when the resource does not say."""
    from kafkalint.knowledge import version_tuple

    if resource.version == "v1":
        return True
    if resource.annotations.get("strimzi.io/kraft", "").strip().lower() == "enabled":
        return True
    version = text_of(resource.at("spec", "kafka", "version"))
    if version and version_tuple(version) >= (4, 0):
        return True
    if resource.at("spec", "zookeeper") is not None:
        return False
    return None


def _controller_quorum(kafka: StrimziResource) -> tuple[int, Location, str] | None:
    """(voters, where, what) of the cluster's metadata quorum: KRaft controllers from node pools
    with the controller role, or the ZooKeeper ensemble; None when not knowable here."""
    zookeeper = kafka.at("spec", "zookeeper", "replicas")
    if is_kraft(kafka) is False and zookeeper is not None:
        count = integer_of(zookeeper)
        return (count, key_location(zookeeper), "ZooKeeper node" + ("" if count == 1 else "s")) if count is not None else None
    if not uses_node_pools(kafka):
        return None
    pools = [pool for pool in kafka.extras.get("pools", []) if "controller" in pool_roles(pool)]
    if not pools:
        return None
    counts = [integer_of(pool.at("spec", "replicas")) for pool in pools]
    if any(count is None for count in counts):
        return None
    replicas = pools[0].at("spec", "replicas")
    where = key_location(replicas) if len(pools) == 1 and replicas is not None else kafka.anchor
    names = ", ".join(pool.name for pool in pools)
    voters = sum(count for count in counts if count is not None)
    noun = "KRaft controller" + ("" if voters == 1 else "s")
    return voters, where, f"{noun} (node pool{'s' if len(pools) > 1 else ''} {names})"


# --- the resolver ---------------------------------------------------------------------------


def strimzi_resources(project: Project, kind: str | None = None) -> Iterator[StrimziResource]:
    for resource in project.resources:
        if isinstance(resource, StrimziResource) and (kind is None or resource.kind == kind):
            yield resource


def _directory_affinity(left: str, right: str) -> int:
    """How close two files are: the same file beats any directory, then shared directories."""
    if left == right:
        return 10_000
    left_parts = os.path.dirname(left).split("/")
    right_parts = os.path.dirname(right).split("/")
    shared = 0
    for a, b in zip(left_parts, right_parts):
        if a != b:
            break
        shared += 1
    return shared


def cluster_candidates(project: Project, member: StrimziResource, kind: str = "Kafka") -> list[StrimziResource]:
    """Every resource of `kind` the member's `strimzi.io/cluster` label may name: the same name,
    a compatible namespace (an unset namespace matches any)."""
    cluster = member.cluster
    if not cluster:
        return []
    return [
        kafka
        for kafka in strimzi_resources(project, kind)
        if kafka.name == cluster
        and (kafka.namespace is None or member.namespace is None or kafka.namespace == member.namespace)
    ]


def owning_cluster(project: Project, member: StrimziResource, kind: str = "Kafka") -> StrimziResource | None:
    """The Kafka a labelled resource belongs to, as the operator resolves it: same name as the
    `strimzi.io/cluster` label, same namespace. Several candidates (overlays of one cluster
    per environment): the one nearest in the directory tree, or none when that is a tie."""
    candidates = cluster_candidates(project, member, kind)
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    ranked = sorted(candidates, key=lambda kafka: -_directory_affinity(kafka.path, member.path))
    best = _directory_affinity(ranked[0].path, member.path)
    if _directory_affinity(ranked[1].path, member.path) == best:
        return None
    return ranked[0]


def pool_roles(pool: StrimziResource) -> set[str]:
    roles = pool.at("spec", "roles")
    if roles is None or not roles.is_list:
        return set()
    return {text_of(item) for item in roles.value}


KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
_PATCH_KEYS = ("patchesStrategicMerge", "patches", "patchesJson6902")


def kustomize_patch_files(paths: set[str]) -> set[str]:
    """Files that a kustomization beside them applies as patches: partial resources, not whole
    ones, so a missing field there is no finding."""
    from kafkalint.safefile import read_regular_text
    from kafkalint.sources.yamltree import YamlError, load_documents

    patches: set[str] = set()
    for directory in sorted({os.path.dirname(path) for path in paths}):
        for name in KUSTOMIZATION_NAMES:
            candidate = os.path.join(directory, name) if directory else name
            try:
                if not os.path.isfile(candidate):
                    continue
                documents = load_documents(read_regular_text(candidate, 1024 * 1024), candidate)
            except (OSError, UnicodeDecodeError, YamlError):
                continue
            for document in documents:
                for key in _PATCH_KEYS:
                    listed = document.get(key)
                    for item in listed.value if listed is not None and listed.is_list else []:
                        target = item.get("path") if item.is_map else item
                        text = text_of(target)
                        if text and "\n" not in text:
                            patches.add(os.path.normpath(os.path.join(directory, text)).replace(os.sep, "/"))
    return patches


def _set_patches_aside(project: Project) -> list[StrimziResource]:
    """Take kustomize patches out of the model (they are fragments of resources defined
    elsewhere) and return them, still to be checked for misspelled fields."""
    resources = list(strimzi_resources(project))
    patch_files = kustomize_patch_files({resource.path for resource in resources})
    patches = [resource for resource in resources if os.path.normpath(resource.path).replace(os.sep, "/") in patch_files]
    if not patches:
        return []
    for patch in patches:
        patch.extras["patch"] = True
    ids = {id(patch) for patch in patches}
    derived = {id(patch.extras[key]) for patch in patches for key in ("broker", "topic", "connector") if key in patch.extras}
    project.resources[:] = [item for item in project.resources if id(item) not in ids]
    project.brokers[:] = [item for item in project.brokers if id(item) not in derived]
    project.topics[:] = [item for item in project.topics if id(item) not in derived]
    project.connectors[:] = [item for item in project.connectors if id(item) not in derived]
    return patches


def resolve_strimzi(project: Project, settings: Any = None) -> None:
    """Link node pools and topics to their Kafka, count brokers, then check the schemas."""
    if not any(strimzi_resources(project)):
        return
    patches = _set_patches_aside(project)
    resources = list(strimzi_resources(project))
    for kafka in strimzi_resources(project, "Kafka"):
        kafka.extras["pools"] = []
    for pool in strimzi_resources(project, "KafkaNodePool"):
        kafka = owning_cluster(project, pool)
        pool.extras["kafka"] = kafka
        if kafka is not None:
            kafka.extras["pools"].append(pool)
    for kafka in strimzi_resources(project, "Kafka"):
        broker: BrokerConfig = kafka.extras["broker"]
        broker.extras["kraft"] = is_kraft(kafka)
        pools = kafka.extras["pools"]
        if not uses_node_pools(kafka) or not pools:
            continue
        all_counts = [integer_of(pool.at("spec", "replicas")) for pool in pools]
        if all(count is not None for count in all_counts):
            broker.node_count = sum(count for count in all_counts if count is not None)
        broker_pools = [pool for pool in pools if "broker" in pool_roles(pool)]
        counts = [integer_of(pool.at("spec", "replicas")) for pool in broker_pools]
        if not broker_pools or any(count is None for count in counts):
            continue  # the broker pools are elsewhere (another tree, a generated file): count unknown
        broker.broker_count = sum(count for count in counts if count is not None)
        if len(broker_pools) == 1:
            replicas = broker_pools[0].at("spec", "replicas")
            broker.broker_count_location = key_location(replicas) if replicas is not None else broker_pools[0].anchor
        else:
            broker.broker_count_location = kafka.anchor
        broker.extras["broker_pools"] = [pool.name for pool in broker_pools]
        names = ", ".join(pool.name for pool in broker_pools)
        broker.broker_count_source = ("node pools " if len(broker_pools) > 1 else "node pool ") + names
    for kafka in strimzi_resources(project, "Kafka"):
        kafka.extras["controllers"] = _controller_quorum(kafka)
    for resource in strimzi_resources(project, "KafkaTopic"):
        kafka = owning_cluster(project, resource)
        resource.extras["kafka"] = kafka
        if kafka is not None:
            resource.extras["topic"].cluster_config = kafka.extras["broker"]
    for resource in strimzi_resources(project, "KafkaUser"):
        resource.extras["kafka"] = owning_cluster(project, resource)
    for resource in strimzi_resources(project, "KafkaConnector"):
        resource.extras["connect"] = owning_cluster(project, resource, "KafkaConnect")
        # When two KafkaConnects share the name (other namespaces, overlays), every one of them.
        resource.extras["connect_candidates"] = cluster_candidates(project, resource, "KafkaConnect")
    from kafkalint.sources.strimzi_validation import validate_resources

    crds = [resource for resource in project.resources if isinstance(resource, StrimziCrd)]
    validate_resources(resources + patches, crds, project)
