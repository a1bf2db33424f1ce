"""Each source on a small input, called directly (no CLI, no discovery): the model objects it
states, with exact locations. The black-box tests go through `kafkalint check`; these pin the
source API the format registry dispatches to."""

from __future__ import annotations

from pathlib import Path

import pytest

from kafkalint import formats
from kafkalint.formats import Claimant, CommentSyntax, FileFormat, claimant_readers, format_named, format_of
from kafkalint.model import UNKNOWN, Dialect, Project, Role, SourceFile
from kafkalint.sources.yamltree import load_documents


def _properties(text: str, display: str, *claimants) -> Project:
    from kafkalint.sources.properties import read_properties

    project = Project()
    read_properties(text, display, project, claimants)
    return project


def _documents(reader, text: str, display: str) -> tuple[bool, Project]:
    project = Project()
    claimed = reader(load_documents(text, display, []), text, display, project)
    return claimed, project


def _where(location) -> tuple[int, int]:
    return location.line, location.column


# --- .properties --------------------------------------------------------------------------


def test_properties_client_keeps_the_later_duplicate_and_reports_the_first():
    project = _properties("bootstrap.servers=broker:9092\n# acks\nacks = all\nlinger.ms=5\nacks=1\n", "producer.properties")
    [client] = project.clients
    assert (client.role, client.dialect) == (Role.PRODUCER, Dialect.JAVA)
    assert client.settings["acks"].value == "1" and _where(client.settings["acks"].key_location) == (5, 1)
    assert client.settings["linger.ms"].value == 5
    assert _where(client.anchor) == (1, 1)
    [problem] = project.problems
    assert (problem.rule, _where(problem.location)) == ("duplicate-config-key", (3, 1))
    assert problem.variables == {"key": "acks", "line": 5}


def test_broker_properties_become_a_broker_config_not_a_client():
    project = _properties("broker.id=1\nmin.insync.replicas=1\nlog.dirs=/tmp\n", "server.properties")
    assert project.clients == []
    [broker] = project.brokers
    assert broker.settings["min.insync.replicas"].value == 1
    assert broker.settings["broker.id"].key_location.line == 1


def test_properties_without_kafka_keys_state_nothing():
    project = _properties("server.port=8080\nlogging.level=INFO\n", "app.properties")
    assert (project.clients, project.brokers, project.problems) == ([], [], [])


def test_a_claimant_that_claims_the_file_stops_the_fallback():
    seen: list[list[str]] = []

    def claim_everything(entries, text, display, project) -> bool:
        seen.append([entry.key for entry in entries])
        return True

    project = _properties("bootstrap.servers=b:9092\nacks=all\n", "producer.properties", claim_everything)
    assert seen == [["bootstrap.servers", "acks"]]
    assert project.clients == []


# --- YAML / JSON client files ---------------------------------------------------------------


def test_yaml_client_file_reads_typed_values_at_their_lines():
    from kafkalint.sources.structured import read_yaml

    project = Project()
    read_yaml("bootstrap.servers: b:9092\ngroup.id: billing\nenable.auto.commit: false\n", "consumer.yaml", project, ())
    [client] = project.clients
    assert client.role is Role.CONSUMER
    assert client.settings["enable.auto.commit"].value is False
    assert _where(client.settings["group.id"].key_location) == (2, 1)


def test_json_sections_share_the_top_level_keys():
    from kafkalint.sources.structured import read_json

    project = Project()
    text = '{"bootstrap.servers": "b:9092", "producer": {"acks": "all"}, "consumer": {"group.id": "g"}}'
    read_json(text, "clients.json", project, ())
    roles = {client.name: client for client in project.clients}
    assert set(roles) == {"producer", "consumer"}
    assert roles["producer"].role is Role.PRODUCER and roles["producer"].settings["acks"].value == "all"
    assert roles["consumer"].settings["bootstrap.servers"].key_location == roles["producer"].settings["bootstrap.servers"].key_location


def test_invalid_json_is_one_parse_problem_at_its_position():
    from kafkalint.sources.structured import read_json

    project = Project()
    read_json('{"acks": "all",\n  "linger.ms": }\n', "producer.json", project, ())
    [problem] = project.problems
    assert problem.rule == "parse-error" and _where(problem.location) == (2, 16)
    assert project.clients == []


# --- frameworks -------------------------------------------------------------------------------


