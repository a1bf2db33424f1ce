"""docker-compose broker environments become BrokerConfigs under each image's naming rule."""

from __future__ import annotations

from kafkalint.model import UNKNOWN, Role
from kafkalint.sources.compose import property_name

COMPOSE = """\
services:
  kafka:
    image: bitnami/kafka:3.7
    environment:
      - KAFKA_CFG_NODE_ID=1
      - KAFKA_CFG_PROCESS_ROLES=broker,controller
      - KAFKA_CFG_UNCLEAN_LEADER_ELECTION_ENABLE=true
      - "KAFKA_CFG_MIN_INSYNC_REPLICAS=${MIN_ISR}"
  broker2:
    image: confluentinc/cp-kafka:7.6.0
    environment:
      KAFKA_NODE_ID: 2
      KAFKA_HEAP_OPTS: -Xmx1g
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: "false"
  ui:
    image: provectuslabs/kafka-ui
    environment:
      KAFKA_CLUSTERS_0_NAME: local
"""


def test_naming_rules_per_image():
    assert property_name("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "KAFKA_", "confluent") == "auto.create.topics.enable"
    assert property_name("KAFKA_LISTENER_NAME_INTERNAL_SSL__CLIENT__AUTH", "KAFKA_", "confluent") == (
        "listener.name.internal.ssl_client_auth")
    assert property_name("KAFKA_CONFLUENT_X___Y", "KAFKA_", "confluent") == "confluent.x-y"
    assert property_name("KAFKA_CFG_LISTENERS_SASL_SSL", "KAFKA_CFG_", "bitnami") == "listeners.sasl_ssl"


def test_broker_services_become_broker_configs_with_exact_locations(lint):
    result = lint({"docker-compose.yml": COMPOSE})
    brokers = {broker.name: broker for broker in result.project.brokers}
    assert set(brokers) == {"kafka", "broker2"}  # kafka-ui's KAFKA_* variables are not broker settings
    kafka = brokers["kafka"]
    unclean = kafka.settings["unclean.leader.election.enable"]
    assert unclean.value is True
    assert (unclean.key_location.line, unclean.key_location.column) == (7, 9)
    assert (unclean.location.line, unclean.location.column) == (7, 50)
    assert kafka.settings["min.insync.replicas"].value is UNKNOWN
    quoted = kafka.settings["min.insync.replicas"].key_location
    assert (quoted.line, quoted.column) == (8, 10)
    broker2 = brokers["broker2"]
    assert "heap.opts" not in broker2.settings
    assert broker2.settings["auto.create.topics.enable"].value is False
    assert kafka.broker_count == 2 and (kafka.anchor.line, kafka.anchor.column) == (2, 3)


def test_cluster_rule_fires_on_a_compose_broker(lint):
    result = lint({"docker-compose.yml": COMPOSE}, select=["unclean-leader-election-enabled"])
    [finding] = result.findings
    assert (finding.location.path, finding.location.line) == ("docker-compose.yml", 7)


def test_other_yaml_named_compose_without_services_is_not_claimed(lint):
    result = lint({"compose.yaml": "version: '3'\nnetworks:\n  kafka: {}\n"})
    assert result.project.brokers == []


def test_connect_container_becomes_a_worker(lint):
    result = lint({
        "docker-compose.yaml": (
            "services:\n"
            "  connect:\n"
            "    image: confluentinc/cp-kafka-connect:7.6.0\n"
            "    environment:\n"
            "      CONNECT_GROUP_ID: connect\n"
            "      CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR: 1\n"
        )
    }, select=["connect-internal-topic-replication"])
    [worker] = result.project.clients
    assert worker.role is Role.CONNECT and worker.worker_settings["group.id"].value == "connect"
    [finding] = result.findings
    assert (finding.location.line, finding.location.column) == (6, 7)
    assert "config.storage.replication.factor=1" in finding.message


def _codes(result) -> list[tuple[str, int, str]]:
    return sorted((finding.code, finding.location.line, finding.severity.value) for finding in result.findings)


def test_a_broker_on_an_unlisted_image_is_recognised_by_its_environment(lint):
    compose = """\
services:
  broker:
    image: ${REPOSITORY}/cp-server:${TAG}
    environment:
      KAFKA_BROKER_ID: 1
      KAFKA_ZOOKEEPER_CONNECT: zookeeper:2181
      KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE: "true"
  enterprise:
    image: confluentinc/cp-enterprise-kafka:5.5.0
    environment:
      KAFKA_BROKER_ID: 2
      KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://enterprise:9092
"""
    result = lint({"docker-compose.yml": compose})
    brokers = {broker.name: broker for broker in result.project.brokers}
    assert set(brokers) == {"broker", "enterprise"}
    assert brokers["broker"].settings["unclean.leader.election.enable"].value is True
    # Their own defaults are not known: only what is written is judged, no default is quoted.
    assert not brokers["broker"].defaults_known
    assert _codes(result) == [("KL305", 7, "error"), ("KL308", 2, "warning"), ("KL308", 8, "warning")]


def test_a_service_that_runs_its_own_start_command_is_not_read_as_broker_settings(lint):
    compose = """\
services:
  kafka:
    image: quay.io/strimzi/kafka:latest-kafka-4.1.0
    command: ["sh", "-c", "./bin/kafka-server-start.sh ./config/server.properties"]
    environment:
      KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://kafka:9092
"""
    result = lint({"docker-compose.yml": compose})
    assert result.project.brokers == [] and result.findings == []


def test_apache_kafka_without_configuration_runs_its_single_node_defaults(lint):
    compose = """\
services:
  kafka:
    image: apache/kafka:3.8.0
    ports: ["9092:9092"]
"""
    result = lint({"docker-compose.yml": compose})
    [broker] = result.project.brokers
    assert broker.settings["transaction.state.log.replication.factor"].value == 1
    assert "image's own server.properties" in broker.settings["offsets.topic.replication.factor"].implied
    # No "__transaction_state cannot be created" (KL309): one info finding on the cause.
    assert _codes(result) == [("KL306", 2, "warning"), ("KL308", 2, "info")]


def test_apache_kafka_with_configuration_uses_kafka_defaults_and_keeps_foreign_variables_unknown(lint):
    compose = """\
services:
  kafka:
    image: apache/kafka:3.8.0
    environment:
      KAFKA_NODE_ID: 1
      KAFKA_PROCESS_ROLES: broker,controller
      KAFKA_CFG_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: 1
"""
    result = lint({"docker-compose.yml": compose})
    [broker] = result.project.brokers
    assert broker.settings["transaction.state.log.replication.factor"].value is UNKNOWN
    assert "offsets.topic.replication.factor" not in broker.settings
    flagged = [(f.code, f.message) for f in result.findings if f.code == "KL309"]
    assert [message.split(":")[1].strip() for _, message in flagged] == ["offsets.topic.replication.factor=3 (broker default) exceeds 1 broker(s)"]
