"""Reading Strimzi resources: stream shapes, locations, and the operator's cross-resource
resolution (node pools and topics join their Kafka by the strimzi.io/cluster label)."""

from __future__ import annotations

from kafkalint.sources.strimzi import StrimziResource

KAFKA_MIN_ISR_2 = """\
apiVersion: kafka.strimzi.io/v1
kind: Kafka
metadata:
  name: my-cluster
spec:
  kafka:
    listeners:
      - {name: tls, port: 9093, type: internal, tls: true}
    config:
      min.insync.replicas: 2
      default.replication.factor: 3
"""

KAFKA_WITHOUT_MIN_ISR = """\
apiVersion: kafka.strimzi.io/v1
kind: Kafka
metadata:
  name: my-cluster
spec:
  kafka:
    listeners:
      - {name: tls, port: 9093, type: internal, tls: true}
    config:
      default.replication.factor: 3
"""

TOPIC_REPLICAS_3 = """\
apiVersion: kafka.strimzi.io/v1
kind: KafkaTopic
metadata:
  name: orders
  labels:
    strimzi.io/cluster: my-cluster
spec:
  partitions: 12
  replicas: 3
"""

DURABILITY = [
    "min-insync-replicas-missing", "min-insync-replicas-too-high", "min-insync-replicas-too-low",
    "replication-factor-too-low", "topic-replicas-exceed-brokers", "unbounded-retention",
    "unclean-leader-election-enabled",
]


def _pool(name: str, replicas: int, roles: str, cluster: str = "my-cluster", namespace: str = "") -> str:
    ns = f"  namespace: {namespace}\n" if namespace else ""
    return (
        "apiVersion: kafka.strimzi.io/v1\nkind: KafkaNodePool\nmetadata:\n"
        f"  name: {name}\n{ns}  labels:\n    strimzi.io/cluster: {cluster}\n"
        f"spec:\n  replicas: {replicas}\n  roles: [{roles}]\n  storage: {{type: persistent-claim, size: 10Gi}}\n"
    )


def _found(result):
    return [(f.location.path, f.location.line, f.location.column, f.name) for f in result.findings]


def test_topic_with_replicas_3_under_a_cluster_with_min_isr_2_is_clean(lint):
    result = lint({"kafka.yaml": KAFKA_MIN_ISR_2, "topic.yaml": TOPIC_REPLICAS_3}, select=DURABILITY)
    assert _found(result) == []
    assert result.project.topics[0].cluster_config is result.project.brokers[0]


def test_same_topic_under_a_cluster_without_min_isr_gets_min_insync_replicas_missing(lint):
    result = lint({"kafka.yaml": KAFKA_WITHOUT_MIN_ISR, "topic.yaml": TOPIC_REPLICAS_3}, select=DURABILITY)
    assert _found(result) == [
        ("kafka.yaml", 4, 3, "min-insync-replicas-missing"),
        ("topic.yaml", 4, 3, "min-insync-replicas-missing"),
    ]
    topic_finding = result.findings[1]
    assert "KafkaTopic orders leaves min.insync.replicas at the default 1" in topic_finding.message
    assert topic_finding.related[0].path == "kafka.yaml"


def test_topic_config_overrides_the_cluster(lint):
    topic = TOPIC_REPLICAS_3 + "  config:\n    min.insync.replicas: 2\n"
    result = lint({"kafka.yaml": KAFKA_WITHOUT_MIN_ISR, "topic.yaml": topic}, select=DURABILITY)
    assert _found(result) == [("kafka.yaml", 4, 3, "min-insync-replicas-missing")]


def test_a_topic_in_another_namespace_does_not_join_the_cluster(lint):
    kafka = KAFKA_WITHOUT_MIN_ISR.replace("  name: my-cluster\n", "  name: my-cluster\n  namespace: kafka\n")
    topic = TOPIC_REPLICAS_3.replace("  name: orders\n", "  name: orders\n  namespace: other\n")
    result = lint({"kafka.yaml": kafka, "topic.yaml": topic}, select=DURABILITY)
    assert result.project.topics[0].cluster_config is None
    assert _found(result) == [("kafka.yaml", 4, 3, "min-insync-replicas-missing")]


def test_broker_count_sums_broker_role_pools_only(lint):
    files = {
        "pools.yaml": _pool("controllers", 3, "controller") + "---\n" + _pool("big", 2, "broker") + "---\n" + _pool("small", 2, "broker, controller"),
        "kafka.yaml": KAFKA_MIN_ISR_2,
        "stray.yaml": _pool("elsewhere", 9, "broker", cluster="another-cluster"),
    }
    result = lint(files, select=["too-few-brokers"])
    broker = result.project.brokers[0]
    assert broker.broker_count == 4
    assert broker.extras["broker_pools"] == ["big", "small"]
    assert _found(result) == []


