"""A Kafka Streams application's configuration is not a consumer configuration."""

from __future__ import annotations

from kafkalint.knowledge import effective

SPRING_STREAMS = """\
spring:
  kafka:
    bootstrap-servers: broker:9092
    streams:
      application-id: orders-aggregator
      properties:
        processing.guarantee: exactly_once_v2
        auto.offset.reset: earliest
"""


def test_a_streams_client_gets_no_consumer_finding_and_never_auto_commits(lint):
    result = lint({"src/main/resources/application.yml": SPRING_STREAMS})
    [client] = result.project.clients
    assert client.role.value == "streams"
    assert result.findings == []
    # Streams forces enable.auto.commit=false on its consumers (StreamsConfig).
    assert effective(client, "enable.auto.commit").value is False


def test_no_consumer_rule_applies_to_the_streams_role():
    from kafkalint.catalogue import load_catalogue

    for rule in load_catalogue().rules:
        if rule.target == "client" and "consumer" in rule.roles:
            assert "streams" not in rule.roles, rule.code
