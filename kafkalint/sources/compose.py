"""docker-compose files: broker settings passed as environment variables become BrokerConfigs,
Connect containers' CONNECT_* variables become Connect worker configs.

Only images whose variable naming is known are read (data/frameworks.json names each image's
prefix and rule and cites it); `${VAR}` interpolations are unknown values.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any

from kafkalint.knowledge.frameworks import framework_facts
from kafkalint.model import UNKNOWN, Location, Project, Setting, TopicSpec
from kafkalint.sources.clientfile import RawEntry
from kafkalint.sources.yamltree import Node, scalar_text

COMPOSE_FILE_PATTERNS = ("docker-compose*.yml", "docker-compose*.yaml", "compose*.yml", "compose*.yaml")
_SINGLE_UNDERSCORE = re.compile(r"(?<=[^_])_(?=[^_])")


def is_compose_file(display: str) -> bool:
    name = display.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(name, pattern) for pattern in COMPOSE_FILE_PATTERNS)


# Top-level keys of the Compose specification; a Kubernetes manifest has `apiVersion`/`kind`.
_COMPOSE_TOP_LEVEL = {"version", "name", "services", "networks", "volumes", "configs", "secrets", "include"}


def has_compose_shape(documents: list[Node]) -> bool:
    """A Compose file by its content, whatever its name (`zk-single-kafka-single.yml`, `stack.yml`):
    only Compose keys at the top, `services` a map of maps, at least one with an `image` or
    `build`. GitLab CI (`services:` a list), Kubernetes and application settings fail this."""
    for document in documents:
        if not document.is_map:
            continue
        keys = {str(key) for key, _ in document.items()}
        services = document.get("services")
        if services is None or not services.is_map or not keys <= _COMPOSE_TOP_LEVEL and not all(key.startswith("x-") for key in keys - _COMPOSE_TOP_LEVEL):
            continue
        entries = [service for _, service in services.items()]
        if entries and all(service.is_map for service in entries) and any(
            service.get("image") is not None or service.get("build") is not None for service in entries
        ):
            return True
    return False


def property_name(variable: str, prefix: str, naming: str) -> str:
    """`KAFKA_AUTO_CREATE_TOPICS_ENABLE` -> `auto.create.topics.enable` under the image's rule."""
    rest = variable[len(prefix):].lower()
    if naming == "bitnami":
        key = rest.replace("_", ".")
        return key.replace("sasl.ssl", "sasl_ssl").replace("sasl.plaintext", "sasl_plaintext")
    # Confluent and apache/kafka: '_' -> '.', '__' -> '_', '___' -> '-'.
    return _SINGLE_UNDERSCORE.sub(".", rest).replace("___", "-").replace("__", "_")


def implied_setting(entry: RawEntry, why: str) -> Setting:
    from kafkalint.sources.broker import typed_broker_value

    return Setting(
        key=entry.key, raw=entry.raw, value=typed_broker_value(entry.value), location=entry.value_location,
        key_location=entry.key_location, written_key=entry.key, implied=why,
    )


def image_rule(image: str) -> dict[str, Any] | None:
    facts = framework_facts()["compose"]
    repository = image.lower().split("@", 1)[0]
    if ":" in repository.rsplit("/", 1)[-1]:
        repository = repository.rsplit(":", 1)[0]  # drop the tag, not a registry port
    for rule in facts["images"]:
        if repository == rule["match"] or repository.endswith("/" + rule["match"]):
            return rule
    return None


def _environment(service: Node, display: str) -> list[RawEntry]:
    """The service's variables with exact locations, whether a map or a `- KEY=value` list."""
    environment = service.get("environment")
    entries: list[RawEntry] = []
    if environment is None:
        return entries
    if environment.is_map:
        for key, child in environment.items():
            if child.is_map or child.is_list:
                continue
            text = scalar_text(child)
            entries.append(RawEntry(key, text, text, child.key_location or child.location, child.location))
    elif environment.is_list:
        for item in environment.value:
            if item.is_map or item.is_list or not isinstance(item.value, str) or "=" not in item.value:
                continue
            key, value = item.value.split("=", 1)
            line = item.location.line
            start = item.location.column + (1 if item.quoted else 0)
            key_location = Location(display, line, start, line, start + len(key))
            value_location = Location(display, line, start + len(key) + 1, line, start + len(key) + 1 + len(value))
            entries.append(RawEntry(key.strip(), value, value, key_location, value_location))
    return entries