def test_v1beta2_broker_count_comes_from_spec_kafka_replicas(lint):
    kafka = """\
apiVersion: kafka.strimzi.io/v1beta2
kind: Kafka
metadata:
  name: legacy
spec:
  kafka:
    version: 3.6.0
    replicas: 2
    listeners:
      - {name: tls, port: 9093, type: internal, tls: true}
    storage: {type: persistent-claim, size: 10Gi}
  zookeeper:
    replicas: 3
    storage: {type: persistent-claim, size: 10Gi}
"""
    result = lint({"kafka.yaml": kafka}, select=["too-few-brokers", "topic-replicas-exceed-brokers", "zookeeper-config-on-kraft"])
    assert _found(result) == [
        ("kafka.yaml", 4, 3, "topic-replicas-exceed-brokers"),  # offsets.topic.replication.factor default 3 > 2
        ("kafka.yaml", 4, 3, "topic-replicas-exceed-brokers"),  # transaction.state.log.replication.factor default 3 > 2
        ("kafka.yaml", 8, 5, "too-few-brokers"),
    ]
    assert "has 2 broker(s) (spec.kafka.replicas)" in result.findings[2].message


def test_multi_document_list_helm_and_kustomize_output_with_other_kinds(lint):
    helm = """\
---
# Source: platform/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  acks: "all"
---
# Source: platform/templates/kafka.yaml
apiVersion: v1
kind: List
items:
  - apiVersion: kafka.strimzi.io/v1
    kind: KafkaTopic
    metadata:
      name: listed
    spec:
      replicas: 2
  - apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: app
---
apiVersion: kafka.strimzi.io/v1
kind: KafkaTopic
metadata:
  name: second
spec:
  replicas: 1
"""
    result = lint({"rendered.yaml": helm}, select=["replication-factor-too-low", "strimzi-schema-violation"])
    resources = [r for r in result.project.resources if isinstance(r, StrimziResource)]
    assert [(r.kind, r.name, r.anchor.line) for r in resources] == [("KafkaTopic", "listed", 17), ("KafkaTopic", "second", 28)]
    assert _found(result) == [
        ("rendered.yaml", 19, 7, "replication-factor-too-low"),
        ("rendered.yaml", 30, 3, "replication-factor-too-low"),
    ]
    assert result.project.clients == []  # the ConfigMap beside them is not read as a client


def test_every_key_and_value_keeps_line_and_column(lint):
    result = lint({"kafka.yaml": KAFKA_MIN_ISR_2})
    broker = result.project.brokers[0]
    setting = broker.settings["min.insync.replicas"]
    assert (setting.key_location.line, setting.key_location.column) == (10, 7)
    assert (setting.location.line, setting.location.column, setting.location.end_column) == (10, 28, 29)
    assert setting.value == 2
    resource = result.project.resources[0]
    assert (resource.kind_location.line, resource.anchor.line, resource.anchor.column) == (2, 4, 3)


def test_kafka_connector_becomes_a_connector_config(lint):
    connector = """\
apiVersion: kafka.strimzi.io/v1
kind: KafkaConnector
metadata:
  name: sink
spec:
  class: org.example.ElasticsearchSinkConnector
  config:
    topics.regex: "orders-.*"
    errors.tolerance: all
"""
    result = lint({"connector.yaml": connector}, select=["connect-errors-tolerance-without-dlq"])
    [config] = result.project.connectors
    assert (config.name, config.connector_class, config.origin) == ("sink", "org.example.ElasticsearchSinkConnector", "strimzi")
    assert _found(result) == [("connector.yaml", 9, 5, "connect-errors-tolerance-without-dlq")]


def test_v1beta2_legacy_fields_are_fine_but_v1_names_their_new_place(lint):
    kafka = KAFKA_MIN_ISR_2.replace("    listeners:", "    replicas: 3\n    listeners:")
    result = lint({"kafka.yaml": kafka}, select=["strimzi-schema-violation"])
    assert _found(result) == [("kafka.yaml", 7, 5, "strimzi-schema-violation")]
    assert "v1 takes the broker count from KafkaNodePool spec.replicas" in result.findings[0].message
    legacy = kafka.replace("kafka.strimzi.io/v1", "kafka.strimzi.io/v1beta2")
    again = lint({"legacy.yaml": legacy}, select=["strimzi-schema-violation"])  # kafka.yaml is still beside it
    assert [item for item in _found(again) if item[0] == "legacy.yaml"] == []