def test_spring_properties_give_one_client_per_role_with_shared_bootstrap():
    from kafkalint.sources.spring import read_spring_properties

    project = _properties(
        "spring.kafka.bootstrap-servers=b:9092\nspring.kafka.producer.acks=0\nspring.kafka.consumer.group-id=billing\n",
        "application.properties", read_spring_properties,
    )
    clients = {client.role: client for client in project.clients}
    assert set(clients) == {Role.PRODUCER, Role.CONSUMER}
    assert clients[Role.PRODUCER].settings["acks"].value == "0"
    assert clients[Role.CONSUMER].settings["group.id"].key_location.line == 3
    assert clients[Role.PRODUCER].origin == "spring"


def test_spring_yaml_relaxed_names_become_kafka_keys():
    from kafkalint.sources.spring import read_spring_documents

    claimed, project = _documents(
        read_spring_documents, "spring:\n  kafka:\n    consumer:\n      group-id: billing\n      enable-auto-commit: true\n",
        "application.yml",
    )
    assert claimed
    [client] = project.clients
    assert client.settings["enable.auto.commit"].value is True
    assert _where(client.settings["group.id"].key_location) == (4, 7)


def test_spring_reader_does_not_claim_a_plain_client_file():
    from kafkalint.sources.spring import read_spring_documents

    claimed, project = _documents(read_spring_documents, "bootstrap.servers: b:9092\nacks: all\n", "producer.yaml")
    assert not claimed and project.clients == []


def test_quarkus_outgoing_channel_is_a_producer_with_its_topic():
    from kafkalint.sources.quarkus import read_quarkus_properties

    project = _properties(
        "mp.messaging.outgoing.orders.connector=smallrye-kafka\nmp.messaging.outgoing.orders.topic=orders\n"
        "mp.messaging.outgoing.orders.acks=0\n",
        "application.properties", read_quarkus_properties,
    )
    [client] = project.clients
    assert client.role is Role.PRODUCER
    assert client.settings["acks"].value == "0" and client.settings["acks"].key_location.line == 3
    assert [(name, where.line, where.column) for name, where in client.topics] == [("orders", 2, 36)]


def test_strimzi_topic_states_partitions_replicas_and_cluster():
    from kafkalint.sources.strimzi import read_strimzi_documents

    claimed, project = _documents(
        read_strimzi_documents,
        "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n  name: orders\n  labels:\n"
        "    strimzi.io/cluster: my-cluster\nspec:\n  partitions: 3\n  replicas: 1\n  config:\n    min.insync.replicas: 1\n",
        "topic.yaml",
    )
    assert claimed
    [topic] = project.topics
    assert (topic.name, topic.cluster, topic.partitions, topic.replicas) == ("orders", "my-cluster", 3, 1)
    assert topic.settings["min.insync.replicas"].value == 1
    assert [resource.kind for resource in project.resources] == ["KafkaTopic"]


def test_compose_broker_environment_becomes_broker_settings():
    from kafkalint.sources.compose import read_compose_documents

    claimed, project = _documents(
        read_compose_documents,
        "services:\n  kafka:\n    image: confluentinc/cp-kafka:7.6.0\n    environment:\n"
        "      KAFKA_MIN_INSYNC_REPLICAS: 1\n      KAFKA_AUTO_CREATE_TOPICS_ENABLE: \"false\"\n      KAFKA_LOG_DIRS: ${DIRS}\n",
        "docker-compose.yml",
    )
    assert claimed
    [broker] = project.brokers
    assert broker.name == "kafka" and broker.broker_count == 1
    assert broker.settings["auto.create.topics.enable"].value is False
    assert broker.settings["log.dirs"].value is UNKNOWN
    assert _where(broker.settings["min.insync.replicas"].key_location) == (5, 7)


def test_connect_connector_properties_become_a_connector():
    from kafkalint.sources.connect import read_connect_properties

    project = _properties(
        "name=orders-sink\nconnector.class=io.confluent.connect.jdbc.JdbcSinkConnector\ntopics=orders\ntasks.max=1\n",
        "sink.properties", read_connect_properties,
    )
    [connector] = project.connectors
    assert (connector.name, connector.connector_class) == ("orders-sink", "io.confluent.connect.jdbc.JdbcSinkConnector")
    assert connector.settings["topics"].key_location.line == 3
    assert project.clients == []


