"""Strimzi's own examples (../shared/corpus/strimzi) get exactly the findings a Kafka operator
would agree with, validate against kafkalint's schemas and the vendored CRDs, and kafkalint's
schemas accept every field the CRDs define where they are strict."""

from __future__ import annotations

import json
from functools import lru_cache

import pytest
import yaml

from kafkalint.sources.strimzi_validation import own_schema
from tests.conftest import corpus_dir

# Security and operations findings every Strimzi demo cluster gets: its examples are meant to be
# minimal, not production-ready, and an operator reviewing them for production would say so.
#   auto-create-topics-enabled: the broker default (true) is left as is.
#   no-authorization: no spec.kafka.authorization.
#   no-cruise-control, no-metrics (info): no spec.cruiseControl, metricsConfig or kafkaExporter.
#   listener-without-authentication: neither listener has authentication.
#   listener-without-tls: the `plain` listener has tls: false.
def _demo_cluster(kafka_name_line: int, plain_line: int) -> set[tuple[int, str]]:
    return {
        (kafka_name_line, "auto-create-topics-enabled"),
        (kafka_name_line, "no-authorization"),
        (kafka_name_line, "no-cruise-control"),
        (kafka_name_line, "no-metrics"),
        (plain_line, "listener-without-authentication"),  # `- name: plain`
        (plain_line + 3, "listener-without-tls"),  # its `tls: false`
        (plain_line + 4, "listener-without-authentication"),  # `- name: tls`
    }


EXPECTED: dict[str, set[tuple[int, str]]] = {
    # Bridge, Connect and the source connector: nothing a durability or security rule can fault
    # (Connect's internal topics use the broker default replication factor, -1).
    "examples/bridge/kafka-bridge.yaml": set(),
    "examples/connect/kafka-connect.yaml": set(),
    "examples/connect/kafka-connect-build.yaml": set(),
    "examples/connect/source-connector.yaml": set(),
    # Durable settings (RF 3, min.insync.replicas 2, 3 brokers): only the demo-cluster findings.
    "examples/kafka/kafka-persistent.yaml": _demo_cluster(42, 48),
    "examples/kafka/kafka-jbod.yaml": _demo_cluster(46, 52),
    "examples/kafka/kafka-with-dual-role-nodes.yaml": _demo_cluster(24, 30),
    # Both node pools keep their data on emptyDir: broker replicas and the KRaft metadata log.
    "examples/kafka/kafka-ephemeral.yaml": _demo_cluster(40, 46) | {(15, "ephemeral-storage"), (33, "ephemeral-storage")},
    # One broker: every replication factor is 1 and transaction.state.log.min.isr 1; one
    # controller: the metadata quorum cannot lose it.
    # A deliberate single-broker development cluster: one (info) finding on the cause, nothing
    # that restates it (replication factors of 1, the quorum of one), and no auto-create warning
    # on a playground.
    "examples/kafka/kafka-single-node.yaml": (_demo_cluster(24, 30) - {(24, "auto-create-topics-enabled")})
    | {(8, "too-few-brokers")},
    # replicas: 1 is a single copy of the data.
    "examples/topic/kafka-topic.yaml": {(9, "replication-factor-too-low")},
    # ACLs name their topic and group; `host: "*"` is any host, not any resource.
    "examples/user/kafka-user.yaml": set(),
    # v1beta2 works up to Strimzi 0.51 only (info); otherwise as their v1 counterparts.
    "legacy-0.38/connect-kafka-connect.yaml": {(1, "strimzi-api-version-not-served")},
    "legacy-0.38/kafka-kafka-persistent.yaml": _demo_cluster(4, 10) | {(1, "strimzi-api-version-not-served")},
    # spec.kafka.storage and the ZooKeeper storage are ephemeral.
    "legacy-0.38/kafka-kafka-ephemeral.yaml": _demo_cluster(4, 10)
    | {(1, "strimzi-api-version-not-served"), (26, "ephemeral-storage"), (30, "ephemeral-storage")},
    "legacy-0.38/topic-kafka-topic.yaml": {(1, "strimzi-api-version-not-served"), (9, "replication-factor-too-low")},
    "legacy-0.38/user-kafka-user.yaml": {(1, "strimzi-api-version-not-served")},
}


