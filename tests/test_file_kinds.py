"""Which flat settings files are client configurations: evidence, not a mention of bootstrap.servers.

Issue 11, classes 7 and 8: other components' files (ksqlDB, Schema Registry, REST Proxy,
Connect workers) and application settings are never judged as clients; a Kafka Streams file is
a client of role streams; a client's role comes from its keys when they are clear, and a file
with both roles' keys is shared.
"""

from __future__ import annotations

import pytest

from kafkalint.model import Role, RoleEvidence

NOT_CLIENTS = {
    "ksql-server.properties": """\
bootstrap.servers=localhost:9092
listeners=http://0.0.0.0:8088
ksql.service.id=default_
ksql.streams.auto.offset.reset=earliest
ksql.logging.processing.stream.auto.create=true
ksql.schema.registry.url=http://localhost:8081
""",
    "kafka-rest.properties": """\
id=kafka-rest-1
listeners=http://0.0.0.0:8082
schema.registry.url=http://localhost:8081
bootstrap.servers=PLAINTEXT://localhost:9092
client.security.protocol=SASL_SSL
consumer.request.timeout.ms=1000
""",
    # The REST Proxy's shipped configuration: a kafka.rest. key is the component's own.
    "rest/kafka-rest.properties": """\
bootstrap.servers=PLAINTEXT://localhost:9092
kafka.rest.resource.extension.class=com.example.rest.AuditExtension
""",
    "schema-registry.properties": """\
listeners=http://0.0.0.0:8081
kafkastore.bootstrap.servers=PLAINTEXT://localhost:9092
kafkastore.topic=_schemas
debug=false
""",
    "worker.properties": """\
bootstrap.servers=localhost:9092
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
offset.storage.file.filename=/tmp/connect.offsets
plugin.path=/usr/share/java
""",
    "settings.yaml": """\
bootstrap.servers: localhost:9092
topic: orders
database_url: postgres://db/orders
log_level: INFO
http_port: 8080
""",
}


@pytest.mark.parametrize("name", sorted(NOT_CLIENTS))
def test_another_components_file_or_application_settings_are_not_a_client(name, lint):
    result = lint({name: NOT_CLIENTS[name]})
    assert result.project.clients == []
    assert [f"{f.code} {f.message}" for f in result.findings] == []


def test_a_streams_configuration_is_a_streams_client_without_consumer_findings(lint):
    result = lint({"streams.properties": """\
application.id=orders-aggregator
bootstrap.servers=localhost:9092
processing.guarantee=exactly_once_v2
num.stream.threads=2
state.dir=/var/lib/streams
default.key.serde=org.apache.kafka.common.serialization.Serdes$StringSerde
"""})
    [client] = result.project.clients
    assert client.role is Role.STREAMS
    assert set(client.settings) == {"bootstrap.servers"}
    assert client.extras["streams_settings"]["processing.guarantee"] == "exactly_once_v2"
    # Streams forces enable.auto.commit=false and owns its keys: no auto-commit or unknown-key finding.
    assert [f"{f.code} {f.message}" for f in result.findings] == []


def test_the_keys_decide_the_role_over_the_file_name(lint):
    result = lint({"consumer-config.properties": "bootstrap.servers=b:9092\nkey.serializer=org.apache.kafka.common.serialization.StringSerializer\nacks=all\n"})
    [client] = result.project.clients
    assert (client.role, client.role_evidence) == (Role.PRODUCER, RoleEvidence.KEYS)


def test_a_file_with_both_roles_keys_is_shared_and_not_judged_for_the_other_role(lint):
    result = lint({"kafka.properties": """\
bootstrap.servers=b:9092
key.serializer=org.apache.kafka.common.serialization.StringSerializer
value.serializer=org.apache.kafka.common.serialization.StringSerializer
key.deserializer=org.apache.kafka.common.serialization.StringDeserializer
value.deserializer=org.apache.kafka.common.serialization.StringDeserializer
group.id=orders
enable.auto.commit=false
acks=all
enable.idempotence=true
"""})
    [client] = result.project.clients
    assert (client.role, client.role_evidence) == (Role.UNKNOWN, RoleEvidence.SHARED)
    assert [f.code for f in result.findings if f.code == "KL005"] == []


def test_a_file_named_for_a_role_still_flags_the_other_roles_stray_key(lint):
    result = lint({"producer.properties": "bootstrap.servers=b:9092\nacks=all\ngroup.id=orders\n"})
    [client] = result.project.clients
    assert (client.role, client.role_evidence) == (Role.PRODUCER, RoleEvidence.FILE_NAME)
    assert [(f.code, f.location.line) for f in result.findings if f.code == "KL005"] == [("KL005", 3)]


# --- class 9: parse-error only on files that claim to be Kafka configuration -------------------

UNPARSABLE_NOT_CONFIG = {
    # Kafka's own protocol message definitions: JSON with a comment header.
    "ProduceRequest.json": '// Licensed to the Apache Software Foundation\n{\n  "apiKey": 0,\n  "type": "request",\n  "name": "ProduceRequest", "about": "kafka"\n}\n',
    # JSON Lines test data.
    "events.json": '{"topic": "orders", "key": "a", "kafka": 1}\n{"topic": "orders", "key": "b", "kafka": 2}\n',
    # Editor settings with comments.
    "settings.json": '{\n  /* kafka tooling */\n  "kafka.clusters": [],\n}\n',
    # A shell command saved as .json (a demo's "create the connector" step), and SQL notes.
    "jdbc_source_mysql_00.json": (
        "curl -X POST http://localhost:8083/connectors -H \"Content-Type: application/json\" -d '{\n"
        '  "name": "jdbc_source_mysql_00",\n  "config": {"connector.class": "io.confluent.connect.jdbc.JdbcSourceConnector"}\n}\'\n'
    ),
    "kafka-connect-rail.json": '-- https://docs.confluent.io/kafka-connect-activemq\n{"connector.class": "x"\n',
}


@pytest.mark.parametrize("name", sorted(UNPARSABLE_NOT_CONFIG))
def test_json_that_is_no_kafka_configuration_is_skipped_when_it_does_not_parse(name, lint):
    result = lint({name: UNPARSABLE_NOT_CONFIG[name]})
    assert [f"{f.code} {f.message}" for f in result.findings] == []


def test_a_broken_json_file_claimed_as_kafka_configuration_is_a_parse_error(lint):
    by_content = lint({"app.json": '{"bootstrap.servers": "b:9092", "acks": "all",}\n'})
    assert [(f.code, f.location.line) for f in by_content.findings] == [("KL001", 1)]


def test_a_broken_json_file_named_for_kafka_is_a_parse_error(tmp_path):
    from tests.conftest import lint_files

    result = lint_files(tmp_path, {"producer.json": '{"acks": "all"\n'})
    assert [f.code for f in result.findings] == ["KL001"]
