"""Quarkus / SmallRye Reactive Messaging Kafka channels into ClientConfigs.

`mp.messaging.incoming.<channel>.*` is a consumer, `mp.messaging.outgoing.<channel>.*` a
producer; `kafka.*` and `mp.messaging.connector.smallrye-kafka.*` apply to every channel.
Connector attributes that are not Kafka keys (failure-strategy, commit-strategy, topic) are
kept as extras for the framework rules. `%prod.` prefixes and application-<profile> files
name a profile.

`META-INF/microprofile-config.properties` configures the same channels in any MicroProfile
runtime (Helidon, Open Liberty, WildFly, and Quarkus, which reads it too). Outside Quarkus the
connector takes what a channel does not set from a `Map` bean the application's code may
produce (named after the channel, by `kafka-configuration`, or `default-kafka-broker`), and
only under Quarkus is that bean made of the `kafka.*` keys (smallrye-reactive-messaging,
documentation/src/main/docs/kafka/default-configuration.md). So such a channel is read with
what it sets itself and the connector-level keys, its other settings unknown: no `kafka.*`
key, no connector default, and every rule that would reason from an unset key stays silent.
In a Quarkus application that file is one more source below application.properties: a channel
both configure becomes one client (merge_microprofile_channels).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kafkalint.knowledge import catalogue, make_setting
from kafkalint.knowledge.frameworks import framework_defaults, framework_facts
from kafkalint.model import (
    UNKNOWN,
    ClientConfig,
    Dialect,
    Framework,
    Project,
    Role,
    Setting,
)
from kafkalint.sources.read_problems import duplicate_key_problem
from kafkalint.sources.appconfig import (
    application_file_profile,
    flattened,
    known_value,
    properties_documents,
)
from kafkalint.sources.clientfile import RawEntry
from kafkalint.sources.quarkus_streams import is_streams_key, read_streams_entries
from kafkalint.sources.yamltree import Node

_CHANNEL = re.compile(r"^mp\.messaging\.(incoming|outgoing)\.(\"[^\"]+\"|[^.]+)\.(.+)$")
_CONNECTOR_LEVEL = re.compile(r"^mp\.messaging\.connector\.([^.]+)\.(.+)$")
_PROFILE_PREFIX = re.compile(r"^%([A-Za-z0-9_\-,]+)\.(.+)$")
# Channel attributes the connector reads itself; kept as extras, never passed as Kafka keys.
_CHANNEL_EXTRAS = {"failure-strategy", "commit-strategy", "dead-letter-queue.topic", "topic", "topics", "pattern", "connector"}
# Further connector attributes the framework rules judge, kept as extras like the above.
_JUDGED_ATTRIBUTES = (
    "fail-on-deserialization-failure", "key-deserialization-failure-handler",
    "value-deserialization-failure-handler", "waitForWriteCompletion",
)
# Each connector attribute a client keeps as an extra -> the extra's name (failure_strategy, ...).
_EXTRAS_OF_ATTRIBUTES = {
    attribute: attribute.replace("-", "_").replace(".", "_")
    for attribute in ("failure-strategy", "commit-strategy", "dead-letter-queue.topic", *_JUDGED_ATTRIBUTES)
}


# Prefixes of keys the connector hands to the Kafka client (and its serializers) that the Java
# catalogue does not list: login modules' and TLS settings, and the Confluent serializers'
# registry settings (`schema.registry.url`; Quarkus dev services write it connector-wide).
_CLIENT_PREFIXES = ("sasl.", "ssl.", "security.", "schema.registry.")


@dataclass(slots=True)
class _Channel:
    """The entries of one Reactive Messaging channel, in one direction and profile."""

    direction: str
    name: str
    profile: str | None
    entries: list[RawEntry] = field(default_factory=list)


def _split_profile(key: str, file_profile: str | None) -> tuple[str, str | None]:
    match = _PROFILE_PREFIX.match(key)
    if match:
        return match.group(2), match.group(1)
    return key, file_profile


def is_quarkus_key(key: str) -> bool:
    bare = _PROFILE_PREFIX.sub(r"\2", key)
    return bare.startswith(("mp.messaging.", "kafka.")) or is_streams_key(key)


def _setting(entry: RawEntry, key: str) -> Setting:
    setting, _problem = make_setting(
        Dialect.JAVA, key, known_value(entry), entry.value_location, entry.key_location, entry.raw
    )
    setting.written_key = entry.key
    return setting


def _attributes(channel: _Channel) -> dict[str, RawEntry]:
    return {_CHANNEL.match(_split_profile(entry.key, None)[0]).group(3): entry for entry in channel.entries}


MICROPROFILE_FILE = "microprofile-config.properties"


def _build(
    channel: _Channel, shared: list[tuple[str, RawEntry]], base: set[str] | None = None, microprofile: bool = False,
    other: dict | None = None,
) -> ClientConfig:
    """`base`: the attributes the same channel sets without a profile, which a profile's
    overrides inherit in Quarkus. `microprofile`: read from microprofile-config.properties,
    where a bean of the application's may supply what the channel does not set (see above).
    `other`: the facts of another runtime's Kafka connector the channel names."""
    attributes = _attributes(channel)
    role = Role.CONSUMER if channel.direction == "incoming" else Role.PRODUCER
    anchor = channel.entries[0].key_location
    framework = Framework.MICROPROFILE if microprofile or other is not None else Framework.QUARKUS
    label = other["label"] if other is not None else "smallrye" if microprofile else "quarkus"
    name = f"{label} {channel.direction} channel {channel.name}" + (f" (profile {channel.profile})" if channel.profile else "")
    config = ClientConfig(role=role, dialect=Dialect.JAVA, anchor=anchor, name=name, origin=label, profile=channel.profile, framework=framework)
    config.role_certain = True  # incoming / outgoing channel
    config.channel = channel.name
    java = catalogue(Dialect.JAVA)
    shared_entries = {id(entry) for _, entry in shared}
    for key, entry in shared + [(attribute, entry) for attribute, entry in attributes.items()]:
        if key in _CHANNEL_EXTRAS:
            continue
        if not java.is_known(key) and not key.startswith(_CLIENT_PREFIXES):
            continue  # a connector attribute (retry, health-enabled, ...), not a Kafka key
        setting = _setting(entry, key)
        # kafka.* (and connector-level) keys are given to every channel of the application.
        setting.shared = id(entry) in shared_entries and entry.key.startswith("kafka.")
        config.settings[java.canonical(key)] = setting
    defaults = {}
    judged_on_its_own = microprofile or other is not None
    if judged_on_its_own:
        # What the channel does not set may come from a Map bean before SmallRye's defaults
        # apply, or from another connector's defaults kafkalint does not record: unknown here.
        config.all_settings_known = False
    for key, fact in (() if judged_on_its_own else framework_defaults("smallrye", role.value).items()):
        if key in config.settings or key in (base or ()):
            continue  # set here, or inherited from the channel's profile-less configuration
        why = fact.get("why", fact["source"])
        if fact.get("passed_explicitly"):
            # The connector hands this value to the client as if written: the client's own
            # default (and what depends on it being unset, like idempotence) does not apply.
            config.settings[key] = Setting(key, str(fact["value"]), fact["value"], anchor, anchor, key, implied=why)
        else:
            defaults[key] = (fact["value"], why)
    config.extras["framework_defaults"] = defaults
    config.extras["framework"] = framework.value
    config.extras["channel"] = channel.name
    for attribute, extra in _EXTRAS_OF_ATTRIBUTES.items():
        if attribute in attributes:
            entry = attributes[attribute]
            config.extras[extra] = Setting(
                attribute, entry.raw, known_value(entry), entry.value_location, entry.key_location, entry.key
            )
    config.failure_strategy = config.extras.get("failure_strategy")
    _channel_topics(config, channel, attributes, other is None or bool(other["topic_from_channel"]))
    return config


