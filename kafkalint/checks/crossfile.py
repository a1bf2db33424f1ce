"""Cross-file checks: producers, consumers, topics and clusters judged together.

Each function gets the whole Project. Topics a client uses are known only when a source saw
them (code literals, Spring default-topic, Quarkus channels, Connect topics); a client whose
topics are not known is compared at project level or not at all, never guessed.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from kafkalint.checks import CheckContext, Hit, brief_source, value_text
from kafkalint.checks.cluster import topic_min_isr_cause
from kafkalint.checks.registry import check
from kafkalint.knowledge import Effective, effective
from kafkalint.knowledge.partitioners import (
    KeyHashing,
    key_hashing,
    partitioner_facts,
)
from kafkalint.model import (
    UNKNOWN,
    ClientConfig,
    ConnectorConfig,
    Dialect,
    Framework,
    Location,
    Project,
    Role,
    Severity,
    TopicSpec,
)

# --- shared helpers --------------------------------------------------------------------------


# Frameworks whose configuration files have profiles (application-prod.yml, %prod.).
PROFILED_FRAMEWORKS = (Framework.SPRING, Framework.QUARKUS, Framework.MICROPROFILE)


def label(client: ClientConfig) -> str:
    """`librdkafka producer `p``, `spring producer (profile prod)`: a client as messages name it."""
    if client.name and client.framework is not None:
        return client.name  # the framework's own name: "quarkus incoming channel orders"
    return f"{client.dialect.value} {client.role.value}" + (f" `{client.name}`" if client.name else "")


class OtherClients:
    """How a finding names the other client of a pair: by its label, with `(path:line)` added
    only when another client of the project has the same label (where it is goes in related)."""

    def __init__(self, project: Project) -> None:
        self._counts = Counter(label(client) for client in project.clients)

    def name(self, client: ClientConfig) -> str:
        text = label(client)
        if self._counts[text] > 1:
            return f"{text} ({client.anchor.path}:{client.anchor.line})"
        return text


def _order(client: ClientConfig) -> tuple[str, int, int]:
    return (client.anchor.path, client.anchor.line, client.anchor.column)


def topics_of(client: ClientConfig) -> dict[str, Location] | None:
    """Topic name -> first location it is used at; None when the client's topics are not known."""
    if not client.topics:
        return None
    found: dict[str, Location] = {}
    for name, location in client.topics:
        found.setdefault(name, location)
    return found


def safe_effective(client: ClientConfig, key: str) -> Effective | None:
    try:
        return effective(client, key)
    except (OSError, KeyError):  # a dialect without a catalogue
        return None


def _known(eff: Effective | None) -> bool:
    return eff is not None and eff.value is not UNKNOWN and eff.value is not None


def _application_key(client: ClientConfig) -> tuple[Any, ...]:
    """One framework client across its profiles: same app directory, role and channel."""
    return (client.framework, os.path.dirname(client.anchor.path), client.role, client.extras.get("channel"))


def _profile_variants_without_topics(project: Project) -> set[int]:
    """Profile clients (application-prod.yml, %prod.) that name no topics of their own while the
    base configuration of the same application does: they are the base client in another
    environment, already compared through the base, and would only repeat its findings."""
    bases = {
        _application_key(client)
        for client in project.clients
        if client.profile is None and client.framework in PROFILED_FRAMEWORKS and client.topics
    }
    return {
        id(client)
        for client in project.clients
        if client.profile is not None and not client.topics and _application_key(client) in bases
    }


def _clients(project: Project, role: Role) -> list[ClientConfig]:
    """The clients of one role that the rules across files compare: not profile variants (see
    above), and not a test's clients. Tests' clients are fixtures of one test each: two tests
    that name the same group or topic are not one consumer group or one topic's producers in
    production (a test that builds consumers with auto-commit on, then off, to check each)."""
    shadowed = _profile_variants_without_topics(project)
    return sorted(
        (c for c in project.clients if c.role is role and id(c) not in shadowed and not c.in_test_code), key=_order
    )


