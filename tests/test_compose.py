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
    assert _codes(result) == [("KL305", 7, "error"), ("KL308", 2, "warning")]  # the count once, for the cluster


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
    # No "__transaction_state cannot be created" (KL309), no auto-create warning on a one-node
    # playground (KL306): one info finding on the cause.
    assert _codes(result) == [("KL308", 2, "info")]


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


def _broker_service(number: int, extra: str = "") -> str:
    return (
        f"  kafka{number}:\n"
        f"    image: confluentinc/cp-kafka:7.8.0\n"
        f"    environment:\n"
        f"      KAFKA_BROKER_ID: {number}\n"
        f"      KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://kafka{number}:9092\n"
        f"      KAFKA_ZOOKEEPER_CONNECT: zoo1:2181\n{extra}"
    )


THREE_BROKERS = "services:\n" + "".join(_broker_service(number) for number in (1, 2, 3))


def test_a_compose_file_is_recognised_by_its_content_whatever_its_name(lint):
    result = lint({"zk-single-kafka-multiple.yml": THREE_BROKERS})
    assert [broker.name for broker in result.project.brokers] == ["kafka1", "kafka2", "kafka3"]
    assert {broker.broker_count for broker in result.project.brokers} == {3}


def test_yaml_with_a_services_key_that_is_no_compose_file_is_not_claimed(lint):
    result = lint({
        "gitlab-ci.yml": "services:\n  - name: apache/kafka:3.7.0\ntest:\n  script: [pytest]\n",
        "catalog.yml": "services:\n  kafka:\n    owner: team-a\n    KAFKA_BROKER_ID: 1\n",
        "deployment.yml": "apiVersion: v1\nkind: List\nservices:\n  kafka:\n    image: apache/kafka:3.7.0\n",
    })
    assert result.project.brokers == []


def test_identical_broker_services_of_one_cluster_are_judged_once(lint):
    result = lint({"kafka-cluster.yml": THREE_BROKERS}, select=["KL301", "KL304", "KL306"])
    assert [(finding.code, finding.location.line) for finding in result.findings] == [
        ("KL301", 2), ("KL304", 2), ("KL306", 2)]
    assert all(finding.message.startswith("cluster of services kafka1, kafka2, kafka3") for finding in result.findings)


def test_a_broker_service_set_differently_is_judged_on_its_own(lint):
    compose = "services:\n" + _broker_service(1) + _broker_service(2) + _broker_service(
        3, "      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false'\n")
    result = lint({"docker-compose.yml": compose}, select=["KL306"])
    assert [(finding.location.line, finding.message.split(":")[0]) for finding in result.findings] == [
        (2, "cluster of services kafka1, kafka2")]


CONNECT_SERVICE = """\
  connect:
    image: confluentinc/cp-kafka-connect:7.8.0
    environment:
      CONNECT_BOOTSTRAP_SERVERS: kafka1:9092
      CONNECT_GROUP_ID: connect
      CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR: 1
"""


def test_a_worker_on_a_one_broker_compose_cluster_may_keep_one_copy(lint):
    """One broker cannot hold a second replica: 1 is the only value, and KL308 reports the cluster."""
    single = lint({"docker-compose.yml": "services:\n" + _broker_service(1) + CONNECT_SERVICE},
                  select=["connect-internal-topic-replication"])
    assert single.findings == []


def test_a_worker_on_a_three_broker_compose_cluster_is_told_about_one_copy(lint):
    result = lint({"docker-compose.yml": THREE_BROKERS + CONNECT_SERVICE}, select=["connect-internal-topic-replication"])
    [finding] = result.findings
    assert (finding.code, finding.location.line) == ("KL752", 25)
    assert "config.storage.replication.factor=1" in finding.message


def test_a_kafka_image_running_a_tool_is_neither_broker_nor_worker(lint):
    """cp-kafka used to pre-create topics (its broker variables only 'satisfy the image'), and a
    Connect image that installs a plugin and then runs the image's own start script."""
    compose = """\
services:
  kafka:
    image: confluentinc/cp-kafka:7.8.0
    environment:
      KAFKA_BROKER_ID: 1
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: 1
  kafka-create-topics:
    image: confluentinc/cp-kafka:7.8.0
    command: "bash -c 'cub kafka-ready -b kafka:29092 1 20 && kafka-topics --create --topic play-events --bootstrap-server kafka:29092'"
    environment:
      KAFKA_BROKER_ID: ignored
      KAFKA_ZOOKEEPER_CONNECT: ignored
  connect:
    image: confluentinc/cp-kafka-connect:7.8.0
    command: ["bash", "-c", "confluent-hub install --no-prompt debezium/debezium-connector-postgresql:2.5.4 && /etc/confluent/docker/run"]
    environment:
      CONNECT_BOOTSTRAP_SERVERS: kafka:9092
      CONNECT_GROUP_ID: connect
"""
    result = lint({"docker-compose.yml": compose})
    assert [broker.name for broker in result.project.brokers] == ["kafka"]
    assert result.project.brokers[0].broker_count == 1
    assert [client.name for client in result.project.clients] == ["connect worker connect"]