def _record_jaas_variables(
    service_name: str, service: Node, entries: list[RawEntry], rule: dict[str, Any] | None, display: str, project: Project
) -> None:
    """JAAS configurations the image's own mapping does not turn into broker or worker settings
    (`CONFLUENT_METRICS_REPORTER_SASL_JAAS_CONFIG`, `SCHEMA_REGISTRY_KAFKASTORE_SASL_JAAS_CONFIG`,
    any variable of an image kafkalint does not know): kept, so what they hold is not missed."""
    from kafkalint.model import ContainerEnvironment, Setting
    from kafkalint.sources.placeholders import is_placeholder

    environment = ContainerEnvironment(f"service {service_name}", service.key_location or service.location)
    for entry in entries:
        if not entry.key.upper().endswith("SASL_JAAS_CONFIG"):
            continue
        if rule is not None and entry.key.startswith(rule["prefix"]):
            continue  # the image's mapping already made it a broker or worker setting
        raw = entry.raw if isinstance(entry.raw, str) else str(entry.value)
        key = entry.key.lower().replace("_", ".")
        value = UNKNOWN if is_placeholder(raw) else raw
        environment.settings[key] = Setting(key, raw, value, entry.value_location, entry.key_location, entry.key, secret=True)
    if environment.settings:
        project.environments.append(environment)


def _is_broker(settings: dict[str, Any]) -> bool:
    roles = settings.get("process.roles")
    if roles is None or roles.value is UNKNOWN:
        return True
    return "broker" in str(roles.value)


def _rule_by_environment(service: Node, entries: list[RawEntry]) -> dict[str, Any] | None:
    """An image kafkalint does not list (cp-enterprise-kafka, `${REPOSITORY}/cp-server`,
    wurstmeister/kafka) is a broker when its variables name broker settings; its own defaults
    stay unknown. A service that replaces the image's command starts Kafka its own way: its
    variables are input to that script, not necessarily broker settings."""
    compose_facts = framework_facts()["compose"]
    if _runs_another_command(service, compose_facts["environment_start_scripts"]):
        return None
    facts = compose_facts["broker_environment"]
    names = {entry.key for entry in entries}
    for prefix, naming in facts["prefixes"].items():
        if any(prefix + marker in names for marker in facts["marker_variables"]):
            return {"prefix": prefix, "naming": naming, "kind": "broker", "by_environment": True}
    return None


def _runs_another_command(service: Node, start_commands: list[str]) -> bool:
    """The service replaces the image's command or entrypoint with one that names none of the
    image start scripts: it runs a tool from the image, not the broker or worker."""
    replaced = [service.get(key) for key in ("command", "entrypoint") if service.get(key) is not None]
    if not replaced:
        return False
    texts = []
    for node in replaced:
        items = node.value if node.is_list else [node]
        texts.extend(scalar_text(item) for item in items if not item.is_map and not item.is_list)
    text = " ".join(texts)
    return not any(command in text for command in start_commands)


def _mounts_config(service: Node, path: str) -> bool:
    volumes = service.get("volumes")
    if volumes is None or not volumes.is_list:
        return False
    return any(path in scalar_text(item) for item in volumes.value if not item.is_map and not item.is_list)


def _foreign_variables(entries: list[RawEntry], rule: dict[str, Any], skipped: set[str]) -> list[RawEntry]:
    """Variables in another image's naming (KAFKA_CFG_* on apache/kafka, KAFKA_* on bitnami):
    the image may or may not read them, so the settings they name are unknown, never defaults."""
    facts = framework_facts()["compose"]["broker_environment"]
    unknown = []
    for entry in entries:
        if entry.key in skipped:
            continue
        prefix = next((prefix for prefix in facts["prefixes"] if entry.key.startswith(prefix)), None)
        if prefix is None or prefix == rule["prefix"]:
            continue
        key = property_name(entry.key, prefix, facts["prefixes"][prefix])
        unknown.append(RawEntry(key, UNKNOWN, entry.raw, entry.key_location, entry.value_location))
    return unknown


