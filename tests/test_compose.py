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
