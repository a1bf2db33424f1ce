"""Client configuration files: a flat map of Kafka settings (.properties, YAML, JSON).

Turns entries into a ClientConfig, deciding role from the keys present (the file name only when
the keys do not say) and dialect from keys only librdkafka knows. A file is a client
configuration only on evidence: most of its keys are client keys, or a key only a client has.
Other components' files (ksqlDB, Schema Registry, REST Proxy, Connect workers) and application
settings that merely mention bootstrap.servers yield nothing; a Kafka Streams configuration
(application.id) is a client of role streams; broker settings files are left to the broker
source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kafkalint.knowledge import catalogue, make_setting
from kafkalint.model import UNKNOWN, ClientConfig, Dialect, Location, Project, Role, RoleEvidence
from kafkalint.sources.read_problems import duplicate_key_problem
from kafkalint.sources.placeholders import holds_placeholder
from kafkalint.sources.yamltree import Node, scalar_text

_ROLE_WORDS = {
    "producer": Role.PRODUCER,
    "consumer": Role.CONSUMER,
    "admin": Role.ADMIN,
    "adminclient": Role.ADMIN,
}

_PRODUCER_KEYS = {
    "acks", "key.serializer", "value.serializer", "enable.idempotence", "linger.ms",
    "batch.size", "transactional.id", "compression.type", "retries", "delivery.timeout.ms",
    "max.in.flight.requests.per.connection", "partitioner.class", "buffer.memory",
    "queue.buffering.max.ms", "queue.buffering.max.messages", "message.send.max.retries",
    "request.required.acks", "partitioner", "batch.num.messages", "message.timeout.ms",
    "compression.codec", "transaction.timeout.ms", "max.block.ms",
}
_CONSUMER_KEYS = {
    "group.id", "key.deserializer", "value.deserializer", "enable.auto.commit",
    "auto.offset.reset", "max.poll.records", "isolation.level", "session.timeout.ms",
    "heartbeat.interval.ms", "max.poll.interval.ms", "fetch.min.bytes", "fetch.max.bytes",
    "fetch.max.wait.ms", "max.partition.fetch.bytes", "partition.assignment.strategy",
    "auto.commit.interval.ms", "enable.auto.offset.store", "group.instance.id",
    "group.protocol", "group.remote.assignor", "allow.auto.create.topics", "fetch.wait.max.ms",
}
_DECISIVE = {
    "key.serializer": Role.PRODUCER, "value.serializer": Role.PRODUCER,
    "key.deserializer": Role.CONSUMER, "value.deserializer": Role.CONSUMER,
    "transactional.id": Role.PRODUCER,
}

# Keys that mark a broker's own configuration, not a client's.
BROKER_KEYS = {
    "broker.id", "node.id", "process.roles", "log.dirs", "log.dir", "zookeeper.connect",
    "controller.quorum.voters", "controller.listener.names", "num.partitions",
    "default.replication.factor", "offsets.topic.replication.factor",
    "transaction.state.log.replication.factor", "unclean.leader.election.enable",
    "auto.create.topics.enable", "inter.broker.listener.name", "advertised.listeners",
    "log.retention.hours", "num.network.threads", "num.io.threads",
}


@dataclass(slots=True)
class RawEntry:
    """One key and value as read from a file, before any Kafka knowledge is applied."""

    key: str
    value: Any
    raw: str
    key_location: Location
    value_location: Location


def role_from_filename(path: str) -> Role | None:
    stem = path.rsplit("/", 1)[-1].lower()
    words = re.split(r"[-_.\s]+", stem)
    found = {_ROLE_WORDS[word] for word in words if word in _ROLE_WORDS}
    if len(found) == 1:
        return found.pop()
    return None


def role_from_keys(keys: set[str]) -> Role:
    return role_with_evidence(keys, "")[0]


def role_with_evidence(keys: set[str], path: str) -> tuple[Role, RoleEvidence]:
    """The content decides when it is clear: keys of one role only (a serializer, group.id).
    Keys of both roles make a shared file, unless its name says which client reads it (then the
    other role's keys are that client's mistake). The name alone decides only an empty verdict."""
    named = role_from_filename(path) if path else None
    decisive = {_DECISIVE[key] for key in keys if key in _DECISIVE}
    producer = bool(keys & _PRODUCER_KEYS)
    consumer = bool(keys & _CONSUMER_KEYS)
    if len(decisive) > 1:
        return Role.UNKNOWN, RoleEvidence.SHARED
    if producer and consumer:
        if len(decisive) == 1 and named in (None, *decisive):
            return decisive.pop(), RoleEvidence.KEYS
        if named is not None:
            return named, RoleEvidence.FILE_NAME
        return Role.UNKNOWN, RoleEvidence.SHARED
    if producer or consumer:
        return (Role.PRODUCER if producer else Role.CONSUMER), RoleEvidence.KEYS
    if named is not None:
        return named, RoleEvidence.FILE_NAME
    return Role.UNKNOWN, RoleEvidence.NONE


def dialect_from_keys(keys: set[str]) -> Dialect:
    java = catalogue(Dialect.JAVA)
    librdkafka = catalogue(Dialect.LIBRDKAFKA)
    for key in keys:
        if librdkafka.is_known(key) and not java.is_known(key):
            return Dialect.LIBRDKAFKA
    return Dialect.JAVA


# Keys only a client's own configuration holds: one of them is evidence enough.
_CLIENT_ONLY_KEYS = {*_DECISIVE, "group.id", "acks", "enable.idempotence", "enable.auto.commit", "auto.offset.reset"}


def is_kafka_client_map(keys: list[str], path: str = "") -> bool:
    """True when the keys are a Kafka client's settings rather than any other map.

    Evidence: a key only a client has (a serializer, group.id, acks), or client keys making up at
    least half of the map (an application's settings that merely mention bootstrap.servers are
    not a client configuration). Undotted known keys (`acks`, `retries`, `debug`) are common
    words, so they need a second known key or a file named for a client role.
    """
    java = catalogue(Dialect.JAVA)
    librdkafka = catalogue(Dialect.LIBRDKAFKA)
    known = [key for key in keys if java.is_known(key) or librdkafka.is_known(key)]
    if not known:
        return False
    if component_of(keys) is not None:
        return False
    if not any("." in key for key in known) and len(known) < 2 and not (path and role_from_filename(path) is not None):
        return False
    if set(known) & _CLIENT_ONLY_KEYS:
        return True
    return 2 * len(known) >= len(keys)


def component_of(keys: list[str] | set[str]) -> str | None:
    """The Kafka component (not a client) whose own configuration these keys are, if any:
    ksqlDB server, Schema Registry, REST Proxy, Connect worker (knowledge: frameworks.json)."""
    from kafkalint.knowledge.frameworks import framework_facts

    present = set(keys)
    for kind, facts in framework_facts()["components"]["kinds"].items():
        prefixes = tuple(facts["marker_prefixes"])
        if present & set(facts["marker_keys"]) or (prefixes and any(key.startswith(prefixes) for key in present)):
            return kind
        # Prefixes some client keys share (client.id, client.dns.lookup): with a key of the
        # component's own besides.
        weak = tuple(facts.get("weak_marker_prefixes", ()))
        if weak and any(key.startswith(weak) for key in present) and present & set(facts.get("requires_any", ())):
            return kind
    return None


def is_streams_map(keys: list[str] | set[str]) -> bool:
    """A Kafka Streams application's configuration: application.id names it."""
    from kafkalint.knowledge.frameworks import framework_facts

    return bool(set(keys) & set(framework_facts()["components"]["streams"]["marker_keys"]))