def test_an_overlay_compose_file_does_not_say_how_many_brokers_the_cluster_has(lint):
    """`docker compose -f kafka-0-1-2.yml -f kafka-3-4.yml`: the second file's brokers depend on
    services defined in the first; counting its two services as the whole cluster made KL309
    errors ('offsets.topic.replication.factor=3 exceeds 2 brokers')."""
    overlay = "services:\n" + "".join(
        _broker_service(number, "      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: 3\n").replace(
            "    environment:\n", "    depends_on:\n      - kafka0\n    environment:\n")
        for number in (3, 4))
    result = lint({"kafka-3-4.yml": overlay})
    assert [broker.broker_count for broker in result.project.brokers] == [None, None]
    assert [finding.code for finding in result.findings if finding.code in ("KL308", "KL309")] == []
    assert {finding.message.split(" leaves")[0].split(":")[0] for finding in result.findings} == {"cluster of services kafka3, kafka4"}


def test_an_unlisted_image_whose_command_runs_the_image_start_script_is_still_a_broker(lint):
    """cp-enterprise-kafka wrapped in a readiness script that starts /etc/confluent/docker/run:
    its variables are broker settings, and a worker on it may keep one copy of its topics."""
    compose = """\
services:
  kafka:
    image: confluentinc/cp-enterprise-kafka:5.1.0
    environment:
      KAFKA_BROKER_ID: 1
      KAFKA_ZOOKEEPER_CONNECT: zookeeper:2181
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: 1
    command:
      - bash
      - -c
      - |
        /etc/confluent/docker/run &
        sleep infinity
""" + CONNECT_SERVICE.replace("kafka1:9092", "kafka:29092")
    result = lint({"docker-compose.yml": compose}, select=["KL308", "connect-internal-topic-replication"])
    assert [(broker.name, broker.broker_count) for broker in result.project.brokers] == [("kafka", 1)]
    assert [finding.code for finding in result.findings] == ["KL308"]


def test_two_single_broker_clusters_in_one_compose_file_are_two_clusters(lint):
    """A cluster-linking demo: broker-west and broker-east each have their own ZooKeeper. One
    file is not one cluster when every broker names its ensemble or quorum and they differ."""
    def broker(name: str, zookeeper: str) -> str:
        return (
            f"  {name}:\n    image: confluentinc/cp-server:7.8.0\n    environment:\n"
            f"      KAFKA_BROKER_ID: 1\n      KAFKA_ZOOKEEPER_CONNECT: '{zookeeper}'\n"
            f"      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: 1\n      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: 1\n"
        )
    side_by_side = lint({"docker-compose.yml": "services:\n" + broker("broker-west", "zookeeper-west:2181")
                         + broker("broker-east", "zookeeper-east:2181")}, select=["KL304", "KL308", "KL309"])
    assert [(broker.name, broker.broker_count) for broker in side_by_side.project.brokers] == [("broker-west", 1), ("broker-east", 1)]
    assert [(finding.code, finding.severity.value) for finding in side_by_side.findings] == [("KL308", "info"), ("KL308", "info")]
    one_ensemble = lint({"docker-compose.yml": "services:\n" + broker("kafka-1", "zk-1:2181,zk-2:2181")
                         + broker("kafka-2", "zk-2:2181,zk-1:2181")}, select=["KL308"])
    assert [broker.broker_count for broker in one_ensemble.project.brokers] == [2, 2]


