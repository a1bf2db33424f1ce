"""Cases where one rule must stay silent because another rule owns the finding by design.

Most were good examples once; a good example must be silent under every rule, and these are not
(a v1beta2 resource is told v1beta2 ends with Strimzi 0.51, a topic of one replica is
replication-factor-too-low's finding). Each asserts the whole list of findings, so both halves
hold: the rule in question stays silent (by its own conditions, or by `stands_down_for`), and the
owner reports the cause once.
"""

from __future__ import annotations

import pytest

ONE_REPLICA_TOPIC = """\
apiVersion: kafka.strimzi.io/v1
kind: KafkaTopic
metadata:
  name: scratch
spec:
  replicas: 1
"""

SINGLE_NODE_CLUSTER_WITH_INTERNAL_TOPICS_AT_ONE = """\
apiVersion: kafka.strimzi.io/v1
kind: KafkaNodePool
metadata:
  name: dual-role
  labels:
    strimzi.io/cluster: my-cluster
spec:
  replicas: 1
  roles: [controller, broker]
  storage: {type: persistent-claim, size: 100Gi}
---
apiVersion: kafka.strimzi.io/v1
kind: Kafka
metadata:
  name: my-cluster
spec:
  kafka:
    authorization: {type: simple}
    metricsConfig: {type: strimziMetricsReporter}
    listeners:
      - {name: tls, port: 9093, type: internal, tls: true, authentication: {type: tls}}
    config:
      auto.create.topics.enable: false
      offsets.topic.replication.factor: 1
      transaction.state.log.replication.factor: 1
      default.replication.factor: 1
  cruiseControl: {}
  kafkaExporter: {}
  entityOperator: {topicOperator: {}, userOperator: {}}
"""

V1BETA2_KAFKA_WITH_ITS_OWN_REPLICAS_AND_STORAGE = """\
apiVersion: kafka.strimzi.io/v1beta2
kind: Kafka
metadata:
  name: my-cluster
spec:
  kafka:
    config:
      min.insync.replicas: 2
      default.replication.factor: 3
      auto.create.topics.enable: false
    authorization: {type: simple}
    metricsConfig: {type: strimziMetricsReporter}
    replicas: 3
    listeners:
      - {name: tls, port: 9093, type: internal, tls: true, authentication: {type: tls}}
    storage:
      type: persistent-claim
      size: 100Gi
  zookeeper:
    replicas: 3
    storage: {type: persistent-claim, size: 10Gi}
  cruiseControl: {}
  kafkaExporter: {}
  entityOperator: {topicOperator: {}, userOperator: {}}
"""

V1BETA2_ZOOKEEPER_CLUSTER_ON_KAFKA_3_6 = V1BETA2_KAFKA_WITH_ITS_OWN_REPLICAS_AND_STORAGE.replace(
    "    replicas: 3\n    listeners:", "    version: 3.6.0\n    replicas: 3\n    listeners:"
).replace("      auto.create.topics.enable: false\n", "      auto.create.topics.enable: false\n      zookeeper.session.timeout.ms: 18000\n")

V1BETA2_CONNECT_WITH_GROUP_ID_IN_CONFIG = """\
apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaConnect
metadata:
  name: my-connect
spec:
  bootstrapServers: my-cluster-kafka-bootstrap:9093
  config:
    group.id: connect
    offset.storage.topic: connect-offsets
    ssl.endpoint.identification.algorithm: https
"""

SPRING_PROFILES_DIFFERING_IN_AUTO_COMMIT = {
    "app/application.yml": "spring:\n  kafka:\n    consumer:\n      group-id: billing\n",
    "app/application-local.yml": "spring:\n  kafka:\n    consumer:\n      group-id: billing\n      enable-auto-commit: true\n",
}

TOPIC_WITH_ITS_OWN_FLOOR_OF_1_AND_AN_ACKS_ALL_PRODUCER = {
    "topic.yaml": """\
apiVersion: kafka.strimzi.io/v1
kind: KafkaTopic
metadata:
  name: orders
spec:
  replicas: 3
  config:
    min.insync.replicas: 1
""",
    "app/src/main/resources/application.yml": "spring:\n  kafka:\n    template:\n      default-topic: orders\n    producer:\n      acks: all\n",
}

V1BETA2_IS_SERVED_UP_TO_0_51 = [("KL702", "info", 1, "kafka.strimzi.io/v1beta2 is served by Strimzi 0.22 to 0.51 only")]