def _producers(project: Project) -> list[ClientConfig]:
    return _clients(project, Role.PRODUCER)


def _consumers(project: Project) -> list[ClientConfig]:
    return _clients(project, Role.CONSUMER)


def _setting_or(client: ClientConfig, key: str, fallback: Location) -> Location:
    setting = client.settings.get(key)
    return setting.key_location if setting is not None else fallback


# --- partitioner-mismatch --------------------------------------------------------------------


def _keyed(client: ClientConfig) -> bool | None:
    keyed = client.extras.get("keyed")
    return keyed if isinstance(keyed, bool) else None


def _key_evidence(client: ClientConfig) -> bool:
    """The producer is known to write keyed records, or names a key serializer itself."""
    if _keyed(client) is True:
        return True
    setting = client.settings.get("key.serializer")
    return setting is not None and setting.value is not UNKNOWN


@dataclass(slots=True)
class _Side:
    """One client writing a topic, with how it hashes keys to partitions."""

    client: ClientConfig
    hashing: KeyHashing


def _hash_phrase(side: _Side) -> str:
    return f"{partitioner_facts()['hash_names'][side.hashing.hash]} ({side.hashing.partitioner})"


# How KL601 says what the mismatch costs: certain on a shared known topic, possible otherwise.
BREAKS_ON_TOPIC = "breaks on topic '{topic}'"
MAY_BREAK = "may break if they share a topic (not known statically)"

# Files that make a folder a module of its own (a build or a project of its own): producers whose
# topics are unknown are paired only inside one module.
MODULE_MARKERS = (
    "pom.xml", "build.gradle", "build.gradle.kts", "pyproject.toml", "setup.py", "setup.cfg",
    "package.json", "go.mod", ".kafkalint.toml", ".kafkalint.yaml", ".kafkalint.yml",
)


# The module markers that are not files kafkalint reads (so not among the project's files).
UNREAD_MODULE_MARKERS = ("package.json", "go.mod", "setup.py", ".kafkalint.toml", ".kafkalint.yaml", ".kafkalint.yml")


def _is_module_marker(name: str) -> bool:
    return name in MODULE_MARKERS or (name.startswith("requirements") and name.endswith(".txt"))


class ModuleIndex:
    """The module a file belongs to: the nearest folder at or above it that holds a build
    manifest (or kafkalint settings), as the project's files and the disk show; a file with none
    above it is a module of its own folder (its neighbours in that folder only)."""

    def __init__(self, project: Project) -> None:
        self._marked: dict[str, bool] = {}
        for source in project.files:
            folder, _, name = source.path.rpartition("/")
            if _is_module_marker(name):
                self._marked[folder] = True
        self._modules: dict[str, str] = {}

    def _has_marker(self, folder: str) -> bool:
        found = self._marked.get(folder)
        if found is None:
            # Build files kafkalint reads are among the project's files already; the others
            # (package.json, go.mod, setup.py, settings files) are looked up on disk.
            base = folder or "."
            found = any(os.path.isfile(os.path.join(base, name)) for name in UNREAD_MODULE_MARKERS)
            self._marked[folder] = found
        return found

    def of(self, path: str) -> str:
        own = path.rpartition("/")[0]
        module = self._modules.get(own)
        if module is None:
            module = own  # no manifest anywhere above: only the file's own folder
            folder = own
            while True:
                if self._has_marker(folder):
                    module = folder
                    break
                if folder in ("", "/"):
                    break
                parent = folder.rpartition("/")[0]
                folder = "/" if (not parent and folder.startswith("/")) else parent
            self._modules[own] = module
        return module


def _partitioner_variables(fix: _Side, other: _Side, consequence: str, others: OtherClients) -> dict[str, str]:
    return {
        "producer": label(fix.client),
        "hash": _hash_phrase(fix),
        "other": others.name(other.client),
        "other_hash": _hash_phrase(other),
        "consequence": consequence,
    }