def test_brokers_naming_a_server_of_one_ensemble_in_common_are_one_cluster(lint):
    """perkss' secure demo: three brokers of one ZooKeeper ensemble, the second with a typo in
    its list (`zk3:2182` for `zk2:2182`). It reaches the ensemble through zk1 all the same:
    one cluster of three brokers, not one of two and one of one (which gave KL308 and KL309
    errors about too few brokers), and its three identical brokers are judged once."""
    def broker(name: str, broker_id: int, zookeeper: str) -> str:
        return (
            f"  {name}:\n    image: confluentinc/cp-kafka:7.8.0\n    environment:\n"
            f"      KAFKA_BROKER_ID: {broker_id}\n      KAFKA_ZOOKEEPER_CONNECT: {zookeeper}\n"
            f"      KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://{name}:9092\n      KAFKA_MIN_INSYNC_REPLICAS: 2\n"
            f"      KAFKA_DEFAULT_REPLICATION_FACTOR: 3\n      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false'\n"
        )
    compose = "services:\n" + broker("kafka1", 1, "zk1:2181,zk2:2182,zk3:2183") + broker(
        "kafka2", 2, "zk1:2181,zk3:2182,zk3:2183"
    ) + broker("kafka3", 3, "zk1:2181,zk2:2182,zk3:2183")
    result = lint({"docker-compose.yml": compose})
    assert [(broker.name, broker.broker_count) for broker in result.project.brokers] == [("kafka1", 3), ("kafka2", 3), ("kafka3", 3)]
    assert result.findings == []
    # Judged once, though each spells its ensemble its own way: one finding for the cluster.
    unset = compose.replace("      KAFKA_MIN_INSYNC_REPLICAS: 2\n", "")
    findings = lint({"docker-compose.yml": unset}, select=["KL301"]).findings
    assert [(f.code, f.location.line) for f in findings] == [("KL301", 2)]
    assert findings[0].message.startswith("cluster of services kafka1, kafka2, kafka3 ")
    # A broker naming no server of the others' ensemble is another cluster, as before.
    apart = compose.replace("zk1:2181,zk3:2182,zk3:2183", "zk9:2181")
    counts = [(broker.name, broker.broker_count) for broker in lint({"docker-compose.yml": apart}).project.brokers]
    assert counts == [("kafka1", 2), ("kafka2", 1), ("kafka3", 2)]


def test_a_service_extended_from_another_file_does_not_make_the_file_an_overlay(lint):
    """conduktor's full-stack.yml: one broker, and a console service that `extends` its definition
    from conduktor.yml. The file is still one whole cluster: a one-node development cluster."""
    compose = """\
services:
  kafka1:
    image: confluentinc/cp-kafka:7.8.0
    environment:
      KAFKA_BROKER_ID: 1
      KAFKA_ZOOKEEPER_CONNECT: zoo1:2181
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: 1
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: 1
  console:
    extends:
      service: conduktor-console
      file: conduktor.yml
"""
    result = lint({"full-stack.yml": compose}, select=["KL301", "KL304", "KL308"])
    assert [(broker.name, broker.broker_count) for broker in result.project.brokers] == [("kafka1", 1)]
    assert [(finding.code, finding.severity.value) for finding in result.findings] == [("KL308", "info")]



OVERRIDE = """\
services:
  control-center:
    image: confluentinc/cp-enterprise-control-center:7.3.0
    environment:
      CONTROL_CENTER_BOOTSTRAP_SERVERS: broker:9092
  broker:
    image: confluentinc/cp-server:7.3.0
    environment:
      KAFKA_METRIC_REPORTERS: io.confluent.metrics.reporter.ConfluentMetricsReporter
      CONFLUENT_METRICS_REPORTER_BOOTSTRAP_SERVERS: broker:9092
      CONFLUENT_METRICS_REPORTER_TOPIC_REPLICAS: 1
"""


def test_a_service_that_only_adds_settings_to_a_broker_defined_elsewhere_is_judged_on_what_it_sets(lint):
    # docker-compose.override.yml: no broker.id, listeners or cluster address, so the broker's
    # definition (and its other settings) is in the base file; no default is assumed here.
    result = lint({"docker-compose.override.yml": OVERRIDE})
    [broker] = result.project.brokers
    assert broker.defaults_known is False
    assert broker.broker_count is None
    assert result.findings == []
    complete = OVERRIDE.replace("      KAFKA_METRIC_REPORTERS", "      KAFKA_ZOOKEEPER_CONNECT: zookeeper:2181\n      KAFKA_METRIC_REPORTERS")
    codes = {finding.code for finding in lint({"docker-compose.yml": complete}).findings}
    assert {"KL301", "KL308", "KL309"} <= codes  # the same service with its cluster address is a whole broker


WURSTMEISTER = """\
services:
  broker:
    image: wurstmeister/kafka:2.12-2.3.0
    environment:
      KAFKA_BROKER_ID: 1
      KAFKA_ZOOKEEPER_CONNECT: zookeeper:2181
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false'
      KAFKA_CREATE_TOPICS: "orders:20:1,audit:1:1:compact"
"""


def test_topics_the_image_creates_at_start_are_declared_on_its_cluster(lint):
    # wurstmeister/kafka creates KAFKA_CREATE_TOPICS (name:partitions:replicas[:cleanup.policy]) at start:
    # a producer of 'orders' writes a declared topic even though auto-creation is off.
    result = lint({
        "docker-compose.yml": WURSTMEISTER,
        "producer.yaml": "bootstrap.servers: broker:9092\nacks: all\ntopic: orders\nkey.serializer: org.apache.kafka.common.serialization.StringSerializer\n",
    })
    topics = {topic.name: topic for topic in result.project.topics}
    assert set(topics) == {"orders", "audit"}
    assert (topics["orders"].partitions, topics["orders"].replicas) == (20, 1)
    assert topics["audit"].settings["cleanup.policy"].value == "compact"
    assert topics["orders"].cluster_config is result.project.brokers[0]
    assert (topics["orders"].anchor.path, topics["orders"].anchor.line) == ("docker-compose.yml", 8)
    assert not [finding for finding in result.findings if finding.code == "KL605"]