def _connector_of(channel: _Channel, other_connector_in_file: bool = False) -> tuple[str, dict | None] | None:
    """The Kafka connector a channel names, with the facts of another runtime's one
    (liberty-kafka, helidon-kafka; None for SmallRye's, also when no known name is written: the
    only one Quarkus would pick); None for a connector that is not Kafka's (AMQP, JMS, ...), and
    for a channel naming none that another connector's attributes or file show to be not Kafka's
    (`other_connector_in_file`: the file shows another connector and nothing of Kafka's)."""
    facts = framework_facts()["smallrye"]
    attributes = _attributes(channel)
    written = attributes.get("connector")
    if written is None or known_value(written) is UNKNOWN:
        if written is None and (other_connector_in_file or _reads_like_another_connector(attributes, facts["other_connectors"])):
            return None  # Pulsar's persistent:// topic, RabbitMQ's exchange.name: not a Kafka channel
        return facts["connector"], None
    name = str(written.value).strip()
    if name == facts["connector"]:
        return name, None
    other = facts["other_kafka_connectors"].get(name)
    return (name, other) if isinstance(other, dict) else None


def _reads_like_another_connector(attributes: dict[str, RawEntry], other: dict) -> bool:
    """A channel attribute only another connector reads (RabbitMQ's exchange.name, AMQP's
    address), or a topic named as Pulsar names its topics (persistent://tenant/namespace/topic)."""
    if any(name in attributes for name in other["channel_attributes"]):
        return True
    topic = attributes.get("topic")
    value = known_value(topic) if topic is not None else None
    return isinstance(value, str) and value.strip().startswith(tuple(other["topic_prefixes"]))


