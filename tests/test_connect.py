"""Kafka Connect connector configs (REST JSON, .properties) and worker configs."""

from __future__ import annotations

from kafkalint.model import Role


def test_rest_json_connector_feeds_the_connector_rules(lint):
    result = lint({
        "connectors/s3-sink.json": (
            "{\n"
            '  "name": "s3-sink",\n'
            '  "config": {\n'
            '    "connector.class": "io.confluent.connect.s3.S3SinkConnector",\n'
            '    "topics": "orders",\n'
            '    "errors.tolerance": "all"\n'
            "  }\n"
            "}\n"
        )
    }, select=["connect-errors-tolerance-without-dlq"])
    [connector] = result.project.connectors
    assert connector.name == "s3-sink" and connector.connector_class == "io.confluent.connect.s3.S3SinkConnector"
    [finding] = result.findings
    assert (finding.location.path, finding.location.line, finding.location.column) == ("connectors/s3-sink.json", 6, 5)


def test_flat_json_config_and_properties_connectors(lint):
    result = lint({
        "put-config.json": '{"connector.class": "io.confluent.connect.jdbc.JdbcSinkConnector", "topics": "a", "errors.tolerance": "all"}\n',
        "jdbc-sink.properties": (
            "name=jdbc-sink\n"
            "connector.class=io.confluent.connect.jdbc.JdbcSinkConnector\n"
            "topics=orders\n"
            "errors.tolerance=all\n"
            "errors.deadletterqueue.topic.name=jdbc-dlq\n"
        ),
    }, select=["connect-errors-tolerance-without-dlq"])
    assert sorted(connector.name for connector in result.project.connectors) == ["jdbc-sink", "put-config"]
    assert [(f.location.path, f.location.line) for f in result.findings] == [("put-config.json", 1)]


def test_strimzi_resources_are_not_taken_for_rest_bodies(lint):
    result = lint({
        "c.yaml": (
            "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaConnector\nmetadata:\n  name: x\n"
            "spec:\n  class: a.b.FooSinkConnector\n  config:\n    topics: t\n"
        )
    })
    assert [connector.origin for connector in result.project.connectors] == ["strimzi"]


def test_worker_properties_internal_replication(lint):
    files = {
        "connect-distributed.properties": (
            "bootstrap.servers=broker:9092\n"
            "group.id=connect-cluster\n"
            "config.storage.topic=connect-configs\n"
            "offset.storage.topic=connect-offsets\n"
            "offset.storage.replication.factor=2\n"
            "status.storage.replication.factor=${RF}\n"
        )
    }
    result = lint(files, select=["connect-internal-topic-replication"])
    [worker] = [client for client in result.project.clients if client.role is Role.CONNECT]
    assert worker.name == "connect worker connect-distributed"
    [finding] = result.findings
    assert (finding.location.line, finding.location.column) == (5, 1)
    assert "offset.storage.replication.factor=2" in finding.message


def test_worker_defaults_and_minus_one_are_fine(lint):
    result = lint({
        "connect-distributed.properties": "group.id=c\nconfig.storage.topic=c\nconfig.storage.replication.factor=-1\n"
    }, select=["connect-internal-topic-replication"])
    assert result.findings == []


MALFORMED = [
    ("application.yml", "spring: 3\n"),
    ("application.yml", "spring:\n  kafka: [1,2]\n"),
    ("application.yml", "spring:\n  kafka:\n    producer: [a]\n    template:\n      default-topic: {a: 1}\n"),
    ("application.yml", "spring:\n  kafka:\n    consumer:\n      heartbeat-interval: [1]\n      isolation-level: 7\n"),
    ("application.yml", "spring.kafka.producer.acks: 0\n---\n- x\n"),
    ("application.properties", "mp.messaging.incoming..topic=x\n"),
    ("application.properties", "mp.messaging.outgoing.x.topic\n%.mp.messaging.outgoing.x.acks=0\n"),
    ("application.yaml", "\"%prod\": 5\nmp:\n  messaging:\n    outgoing:\n      x:\n        topic: [a, b]\n"),
    ("docker-compose.yml", "services: [a]\n"),
    ("docker-compose.yml", "services:\n  kafka:\n    image: [x]\n    environment: 5\n"),
    ("docker-compose.yml", "services:\n  kafka:\n    image: bitnami/kafka\n    environment:\n      - [a]\n      - KAFKA_CFG_X\n      - 7\n      - KAFKA_CFG_=1\n"),
    ("c.json", '{"name": {"a":1}, "config": {"connector.class": ["x"], "topics": 5}}'),
    ("c.json", '{"config": [1], "connector.class": 3}'),
    ("c.json", '{"name":"x","config":{"connector.class":"a.SinkConnector","topics":null,"errors.tolerance":"all"}}'),
    ("connect-distributed.properties", "group.id\nconfig.storage.replication.factor=abc\nconfig.storage.topic=\n"),
]


def test_malformed_framework_files_never_crash_a_reader_a_rule_or_the_inventory(tmp_path):
    import pytest

    from kafkalint.inventory import inventory
    from tests.conftest import lint_files

    for index, (name, text) in enumerate(MALFORMED):
        base = tmp_path / str(index)
        try:
            result = lint_files(base, {name: text})
            inventory(result.project)
        except Exception as error:  # noqa: BLE001 - any exception is the failure; the message names the input
            pytest.fail(f"{name} {text!r} raised {type(error).__name__}: {error}")


CONNECTOR_STREAM = """\
{
  "name": "datagen_users",
  "connector.class": "DatagenSource",
  "kafka.topic": "users",
  "tasks.max": "1"
}

{
  "name": "datagen_clicks",
  "connector.class": "DatagenSource",
  "kafka.topic": "clicks",
  "tasks.max": "1"
}
"""


def test_connector_configurations_kept_one_after_the_other_are_each_read(lint):
    # Two JSON objects, each to be posted on its own: a stream, not a broken file.
    result = lint({"source.json": CONNECTOR_STREAM})
    assert sorted(connector.name for connector in result.project.connectors) == ["datagen_clicks", "datagen_users"]
    assert [connector.anchor.line for connector in sorted(result.project.connectors, key=lambda c: c.name)] == [8, 1]
    assert not [finding for finding in result.findings if finding.code == "KL001"]
    # Without a blank line between them no separator fits without moving lines: still a parse error.
    joined = CONNECTOR_STREAM.replace("}\n\n{", "}\n{")
    assert [finding.code for finding in lint({"source.json": joined}).findings if finding.code == "KL001"] == ["KL001"]