def _by_hash(sides: list[_Side]) -> tuple[list[_Side], list[_Side]]:
    """(reference sides, sides to change): the murmur2 (Java-compatible) producers are the
    reference when there are any, else those hashing like the first producer."""
    if not sides:
        return [], []
    reference_hash = "murmur2" if any(side.hashing.hash == "murmur2" for side in sides) else sides[0].hashing.hash
    reference = [side for side in sides if side.hashing.hash == reference_hash]
    return reference, [side for side in sides if side.hashing.hash != reference_hash]


def _capped(locations: Iterable[Location], count: int) -> tuple[tuple[Location, ...], int]:
    from kafkalint.model import MAX_RELATED

    listed = []
    for location in locations:
        if len(listed) == MAX_RELATED:
            break
        listed.append(location)
    return tuple(listed), max(0, count - len(listed))


@check("KL601")
def partitioner_mismatch(project: Project, context: CheckContext) -> Iterator[Hit]:
    """Linear in producers: producers are indexed by known topic and by module once; each
    producer to change gets one finding per shared topic (an error) and at most one for its
    module (info, "may"), naming the first other producer; the others go to related, capped."""
    names = OtherClients(project)
    sides = []
    for client in _producers(project):
        if _keyed(client) is False:
            continue
        hashing = key_hashing(client)
        if hashing is None or hashing.hash == "none":
            continue
        sides.append(_Side(client, hashing))
    by_topic: dict[str, list[tuple[_Side, Location]]] = {}
    modules = ModuleIndex(project)
    by_module: dict[str, list[_Side]] = {}
    for side in sides:
        topics = topics_of(side.client)
        for topic, location in (topics or {}).items():
            by_topic.setdefault(topic, []).append((side, location))
        by_module.setdefault(modules.of(side.client.anchor.path), []).append(side)
    for topic in sorted(by_topic):
        writers = by_topic[topic]
        where = {id(side.client): location for side, location in writers}
        reference, to_change = _by_hash([side for side, _ in writers])
        evidenced = [side for side in reference if _key_evidence(side.client)]
        for fix in to_change:
            others = reference if _key_evidence(fix.client) else evidenced
            if not others:
                continue
            related, omitted = _capped((where[id(other.client)] for other in others), len(others))
            location = fix.hashing.setting.key_location if fix.hashing.setting else where[id(fix.client)]
            yield Hit(
                location,
                _partitioner_variables(fix, others[0], BREAKS_ON_TOPIC.format(topic=topic), names),
                severity=Severity.ERROR,
                related=related,
                related_omitted=omitted,
            )
    for module in sorted(by_module):
        reference, to_change = _by_hash(by_module[module])
        unknown = [side for side in reference if topics_of(side.client) is None]
        candidates = {
            (True, True): reference, (True, False): unknown,
            (False, True): [side for side in reference if _key_evidence(side.client)],
            (False, False): [side for side in unknown if _key_evidence(side.client)],
        }
        for fix in to_change:
            # A pair whose topics are both known was judged above, on the topics themselves.
            others = candidates[(_key_evidence(fix.client), topics_of(fix.client) is None)]
            if not others:
                continue
            related, omitted = _capped((other.client.anchor for other in others), len(others))
            location = fix.hashing.setting.key_location if fix.hashing.setting else fix.client.anchor
            yield Hit(
                location,
                {**_partitioner_variables(fix, others[0], MAY_BREAK, names), "other": label(others[0].client)},
                severity=Severity.INFO,
                related=related,
                related_omitted=omitted,
            )


# --- key-serializer-mismatch -----------------------------------------------------------------