CASES = [
    # min-insync-replicas-too-high (KL302) and -too-low (KL303): one replica with a floor of 1 is
    # the replication factor's problem, reported once by replication-factor-too-low (KL304).
    pytest.param(
        {"topic.yaml": ONE_REPLICA_TOPIC},
        [("KL304", "warning", 6, "KafkaTopic scratch: replicas=1 (set at line 6) is below 3")],
        id="KL302-KL303-one-replica-topic-with-the-default-floor",
    ),
    pytest.param(
        {"topic.yaml": ONE_REPLICA_TOPIC + "  config:\n    min.insync.replicas: 1\n"},
        [("KL304", "warning", 6, "KafkaTopic scratch: replicas=1 (set at line 6) is below 3")],
        id="KL302-KL303-one-replica-topic-with-its-own-floor-of-1",
    ),
    # min-insync-replicas-too-low (KL303): a topic's own floor of 1 with known acks=all producers is
    # acks-all-with-min-isr-one's finding (KL603), which names the producers.
    pytest.param(
        TOPIC_WITH_ITS_OWN_FLOOR_OF_1_AND_AN_ACKS_ALL_PRODUCER,
        [("KL603", "warning", 8, "topic 'orders' has min.insync.replicas=1 (set at line 8) and 1 acks=all producer(s)")],
        id="KL303-topic-floor-of-1-written-by-an-acks-all-producer",
    ),
    # topic-replicas-exceed-brokers (KL309): internal topics lowered to the one broker fit it; the
    # single-broker development cluster is too-few-brokers' one info finding.
    pytest.param(
        {"kafka.yaml": SINGLE_NODE_CLUSTER_WITH_INTERNAL_TOPICS_AT_ONE},
        [("KL308", "info", 8, "Kafka my-cluster has 1 broker(s) (node pool dual-role), fewer than 3: a single-broker development cluster")],
        id="KL309-single-node-cluster-with-internal-topics-at-one",
    ),
    # strimzi-schema-violation (KL701): v1beta2 still had spec.kafka.replicas, storage and zookeeper.
    pytest.param(
        {"kafka.yaml": V1BETA2_KAFKA_WITH_ITS_OWN_REPLICAS_AND_STORAGE},
        V1BETA2_IS_SERVED_UP_TO_0_51,
        id="KL701-v1beta2-kafka-with-its-own-replicas-and-storage",
    ),
    # zookeeper-config-on-kraft (KL707): a ZooKeeper-era cluster (v1beta2, Kafka 3.6) has ZooKeeper.
    pytest.param(
        {"kafka.yaml": V1BETA2_ZOOKEEPER_CLUSTER_ON_KAFKA_3_6},
        V1BETA2_IS_SERVED_UP_TO_0_51,
        id="KL707-v1beta2-zookeeper-cluster-on-kafka-3.6",
    ),
    # strimzi-managed-config (KL708): the v1beta2 KafkaConnect still took group.id from config.
    pytest.param(
        {"connect.yaml": V1BETA2_CONNECT_WITH_GROUP_ID_IN_CONFIG},
        V1BETA2_IS_SERVED_UP_TO_0_51,
        id="KL708-v1beta2-connect-with-group-id-in-config",
    ),
    # consumer-group-config-drift (KL606): two profiles of one application are alternatives, not
    # two members; the local profile's auto-commit is consumer-auto-commit's finding alone.
    pytest.param(
        SPRING_PROFILES_DIFFERING_IN_AUTO_COMMIT,
        [("KL201", "warning", 5, "enable.auto.commit=true (line 5) commits before processing")],
        id="KL606-spring-profiles-differing-in-auto-commit",
    ),
]


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_only_the_rule_that_owns_the_cause_reports_it(files, expected, lint):
    result = lint(files)
    found = [(finding.code, finding.severity.value, finding.location.line) for finding in result.findings]
    assert found == [(code, severity, line) for code, severity, line, _ in expected], [f.message for f in result.findings]
    for finding, (_, _, _, message_part) in zip(result.findings, expected):
        assert message_part in finding.message


def test_min_insync_replicas_too_low_reports_the_topic_when_acks_all_with_min_isr_one_is_off(lint):
    result = lint(TOPIC_WITH_ITS_OWN_FLOOR_OF_1_AND_AN_ACKS_ALL_PRODUCER, select=["KL303"])
    assert [(f.code, f.location.path, f.location.line) for f in result.findings] == [("KL303", "topic.yaml", 8)]