def test_connect_worker_properties_become_a_connect_client():
    from kafkalint.sources.connect import read_connect_properties

    project = _properties(
        "bootstrap.servers=b:9092\ngroup.id=connect-cluster\nconfig.storage.topic=c\noffset.storage.topic=o\n"
        "status.storage.topic=s\n",
        "connect-distributed.properties", read_connect_properties,
    )
    [client] = project.clients
    assert client.role is Role.CONNECT and client.origin == "connect"


# --- build files: client versions ----------------------------------------------------------


@pytest.mark.parametrize(
    ("display", "function", "text", "dialect", "version"),
    [
        ("requirements.txt", "read_requirements", "confluent-kafka==2.3.0\nrequests\n", "librdkafka", "2.3.0"),
        ("pom.xml", "read_pom", "<project><dependencies><dependency><groupId>org.apache.kafka</groupId>"
         "<artifactId>kafka-clients</artifactId><version>3.6.1</version></dependency></dependencies></project>", "java", "3.6"),
        ("build.gradle", "read_gradle", "dependencies {\n  implementation 'org.apache.kafka:kafka-clients:3.5.0'\n}\n", "java", "3.5"),
    ],
)
def test_build_files_state_the_client_version(display, function, text, dialect, version):
    from kafkalint.knowledge import versions

    project = Project()
    getattr(versions, function)(text, display, project)
    [fact] = project.facts
    assert fact.kind == "client-version"
    assert (fact.detail["dialect"], fact.detail["version"]) == (dialect, version)
    assert display in fact.detail["reason"]


# --- the registry -----------------------------------------------------------------------------


def test_every_file_name_has_one_owner_by_priority():
    assert [format_of(name) for name in ("pom.xml", "requirements-dev.txt", "a.yml", "b.JSON", "c.py", "d.pyi", "e.conf")] == [
        "pom", "requirements", "yaml", "json", "python", None, None,
    ]
    assert format_of("e.conf", named_explicitly=True) == "properties"


def test_claimants_are_tried_by_priority_not_by_listing_order():
    shuffled = FileFormat("toy", "tests.test_sources:read_toy", priority=50,
                          claimants=(Claimant("b", "x:b", 20), Claimant("a", "x:a", 10)))
    assert [claimant.name for claimant in shuffled.ordered_claimants()] == ["a", "b"]
    assert [claimant.name for claimant in format_named("yaml").ordered_claimants()] == [
        "strimzi", "spring", "quarkus", "compose", "connect",
    ]


def test_every_reader_and_claimant_names_a_function_that_exists():
    for file_format in formats.FORMATS:
        assert callable(formats.load(file_format.reader)), file_format.name
        if file_format.text_filter:
            assert callable(formats.load(file_format.text_filter)), file_format.name
        assert all(callable(reader) for reader in claimant_readers(file_format)), file_format.name


# A format added the way README's "Writing a source" says: one entry, one reader.
def read_toy(text: str, display: str, project: Project) -> None:
    from kafkalint.model import Location
    from kafkalint.sources.clientfile import RawEntry, build_client

    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        key, _, value = line.partition(" := ")
        value = value.split("//", 1)[0].strip()  # a `//` comment ends the value
        if value:
            where = Location(display, number, 1)
            entries.append(RawEntry(key, value, value, where, Location(display, number, len(key) + 5)))
    if entries:
        project.clients.append(build_client(entries, display, entries[0].key_location, project))


@pytest.fixture
def toy_format(monkeypatch):
    toy = FileFormat("toy", "tests.test_sources:read_toy", priority=50, extensions=(".toy",),
                     sniff=(b"acks",), comments=CommentSyntax.GENERIC)
    monkeypatch.setattr(formats, "FORMATS", (*formats.FORMATS, toy))
    for cached in (formats._by_name, formats._lookup_tables):
        cached.cache_clear()
    yield toy
    for cached in (formats._by_name, formats._lookup_tables):
        cached.cache_clear()


def test_two_formats_claiming_one_extension_resolve_by_priority_not_listing_order(monkeypatch):
    late = FileFormat("late-but-first", "tests.test_sources:read_toy", priority=40, extensions=(".toy",))
    early = FileFormat("early-but-second", "tests.test_sources:read_toy", priority=60, extensions=(".toy",))
    monkeypatch.setattr(formats, "FORMATS", (early, late))
    formats._lookup_tables.cache_clear()
    try:
        assert format_of("a.toy") == "late-but-first"
    finally:
        formats._lookup_tables.cache_clear()


