"""KL762: an exactly-once Streams commit interval against the transaction timeout, per version
(KAFKA-9809: Streams' 10 s default from 2.6; KAFKA-12499: the start-up check from 3.0, which
reads only producer.transaction.timeout.ms)."""

from __future__ import annotations

import pytest

from kafkalint.knowledge.streams import startup_timeout_check, unwritten_transaction_timeout

HEAD = "application.id=orders\nbootstrap.servers=broker:9092\n"


def _pom(version: str) -> str:
    return (
        "<project><dependencies><dependency><groupId>org.apache.kafka</groupId>"
        f"<artifactId>kafka-clients</artifactId><version>{version}</version></dependency></dependencies></project>\n"
    )


def _kl762(lint, body: str, version: str | None = None) -> list[str]:
    files = {"streams.properties": HEAD + body}
    if version is not None:
        files["pom.xml"] = _pom(version)
    return [f"{f.location.line} {f.message}" for f in lint(files).findings if f.code == "KL762"]


def test_transaction_timeout_facts_per_version():
    assert unwritten_transaction_timeout("2.5.1").value == 60000  # the producer's own default
    assert unwritten_transaction_timeout("2.6.0").value == 10000
    assert startup_timeout_check("2.8.2") is None
    assert startup_timeout_check("3.0.0")["reads"] == "producer.transaction.timeout.ms"


def test_an_explicit_unprefixed_timeout_above_the_interval_still_fails_the_3x_startup_check(lint):
    [message] = _kl762(lint, "processing.guarantee=exactly_once_v2\ncommit.interval.ms=30000\ntransaction.timeout.ms=60000\n")
    assert message.startswith("4 commit.interval.ms=30000 under exactly-once exceeds transaction.timeout.ms=10000")
    assert "ignores transaction.timeout.ms at line 5" in message and "refuses to start" in message


def test_an_unprefixed_timeout_below_the_interval_passes_the_startup_check_and_times_out(lint):
    [message] = _kl762(lint, "processing.guarantee=exactly_once_v2\ncommit.interval.ms=8000\ntransaction.timeout.ms=5000\n")
    assert "transaction.timeout.ms=5000 (transaction.timeout.ms at line 5)" in message
    assert "transactions time out and are aborted" in message


def test_before_2_6_the_producer_default_of_60_seconds_applies(lint):
    assert _kl762(lint, "processing.guarantee=exactly_once\ncommit.interval.ms=30000\n", "2.5.1") == []
    [message] = _kl762(lint, "processing.guarantee=exactly_once\ncommit.interval.ms=90000\n", "2.5.1")
    assert "transaction.timeout.ms=60000 (the producer's transaction.timeout.ms default" in message


@pytest.mark.parametrize(
    ("body", "version"),
    [
        ("processing.guarantee=exactly_once\ncommit.interval.ms=30000\n", "4.0.0"),  # refused itself: KL760's finding
        ("processing.guarantee=exactly_once_v2\ncommit.interval.ms=30000\n", "2.8.2"),  # no exactly_once_v2 before 3.0
        ("processing.guarantee=exactly_once_v2\ncommit.interval.ms=${COMMIT_MS}\n", None),  # interval unknown
        ("processing.guarantee=exactly_once_v2\ncommit.interval.ms=30000\nproducer.transaction.timeout.ms=${TIMEOUT}\n", None),
        ("processing.guarantee=exactly_once_v2\n", None),  # the 100 ms exactly-once default
        ("commit.interval.ms=30000\n", None),  # at-least-once
    ],
)
def test_silent_when_the_verdict_is_not_sure_or_owned_elsewhere(lint, body, version):
    assert _kl762(lint, body, version) == []


def test_the_profile_less_quarkus_configuration_stands_down_when_a_profile_rewrites_a_key(lint):
    text = (
        "quarkus.kafka-streams.application-id=orders\nquarkus.kafka-streams.topics=orders\n"
        "kafka-streams.processing.guarantee=exactly_once_v2\nkafka-streams.commit.interval.ms=30000\n"
        "%prod.kafka-streams.commit.interval.ms=100\n"
    )
    result = lint({"src/main/resources/application.properties": text})
    assert [f.code for f in result.findings if f.code == "KL762"] == []
