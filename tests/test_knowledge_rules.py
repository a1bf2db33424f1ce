"""Validity rules over every source: silent on unknowns, pass-through keys and good configs;
precise about client classes, roles and versions."""

from __future__ import annotations

import pytest

from kafkalint.catalogue import load_catalogue
from tests.conftest import ROOT, lint_files

VALIDITY = {"KL003", "KL004", "KL005", "KL006", "KL007", "KL008", "KL107", "KL207", "KL208"}
# Findings every other rule's good example must never draw from us.
NEVER_ON_GOOD = {"KL003", "KL004", "KL005"}


def _codes(result, codes=VALIDITY) -> list[tuple[str, int, str]]:
    return [(f.code, f.location.line, f.message) for f in result.findings if f.code in codes]


def _good_examples():
    for rule in load_catalogue().rules:
        for index, example in enumerate(rule.examples.get("good", [])):
            yield pytest.param(example, id=f"{rule.code}-good{index}")


@pytest.mark.parametrize("example", list(_good_examples()))
def test_no_rule_s_good_example_has_an_unknown_key_invalid_value_or_foreign_key(example, tmp_path):
    options = example.get("options", {})
    result = lint_files(tmp_path, example["files"], targets=options.get("targets"))
    assert _codes(result, NEVER_ON_GOOD) == []


def test_good_fixtures_are_silent(tmp_path):
    fixtures = ROOT / "fixtures" / "clients" / "good"
    files = {path.name: path.read_text(encoding="utf-8") for path in sorted(fixtures.iterdir())}
    assert _codes(lint_files(tmp_path, files)) == []


def test_unknown_values_are_never_judged(lint):
    result = lint(
        {
            "app.py": (
                "import os\nfrom confluent_kafka import Producer\n\n"
                'p = Producer({"bootstrap.servers": "b:9092", "linger.ms": os.environ["LINGER"], '
                '"batch.num.messages": int(os.environ["N"])})\n'
            )
        }
    )
    assert _codes(result) == []


def test_pass_through_prefixes_are_not_unknown_keys(lint):
    result = lint(
        {
            "producer.yaml": (
                "bootstrap.servers: broker:9092\n"
                "queue.buffering.max.ms: 5\n"
                "schema.registry.url: http://registry:8081\n"
                "basic.auth.user.info: '{{ user }}'\n"
                "confluent.monitoring.interceptor.bootstrap.servers: broker:9092\n"
            )
        }
    )
    assert _codes(result, {"KL003"}) == []


def test_serializer_keys_are_accepted_only_by_serializing_clients(lint):
    code = (
        "from confluent_kafka import Producer, SerializingProducer\n\n"
        'plain = Producer({"bootstrap.servers": "b:9092", "key.serializer": None})\n'
        'serializing = SerializingProducer({"bootstrap.servers": "b:9092", "key.serializer": None, "on_delivery": print})\n'
    )
    findings = _codes(lint({"app.py": code}), {"KL003"})
    assert [(code, line) for code, line, _ in findings] == [("KL003", 3)]
    assert "'key.serializer' is not a known Producer setting; only SerializingProducer accepts it" in findings[0][2]


def test_a_consumer_keyword_is_refused_by_a_kafka_python_producer(lint):
    code = 'from kafka import KafkaProducer\n\np = KafkaProducer(bootstrap_servers="b:9092", max_poll_records=5)\n'
    result = lint({"app.py": code})
    [(rule, line, message)] = _codes(result)
    assert (rule, line) == ("KL003", 3)
    assert "'max_poll_records' is not a known KafkaProducer setting; it is a kafka-python consumer setting" in message
    assert [f.severity.value for f in result.findings if f.code == "KL003"] == ["error"]


def test_librdkafka_smallest_is_fine_but_java_refuses_it(lint):
    librdkafka = lint({"consumer.yaml": "group.id: g\nfetch.wait.max.ms: 100\nauto.offset.reset: smallest\n"})
    assert _codes(librdkafka, {"KL004"}) == []
    java = lint({"consumer.properties": "group.id=g\nauto.offset.reset=smallest\n"})
    [(_rule, line, message)] = _codes(java, {"KL004"})
    assert line == 2 and "'smallest' is librdkafka's spelling; java accepts latest, earliest, none" in message