def test_unknown_kafkalint_kind_and_strimzi_core_group_are_left_alone(lint):
    podset = "apiVersion: core.strimzi.io/v1\nkind: StrimziPodSet\nmetadata:\n  name: my-cluster-kafka\nspec: {}\n"
    rebalance = "apiVersion: kafka.strimzi.io/v1\nkind: KafkaRebalance\nmetadata:\n  name: full\nspec:\n  mode: full\n"
    result = lint({"podset.yaml": podset, "rebalance.yaml": rebalance})
    assert _found(result) == []
    assert [r.kind for r in result.project.resources] == ["KafkaRebalance"]


def test_schema_violation_does_not_print_secret_values(lint):
    user = """\
apiVersion: kafka.strimzi.io/v1
kind: KafkaUser
metadata:
  name: app
spec:
  authentication:
    type: scram-sha-512
    password:
      valueFrom:
        secretKeyRef: {name: app-secret, key: password}
  authorisation:
    type: simple
"""
    result = lint({"user.yaml": user}, select=["strimzi-schema-violation"])
    assert _found(result) == [("user.yaml", 11, 3, "strimzi-schema-violation")]
    assert "did you mean 'authorization'" in result.findings[0].message


def test_template_placeholders_are_unknown_not_wrong(lint):
    # A Helm chart's templates/ file that happens to be valid YAML, and an envsubst manifest.
    files = {
        "templates/kafka.yaml": (
            "apiVersion: kafka.strimzi.io/v1\nkind: Kafka\nmetadata:\n  name: \"{{ .Release.Name }}\"\nspec:\n  kafka:\n"
            "    listeners:\n      - {name: tls, port: 9093, type: internal, tls: true}\n"
            "    config:\n      min.insync.replicas: \"{{ .Values.minIsr }}\"\n      default.replication.factor: 3\n"
        ),
        "topic.yaml": TOPIC_REPLICAS_3.replace("replicas: 3", "replicas: ${TOPIC_REPLICAS}"),
    }
    result = lint(files, select=DURABILITY + ["strimzi-schema-violation"])
    assert _found(result) == []
    setting = result.project.brokers[0].settings["min.insync.replicas"]
    assert setting.known is False


def test_operator_rejections_beyond_the_schema(lint):
    kafka = """\
apiVersion: kafka.strimzi.io/v1
kind: Kafka
metadata:
  name: my-cluster
spec:
  kafka:
    listeners:
      - {name: tls, port: 9093, type: internal, tls: true}
      - {name: tls, port: 9094, type: internal, tls: true}
      - {name: ext, port: 9093, type: nodeport, tls: true}
      - {name: jmx, port: 9999, type: internal, tls: true}
"""
    topic = "apiVersion: kafka.strimzi.io/v1\nkind: KafkaTopic\nmetadata:\n  name: Orders_Topic\nspec:\n  replicas: 3\n"
    result = lint({"kafka.yaml": kafka, "topic.yaml": topic}, select=["strimzi-schema-violation"])
    assert [(f.location.path, f.location.line, f.location.column) for f in result.findings] == [
        ("kafka.yaml", 9, 10), ("kafka.yaml", 10, 21), ("kafka.yaml", 11, 21), ("topic.yaml", 4, 3),
    ]
    messages = [f.message for f in result.findings]
    assert "listeners[1].name tls repeats listener 0's" in messages[0]
    assert "listeners[2].port 9093 repeats listener 0's" in messages[1]
    assert "port 9999 is taken by Strimzi's JMX" in messages[2]
    assert "metadata.name 'Orders_Topic' is not a valid Kubernetes name" in messages[3] and "spec.topicName" in messages[3]


def test_route_listener_without_tls_is_rejected_by_the_operator(lint):
    kafka = KAFKA_MIN_ISR_2.replace(
        "      - {name: tls, port: 9093, type: internal, tls: true}",
        "      - {name: tls, port: 9093, type: internal, tls: true, authentication: {type: tls}}\n"
        "      - {name: external, port: 9094, type: route, tls: false, authentication: {type: tls}}",
    )
    result = lint({"kafka.yaml": kafka}, select=["listener-without-tls"])
    assert [(f.location.line, f.severity.value) for f in result.findings] == [(9, "error")]
    assert "listener external (route) has tls: false: the operator rejects it" in result.findings[0].message
    assert "the operator rejects it" in result.findings[0].message


