"""`kafkalint inventory`: clients, topics, clusters and connectors with locations, as JSON and tables."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kafkalint.cli import build_app
from tests.conftest import ROOT

FIXTURES = ROOT / "fixtures"


def _inventory(*paths: str, fmt: str = "json", cwd: Path = ROOT):
    import os

    previous = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(build_app(), ["inventory", *paths, "--format", fmt])
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if fmt == "json" else result.output


def _where(location):
    return f"{location['path']}:{location['line']}"


def test_crossfile_fixture_inventory_lists_every_client_and_topic_with_locations():
    data = _inventory("fixtures/crossfile")
    assert data["version"] == 1
    clients = [
        (client["role"], client["dialect"], client["origin"], _where(client["location"]),
         [topic["name"] for topic in client["topics"]])
        for client in data["clients"]
    ]
    assert clients == [
        ("producer", "librdkafka", "python", "fixtures/crossfile/ingest/produce_orders.py:4", ["orders"]),
        ("consumer", "java", "quarkus", "fixtures/crossfile/ledger/src/main/resources/application.properties:3", ["payments"]),
        ("consumer", "java", "quarkus", "fixtures/crossfile/ledger/src/main/resources/application.properties:7", ["refunds"]),
        ("producer", "java", "spring", "fixtures/crossfile/orders-service/src/main/resources/application.yml:5", ["orders"]),
        ("producer", "java", "spring", "fixtures/crossfile/payments-service/src/main/resources/application.yml:5", ["payments"]),
        ("consumer", "java", "file", "fixtures/crossfile/tools/ledger-replay.properties:2", []),
    ]
    python_producer, ledger, _, orders, payments, replay = data["clients"]
    assert python_producer["partitioner"] == {"hash": "crc32", "partitioner": "consistent_random", "explicit": False}
    assert orders["partitioner"] == {"hash": "murmur2", "partitioner": "builtin", "explicit": False}
    assert orders["key_serializer"] == {
        "value": "org.apache.kafka.common.serialization.StringSerializer",
        "source": "set at fixtures/crossfile/orders-service/src/main/resources/application.yml:6",
    }
    assert payments["transactional_id"] == "payments-tx-"
    assert payments["key_serializer"]["source"].startswith("default for java")  # Spring Boot's StringSerializer
    assert ledger["group_id"] == "ledger" and ledger["isolation_level"]["value"] == "read_uncommitted"
    assert replay["isolation_level"] == {"value": "read_committed", "source": "set at fixtures/crossfile/tools/ledger-replay.properties:6"}
    assert replay["topics_known"] is False

    topics = {topic["name"]: topic for topic in data["topics"]}
    assert sorted(topics) == ["orders", "payments", "refunds"]
    orders_topic = topics["orders"]
    [declared] = orders_topic["declared"]
    assert (_where(declared["location"]), declared["cluster"], declared["partitions"], declared["replicas"]) == (
        "fixtures/crossfile/deploy/topics.yaml:4", "prod", 12, 3)
    assert declared["min_insync_replicas"]["value"] == 1
    assert [(use["client"], _where(use["location"])) for use in orders_topic["used_by"]] == [
        (0, "fixtures/crossfile/ingest/produce_orders.py:8"),
        (3, "fixtures/crossfile/orders-service/src/main/resources/application.yml:8"),
    ]
    assert topics["payments"]["declared"][0]["min_insync_replicas"] == {"value": 2, "source": "set at line 21"}
    assert topics["refunds"]["declared"] == []
    [cluster] = data["clusters"]
    assert (cluster["name"], cluster["origin"], cluster["broker_count"]) == ("prod", "strimzi", 3)
    assert cluster["settings"]["auto.create.topics.enable"] is False


def test_frameworks_fixture_inventory_has_connectors_workers_and_compose_brokers():
    data = _inventory("fixtures/frameworks")
    roles = sorted((client["origin"], client["role"], client["name"]) for client in data["clients"])
    assert roles == [
        ("compose", "connect", "connect worker connect"),
        ("connect", "connect", "connect worker connect-distributed"),
        ("quarkus", "consumer", "quarkus incoming channel orders"),
        ("quarkus", "producer", "quarkus outgoing channel payment-results"),
        ("quarkus", "producer", "quarkus outgoing channel payment-results (profile dev)"),
        ("spring", "consumer", "spring consumer"),
        ("spring", "producer", "spring producer"),
        ("spring", "producer", "spring producer (profile local)"),
    ]
    [connector] = data["connectors"]
    assert (connector["name"], _where(connector["location"]), [t["name"] for t in connector["topics"]]) == (
        "orders-s3-sink", "fixtures/frameworks/connect/orders-s3-sink.json:2", ["orders"])
    [cluster] = data["clusters"]
    assert (cluster["name"], cluster["origin"], _where(cluster["location"])) == (
        "kafka", "compose", "fixtures/frameworks/compose/docker-compose.yml:3")
    used = {topic["name"]: [use["client"] for use in topic["used_by"]] for topic in data["topics"]}
    assert used["orders"][-1] == "connector orders-s3-sink"


def test_every_client_and_topic_of_all_fixtures_has_a_real_location():
    data = _inventory("fixtures")
    assert data["clients"], "the fixtures hold clients"
    for client in data["clients"]:
        location = client["location"]
        assert (ROOT / location["path"]).is_file() and location["line"] >= 1, client
    for topic in data["topics"]:
        for place in topic["declared"] + topic["used_by"]:
            assert (ROOT / place["location"]["path"]).is_file() and place["location"]["line"] >= 1, topic


def test_tables_name_clients_topics_and_clusters():
    text = _inventory("fixtures/crossfile", fmt="text")
    for part in ("Clients", "Topics", "Clusters", "consistent_random", "(not declared)", "refunds", "payments-tx-"):
        assert part in text


def test_secrets_never_appear(tmp_path):
    (tmp_path / "application.yml").write_text(
        "spring:\n  kafka:\n    properties:\n      sasl.jaas.config: org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"hunter2\";\n"
        "    producer:\n      transaction-id-prefix: tx-\n",
        encoding="utf-8",
    )
    output = json.dumps(_inventory(str(tmp_path)))
    assert "hunter2" not in output


def test_missing_path_is_a_one_line_error():
    result = CliRunner().invoke(build_app(), ["inventory", "no/such/dir"])
    assert result.exit_code == 2
    assert "no/such/dir: no such file or directory" in result.output


def test_help_documents_the_json_shape():
    result = CliRunner().invoke(build_app(), ["inventory", "--help"], terminal_width=200)
    assert result.exit_code == 0
    for part in ('"clients"', '"topics"', '"clusters"', '"connectors"', '"partitioner"', '"min_insync_replicas"'):
        assert part in result.output, part


TOPIC = """\
apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaTopic
metadata:
  name: orders
  labels:
    strimzi.io/cluster: main