def _shows_only_another_connector(entries: list[RawEntry]) -> bool:
    """The file names a connector that is not Kafka's, or sets its Quarkus keys, and nothing
    of Kafka's (no kafka.* or quarkus.kafka* key, no smallrye-kafka): a channel that names no
    connector there is that connector's."""
    facts = framework_facts()["smallrye"]
    other = facts["other_connectors"]
    names, prefixes = tuple(other["names"]), tuple(other["key_prefixes"])
    shown = False
    for entry in entries:
        key = _split_profile(entry.key, None)[0]
        value = known_value(entry)
        if key.startswith(("kafka.", "quarkus.kafka")) or facts["connector"] in key or value == facts["connector"]:
            return False
        if key.startswith(prefixes) or any(name in key for name in names) or (key.endswith(".connector") and value in names):
            shown = True
    return shown


def _channel_topics(config: ClientConfig, channel: _Channel, attributes: dict[str, RawEntry], from_channel: bool = True) -> None:
    pattern = attributes.get("pattern")
    if pattern is not None and str(known_value(pattern)).lower() != "false":
        config.group_topics_unknown = True
        return  # `topic` is a regular expression
    topic = attributes.get("topic")
    topics = attributes.get("topics")
    if topic is not None or topics is not None:
        entry = topic if topic is not None else topics
        value = known_value(entry)
        if value is UNKNOWN:
            config.group_topics_unknown = True
            return
        names = value if isinstance(value, list) else str(value).split(",")
        for name in names:
            if str(name).strip():
                config.topics.append((str(name).strip(), entry.value_location))
        return
    if not from_channel:  # a connector whose default topic kafkalint does not know
        config.group_topics_unknown = True
        return
    # SmallRye (and liberty-kafka): with neither topic nor topics, the channel name is the topic.
    config.topics.append((channel.name, channel.entries[0].key_location))
    config.extras["topic_from_channel_name"] = True


def _read_entries(entries: list[RawEntry], display: str, file_profile: str | None, project: Project, microprofile: bool = False) -> bool:
    # Keys for many channels, by profile, in file order: (None for kafka.* or the connector of
    # an mp.messaging.connector.<name>.* key, the Kafka key, its entry).
    shared: dict[str | None, list[tuple[str | None, str, RawEntry]]] = {}
    channels: dict[tuple[str, str, str | None], _Channel] = {}
    first_seen: dict[str, RawEntry] = {}
    for entry in entries:
        previous = first_seen.setdefault(entry.key, entry)
        if previous is not entry and is_quarkus_key(entry.key):
            project.problems.append(duplicate_key_problem(entry.key, previous.key_location, entry.key_location))
        key, profile = _split_profile(entry.key, file_profile)
        match = _CHANNEL.match(key)
        if match:
            direction, name = match.group(1), match.group(2).strip('"')
            channel = channels.setdefault((direction, name, profile), _Channel(direction, name, profile))
            channel.entries.append(entry)
        elif key.startswith("kafka."):
            if not microprofile:  # the default-kafka-broker bean is made of them under Quarkus only
                shared.setdefault(profile, []).append((None, key[len("kafka."):], entry))
        elif _CONNECTOR_LEVEL.match(key):  # for the channels of that connector only
            connector, attribute = _CONNECTOR_LEVEL.match(key).groups()
            shared.setdefault(profile, []).append((connector, attribute, entry))
    streams = read_streams_entries(entries, file_profile, project)
    if not channels and not shared:
        return streams
    other_connector_in_file = _shows_only_another_connector(entries)
    for channel in channels.values():
        found = _connector_of(channel, other_connector_in_file)
        if found is None:
            continue  # not a Kafka client
        connector, other = found
        profiles = (None,) if channel.profile is None else (None, channel.profile)
        scope = [
            (key, entry)
            for profile in profiles
            for owner, key, entry in shared.get(profile, [])
            if owner == connector or (owner is None and other is None)  # kafka.*: SmallRye's channels
        ]
        base = None
        if channel.profile is not None:
            base_channel = channels.get((channel.direction, channel.name, None))
            base = set(_attributes(base_channel)) if base_channel is not None else set()
        project.clients.append(_build(channel, scope, base, microprofile, other))
    return True


