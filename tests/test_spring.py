"""Spring Boot `spring.kafka.*` files become ClientConfigs every client rule applies to."""

from __future__ import annotations

from kafkalint.model import Role
from kafkalint.sources.spring import canonical_spring_key, datasize_bytes, duration_ms


def _by_name(result, name):
    return [client for client in result.project.clients if client.name == name]


def test_yaml_producer_acks_zero_fires_at_the_acks_line(lint):
    result = lint({
        "src/main/resources/application.yml": (
            "spring:\n"
            "  kafka:\n"
            "    bootstrap-servers: broker:9092\n"
            "    producer:\n"
            "      acks: 0\n"
        )
    }, select=["producer-acks-zero"])
    [finding] = result.findings
    assert (finding.location.path, finding.location.line, finding.location.column) == (
        "src/main/resources/application.yml", 5, 7)
    assert "acks=0 (line 5)" in finding.message


def test_properties_relaxed_binding_maps_to_kafka_keys(lint):
    result = lint({
        "application.properties": (
            "spring.kafka.bootstrap-servers=broker:9092\n"
            "spring.kafka.consumer.group-id=billing\n"
            "spring.kafka.consumer.enableAutoCommit=true\n"
            "spring.kafka.consumer.MAX_POLL_RECORDS=50\n"
            "spring.kafka.consumer.heartbeat-interval=3s\n"
            "spring.kafka.consumer.fetch-min-size=1KB\n"
            "spring.kafka.consumer.isolation-level=read-committed\n"
            "spring.kafka.producer.key-serializer=org.apache.kafka.common.serialization.LongSerializer\n"
            "spring.kafka.producer.properties.linger.ms=20\n"
            "spring.kafka.properties[sasl.mechanism]=PLAIN\n"
        )
    })
    [consumer] = _by_name(result, "spring consumer")
    values = {key: setting.value for key, setting in consumer.settings.items()}
    assert values["group.id"] == "billing"
    assert values["enable.auto.commit"] is True
    assert values["max.poll.records"] == 50
    assert values["heartbeat.interval.ms"] == 3000
    assert values["fetch.min.bytes"] == 1024
    assert values["isolation.level"] == "read_committed"
    assert values["sasl.mechanism"] == "PLAIN"
    assert "linger.ms" not in values  # producer pass-through stays with the producer
    [producer] = _by_name(result, "spring producer")
    assert producer.role is Role.PRODUCER
    assert producer.settings["linger.ms"].value == 20
    assert producer.settings["key.serializer"].written_key == "spring.kafka.producer.key-serializer"


def test_spring_consumer_without_enable_auto_commit_is_not_an_auto_commit_finding(lint):
    result = lint({
        "application.yml": "spring:\n  kafka:\n    consumer:\n      group-id: billing\n"
    }, select=["consumer-auto-commit"])
    assert result.findings == []


def test_explicit_spring_auto_commit_true_still_fires(lint):
    result = lint({
        "application.yml": "spring:\n  kafka:\n    consumer:\n      group-id: billing\n      enable-auto-commit: true\n"
    }, select=["consumer-auto-commit"])
    [finding] = result.findings
    assert finding.location.line == 5 and "(line 5)" in finding.message


def test_profile_file_and_profile_document_are_named_in_messages(lint):
    result = lint({
        "application-prod.yaml": "spring:\n  kafka:\n    producer:\n      acks: 0\n",
        "application.properties": (
            "spring.kafka.producer.acks=all\n"
            "#---\n"
            "spring.config.activate.on-profile=staging\n"
            "spring.kafka.producer.acks=0\n"
        ),
    }, select=["producer-acks-zero"])
    got = [(f.location.path, f.location.line, f.message.rsplit(" (", 1)[-1]) for f in result.findings]
    assert got == [("application-prod.yaml", 4, "profile prod)"), ("application.properties", 4, "profile staging)")]
    assert {client.profile for client in result.project.clients} == {"prod", "staging", None}


def test_placeholders_are_unknown_and_never_fire(lint):
    result = lint({
        "application.yml": "spring:\n  kafka:\n    producer:\n      acks: ${PRODUCER_ACKS:0}\n"
    }, select=["producer-acks-zero"])
    assert result.findings == []


def test_default_topic_becomes_the_producer_topic(lint):
    result = lint({
        "application.yml": "spring:\n  kafka:\n    template:\n      default-topic: orders\n"
    })
    [producer] = result.project.clients
    assert producer.role is Role.PRODUCER
    assert [(topic, where.line) for topic, where in producer.topics] == [("orders", 4)]


def test_kafka_key_written_as_a_spring_property_is_reported_as_ignored(lint):
    result = lint({
        "application.yml": "spring:\n  kafka:\n    producer:\n      acks: all\n      linger-ms: 20\n"
    }, select=["spring-kafka-unknown-property"])
    [finding] = result.findings
    assert finding.location.line == 5
    assert "spring.kafka.producer.properties.linger.ms" in finding.message


def test_application_yml_without_spring_kafka_is_not_claimed(lint):
    result = lint({"application.yml": "server:\n  port: 8080\nlogging:\n  level: INFO\n"})
    assert result.project.clients == []


def test_duration_and_datasize_conversion():
    assert duration_ms("3s") == 3000
    assert duration_ms(250) == 250
    assert duration_ms("PT1M") == 60000
    assert duration_ms("1us") is not None and str(duration_ms("1us")) == "UNKNOWN"
    assert datasize_bytes("10MB") == 10 * 1024 * 1024
    assert datasize_bytes("16384") == 16384
    assert str(datasize_bytes("ten")) == "UNKNOWN"
    assert canonical_spring_key("spring.kafka.producer.keySerializer") == "producer.key-serializer"
    assert canonical_spring_key("spring.kafka.properties.sasl.jaas.config") == "properties.sasl.jaas.config"
