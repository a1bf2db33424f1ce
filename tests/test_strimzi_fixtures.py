"""The Strimzi fixtures end to end: a production-shaped cluster is silent under every rule, and
the broken one gets exactly the findings its comments promise."""

from __future__ import annotations

import os
from pathlib import Path

from kafkalint.engine import run
from kafkalint.settings import Settings
from tests.conftest import ROOT

FIXTURES = ROOT / "fixtures" / "strimzi"


def _lint(folder: str):
    previous = os.getcwd()
    os.chdir(FIXTURES)
    try:
        return run([Path(folder)], Settings())
    finally:
        os.chdir(previous)


def test_production_shaped_cluster_is_silent_under_every_rule():
    result = _lint("good")
    assert [f"{f.location.path}:{f.location.line} {f.name}" for f in result.findings] == []
    assert len(result.files) == 3
    [broker] = result.project.brokers
    assert broker.broker_count == 3
    assert all(topic.cluster_config is broker for topic in result.project.topics)


def test_broken_cluster_gets_exactly_its_findings():
    result = _lint("bad")
    got = [(f.location.path, f.location.line, f.name, f.severity.value) for f in result.findings]
    assert got == [
        ("bad/connect.yaml", 1, "strimzi-api-version-not-served", "info"),
        ("bad/connect.yaml", 14, "strimzi-api-version-not-served", "info"),
        ("bad/connect.yaml", 19, "connector-resources-not-enabled", "error"),
        ("bad/connect.yaml", 25, "connect-errors-tolerance-without-dlq", "warning"),
        ("bad/kafka-cluster.yaml", 10, "metadata-quorum-too-small", "warning"),
        ("bad/kafka-cluster.yaml", 13, "ephemeral-storage", "warning"),
        ("bad/kafka-cluster.yaml", 22, "too-few-brokers", "warning"),
        ("bad/kafka-cluster.yaml", 31, "min-insync-replicas-missing", "error"),
        ("bad/kafka-cluster.yaml", 31, "topic-replicas-exceed-brokers", "error"),  # offsets topic
        ("bad/kafka-cluster.yaml", 31, "topic-replicas-exceed-brokers", "error"),  # transaction state
        ("bad/kafka-cluster.yaml", 31, "no-metrics", "info"),  # metricsConfig is misspelled
        ("bad/kafka-cluster.yaml", 35, "kafka-version-mismatch", "warning"),
        ("bad/kafka-cluster.yaml", 43, "listener-without-authentication", "error"),
        ("bad/kafka-cluster.yaml", 46, "listener-without-tls", "error"),
        ("bad/kafka-cluster.yaml", 50, "replication-factor-too-low", "warning"),
        ("bad/kafka-cluster.yaml", 51, "unclean-leader-election-enabled", "error"),
        ("bad/kafka-cluster.yaml", 53, "strimzi-managed-config", "warning"),
        ("bad/kafka-cluster.yaml", 54, "strimzi-schema-violation", "error"),
        ("bad/topics-and-users.yaml", 4, "min-insync-replicas-missing", "error"),
        ("bad/topics-and-users.yaml", 9, "topic-replicas-exceed-brokers", "error"),
        ("bad/topics-and-users.yaml", 11, "unbounded-retention", "warning"),
        ("bad/topics-and-users.yaml", 27, "kafkauser-wildcard-acl", "warning"),
    ]
    messages = {(f.location.path, f.location.line, f.name): f.message for f in result.findings}
    assert "did you mean 'metricsConfig'" in messages[("bad/kafka-cluster.yaml", 54, "strimzi-schema-violation")]
    assert "KafkaTopic payments: replicas=3 (set at line 9) exceeds 2 broker(s)" in messages[("bad/topics-and-users.yaml", 9, "topic-replicas-exceed-brokers")]