_KEY_FORMATS = {
    "StringSerializer": "UTF-8 string",
    "UUIDSerializer": "UTF-8 string",
    "LongSerializer": "8-byte long",
    "IntegerSerializer": "4-byte int",
    "ShortSerializer": "2-byte short",
    "DoubleSerializer": "8-byte double",
    "FloatSerializer": "4-byte float",
    "KafkaAvroSerializer": "Avro (Schema Registry framing)",
    "KafkaJsonSchemaSerializer": "JSON Schema (Schema Registry framing)",
    "KafkaProtobufSerializer": "Protobuf (Schema Registry framing)",
    "AvroSerializer": "Avro (Schema Registry framing)",
    "JSONSerializer": "JSON Schema (Schema Registry framing)",
    "ProtobufSerializer": "Protobuf (Schema Registry framing)",
    "JsonSerializer": "JSON",
}
# confluent-kafka's serializers that share a Java class name but not its bytes.
_PYTHON_KEY_FORMATS = {"IntegerSerializer": "4-byte int", "DoubleSerializer": "8-byte double", "StringSerializer": "UTF-8 string"}


def key_format(client: ClientConfig) -> tuple[str, Location | None] | None:
    """(wire format of the record keys, where it is decided) or None when unknown."""
    declared = client.extras.get("key_format")
    if isinstance(declared, str):
        return declared, None
    eff = safe_effective(client, "key.serializer")
    if not _known(eff):
        return None
    text = value_text(eff.value).strip()
    simple = text.rsplit(".", 1)[-1].split("(", 1)[0]
    table = _PYTHON_KEY_FORMATS if client.dialect is not Dialect.JAVA else _KEY_FORMATS
    found = table.get(simple) or _KEY_FORMATS.get(simple)
    if found is None:
        return None
    return found, eff.setting.key_location if eff.setting is not None else None


@check("KL602")
def key_serializer_mismatch(project: Project, context: CheckContext) -> Iterator[Hit]:
    """Per known topic, each producer whose key format differs from the topic's first producer
    (in path order) is reported against it: linear in producers and topics."""
    names = OtherClients(project)
    writers: dict[str, list[tuple[ClientConfig, Location, tuple[str, Location | None]]]] = {}
    for client in _producers(project):
        topics, fmt = topics_of(client), key_format(client)
        if topics is None or fmt is None:
            continue
        for topic, location in topics.items():
            writers.setdefault(topic, []).append((client, location, fmt))
    for topic in sorted(writers):
        (first, first_location, first_format), *rest = writers[topic]
        for right, right_location, right_format in rest:
            if right_format[0] == first_format[0]:
                continue
            yield Hit(
                right_format[1] or right_location,
                {
                    "topic": topic,
                    "producer": label(right),
                    "format": right_format[0],
                    "other": names.name(first),
                    "other_format": first_format[0],
                },
                related=(first_format[1] or first_location,),
            )


# --- acks-all-with-min-isr-one ---------------------------------------------------------------


def effective_min_isr(topic: TopicSpec) -> tuple[Any, Location, str] | None:
    """(value, where to report, where it came from), or None when it cannot be known."""
    setting = topic.settings.get("min.insync.replicas")
    if setting is not None:
        return setting.value, setting.key_location, f"set at line {setting.key_location.line}"
    cluster = topic.cluster_config
    if cluster is None:
        return None  # a cluster kafkalint does not see may set it
    from kafkalint.knowledge.broker import broker_default, cluster_name, inherited_source

    inherited = cluster.settings.get("min.insync.replicas")
    if inherited is not None:
        return inherited.value, topic.anchor, inherited_source(cluster, inherited)
    return broker_default("min.insync.replicas"), topic.anchor, f"broker default; {cluster_name(cluster)} does not set it"


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool) or value is UNKNOWN or value is None:
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


@check("KL603")
def acks_all_with_min_isr_one(project: Project, context: CheckContext) -> Iterator[Hit]:
    writers: dict[str, list[tuple[ClientConfig, Effective]]] = {}
    for client in _producers(project):
        topics = topics_of(client)
        acks = safe_effective(client, "acks")
        if topics is None or not _known(acks) or str(acks.value) != "all":
            continue
        for name in topics:
            writers.setdefault(name, []).append((client, acks))
    for topic in project.topics:
        if topic.name not in writers:
            continue
        if topic.replicas is not None and topic.replicas <= 1:
            continue  # replication factor 1 is a finding of its own; min ISR cannot exceed it
        found = effective_min_isr(topic)
        if found is None or _as_int(found[0]) != 1:
            continue
        _value, location, source = found
        producers = writers[topic.name]
        related = tuple(
            acks.setting.key_location if acks.setting is not None else client.anchor for client, acks in producers
        )
        variables = {"topic": topic.name, "source": source, "producers": len(producers)}
        yield Hit(location, variables, related=related, cause=topic_min_isr_cause(topic))


