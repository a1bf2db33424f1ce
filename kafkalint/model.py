"""The shared model: every source turns its file into these objects, every rule reads them.

Nothing here knows which file format a value came from. Locations are 1-based lines and
columns; `end_column` is exclusive (the column just after the last character).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, ClassVar, Iterator


@dataclass(slots=True, frozen=True)
class Location:
    """A place in a file: 1-based line and column, with the end of the span when known."""

    path: str
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line if self.end_line is not None else self.line,
            "end_column": self.end_column if self.end_column is not None else self.column,
        }

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Rebuilt by its constructor: the parse cache holds thousands, and a frozen dataclass's
        # own unpickling (field by field, asking dataclasses.fields each time) was most of a
        # warm run's loading.
        return Location, (self.path, self.line, self.column, self.end_line, self.end_column)


class UnknownType:
    """A value that cannot be known statically (environment variable, function call, ...)."""

    _instance: UnknownType | None = None

    def __new__(cls) -> UnknownType:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("an unknown value has no truth value; test `is UNKNOWN` first")


UNKNOWN = UnknownType()


class Role(str, Enum):
    PRODUCER = "producer"
    CONSUMER = "consumer"
    ADMIN = "admin"
    STREAMS = "streams"
    CONNECT = "connect"
    UNKNOWN = "unknown"


class RoleEvidence(str, Enum):
    """Why a client has its role, so rules that need certainty can ask."""

    DECLARED = "declared"  # the code, framework section or resource says which client it is
    KEYS = "keys"  # the keys are of one role only (serializers, group.id, acks, ...)
    FILE_NAME = "file-name"  # only the file's name says it (producer.properties)
    SHARED = "shared"  # keys of more than one role: one file shared by several clients
    NONE = "none"  # nothing says


class Dialect(str, Enum):
    JAVA = "java"
    LIBRDKAFKA = "librdkafka"
    KAFKA_PYTHON = "kafka-python"
    AIOKAFKA = "aiokafka"


class Framework(str, Enum):
    """What builds the client from its configuration, when it is not the application's own code:
    such a source names the client itself ("spring producer (profile prod)")."""

    SPRING = "spring"
    QUARKUS = "quarkus"
    # MicroProfile Reactive Messaging outside Quarkus's own files: SmallRye's connector
    # configured by META-INF/microprofile-config.properties (Helidon, Open Liberty, WildFly;
    # Quarkus reads the file too), or another runtime's Kafka connector (liberty-kafka,
    # helidon-kafka).
    MICROPROFILE = "microprofile"
    CONNECT = "connect"  # a Kafka Connect worker (properties file or container environment)


class GroupMembership(str, Enum):
    """Whether a consumer joins a consumer group (and so commits offsets and leaves the group).

    A source says NO_GROUP when the evidence is in the code (a consumer that never subscribes or
    polls, used for metadata or watermarks); otherwise the group.id setting decides."""

    IN_GROUP = "in-group"
    NO_GROUP = "no-group"
    UNKNOWN = "unknown"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(slots=True)
class Setting:
    """One explicit configuration entry.

    `key` is the canonical dotted name, `written_key` the spelling in the file (an alias,
    a kafka-python keyword, a Spring relaxed name). `value` is the typed value, or UNKNOWN.
    """

    key: str
    raw: str
    value: Any
    location: Location
    key_location: Location
    written_key: str = ""
    secret: bool = False
    # Set when the value is not written in the file but a framework passes it to the client
    # explicitly (SmallRye always sends acks): why it applies, shown instead of "set at line N".
    implied: str = ""
    # Given to several clients at once (spring.kafka.properties.*, Quarkus kafka.*, a key beside
    # producer:/consumer: sections of one file): not written for this client's role in particular.
    shared: bool = False
    # Written in Python code: the type of the literal ("bool", "int", "float", "str"), or
    # "expression" for anything else; None when the value was not written in Python.
    python_type: str | None = None

    @property
    def known(self) -> bool:
        return self.value is not UNKNOWN


@dataclass(slots=True)
class VersionAssumption:
    """The client version a verdict assumed, and why (detected in a file, or the default)."""

    dialect: Dialect
    version: str
    reason: str

    def describe(self) -> str:
        return f"{self.dialect.value} {self.version} ({self.reason})"


@dataclass(slots=True, frozen=True)
class ClientCall:
    """A method the code calls on a client it built (`subscribe`, `commitSync`), and where."""

    method: str
    location: Location


@dataclass(slots=True)
class ClientConfig:
    """One Kafka client as configured: a properties file, a dict in code, a Spring block, ..."""

    role: Role
    dialect: Dialect
    anchor: Location
    settings: dict[str, Setting] = field(default_factory=dict)
    name: str = ""
    origin: str = "file"
    topics: list[tuple[str, Location]] = field(default_factory=list)
    group_topics_unknown: bool = False
    all_settings_known: bool = True
    version: VersionAssumption | None = None
    profile: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    framework: Framework | None = None
    # The role is stated (a file name, a section, a constructor, a framework block or a decisive
    # key), not guessed from a file shared by several clients: role rules may judge it.
    role_certain: bool = False
    # A map that may hold the application's own keys (`topic: orders`) beside the client's.
    may_hold_application_keys: bool = False
    # Configured in test code (src/test, *Test.java, test_*.py, a file under a test folder): a
    # test's fixture, judged only by the rules that apply there too (Rule.test_code). Set for
    # every client, whichever source read it, by sources/test_paths.py:mark_test_clients.
    in_test_code: bool = False
    # The Python client class the configuration is passed to (Producer, KafkaConsumer, ...).
    client_class: str | None = None
    # key -> why its written value cannot be the key's type, found while typing it.
    type_problems: dict[str, str] = field(default_factory=dict)
    # The framework channel (SmallRye) the client belongs to, and its failure-strategy attribute.
    channel: str | None = None
    failure_strategy: Setting | None = None
    # What the code shows about group membership (sources/python); UNKNOWN: group.id decides.
    group_membership: GroupMembership = GroupMembership.UNKNOWN
    # A Kafka Connect worker's own settings (group.id, *.storage.*, converters), kept whole.
    worker_settings: dict[str, Setting] | None = None
    # A Kafka Streams application's own keys (processing.guarantee, state.dir, ...) with their
    # locations, when its source keeps them apart from the embedded clients' settings.
    streams_settings: dict[str, Setting] | None = None
    # Why the client has its role (role_certain summarises it for the role rules).
    role_evidence: RoleEvidence = RoleEvidence.DECLARED
    # Methods the code calls on this client, in source order (sources that follow its variable).
    calls: list[ClientCall] = field(default_factory=list)
    # The record value class the code declares for this client (`Order` of
    # `KafkaConsumer<String, Order>`), qualified when imported; None when not written.
    value_type: str | None = None
    # The code hands (de)serializer objects to the constructor: the client does not build or
    # configure them from its settings.
    serializer_instances: bool = False

    def get(self, key: str) -> Setting | None:
        return self.settings.get(key)

    def describe(self) -> str:
        where = f" {self.name}" if self.name else ""
        return f"{self.dialect.value} {self.role.value}{where}"


@dataclass(slots=True)
class BrokerConfig:
    """Broker-level settings of a cluster (server.properties, Strimzi spec.kafka.config, ...)."""

    anchor: Location
    name: str = ""
    settings: dict[str, Setting] = field(default_factory=dict)
    label: str = ""  # how messages name it ("Kafka my-cluster", "service kafka"), set by the source
    broker_count: int | None = None
    broker_count_location: Location | None = None
    # Where the count comes from, as messages name it ("compose services", "node pool brokers",
    # "spec.kafka.replicas"), set by the source.
    broker_count_source: str = ""
    # Kafka nodes of the whole cluster, brokers and KRaft controllers alike (1: a single node).
    node_count: int | None = None
    # Nodes of one cluster that the source describes as separate configs (the broker services
    # of one compose cluster) share this; None for a config that is a whole cluster by itself.
    cluster_group: str | None = None
    origin: str = "file"
    extras: dict[str, Any] = field(default_factory=dict)
    # False when what the broker runs with beyond these settings is not known: an image whose own
    # server.properties kafkalint does not know, a config file mounted into the container. Rules
    # then judge only the settings written here, never a quoted Kafka default.
    defaults_known: bool = True
    # Where the applications this cluster serves are, when the source says they run beside it:
    # a compose file's folder ("" at the root), a local cluster started with its applications.
    # None when they live elsewhere (a Strimzi resource, a server.properties).
    applications_folder: str | None = None

    def get(self, key: str) -> Setting | None:
        return self.settings.get(key)


@dataclass(slots=True)
class TopicSpec:
    """A declared topic (KafkaTopic resource, ...)."""

    name: str
    anchor: Location
    cluster: str | None = None
    partitions: int | None = None
    replicas: int | None = None
    replicas_location: Location | None = None
    settings: dict[str, Setting] = field(default_factory=dict)
    origin: str = "strimzi"
    cluster_config: BrokerConfig | None = None
    label: str = ""  # how messages name it ("KafkaTopic orders"), set by the source


@dataclass(slots=True)
class ConnectorConfig:
    """One Kafka Connect connector's configuration (Strimzi KafkaConnector, Connect REST JSON,
    a connector .properties file). `settings` are keyed by the connector config name."""

    name: str
    anchor: Location
    connector_class: str | None = None
    settings: dict[str, Setting] = field(default_factory=dict)
    origin: str = "file"

    def get(self, key: str) -> Setting | None:
        return self.settings.get(key)


@dataclass(slots=True, frozen=True)
class MirrorFlow:
    """One source->target pair a MirrorMaker 2 configuration runs a herder for."""

    source: str
    target: str
    enabled: bool  # `source->target.enabled`: its source and checkpoint connectors replicate
    heartbeats: bool  # its heartbeat connector emits into the target


@dataclass(slots=True)
class MirrorMakerConfig:
    """A MirrorMaker 2 dedicated-mode configuration (connect-mirror-maker.properties), resolved
    as MirrorMaker resolves it; every Setting keeps the location of the line it was written on."""

    name: str
    anchor: Location
    clusters: tuple[str, ...]
    # Every entry, keyed as written (`A->B.enabled`, `B.producer.acks`, `replication.factor`).
    settings: dict[str, Setting] = field(default_factory=dict)
    flows: list[MirrorFlow] = field(default_factory=list)
    # Keys written without a cluster or flow prefix: every flow's connectors read them.
    shared_settings: dict[str, Setting] = field(default_factory=dict)
    # (source, target) -> that flow's own connector keys (`source->target.` stripped).
    flow_settings: dict[tuple[str, str], dict[str, Setting]] = field(default_factory=dict)
    # target cluster -> the Connect worker settings of the herders writing into it.
    worker_settings: dict[str, dict[str, Setting]] = field(default_factory=dict)

    def describe(self) -> str:
        return f"MirrorMaker 2 {self.name}"

    def connector_setting(self, flow: MirrorFlow, key: str) -> Setting | None:
        """The connector setting a flow runs with: its own key, else the shared one."""
        own = self.flow_settings.get((flow.source, flow.target), {}).get(key)
        return own if own is not None else self.shared_settings.get(key)


@dataclass(slots=True)
class ContainerEnvironment:
    """Variables of a container that configure Kafka security for a component kafkalint does not
    model (a Schema Registry's or metrics reporter's `*_SASL_JAAS_CONFIG`), keyed by dotted name."""

    name: str
    anchor: Location
    settings: dict[str, Setting] = field(default_factory=dict)


@dataclass(slots=True)
class CodeFact:
    """Something a source saw in code that a rule may judge: a commit in a record loop, ..."""

    kind: str
    location: Location
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ParseProblem:
    """A file kafkalint should read but cannot, or a part of it that breaks the format's rules."""

    rule: str
    message: str  # legacy prose, used only when `variables` is None
    location: Location
    # The values of the rule's message template (its rule file declares them).
    variables: dict[str, Any] | None = None