def read_quarkus_properties(entries: list[RawEntry], text: str, display: str, project: Project) -> bool:
    is_application, profile = application_file_profile(display)
    microprofile = display.rsplit("/", 1)[-1] == MICROPROFILE_FILE
    if not (is_application or microprofile) or not any(is_quarkus_key(entry.key) for entry in entries):
        return False
    found = False
    for document in properties_documents(entries, text):
        found = _read_entries(document, display, profile, project, microprofile) or found
    return found


def _yaml_entries(document: Node) -> list[RawEntry]:
    entries: list[RawEntry] = []
    for key, child in document.items():
        if key.startswith("%") and child.is_map:
            # `"%prod": {mp: {messaging: ...}}`: the profile applies to everything below.
            for entry in flattened(child):
                entry.key = f"{key}.{entry.key}"
                entries.append(entry)
        else:
            single = Node({key: child}, document.location)
            entries.extend(flattened(single))
    return entries


def read_quarkus_documents(documents: list[Node], text: str, display: str, project: Project) -> bool:
    is_application, profile = application_file_profile(display)
    if not is_application:
        return False
    found = False
    for document in documents:
        if not document.is_map:
            continue
        entries = _yaml_entries(document)
        if any(is_quarkus_key(entry.key) for entry in entries):
            found = _read_entries(entries, display, profile, project) or found
    return found


def merge_microprofile_channels(project: Project, settings: object = None) -> None:
    """In a Quarkus application, META-INF/microprofile-config.properties is one more source of
    the same configuration, below application.properties (ordinal 100 against 250). A channel
    both configure is one client: what application.properties sets for the channel wins, what
    only microprofile-config.properties sets applies too (over the `kafka.*` keys, which the
    channel's own attributes override), and the microprofile file's separate client goes.
    Judged apart, its overridden `acks=0` was reported though the client runs with acks=all."""
    quarkus: dict[tuple[str, str, Role], list[ClientConfig]] = {}
    for client in project.clients:
        if client.framework is Framework.QUARKUS and client.channel:
            folder, _, name = client.anchor.path.rpartition("/")
            if name.startswith("application"):
                quarkus.setdefault((folder, client.channel, client.role), []).append(client)
    if not quarkus:
        return
    merged: set[int] = set()
    for client in project.clients:
        if client.framework is not Framework.MICROPROFILE or not client.channel or client.origin != "smallrye":
            continue  # another runtime's connector (liberty-kafka, helidon-kafka) is not Quarkus's
        path = client.anchor.path
        suffix = f"META-INF/{MICROPROFILE_FILE}"
        if not path.endswith(suffix):
            continue
        folder = path[: -len(suffix)].rstrip("/")
        targets = quarkus.get((folder, client.channel, client.role))
        if not targets:
            continue
        for target in targets:
            _merge_channel(client, target)
        merged.add(id(client))
    if merged:
        project.clients[:] = [client for client in project.clients if id(client) not in merged]


def _merge_channel(lower: ClientConfig, target: ClientConfig) -> None:
    """What `lower` (microprofile-config.properties) sets and `target` (application.properties)
    does not set for the channel itself goes to `target`."""
    defaults = target.extras.get("framework_defaults", {})
    for key, setting in lower.settings.items():
        existing = target.settings.get(key)
        if existing is None or existing.shared or existing.implied:
            target.settings[key] = setting
            defaults.pop(key, None)
    for extra in _EXTRAS_OF_ATTRIBUTES.values():
        if extra in lower.extras and extra not in target.extras:
            target.extras[extra] = lower.extras[extra]
    target.failure_strategy = target.extras.get("failure_strategy")
    if target.extras.get("topic_from_channel_name") and not lower.extras.get("topic_from_channel_name"):
        # The channel's name was the topic only because application.properties names none.
        target.topics = list(lower.topics)
        target.group_topics_unknown = lower.group_topics_unknown
        target.extras.pop("topic_from_channel_name", None)