def read_compose_documents(documents: list[Node], text: str, display: str, project: Project) -> bool:
    if not (is_compose_file(display) or has_compose_shape(documents)):
        return False
    from kafkalint.sources.broker import broker_from_entries
    from kafkalint.sources.connect import worker_client
    from kafkalint.sources.properties import BROKER_IDENTITY_KEYS

    facts = framework_facts()["compose"]
    skipped = set(facts["not_properties"])
    claimed = False
    for document in documents:
        services = document.get("services") if document.is_map else None
        if services is None or not services.is_map:
            continue
        claimed = True
        nodes = []
        partial = False
        for service_name, service in services.items():
            if not service.is_map:
                continue
            image_node = service.get("image")
            image = str(image_node.value) if image_node is not None and image_node.value is not None else ""
            entries = _environment(service, display)
            rule = image_rule(image)
            if rule is not None and _runs_another_command(service, facts["start_commands"]):
                rule = None  # a Kafka image used to run kafka-topics, a console client, ...
            rule = rule or _rule_by_environment(service, entries)
            _record_jaas_variables(service_name, service, entries, rule, display, project)
            if rule is None:
                continue
            anchor = service.key_location or service.location
            foreign = _foreign_variables(entries, rule, skipped)
            foreign_keys = {(entry.key_location.line, entry.key_location.column) for entry in foreign}
            mapped = []
            for entry in entries:
                if not entry.key.startswith(rule["prefix"]) or entry.key in skipped:
                    continue
                if (entry.key_location.line, entry.key_location.column) in foreign_keys:
                    continue
                key = property_name(entry.key, rule["prefix"], rule["naming"])
                mapped.append(RawEntry(key, entry.value, entry.raw, entry.key_location, entry.value_location))
            if rule.get("kind") == "connect-worker":
                from kafkalint.sources.connect import settings_from_entries

                settings = settings_from_entries(mapped, project)
                project.clients.append(worker_client(settings, anchor, f"connect worker {service_name}", "compose"))
                continue
            broker = broker_from_entries(mapped, display, project, origin="compose")
            for entry in foreign:
                if entry.key not in broker.settings:
                    broker.settings[entry.key] = Setting(
                        key=entry.key, raw=entry.raw, value=UNKNOWN, location=entry.value_location,
                        key_location=entry.key_location, written_key=entry.key,
                    )
            defaults = rule.get("defaults_without_environment")
            if defaults is not None and not mapped:
                if _mounts_config(service, defaults["config_mount"]):
                    broker.defaults_known = False  # its server.properties comes from the mounted file
                else:
                    for key, value in defaults["settings"].items():
                        entry = RawEntry(key, value, str(value), anchor, anchor)
                        broker.settings[key] = implied_setting(entry, f"the {image} image's own server.properties")
            image_defaults = rule.get("image_defaults")
            if image_defaults is not None and not _mounts_config(service, image_defaults["config_mount"]):
                # The image starts from its own server.properties: its values, not Kafka's, are
                # what a variable left unset leaves.
                for key, value in image_defaults["settings"].items():
                    if key not in broker.settings:
                        entry = RawEntry(key, value, str(value), anchor, anchor)
                        broker.settings[key] = implied_setting(entry, f"the {image} image's own server.properties")
            if rule.get("by_environment"):
                broker.defaults_known = False
            if not any(key in BROKER_IDENTITY_KEYS for key in broker.settings):
                # Neither who the broker is nor how it is reached or joins its cluster: the rest
                # of the service is defined in another file (docker-compose.override.yml, an
                # `extends`), so what this one leaves out is not known to be a default.
                broker.defaults_known = False
                partial = True
            broker.anchor = anchor
            broker.applications_folder = display.rpartition("/")[0]
            broker.name = service_name
            broker.label = f"service {service_name}"
            broker.extras["image"] = image
            nodes.append(broker)
            project.brokers.append(broker)
            project.topics.extend(_declared_topics(entries, broker, facts.get("topic_variables", {})))
        # An overlay (`docker compose -f kafka-0-1-2.yml -f kafka-3-4.yml`, or a service that is
        # only a part of one defined elsewhere): its services join a project defined elsewhere,
        # so how many brokers the cluster has is unknown.
        overlay = partial or _depends_on_other_files(services)
        for cluster in [nodes] if overlay else _clusters(nodes):
            for node in cluster:
                node.cluster_group = f"{display}:{cluster[0].anchor.line}"
            if overlay:
                continue
            brokers = [node for node in cluster if _is_broker(node.settings)]
            for broker in brokers:
                broker.broker_count = len(brokers)
                broker.broker_count_location = broker.anchor
                broker.broker_count_source = "compose services"
                broker.node_count = len(cluster)
    return claimed


