"""The bundled fixtures are the README demo: each gives exactly the findings listed here."""

from __future__ import annotations

import os
from pathlib import Path

from kafkalint.engine import run
from tests.conftest import ROOT


def findings_in(folder: str) -> list[tuple[str, str, int]]:
    previous = os.getcwd()
    os.chdir(ROOT)
    try:
        result = run([Path(folder)])
    finally:
        os.chdir(previous)
    return [(f.location.path.rsplit("/", 1)[-1], f.name, f.location.line) for f in result.findings]


def test_good_client_configs_are_silent():
    assert findings_in("fixtures/clients/good") == []


def test_bad_client_configs_give_the_documented_findings():
    assert findings_in("fixtures/clients/bad") == [
        ("audit-consumer.yaml", "consumer-auto-commit", 2),
        ("audit-consumer.yaml", "consumer-max-poll-records-oversized", 6),
        ("audit-consumer.yaml", "consumer-heartbeat-session-ratio", 8),
        # A librdkafka producer (CRC32 keys) next to a Java one (murmur2), topics unknown:
        ("librdkafka-clients.json", "partitioner-mismatch", 4),
        ("librdkafka-clients.json", "producer-retries-disabled", 5),
        ("librdkafka-clients.json", "plaintext-secret", 6),
        ("librdkafka-clients.json", "consumer-auto-commit", 8),
        ("librdkafka-clients.json", "config-for-other-role", 10),
        ("payments-producer.properties", "duplicate-config-key", 5),
        ("payments-producer.properties", "producer-idempotence-conflict", 6),
        ("payments-producer.properties", "producer-delivery-timeout-too-small", 9),
        ("payments-producer.properties", "plaintext-secret", 10),
        ("payments-producer.properties", "producer-acks-zero", 11),
    ]


def test_careful_python_worker_is_silent():
    assert findings_in("fixtures/python/good") == []


def test_careless_python_worker_gives_every_poll_loop_finding():
    assert findings_in("fixtures/python/bad") == [
        ("billing_worker.py", "consumer-auto-commit", 8),
        ("billing_worker.py", "consumer-not-closed", 8),
        ("billing_worker.py", "producer-acks-zero", 13),
        ("billing_worker.py", "poison-pill-unhandled", 26),
        ("billing_worker.py", "unchecked-message-error", 26),
        ("billing_worker.py", "poll-loop-blocking-call", 27),
        ("billing_worker.py", "producer-never-polled", 29),
        ("billing_worker.py", "commit-per-message", 30),
    ]
