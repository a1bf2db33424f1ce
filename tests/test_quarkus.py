"""Quarkus / SmallRye Kafka channels become ClientConfigs; failure-strategy=ignore is reported."""

from __future__ import annotations

from kafkalint.model import Role


def test_outgoing_channel_acks_zero_fires_at_that_line(lint):
    result = lint({
        "src/main/resources/application.properties": (
            "kafka.bootstrap.servers=broker:9092\n"
            "mp.messaging.outgoing.x.connector=smallrye-kafka\n"
            "mp.messaging.outgoing.x.acks=0\n"
        )
    }, select=["producer-acks-zero"])
    [finding] = result.findings
    assert (finding.location.path, finding.location.line, finding.location.column) == (
        "src/main/resources/application.properties", 3, 1)
    assert "acks=0" in finding.message


def test_channels_become_clients_with_topics_and_globals(lint):
    result = lint({
        "application.properties": (
            "kafka.bootstrap.servers=broker:9092\n"
            "mp.messaging.incoming.orders.connector=smallrye-kafka\n"
            "mp.messaging.incoming.orders.group.id=billing\n"
            "mp.messaging.outgoing.payments-out.connector=smallrye-kafka\n"
            "mp.messaging.outgoing.payments-out.topic=payments\n"
        )
    })
    clients = {client.name: client for client in result.project.clients}
    consumer = clients["quarkus incoming channel orders"]
    producer = clients["quarkus outgoing channel payments-out"]
    assert consumer.role is Role.CONSUMER and producer.role is Role.PRODUCER
    assert consumer.settings["bootstrap.servers"].value == ["broker:9092"]
    assert consumer.settings["group.id"].value == "billing"
    # SmallRye: no topic attribute means the channel name is the topic.
    assert [(name, where.line) for name, where in consumer.topics] == [("orders", 2)]
    assert [(name, where.line) for name, where in producer.topics] == [("payments", 5)]


def test_smallrye_consumer_does_not_auto_commit_by_default(lint):
    result = lint({
        "application.properties": "mp.messaging.incoming.orders.connector=smallrye-kafka\nmp.messaging.incoming.orders.group.id=g\n"
    }, select=["consumer-auto-commit"])
    assert result.findings == []


def test_smallrye_default_acks_is_one_and_says_so(lint):
    result = lint({
        "application.properties": "mp.messaging.outgoing.out.connector=smallrye-kafka\nmp.messaging.outgoing.out.topic=t\n"
    }, select=["producer-acks-leader-only"])
    [finding] = result.findings
    assert finding.location.line == 1
    assert "SmallRye" in finding.message


def test_yaml_channel_and_profile(lint):
    result = lint({
        "application.yaml": (
            "mp:\n"
            "  messaging:\n"
            "    outgoing:\n"
            "      x:\n"
            "        connector: smallrye-kafka\n"
            "        acks: 0\n"
            "\"%prod\":\n"
            "  mp:\n"
            "    messaging:\n"
            "      outgoing:\n"
            "        x:\n"
            "          acks: 0\n"
        )
    }, select=["producer-acks-zero"])
    got = [(f.location.line, f.message.endswith("(profile prod)")) for f in result.findings]
    assert got == [(6, False), (12, True)]


def test_placeholder_and_other_connectors_are_silent(lint):
    result = lint({
        "application.properties": (
            "mp.messaging.outgoing.x.connector=smallrye-kafka\n"
            "mp.messaging.outgoing.x.acks=${ACKS:0}\n"
            "mp.messaging.incoming.q.connector=smallrye-amqp\n"
            "mp.messaging.incoming.q.failure-strategy=ignore\n"
        )
    }, select=["producer-acks-zero", "failure-strategy-ignore"])
    assert result.findings == []
    assert [client.name for client in result.project.clients] == ["quarkus outgoing channel x"]


def test_failure_strategy_ignore_points_at_the_attribute(lint):
    result = lint({
        "application.properties": (
            "mp.messaging.incoming.orders.connector=smallrye-kafka\n"
            "mp.messaging.incoming.orders.failure-strategy=ignore\n"
        )
    }, select=["failure-strategy-ignore"])
    [finding] = result.findings
    assert (finding.location.line, finding.location.column) == (2, 1)
    assert "channel orders" in finding.message


def test_a_repeated_channel_attribute_is_a_duplicate_key(lint):
    result = lint({
        "application.properties": "mp.messaging.outgoing.x.acks=0\nmp.messaging.outgoing.x.acks=all\n"
    }, select=["duplicate-config-key", "producer-acks-zero"])
    [finding] = result.findings
    assert (finding.name, finding.location.line) == ("duplicate-config-key", 1)
    assert "set again at line 2" in finding.message


def test_smallrye_passes_its_acks_default_explicitly_so_java_idempotence_is_off(lint):
    result = lint({
        "application.properties": "mp.messaging.outgoing.out.connector=smallrye-kafka\nmp.messaging.outgoing.out.topic=t\n"
    }, select=["producer-idempotence-conflict", "producer-retries-break-ordering", "producer-acks-leader-only"])
    # One root cause (the acks SmallRye passes), one finding: the acks rule owns the consequences.
    [finding] = result.findings
    assert (finding.name, finding.location.line) == ("producer-acks-leader-only", 1)
    assert "always passed to the producer explicitly" in finding.message
    assert "idempotence is off too" in finding.message


def test_a_profile_override_inherits_the_base_acks_instead_of_the_connector_default(lint):
    result = lint({
        "application.properties": (
            "mp.messaging.outgoing.out.connector=smallrye-kafka\n"
            "mp.messaging.outgoing.out.acks=all\n"
            "%prod.mp.messaging.outgoing.out.topic=orders-prod\n"
        )
    }, select=["producer-acks-leader-only"])
    assert result.findings == []
