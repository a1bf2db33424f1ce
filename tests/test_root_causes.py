"""One mistake, one finding: implied values and the rules that stand down for a root cause."""

from __future__ import annotations

from kafkalint.catalogue import load_catalogue
from kafkalint.knowledge import effective

PRODUCER = "bootstrap.servers=broker:9092\nkey.serializer=org.apache.kafka.common.serialization.StringSerializer\n"


def _codes(result) -> list[tuple[str, int]]:
    return [(finding.code, finding.location.line) for finding in result.findings]


def test_acks_one_on_java_3_is_one_finding_that_names_the_lost_idempotence(lint):
    result = lint({"producer.properties": PRODUCER + "acks=1\n"}, targets={"java": "3.6"})
    assert _codes(result) == [("KL102", 3)]
    assert "idempotence is off too" in result.findings[0].message


def test_acks_zero_is_one_finding(lint):
    result = lint({"producer.properties": PRODUCER + "acks=0\n"})
    assert _codes(result) == [("KL101", 3)]


def test_a_rule_stands_down_only_for_an_active_owner(lint):
    result = lint({"producer.properties": PRODUCER + "acks=1\n"}, select=["KL103"])
    assert _codes(result) == [("KL103", 1)]
    assert "turned off by acks=1 (line 3)" in result.findings[0].message


def test_an_old_clients_defaults_are_one_finding_with_both_consequences(lint):
    # Java 2.8 left at its defaults: acks=1 and no idempotence both come from the version, and
    # the fix (acks=all, enable.idempotence=true) is one: producer-acks-leader-only says both.
    result = lint({"producer.properties": PRODUCER}, targets={"java": "2.8"}, select=["KL102", "KL103"])
    assert _codes(result) == [("KL102", 1)]
    assert result.findings[0].message.endswith(
        "a leader failure loses acknowledged records; idempotence is off too (java 2.8 default), so retries may reorder"
    )


def test_another_cause_on_the_same_client_keeps_its_own_finding(lint):
    # Java 2.8: acks=1 is a default, but idempotence is turned off explicitly: a decision of its own.
    result = lint({"producer.properties": PRODUCER + "enable.idempotence=false\n"}, targets={"java": "2.8"}, select=["KL102", "KL103"])
    assert _codes(result) == [("KL102", 1), ("KL103", 3)]
    assert "idempotence is off too" not in result.findings[0].message


def test_stands_down_for_names_existing_rules_and_has_no_cycle():
    rules = {rule.code: rule for rule in load_catalogue().rules}
    for rule in rules.values():
        for owner in rule.stands_down_for:
            assert owner in rules, f"{rule.code} stands down for unknown {owner}"
            assert rule.code not in rules[owner].stands_down_for, f"{rule.code} and {owner} stand down for each other"


def test_a_transactional_librdkafka_producer_is_idempotent_with_acks_all(lint):
    result = lint({"producer.yaml": "bootstrap.servers: broker:9092\nqueue.buffering.max.ms: 5\ntransactional.id: tx\n"})
    [config] = result.project.clients
    idempotence = effective(config, "enable.idempotence")
    assert (idempotence.value, idempotence.explicit) == (True, False)
    assert idempotence.describe_source() == "implied by transactional.id (line 3)"
    assert effective(config, "acks").value == "all"
    assert effective(config, "max.in.flight.requests.per.connection").value == 5
    assert result.findings == []


def test_aiokafka_idempotence_or_transactional_id_makes_acks_all(lint):
    for keyword in ('enable_idempotence=True', 'transactional_id="tx"'):
        result = lint({"app.py": f"from aiokafka import AIOKafkaProducer\np = AIOKafkaProducer(bootstrap_servers='b:9092', {keyword})\n"})
        [config] = result.project.clients
        assert effective(config, "acks").value == "all", keyword
        assert effective(config, "enable.idempotence").value is True, keyword


def test_kafka_python_2_2_transactional_producer_is_idempotent_with_one_request_in_flight(lint):
    result = lint(
        {"app.py": "from kafka import KafkaProducer\np = KafkaProducer(bootstrap_servers='b:9092', transactional_id='tx')\n"},
        targets={"kafka-python": "2.2.0"},
    )
    [config] = result.project.clients
    assert effective(config, "enable.idempotence").value is True
    assert effective(config, "acks").value == "all"
    assert effective(config, "max.in.flight.requests.per.connection").value == 1


def test_explain_shows_the_implied_idempotence(lint):
    from kafkalint.explain import explain_client

    result = lint({"producer.yaml": "bootstrap.servers: broker:9092\nqueue.buffering.max.ms: 5\ntransactional.id: tx\n"})
    [config] = result.project.clients
    explained = explain_client(config, [], [], show_all=True)
    [idempotence] = [key for key in explained["keys"] if key["key"] == "enable.idempotence"]
    assert idempotence["value"] in (True, "true") and "implied by transactional.id" in idempotence["source"]


def test_before_3_0_java_has_no_default_idempotence_for_acks_1_to_turn_off(lint):
    result = lint({"producer.yaml": "bootstrap.servers: broker:9092\nkey.serializer: org.apache.kafka.common.serialization.StringSerializer\nacks: 1\n"},
                  targets={"java": "2.8"})
    assert "KL104" not in {finding.code for finding in result.findings}