def build_streams_client(entries: list[RawEntry], path: str, anchor: Location, project: Project) -> ClientConfig:
    """A Kafka Streams configuration as a client of role streams: the keys its embedded Java
    clients read are its settings (so connection and security rules judge them); Streams' own
    keys (application.id, processing.guarantee, state.dir, ...) are kept whole in extras."""
    java = catalogue(Dialect.JAVA)
    client_entries = [entry for entry in entries if java.is_known(entry.key)]
    config = build_client(client_entries, path, anchor, project, role=Role.STREAMS, dialect=Dialect.JAVA)
    config.extras["streams_settings"] = {entry.key: entry.raw for entry in entries}
    config.streams_settings = {}
    for entry in entries:
        value = UNKNOWN if holds_placeholder(entry.value) else entry.value
        setting, _problem = make_setting(Dialect.JAVA, entry.key, value, entry.value_location, entry.key_location, entry.raw)
        setting.written_key = entry.key
        config.streams_settings[entry.key] = setting
    return config


def read_client_map(entries: list[RawEntry], path: str, anchor: Location, project: Project) -> bool:
    """A flat map of a file into the project when the evidence says it is a client's (or a
    Streams application's) configuration; False when it is anything else."""
    keys = [entry.key for entry in entries]
    if component_of(keys) is not None:
        return False
    if is_streams_map(keys):
        project.clients.append(build_streams_client(entries, path, anchor, project))
        return True
    if not is_kafka_client_map(keys, path):
        return False
    project.clients.append(build_client(entries, path, anchor, project))
    return True


