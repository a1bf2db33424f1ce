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


MICROPROFILE = "src/main/resources/META-INF/microprofile-config.properties"


def test_microprofile_config_channels_are_smallrye_clients_whose_unset_keys_are_unknown(lint):
    """Outside Quarkus a Map bean of the application may supply what a channel does not set,
    and kafka.* keys feed that bean under Quarkus only: the channel's own keys are known, the
    rest is not (no connector default, no kafka.* key)."""
    from kafkalint.model import Framework

    result = lint({
        MICROPROFILE: (
            "kafka.bootstrap.servers=broker:9092\n"
            "mp.messaging.incoming.orders.connector=smallrye-kafka\n"
            "mp.messaging.incoming.orders.group.id=billing\n"
            "mp.messaging.outgoing.audit.connector=smallrye-kafka\n"
            "mp.messaging.outgoing.audit.topic=audit-log\n"
            "mp.messaging.connector.smallrye-kafka.security.protocol=SASL_SSL\n"
        )
    })
    clients = {client.name: client for client in result.project.clients}
    consumer = clients["smallrye incoming channel orders"]
    producer = clients["smallrye outgoing channel audit"]
    assert consumer.framework is Framework.MICROPROFILE and producer.role is Role.PRODUCER
    assert consumer.settings["group.id"].value == "billing"
    assert consumer.settings["security.protocol"].value == "SASL_SSL"  # connector-level: every channel
    assert "bootstrap.servers" not in consumer.settings  # kafka.*: Quarkus's default-kafka-broker only
    assert not consumer.all_settings_known and not producer.all_settings_known
    assert [name for name, _where in producer.topics] == ["audit-log"]
    assert [name for name, _where in consumer.topics] == ["orders"]
    # SmallRye's own acks=1 would be reported under Quarkus (see above); here a bean may set acks.
    assert [f.code for f in result.findings] == []


def test_an_explicit_channel_value_in_microprofile_config_is_judged(lint):
    result = lint({
        MICROPROFILE: "mp.messaging.outgoing.audit.connector=smallrye-kafka\nmp.messaging.outgoing.audit.acks=0\n"
    }, select=["producer-acks-zero"])
    [finding] = result.findings
    assert (finding.code, finding.location.path, finding.location.line) == ("KL101", MICROPROFILE, 2)
    assert "acks=0 (line 2)" in finding.message


def test_channel_keys_in_another_properties_file_are_not_channels(lint):
    result = lint({"conf/messaging.properties": "mp.messaging.outgoing.audit.connector=smallrye-kafka\nmp.messaging.outgoing.audit.acks=0\n"})
    assert result.project.clients == []


def test_an_unset_failure_strategy_in_microprofile_config_may_be_a_dead_letter_queue(lint):
    text = (
        "mp.messaging.incoming.orders.connector=smallrye-kafka\n"
        "mp.messaging.incoming.orders.fail-on-deserialization-failure=false\n"
    )
    result = lint({"quarkus/application.properties": text, f"standalone/{MICROPROFILE}": text}, select=["KL754"])
    # Quarkus: the connector's default strategy (fail) applies; standalone: a bean may set one.
    assert [(f.code, f.location.path) for f in result.findings] == [("KL754", "quarkus/application.properties")]


APPLICATION = "src/main/resources/application.properties"


def test_in_quarkus_application_properties_overrides_microprofile_config_for_a_channel(lint):
    """Quarkus reads both files, application.properties (ordinal 250) over
    microprofile-config.properties (100): the overridden acks=0 is not what the client runs with."""
    result = lint({
        APPLICATION: (
            "kafka.bootstrap.servers=broker:9092\n"
            "mp.messaging.outgoing.orders.connector=smallrye-kafka\n"
            "mp.messaging.outgoing.orders.acks=all\n"
        ),
        MICROPROFILE: "mp.messaging.outgoing.orders.connector=smallrye-kafka\nmp.messaging.outgoing.orders.acks=0\n",
    })
    [client] = result.project.clients
    assert client.name == "quarkus outgoing channel orders"
    assert (client.settings["acks"].value, client.settings["acks"].location.path) == ("all", APPLICATION)
    assert [f.code for f in result.findings if f.code in ("KL101", "KL102")] == []


def test_in_quarkus_what_only_microprofile_config_sets_for_a_channel_applies_to_it(lint):
    """One client, one finding: acks=0 set only in microprofile-config.properties is the
    channel's acks, over kafka.acks (a channel attribute beats the default-kafka-broker bean);
    its failure-strategy and topic are the channel's too."""
    result = lint({
        APPLICATION: (
            "kafka.bootstrap.servers=broker:9092\n"
            "kafka.acks=all\n"
            "mp.messaging.outgoing.orders.connector=smallrye-kafka\n"
            "mp.messaging.incoming.payments.connector=smallrye-kafka\n"
            "mp.messaging.incoming.payments.fail-on-deserialization-failure=false\n"
        ),
        MICROPROFILE: (
            "mp.messaging.outgoing.orders.acks=0\n"
            "mp.messaging.outgoing.orders.topic=orders-v2\n"
            "mp.messaging.incoming.payments.failure-strategy=dead-letter-queue\n"
        ),
    })
    clients = {client.name: client for client in result.project.clients}
    assert sorted(clients) == ["quarkus incoming channel payments", "quarkus outgoing channel orders"]
    producer, consumer = clients["quarkus outgoing channel orders"], clients["quarkus incoming channel payments"]
    assert [name for name, _where in producer.topics] == ["orders-v2"]
    assert consumer.failure_strategy.value == "dead-letter-queue"
    assert [(f.code, f.location.path, f.location.line) for f in result.findings if f.code.startswith("KL1")] == [
        ("KL101", MICROPROFILE, 1)
    ]