@dataclass(slots=True)
class SourceFile:
    """A file read for the project: its display path, format, text and parsed suppressions."""

    path: str
    kind: str
    text: str | None = None
    suppressions: Any = None


@dataclass(slots=True)
class Project:
    """Everything the sources found, across all files."""

    files: list[SourceFile] = field(default_factory=list)
    clients: list[ClientConfig] = field(default_factory=list)
    brokers: list[BrokerConfig] = field(default_factory=list)
    topics: list[TopicSpec] = field(default_factory=list)
    resources: list[Any] = field(default_factory=list)
    facts: list[CodeFact] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    versions: dict[Dialect, VersionAssumption] = field(default_factory=dict)
    connectors: list[ConnectorConfig] = field(default_factory=list)
    environments: list[ContainerEnvironment] = field(default_factory=list)
    mirror_makers: list[MirrorMakerConfig] = field(default_factory=list)

    # Every list a file's reader appends to: merged from per-file fragments, merged across
    # settings groups, and rolled back when a reader fails halfway. One place, so a new list
    # cannot be forgotten by one of them.
    LISTS: ClassVar[tuple[str, ...]] = (
        "files", "clients", "brokers", "topics", "resources", "facts", "problems", "connectors",
        "environments", "mirror_makers",
    )

    def setting_holders(self) -> list[Any]:
        """Every object that carries Settings: clients, brokers, topics, connectors, container
        environments, MirrorMaker 2 configurations."""
        return [*self.clients, *self.brokers, *self.topics, *self.connectors, *self.environments, *self.mirror_makers]

    def facts_of(self, kind: str) -> Iterator[CodeFact]:
        return (fact for fact in self.facts if fact.kind == kind)


# A finding lists at most this many related locations; the rest are counted in related_omitted,
# so report size grows with findings, not with pairs of files.
MAX_RELATED = 10


@dataclass(slots=True, frozen=True)
class Finding:
    """One problem a rule reports, at one place, with its message and the source line shown."""

    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    snippet: str = ""
    fix: str = ""
    related: tuple[Location, ...] = ()
    # The edits kafkalint can make for this finding (kafkalint.fixes.Fix), when it has any.
    autofix: Any = None
    # Related locations left out of `related`, which holds at most MAX_RELATED of them.
    related_omitted: int = 0

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.location.path, self.location.line, self.location.column, self.code)
