"""Connect's embedded clients: connector overrides and worker producer./consumer. keys are
judged by the producer and consumer rules at the keys written."""

from __future__ import annotations

from kafkalint.model import Framework, Role
from tests.conftest import lint_files

CONNECTOR = """\
apiVersion: kafka.strimzi.io/v1
kind: KafkaConnector
metadata:
  name: s3-sink
spec:
  class: io.confluent.connect.s3.S3SinkConnector
  config:
    topics: orders
    consumer.override.enable.auto.commit: true
    consumer.override.max.poll.records: 200
"""

KAFKA_CONNECT = """\
apiVersion: kafka.strimzi.io/v1
kind: KafkaConnect
metadata:
  name: my-connect
spec:
  replicas: 3
  bootstrapServers: my-cluster-kafka-bootstrap:9093
  config:
    group.id: connect-cluster
    offset.storage.topic: connect-offsets
    config.storage.topic: connect-configs
    status.storage.topic: connect-status
    producer.acks: 0
"""


def _codes(result):
    return [(finding.code, finding.location.path, finding.location.line) for finding in result.findings]


def test_source_connector_producer_override_acks_one_is_reported_at_the_override(tmp_path):
    result = lint_files(tmp_path, {"jdbc-source.properties": (
        "name=jdbc-source\n"
        "connector.class=io.confluent.connect.jdbc.JdbcSourceConnector\n"
        "producer.override.acks=1\n"
    )})
    assert _codes(result) == [("KL102", "jdbc-source.properties", 3)]
    assert "acks=1 (line 3)" in result.findings[0].message


def test_sink_connector_consumer_override_auto_commit_is_reported_in_a_strimzi_connector(tmp_path):
    result = lint_files(tmp_path, {"connector.yaml": CONNECTOR})
    assert _codes(result) == [("KL201", "connector.yaml", 9)]
    assert result.findings[0].location.column == 5


def test_strimzi_kafka_connect_worker_producer_keys_are_a_producer(tmp_path):
    result = lint_files(tmp_path, {"connect.yaml": KAFKA_CONNECT})
    assert ("KL101", "connect.yaml", 13) in _codes(result)


def test_connect_clients_are_of_their_role_and_know_only_what_is_written(tmp_path):
    from pathlib import Path

    from kafkalint.engine import load_project
    from kafkalint.settings import Settings
    from tests.conftest import write_files

    write_files(tmp_path, {"connector.yaml": CONNECTOR})
    _files, project = load_project([Path(tmp_path)], Settings())
    [consumer] = [client for client in project.clients if client.framework is Framework.CONNECT]
    assert consumer.role is Role.CONSUMER and consumer.name == "connector s3-sink consumer"
    assert set(consumer.settings) == {"enable.auto.commit", "max.poll.records"}
    assert consumer.all_settings_known is False


def test_overrides_at_safe_values_stay_silent_under_every_rule(tmp_path):
    result = lint_files(tmp_path, {"jdbc-source.json": (
        '{"name": "jdbc-source", "config": {\n'
        '  "connector.class": "io.confluent.connect.jdbc.JdbcSourceConnector",\n'
        '  "producer.override.acks": "all",\n'
        '  "producer.override.compression.type": "zstd"\n'
        "}}\n"
    )})
    assert _codes(result) == []