def test_open_libertys_kafka_connector_channels_are_read_with_their_connector_keys(lint):
    """liberty-kafka passes every other property to the Kafka client; its connector-level keys
    reach its channels only, and a channel without topic uses the topic named like it."""
    from kafkalint.model import Framework

    result = lint({
        MICROPROFILE: (
            "mp.messaging.connector.liberty-kafka.bootstrap.servers=broker:9093\n"
            "mp.messaging.connector.smallrye-kafka.security.protocol=SASL_SSL\n"
            "mp.messaging.outgoing.loads.connector=liberty-kafka\n"
            "mp.messaging.outgoing.loads.acks=0\n"
            "mp.messaging.outgoing.loads.unacked.limit=10\n"
            "mp.messaging.incoming.statuses.connector=liberty-kafka\n"
            "mp.messaging.incoming.statuses.topic=system.status\n"
            "mp.messaging.incoming.statuses.group.id=inventory\n"
        )
    })
    clients = {client.name: client for client in result.project.clients}
    producer = clients["liberty outgoing channel loads"]
    consumer = clients["liberty incoming channel statuses"]
    assert producer.framework is Framework.MICROPROFILE and not producer.all_settings_known
    assert producer.settings["bootstrap.servers"].value == ["broker:9093"]
    assert "security.protocol" not in producer.settings  # smallrye-kafka's, not liberty-kafka's
    assert "unacked.limit" not in producer.settings  # the connector's own attribute
    assert [name for name, _where in producer.topics] == ["loads"]
    assert [name for name, _where in consumer.topics] == ["system.status"]
    assert [(f.code, f.location.line) for f in result.findings] == [("KL101", 4)]


def test_helidons_kafka_connector_channel_without_topic_has_unknown_topics(lint):
    result = lint({
        "src/main/resources/application.yaml": (
            "mp:\n"
            "  messaging:\n"
            "    connector:\n"
            "      helidon-kafka:\n"
            "        bootstrap.servers: broker:9092\n"
            "    incoming:\n"
            "      orders:\n"
            "        connector: helidon-kafka\n"
            "        group.id: billing\n"
            "    outgoing:\n"
            "      audit:\n"
            "        connector: helidon-kafka\n"
            "        topic: audit-log\n"
        )
    })
    clients = {client.name: client for client in result.project.clients}
    consumer = clients["helidon incoming channel orders"]
    assert consumer.settings["bootstrap.servers"].value == ["broker:9092"]
    assert consumer.topics == [] and consumer.group_topics_unknown
    assert [name for name, _where in clients["helidon outgoing channel audit"].topics] == ["audit-log"]
    assert result.findings == []


def test_a_connector_that_is_not_kafkas_is_no_client(lint):
    result = lint({MICROPROFILE: "mp.messaging.incoming.q.connector=liberty-jms\nmp.messaging.incoming.q.acks=0\n"})
    assert result.project.clients == []


def test_channels_of_another_connector_that_name_none_are_not_kafka_clients(tmp_path):
    """quarkus-quickstarts' Pulsar and RabbitMQ apps configure channels without a connector
    attribute (Quarkus picks the only one on the classpath): each was a Kafka producer, and
    KL102 said the SmallRye Kafka connector's acks=1 loses records."""
    from tests.conftest import lint_files

    files = {
        "pulsar/src/main/resources/application.properties": (
            "mp.messaging.outgoing.quote-requests.topic=persistent://public/default/quote-requests\n"
        ),
        "rabbitmq/src/main/resources/application.properties": (
            "mp.messaging.incoming.requests.queue.name=quote-requests\n"
            "mp.messaging.outgoing.quotes.exchange.name=quotes\n"
        ),
        "amqp/src/main/resources/application.properties": (
            "quarkus.amqp.devservices.enabled=true\n"
            "mp.messaging.outgoing.prices.durable=true\n"
        ),
        "kafka/src/main/resources/application.properties": (
            "kafka.bootstrap.servers=broker:9092\n"
            "mp.messaging.outgoing.prices.topic=prices\n"
            "mp.messaging.outgoing.audit.exchange.name=audit\n"
        ),
    }
    result = lint_files(tmp_path, files, select=["KL102"])
    assert [client.name for client in result.project.clients] == ["quarkus outgoing channel prices"]
    assert [(f.code, f.location.path) for f in result.findings] == [("KL102", "kafka/src/main/resources/application.properties")]