def _corpus_text(relative: str) -> str:
    return (corpus_dir("strimzi") / relative).read_text(encoding="utf-8")


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_strimzi_example_gets_exactly_the_expected_findings(relative, lint):
    name = relative.rsplit("/", 1)[-1]
    result = lint({name: _corpus_text(relative)})
    got = {(finding.location.line, finding.name) for finding in result.findings}
    assert got == EXPECTED[relative], sorted(got)


def test_every_corpus_example_is_listed():
    root = corpus_dir("strimzi")
    present = {
        str(path.relative_to(root))
        for folder in ("examples", "legacy-0.38")
        for path in (root / folder).rglob("*.yaml")
    }
    assert present == set(EXPECTED)


def test_whole_corpus_with_its_crds_has_no_schema_violation(lint):
    root = corpus_dir("strimzi")
    files = {str(path.relative_to(root)): path.read_text(encoding="utf-8") for path in root.rglob("*.yaml")}
    result = lint(files)
    assert [f for f in result.findings if f.name in ("strimzi-schema-violation", "parse-error")] == []
    # StrimziPodSet belongs to core.strimzi.io, not kafka.strimzi.io: not a CRD of the resources read here.
    crds = [r for r in result.project.resources if type(r).__name__ == "StrimziCrd"]
    assert sorted(crd.crd_kind for crd in crds) == sorted(
        ["Kafka", "KafkaConnect", "KafkaTopic", "KafkaUser", "KafkaNodePool", "KafkaBridge",
         "KafkaConnector", "KafkaMirrorMaker2", "KafkaRebalance"]
    )
    # The vendored CRDs serve v1 only: the legacy v1beta2 files would be rejected by that API server.
    served = [f for f in result.findings if f.name == "strimzi-api-version-not-served"]
    assert {f.severity.value for f in served} == {"error"}
    assert all("not served by the CRD in the tree" in f.message for f in served)
    assert all(f.related and f.related[0].path.startswith("crds/") for f in served)


def test_topic_with_one_replica_under_the_persistent_example_cluster_cannot_take_acks_all(lint):
    # The example topic (replicas 1) joined to the example cluster (min.insync.replicas 2):
    # every acks=all write fails with NotEnoughReplicas.
    result = lint(
        {
            "kafka/kafka-persistent.yaml": _corpus_text("examples/kafka/kafka-persistent.yaml"),
            "kafka/kafka-topic.yaml": _corpus_text("examples/topic/kafka-topic.yaml"),
        },
        select=["min-insync-replicas-too-high", "min-insync-replicas-missing"],
    )
    assert [(f.location.path, f.location.line, f.name) for f in result.findings] == [
        ("kafka/kafka-topic.yaml", 9, "min-insync-replicas-too-high")
    ]
    assert "min.insync.replicas=2 (inherited from Kafka my-cluster at kafka/kafka-persistent.yaml:61)" in result.findings[0].message


def test_example_connector_is_not_started_by_the_example_connect_cluster(lint):
    # Strimzi's own comment in source-connector.yaml says the KafkaConnect needs the
    # strimzi.io/use-connector-resources annotation, which kafka-connect.yaml has commented out.
    result = lint(
        {
            "connect/kafka-connect.yaml": _corpus_text("examples/connect/kafka-connect.yaml"),
            "connect/source-connector.yaml": _corpus_text("examples/connect/source-connector.yaml"),
        }
    )
    assert [(f.location.path, f.location.line, f.name) for f in result.findings] == [
        ("connect/source-connector.yaml", 14, "connector-resources-not-enabled")
    ]