def test_a_new_format_is_one_registry_entry_and_one_reader(toy_format, tmp_path):
    from kafkalint.discovery import discover
    from kafkalint.sources import read_file
    from kafkalint.suppressions import read_suppressions

    (tmp_path / "producer.toy").write_text("bootstrap.servers := b:9092\nacks := 0  // kafkalint: disable=KL101\n")
    (tmp_path / "notes.toy").write_text("title := nothing about clients\n")
    files = discover([tmp_path])
    assert [(Path(item.display).name, item.kind) for item in files] == [("notes.toy", "toy"), ("producer.toy", "toy")]
    project = Project()
    for item in files:
        read_file(item.path, item.display, item.kind, project)
    assert [Path(source.path).name for source in project.files] == ["producer.toy"]  # notes.toy dropped on its bytes
    [client] = project.clients
    assert client.role is Role.PRODUCER and client.settings["acks"].value == "0"
    suppressions = read_suppressions(SourceFile("producer.toy", "toy", (tmp_path / "producer.toy").read_text()))
    assert [(item.line, [name for name, _, _ in item.names]) for item in suppressions.suppressions] == [(2, ["KL101"])]


def test_a_key_overriding_a_yaml_merge_is_no_duplicate_but_a_written_repeat_is():
    """`<<: *client-base` then `image: ...` (compose, Spring profiles): the written key overrides
    the merged one by the YAML merge rules. A merge listed twice is no repeat either."""
    repeats: list = []
    documents = load_documents(
        "x-base: &base\n  image: client:1\n  restart: always\n"
        "services:\n"
        "  producer:\n    <<: [*base, *base]\n    image: client:2\n    ports: [1]\n    ports: [2]\n",
        "docker-compose.yml", repeats,
    )
    assert [(key, first.line, repeat.line) for key, first, repeat in repeats] == [("ports", 8, 9)]
    producer = documents[0].get("services").get("producer")
    assert (producer.get("image").value, producer.get("restart").value) == ("client:2", "always")


def test_an_anchor_defined_again_is_valid_yaml_and_an_alias_names_the_latest():
    """debezium-examples' MongoDB replica set defines `image: &mongodb-image ...` in each
    service: 'anchors need not be unique' (YAML 1.2.2), docker compose reads it, and PyYAML's
    refusal was a KL001 'invalid YAML: second occurrence'."""
    from kafkalint.safe_yaml import load_plain
    from kafkalint.sources.yamltree import load_documents

    text = "a: &x one\nb: *x\nc: &x two\nd: *x\n"
    assert load_plain(text) == {"a": "one", "b": "one", "c": "two", "d": "two"}
    [document] = load_documents(text, "compose.yaml")
    assert {key: node.value for key, node in document.items()} == {"a": "one", "b": "one", "c": "two", "d": "two"}
    assert (document.get("d").key_location.line, document.get("d").location.line) == (4, 3)  # the value it names


def test_a_compose_file_redefining_an_anchor_is_linted_not_refused(tmp_path):
    from tests.conftest import lint_files

    compose = (
        "services:\n"
        "  kafka:\n"
        "    image: &kafka-image apache/kafka:3.8.0\n"
        "  mongodb1:\n"
        "    image: &mongodb-image mongo:7\n"
        "  mongodb2:\n"
        "    image: &mongodb-image mongo:7\n"
    )
    result = lint_files(tmp_path, {"docker-compose.yml": compose})
    assert [f.code for f in result.findings] == ["KL308"]


def test_yaml_filled_from_the_environment_before_parsing_is_no_parse_error(tmp_path):
    """redpanda-labs' Redpanda Connect pipeline writes `addresses: [ ${REDPANDA_SERVERS} ]`,
    which its tool substitutes before parsing: KL001 'invalid YAML' was an error about a
    template. A YAML error away from any placeholder is still reported."""
    from tests.conftest import lint_files

    pipeline = "input:\n  kafka:\n    addresses: [ ${REDPANDA_SERVERS} ]\n    topics: [ orders ]\n"
    broken = "services:\n  kafka:\n    image: apache/kafka:3.8.0\n   bad: [\n"
    result = lint_files(tmp_path, {"pipeline.yaml": pipeline, "docker-compose.yml": broken})
    assert [(f.code, f.location.path, f.location.line) for f in result.findings] == [("KL001", "docker-compose.yml", 4)]