spec:
  partitions: {partitions}
  replicas: {replicas}
"""


def _topic_files(tmp_path: Path) -> None:
    (tmp_path / "dev").mkdir()
    (tmp_path / "prod").mkdir()
    (tmp_path / "dev" / "topic.yaml").write_text(TOPIC.format(partitions=1, replicas=1))
    (tmp_path / "prod" / "topic.yaml").write_text(TOPIC.format(partitions=12, replicas=3))


def test_a_topic_declared_in_several_files_is_listed_once_per_declaration_with_its_replicas(tmp_path, monkeypatch):
    _topic_files(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    text = _inventory(".", fmt="text", cwd=tmp_path)
    rows = [line for line in text.splitlines() if "topic.yaml" in line]
    assert len(rows) == 2
    assert [cell.strip() for cell in rows[0].split("│")[1:5]] == ["orders", "dev/topic.yaml:4", "1", "1"]
    assert [cell.strip() for cell in rows[1].split("│")[1:5]] == ["orders", "prod/topic.yaml:4", "12", "3"]


def test_tables_fit_the_terminal_width_and_turn_into_records_when_they_cannot(monkeypatch):
    for columns in (60, 100, 250):
        monkeypatch.setenv("COLUMNS", str(columns))
        text = _inventory("fixtures", fmt="text")
        assert max(len(line) for line in text.splitlines()) <= columns
        # Nothing cut: every client's location is shown whole, in a table cell or a record line.
        for where in ("crossfile/ingest/produce_orders.py:4", "clients/bad/payments-producer.properties:2"):
            assert where in text, (columns, where)
        assert "…" not in text
    monkeypatch.setenv("COLUMNS", "60")
    narrow = _inventory("fixtures/crossfile", fmt="text")
    assert "Clients\n- #: 0\n  role: " in narrow