# --- transactional-producer-read-uncommitted -------------------------------------------------


@check("KL604")
def transactional_producer_read_uncommitted(project: Project, context: CheckContext) -> Iterator[Hit]:
    transactional: dict[str, list[ClientConfig]] = {}
    for client in _producers(project):
        setting = client.settings.get("transactional.id")
        topics = topics_of(client)
        if setting is None or setting.value is None or topics is None:
            continue
        for name in topics:
            transactional.setdefault(name, []).append(client)
    for consumer in _consumers(project):
        topics = topics_of(consumer)
        if topics is None:
            continue
        isolation = safe_effective(consumer, "isolation.level")
        if not _known(isolation) or str(isolation.value).strip().lower() != "read_uncommitted":
            continue
        for name in sorted(set(topics) & set(transactional)):
            producer = transactional[name][0]
            location = isolation.setting.key_location if isolation.setting is not None else topics[name]
            yield Hit(
                location,
                {
                    "topic": name,
                    "consumer": label(consumer),
                    "source": brief_source(isolation),
                    "producer": label(producer),
                },
                related=(producer.settings["transactional.id"].key_location,),
            )


# --- undeclared-topic ------------------------------------------------------------------------


def _auto_create_disabled(project: Project) -> list[Any] | None:
    """The clusters' explicit auto.create.topics.enable=false settings, or None unless every
    cluster kafkalint sees turns auto-creation off."""
    if not project.brokers:
        return None
    settings = []
    for broker in project.brokers:
        setting = broker.settings.get("auto.create.topics.enable")
        if setting is None or setting.value is UNKNOWN or str(setting.value).strip().lower() != "false":
            return None
        settings.append(setting)
    return settings


def topic_usages(project: Project) -> Iterable[tuple[str, Location, str, Location]]:
    """(topic, where it is used, by whom, where the user is) for every client and connector
    whose topics are known."""
    for client in sorted(project.clients, key=_order):
        if client.in_test_code:
            continue  # a test's topic lives on the test's cluster (see _clients)
        for name, location in client.topics:
            yield name, location, label(client), client.anchor
    for connector in project.connectors:
        for name, location in connector_topics(connector):
            yield name, location, f"connector {connector.name}", connector.anchor


def connector_topics(connector: ConnectorConfig) -> list[tuple[str, Location]]:
    """Topics a sink connector reads (`topics`); regex subscriptions and source connectors'
    connector-specific topic settings are not known statically."""
    setting = connector.settings.get("topics")
    if setting is None or setting.value is UNKNOWN or setting.value is None:
        return []
    names = setting.value if isinstance(setting.value, list) else str(setting.value).split(",")
    return [(str(name).strip(), setting.location) for name in names if str(name).strip()]


@check("KL605")
def undeclared_topic(project: Project, context: CheckContext) -> Iterator[Hit]:
    disabled = _auto_create_disabled(project)
    if disabled is None:
        return
    declared = {topic.name for topic in project.topics}
    cluster = disabled[0]
    reported: set[tuple[str, str]] = set()
    for name, location, user, anchor in topic_usages(project):
        if name in declared or (name, user, anchor) in reported:
            continue
        reported.add((name, user, anchor))
        yield Hit(location, {"topic": name, "user": user}, related=(cluster.key_location,))


# --- consumer-group-config-drift -------------------------------------------------------------

_ASSIGNOR_PROTOCOLS = {
    "rangeassignor": "range", "rangepartitionassignor": "range", "range": "range",
    "roundrobinassignor": "roundrobin", "roundrobinpartitionassignor": "roundrobin", "roundrobin": "roundrobin",
    "stickyassignor": "sticky", "stickypartitionassignor": "sticky", "sticky": "sticky",
    "cooperativestickyassignor": "cooperative-sticky", "cooperative-sticky": "cooperative-sticky",
}