def test_an_unknown_key_in_librdkafka_with_plugins_is_only_a_warning(lint):
    result = lint(
        {
            "producer.yaml": (
                "bootstrap.servers: broker:9092\n"
                "queue.buffering.max.ms: 5\n"
                "plugin.library.paths: monitoring-interceptor\n"
                "monitoring.interceptor.icdebug: true\n"
            )
        }
    )
    assert [(f.code, f.location.line, f.severity.value) for f in result.findings if f.code == "KL003"] == [("KL003", 4, "warning")]


def test_idempotence_implied_by_transactional_id_conflicts_in_librdkafka(lint):
    result = lint({"producer.yaml": "queue.buffering.max.ms: 5\ntransactional.id: billing-tx\nacks: 1\n"})
    [(rule, line, message)] = _codes(result, {"KL008"})
    assert (rule, line) == ("KL008", 3)
    assert "transactional.id set (which implies idempotence): acks must be all" in message


def test_java_version_decides_between_deprecated_and_removed(lint):
    files = {"producer.properties": "bootstrap.servers=b:9092\nacks=all\nauto.include.jmx.reporter=true\n"}
    old = lint(dict(files), targets={"java": "3.3"})
    assert [code for code, _, _ in _codes(old)] == ["KL003"]
    assert "not a known java producer setting; it was added in 3.4" in _codes(old)[0][2]
    assert "assuming java 3.3 (--target / settings)" in _codes(old)[0][2]
    middle = lint(dict(files), targets={"java": "3.5"})
    assert [code for code, _, _ in _codes(middle)] == ["KL006"]
    new = lint(dict(files), targets={"java": "4.0"})
    assert [code for code, _, _ in _codes(new)] == ["KL007"]


def test_spring_shared_properties_are_not_foreign_keys_and_unknown_ones_are_reported_once(lint):
    result = lint(
        {
            "application.yaml": (
                "spring:\n"
                "  kafka:\n"
                "    bootstrap-servers: broker:9092\n"
                "    properties:\n"
                "      session.timeout.ms: 30000\n"
                "      max.poll.record: 5\n"
                "    producer:\n"
                "      acks: all\n"
                "    consumer:\n"
                "      group-id: billing\n"
            )
        }
    )
    findings = _codes(result)
    assert [(code, line) for code, line, _ in findings] == [("KL003", 6)]
    assert "is not a known java client setting; did you mean 'max.poll.records'?" in findings[0][2]


def test_streams_configs_internal_keys_and_client_prefixes_are_not_judged(lint):
    result = lint(
        {
            "streams.properties": "bootstrap.servers=b:9092\napplication.id=billing\nprocessing.guarantee=exactly_once_v2\n",
            "consumer.properties": "bootstrap.servers=b:9092\ngroup.id=g\ninternal.leave.group.on.close=false\nconsumer.max.poll.records=5\n",
        }
    )
    assert _codes(result) == []


def test_an_application_key_without_dots_beside_client_keys_is_left_alone(lint):
    result = lint({"consumer.yaml": "bootstrap.servers: b:9092\ngroup.id: billing\ntopic: orders\nmax_poll_record: 5\n"})
    assert [(code, line) for code, line, _ in _codes(result, {"KL003"})] == [("KL003", 4)]


@pytest.mark.parametrize(
    ("target", "expected"),
    [("3.0.1", ["KL007"]), ("2.2.0", ["KL006"]), ("2.0.2", [])],
)
def test_kafka_python_keyword_deprecated_then_removed(lint, target, expected):
    code = 'from kafka import KafkaProducer\n\np = KafkaProducer(bootstrap_servers="b:9092", buffer_memory=1000, acks="all")\n'
    result = lint({"app.py": code}, targets={"kafka-python": target})
    assert [rule for rule, _, _ in _codes(result)] == expected