def test_a_tests_cluster_has_the_brokers_its_test_needs_and_a_topic_takes_the_copies_there_are(tmp_path):
    """wurstmeister/kafka-docker: test/docker-compose.yml runs two brokers for its tests (KL308
    'replication factor 3 is impossible'), and the single-broker example creates topic 'test'
    with one replica (KL304 'below 3': one broker holds one copy; too-few-brokers names why)."""
    from tests.conftest import lint_files

    two = (
        "services:\n"
        "  zookeeper:\n    image: confluentinc/cp-zookeeper:7.6.0\n"
        "  kafka_1:\n    image: confluentinc/cp-kafka:7.6.0\n    environment:\n"
        "      KAFKA_BROKER_ID: 1\n      KAFKA_ZOOKEEPER_CONNECT: zookeeper:2181\n"
        "  kafka_2:\n    image: confluentinc/cp-kafka:7.6.0\n    environment:\n"
        "      KAFKA_BROKER_ID: 2\n      KAFKA_ZOOKEEPER_CONNECT: zookeeper:2181\n"
    )
    result = lint_files(tmp_path, {"test/docker-compose.yml": two, "ops/docker-compose.yml": two}, select=["KL308"])
    assert [(f.code, f.location.path, f.severity.value) for f in result.findings] == [("KL308", "ops/docker-compose.yml", "warning")]

    single = (
        "services:\n"
        "  zookeeper:\n    image: wurstmeister/zookeeper\n"
        "  kafka:\n    image: wurstmeister/kafka\n    environment:\n"
        "      KAFKA_ZOOKEEPER_CONNECT: zookeeper:2181\n"
        "      KAFKA_CREATE_TOPICS: \"orders:1:1\"\n"
    )
    result = lint_files(tmp_path / "single", {"docker-compose.yml": single}, select=["KL304", "KL308"])
    assert [(f.code, f.severity.value) for f in result.findings] == [("KL308", "info")]
    three = single.replace("  kafka:\n", "  kafka2:\n    image: wurstmeister/kafka\n    environment:\n      KAFKA_ZOOKEEPER_CONNECT: zookeeper:2181\n"
                           "  kafka3:\n    image: wurstmeister/kafka\n    environment:\n      KAFKA_ZOOKEEPER_CONNECT: zookeeper:2181\n  kafka:\n")
    result = lint_files(tmp_path / "three", {"docker-compose.yml": three}, select=["KL304"])
    assert [(f.code, f.location.line) for f in result.findings] == [("KL304", 16)]
    assert "topic 'orders'" in result.findings[0].message and "replicas=1" in result.findings[0].message


def test_a_clusters_broker_count_is_said_once_even_when_its_brokers_differ(tmp_path):
    """cp-demo: kafka1 runs broker and controller, kafka2 only a broker, each with its own
    keystore file; KL308 'has 2 broker(s)' was said for each service. The count is the
    cluster's: one finding, naming both. Each node's key and certificate files never make two
    brokers different."""
    from kafkalint.broker_groups import judged_brokers
    from tests.conftest import lint_files

    def broker(node: int, roles: str) -> str:
        return (
            f"  kafka{node}:\n    image: confluentinc/cp-server:7.8.0\n    environment:\n"
            f"      KAFKA_NODE_ID: {node}\n      KAFKA_PROCESS_ROLES: {roles}\n"
            "      KAFKA_CONTROLLER_QUORUM_VOTERS: 1@kafka1:9093\n"
            f"      KAFKA_SSL_KEYSTORE_LOCATION: /etc/kafka/secrets/kafka.kafka{node}.keystore.jks\n"
            "      KAFKA_MIN_INSYNC_REPLICAS: 1\n"
        )

    compose = "services:\n" + broker(1, "broker,controller") + broker(2, "broker")
    result = lint_files(tmp_path, {"docker-compose.yml": compose}, select=["KL308"])
    assert [(f.code, f.location.line) for f in result.findings] == [("KL308", 2)]
    assert "cluster of services kafka1, kafka2 has 2 broker(s)" in result.findings[0].message
    same_roles = "services:\n" + broker(1, "broker,controller") + broker(2, "broker,controller")
    result = lint_files(tmp_path / "same", {"docker-compose.yml": same_roles}, select=["KL308"])
    assert [broker.label for broker in judged_brokers(result.project)] == ["cluster of services kafka1, kafka2"]