def is_broker_map(keys: list[str]) -> bool:
    return len(set(keys) & BROKER_KEYS) >= 1 and not (set(keys) & {"key.serializer", "value.serializer", "key.deserializer", "value.deserializer"})


def build_client(
    entries: list[RawEntry],
    path: str,
    anchor: Location,
    project: Project,
    role: Role | None = None,
    dialect: Dialect | None = None,
    name: str = "",
    origin: str = "file",
) -> ClientConfig:
    """A ClientConfig from raw entries; duplicates and type problems become parse problems."""
    keys = {entry.key for entry in entries}
    if dialect is None:
        dialect = dialect_from_keys(keys)
    evidence = RoleEvidence.DECLARED
    if role is None:
        role, evidence = role_with_evidence({catalogue(dialect).canonical(key) for key in keys} | keys, path)
    config = ClientConfig(role=role, dialect=dialect, anchor=anchor, name=name, origin=origin, role_evidence=evidence)
    # A file shared by several clients may mix roles on purpose: the role is certain only when
    # the caller states it (a section, a constructor), or the keys or the file name say it.
    config.role_certain = bool(name) or evidence in (RoleEvidence.DECLARED, RoleEvidence.KEYS, RoleEvidence.FILE_NAME)
    # A configuration file may carry the application's own keys (`topic: orders`); code may not.
    config.may_hold_application_keys = origin == "file"
    for entry in entries:
        value = UNKNOWN if holds_placeholder(entry.value) else entry.value
        setting, problem = make_setting(
            dialect, entry.key, value, entry.value_location, entry.key_location, entry.raw
        )
        previous = config.settings.get(setting.key)
        if previous is not None:
            project.problems.append(duplicate_key_problem(setting.written_key, previous.key_location, entry.key_location))
        if problem is not None:
            config.type_problems[setting.key] = problem
        if origin == "python":
            setting.python_type = python_literal_type(value)
        config.settings[setting.key] = setting
    return config


def python_literal_type(value: Any) -> str:
    """The Python type a value was written as in code: a literal's type, else "expression"."""
    if value is not UNKNOWN and isinstance(value, (bool, int, float, str, list, tuple, dict)):
        return type(value).__name__
    return "expression"


def entries_from_map(node: Node) -> list[RawEntry]:
    """Scalar entries of a map, nested maps flattened to dotted keys (`ssl: {truststore: …}`)."""
    entries: list[RawEntry] = []

    def walk(prefix: str, current: Node) -> None:
        for key, child in current.items():
            dotted = f"{prefix}{key}"
            if child.is_map:
                walk(dotted + ".", child)
            elif child.is_list:
                raw = ",".join(scalar_text(item) for item in child.value if not item.is_map and not item.is_list)
                key_location = child.key_location or child.location
                entries.append(RawEntry(dotted, [item.value for item in child.value], raw, key_location, child.location))
            else:
                key_location = child.key_location or child.location
                entries.append(RawEntry(dotted, child.value, scalar_text(child), key_location, child.location))

    walk("", node)
    return entries