def test_one_crd_copy_serving_the_version_is_enough(lint):
    def crd(versions: str) -> str:
        return (
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: kafkatopics.kafka.strimzi.io\n"
            "spec:\n  group: kafka.strimzi.io\n  names: {kind: KafkaTopic, plural: kafkatopics}\n  scope: Namespaced\n"
            f"  versions:\n{versions}"
        )
    v1 = "    - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}\n"
    v1beta2 = "    - {name: v1beta2, served: true, storage: false, schema: {openAPIV3Schema: {type: object}}}\n"
    topic = TOPIC_REPLICAS_3.replace("kafka.strimzi.io/v1", "kafka.strimzi.io/v1beta2")
    only_v1 = lint({"new/crd.yaml": crd(v1), "topic.yaml": topic}, select=["strimzi-api-version-not-served"])
    assert [(f.severity.value, f.location.line) for f in only_v1.findings] == [("error", 1)]
    assert "v1beta2 is not served by the CRD in the tree; use v1" in only_v1.findings[0].message
    assert [location.path for location in only_v1.findings[0].related] == ["new/crd.yaml"]
    both = lint({"old/crd.yaml": crd(v1 + v1beta2), "topic.yaml": topic}, select=["strimzi-api-version-not-served"])
    assert [(f.severity.value, f.location.line) for f in both.findings] == [("info", 1)]


def test_jsonschema_is_imported_only_when_a_strimzi_file_is_present(tmp_path):
    import subprocess
    import sys

    (tmp_path / "server.properties").write_text("process.roles=broker\nmin.insync.replicas=2\n")
    (tmp_path / "strimzi").mkdir()
    (tmp_path / "strimzi" / "topic.yaml").write_text(TOPIC_REPLICAS_3)
    probe = (
        "import sys\nfrom pathlib import Path\nfrom kafkalint.engine import run\n"
        "run([Path(sys.argv[1])])\nprint('jsonschema' in sys.modules)\n"
    )
    for target, expected in (("server.properties", "False"), ("strimzi", "True")):
        completed = subprocess.run(
            [sys.executable, "-c", probe, target], cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
        assert completed.stdout.strip() == expected, (target, completed.stderr)


def test_kustomize_patches_are_fragments_not_resources(lint):
    files = {
        "base/kafka.yaml": KAFKA_MIN_ISR_2,
        "base/kustomization.yaml": "resources:\n  - kafka.yaml\n",
        "overlays/prod/kustomization.yaml": (
            "resources:\n  - ../../base\npatches:\n  - path: kafka-patch.yaml\npatchesStrategicMerge:\n  - ../shared/topic-patch.yaml\n"
        ),
        "overlays/prod/kafka-patch.yaml": (
            "apiVersion: kafka.strimzi.io/v1\nkind: Kafka\nmetadata:\n  name: my-cluster\nspec:\n  kafka:\n"
            "    confg:\n      min.insync.replicas: 2\n"
        ),
        "overlays/shared/topic-patch.yaml": (
            "apiVersion: kafka.strimzi.io/v1\nkind: KafkaTopic\nmetadata:\n  name: orders\nspec:\n  replicas: 1\n"
        ),
    }
    result = lint(files)
    # The patch's misspelled field is still reported; nothing else about the fragments is.
    assert [(f.location.path, f.location.line, f.name) for f in result.findings if "overlays" in f.location.path] == [
        ("overlays/prod/kafka-patch.yaml", 7, "strimzi-schema-violation")
    ]
    assert [broker.anchor.path for broker in result.project.brokers] == ["base/kafka.yaml"]
    assert result.project.topics == []


def test_bridge_producer_config_is_judged_like_any_producer(lint):
    bridge = """\
apiVersion: kafka.strimzi.io/v1
kind: KafkaBridge
metadata:
  name: http
spec:
  replicas: 1
  bootstrapServers: my-cluster-kafka-bootstrap:9092
  producer:
    config:
      acks: 0
  consumer:
    config:
      auto.offset.reset: earliest
"""
    result = lint({"bridge.yaml": bridge}, select=["producer-acks-zero", "consumer-auto-commit"])
    assert [(f.location.line, f.location.column, f.name) for f in result.findings] == [(10, 7, "producer-acks-zero")]
    [client] = result.project.clients
    assert (client.role.value, client.name, client.origin) == ("producer", "KafkaBridge http producer", "strimzi")