def assignor_protocols(value: Any) -> tuple[str, ...] | None:
    items = value if isinstance(value, (list, tuple)) else str(value).split(",")
    protocols = []
    for item in items:
        simple = str(item).strip().rsplit(".", 1)[-1].lower()
        if not simple:
            continue
        protocols.append(_ASSIGNOR_PROTOCOLS.get(simple, simple))
    return tuple(protocols) or None


def _profile_variants(left: ClientConfig, right: ClientConfig) -> bool:
    """Two profiles of one application's config are alternatives, not two group members."""
    if left.profile == right.profile or left.framework != right.framework or left.framework not in PROFILED_FRAMEWORKS:
        return False
    return os.path.dirname(left.anchor.path) == os.path.dirname(right.anchor.path)


def _drift_values(client: ClientConfig) -> dict[str, tuple[Any, Effective]]:
    found: dict[str, tuple[Any, Effective]] = {}
    commit = safe_effective(client, "enable.auto.commit")
    if _known(commit):
        found["enable.auto.commit"] = (value_text(commit.value).lower(), commit)
    isolation = safe_effective(client, "isolation.level")
    if _known(isolation):
        found["isolation.level"] = (str(isolation.value).strip().lower(), isolation)
    protocol = safe_effective(client, "group.protocol")
    if protocol is not None and protocol.known_key and str(protocol.value).lower() == "consumer":
        return found  # the broker assigns partitions: client assignors do not matter
    assignors = safe_effective(client, "partition.assignment.strategy")
    if _known(assignors):
        protocols = assignor_protocols(assignors.value)
        if protocols:
            found["partition.assignment.strategy"] = (protocols, assignors)
    return found


def _drift_effect(key: str, left: Any, right: Any) -> str:
    """The `effect` of KL606, one of the fixed set its rule file lists."""
    if key == "partition.assignment.strategy":
        if not set(left) & set(right):
            return "no common assignor (INCONSISTENT_GROUP_PROTOCOL)"
        return "eager and cooperative members rebalance badly together"
    if key == "enable.auto.commit":
        return "the group's delivery guarantee is the weaker one"
    return "one member reads aborted transactions the other skips"


@check("KL606")
def consumer_group_config_drift(project: Project, context: CheckContext) -> Iterator[Hit]:
    """Per group and setting, each member that differs from the group's first member with a
    known value (in path order) is reported against it: linear in consumers."""
    names = OtherClients(project)
    groups: dict[str, list[ClientConfig]] = {}
    for consumer in _consumers(project):
        group = consumer.settings.get("group.id")
        if group is None or group.value is UNKNOWN or not group.value:
            continue
        groups.setdefault(str(group.value), []).append(consumer)
    for group, members in sorted(groups.items()):
        values = [(member, _drift_values(member)) for member in members]
        for key in ("partition.assignment.strategy", "enable.auto.commit", "isolation.level"):
            holders = [(member, found[key]) for member, found in values if key in found]
            if len(holders) < 2:
                continue
            first, (left, left_eff) = holders[0]
            for other, (right, right_eff) in holders[1:]:
                if _profile_variants(first, other):
                    continue
                same = set(left) == set(right) if key == "partition.assignment.strategy" else left == right
                if same:
                    continue
                shown_left = ",".join(left) if isinstance(left, tuple) else left
                shown_right = ",".join(right) if isinstance(right, tuple) else right
                location = right_eff.setting.key_location if right_eff.setting is not None else other.anchor
                related = left_eff.setting.key_location if left_eff.setting is not None else first.anchor
                yield Hit(
                    location,
                    {
                        "group": group,
                        "key": key,
                        "value": shown_right,
                        "source": brief_source(right_eff),
                        "other_value": shown_left,
                        "other": names.name(first),
                        "effect": _drift_effect(key, left, right),
                    },
                    related=(related,),
                )