# The settings that name the cluster a node joins: its ZooKeeper ensemble (with its chroot) or
# its KRaft metadata quorum.
_CLUSTER_KEYS = ("zookeeper.connect", "controller.quorum.voters", "controller.quorum.bootstrap.servers")


def _cluster_key(node: Any) -> tuple[str, frozenset[str], str] | None:
    """(the setting, the servers it names, the ZooKeeper chroot) of the cluster a node joins."""
    for key in _CLUSTER_KEYS:
        setting = node.settings.get(key)
        if setting is not None and isinstance(setting.value, str) and setting.value.strip():
            address, _, chroot = setting.value.strip().partition("/")
            members = frozenset(item.strip() for item in address.split(",") if item.strip())
            return key, members, chroot
    return None


def _clusters(nodes: list[Any]) -> list[list[Any]]:
    """The Kafka services of one compose file, by cluster. One file is one cluster, unless every
    node names its ZooKeeper ensemble or metadata quorum and they differ (a cluster-linking or
    disaster-recovery demo runs two single-broker clusters side by side). Two nodes naming a
    server in common (with the same chroot) join one ensemble, hence one cluster, whatever
    else their lists say: a client reaches the ensemble through any server it lists, so a
    broker whose list has a typo (`zookeeper3:2182` for `zookeeper2:2182`) is still a member."""
    keys = [_cluster_key(node) for node in nodes]
    if not nodes or any(key is None for key in keys):
        return [nodes] if nodes else []
    groups: list[tuple[tuple[str, str], set[str], list[Any]]] = []
    for node, (setting, members, chroot) in zip(nodes, keys):  # type: ignore[misc]
        joined = [group for group in groups if group[0] == (setting, chroot) and group[1] & members]
        merged: tuple[tuple[str, str], set[str], list[Any]] = ((setting, chroot), set(members), [])
        for group in joined:  # a node naming servers of two groups makes them one
            merged[1].update(group[1])
            merged[2].extend(group[2])
            groups.remove(group)
        merged[2].append(node)
        groups.append(merged)
    ordered = {id(node): index for index, node in enumerate(nodes)}
    return sorted((sorted(group[2], key=lambda node: ordered[id(node)]) for group in groups), key=lambda group: ordered[id(group[0])])


def _declared_topics(entries: list[RawEntry], broker: Any, variables: dict[str, Any]) -> list[TopicSpec]:
    """The topics a service's image creates at start (`KAFKA_CREATE_TOPICS: "orders:3:1"`,
    name:partitions:replicas[:cleanup.policy]), declared on that service's cluster."""
    from kafkalint.sources.placeholders import is_placeholder

    topics: list[TopicSpec] = []
    for entry in entries:
        spec = variables.get(entry.key)
        if spec is None or not isinstance(entry.value, str) or is_placeholder(entry.value):
            continue
        for item in entry.value.split(spec["separator"]):
            fields = [part.strip() for part in item.strip().split(":")]
            if not fields or not fields[0]:
                continue
            values = dict(zip(spec["fields"], fields))
            location = entry.value_location
            topic = TopicSpec(
                name=values["name"], anchor=location, partitions=_count(values.get("partitions")),
                replicas=_count(values.get("replicas")), replicas_location=location, origin="compose",
                cluster_config=broker, label=f"topic '{values['name']}' ({entry.key} of {broker.label})",
            )
            policy = values.get("cleanup.policy")
            if policy:
                topic.settings["cleanup.policy"] = Setting(
                    key="cleanup.policy", raw=policy, value=policy, location=location, key_location=entry.key_location, written_key=entry.key,
                )
            topics.append(topic)
    return topics


def _count(text: str | None) -> int | None:
    return int(text) if text is not None and text.isdigit() else None


def _depends_on_other_files(services: Node) -> bool:
    """Whether a service depends on or links to a service this file does not define. (A service
    that `extends` one from another file is still defined here: that is no overlay.)"""
    defined = {str(name) for name, _ in services.items()}
    for _, service in services.items():
        if not service.is_map:
            continue
        for key in ("depends_on", "links"):
            node = service.get(key)
            if node is None:
                continue
            if node.is_map:
                named = [str(name) for name, _ in node.items()]
            elif node.is_list:
                named = [scalar_text(item).split(":", 1)[0] for item in node.value if not item.is_map and not item.is_list]
            else:
                named = []
            if any(name not in defined for name in named):
                return True
    return False