def test_crd_schema_catches_a_typo_where_kafkalints_schema_stays_open(lint):
    root = corpus_dir("strimzi")
    result = lint(
        {
            "crds/040-Crd-kafka.yaml": (root / "crds/040-Crd-kafka.yaml").read_text(encoding="utf-8"),
            "kafka.yaml": (
                "apiVersion: kafka.strimzi.io/v1\n"
                "kind: Kafka\n"
                "metadata:\n"
                "  name: my-cluster\n"
                "spec:\n"
                "  kafka:\n"
                "    listeners:\n"
                "      - name: external\n"
                "        port: 9094\n"
                "        type: loadbalancer\n"
                "        tls: true\n"
                "        configuration:\n"
                "          bootstrapp:\n"
                "            host: kafka.example.com\n"
            ),
        },
        select=["strimzi-schema-violation"],
    )
    assert [(f.location.path, f.location.line, f.location.column) for f in result.findings] == [("kafka.yaml", 13, 11)]
    message = result.findings[0].message
    assert "spec.kafka.listeners[0].configuration.bootstrapp is not a field" in message
    assert "did you mean 'bootstrap'" in message and "(CRD crds/040-Crd-kafka.yaml)" in message


# --- kafkalint's schemas against the CRDs -----------------------------------------------------


@lru_cache(maxsize=1)
def _crd_schemas() -> dict[str, dict]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    schemas = {}
    for path in sorted(corpus_dir("strimzi", "crds").glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        schemas[data["spec"]["names"]["kind"]] = data["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    return schemas


def _crd_spec_schema(kind: str) -> dict:
    return _crd_schemas()[kind]


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        pointer = node["$ref"].lstrip("#/").split("/")
        node = schema
        for part in pointer:
            node = node[part]
    return node


def _strict_objects(schema: dict, node: dict, crd: dict, path: str):
    """(path, kafkalint's fields, the CRD's fields) for every object kafkalint closes."""
    node = _resolve(schema, node)
    if node.get("type") == "array" or "items" in node:
        yield from _strict_objects(schema, node.get("items", {}), crd.get("items", {}), path + "[]")
        return
    properties = node.get("properties", {})
    if node.get("additionalProperties") is False:
        yield path, set(properties), set(crd.get("properties", {}))
    for name, child in properties.items():
        if name in crd.get("properties", {}):
            yield from _strict_objects(schema, child, crd["properties"][name], f"{path}.{name}")


KINDS = ["Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "KafkaConnect", "KafkaConnector",
         "KafkaMirrorMaker2", "KafkaBridge", "KafkaRebalance"]


@pytest.mark.parametrize("kind", KINDS)
def test_kafkalint_v1_schema_closes_objects_with_exactly_the_crd_fields(kind):
    schema = own_schema(kind, "v1")
    assert schema is not None
    crd = _crd_spec_schema(kind)
    strict = list(_strict_objects(schema, schema, crd, kind))
    assert strict, f"{kind}: no object is checked for unknown fields"
    for path, ours, theirs in strict:
        assert ours == theirs, f"{path}: only kafkalint {sorted(ours - theirs)}, only the CRD {sorted(theirs - ours)}"


@pytest.mark.parametrize("kind", KINDS)
def test_kafkalint_v1_schema_enums_match_the_crd(kind):
    schema = own_schema(kind, "v1")
    crd = _crd_spec_schema(kind)

    def walk(node: dict, theirs: dict, path: str):
        node = _resolve(schema, node)
        if "enum" in node:
            assert node["enum"] == theirs.get("enum"), path
        if "items" in node:
            walk(node["items"], theirs.get("items", {}), path + "[]")
        for name, child in node.get("properties", {}).items():
            walk(child, theirs.get("properties", {}).get(name, {}), f"{path}.{name}")

    walk(schema, crd, kind)


def test_v1beta2_schema_adds_the_legacy_fields_to_v1():
    legacy = own_schema("Kafka", "v1beta2")
    kafka = legacy["properties"]["spec"]["properties"]["kafka"]["properties"]
    assert {"replicas", "storage", "resources"} <= set(kafka)
    assert "zookeeper" in legacy["properties"]["spec"]["properties"]
    assert "replicas" not in own_schema("Kafka", "v1")["properties"]["spec"]["properties"]["kafka"]["properties"]
    assert json.dumps(own_schema("KafkaConnect", "v1beta2")["properties"]["spec"]["required"]) == '["bootstrapServers"]'
