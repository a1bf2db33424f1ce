"""Direct tests of the cluster, Strimzi, Connect, cross-file and template checks on model
objects: each check is called as the engine calls it and its variables are asserted exactly."""

from __future__ import annotations

from typing import Any

from kafkalint.checks import CheckContext
from kafkalint.checks.cluster import (
    auto_create_topics_enabled,
    min_insync_replicas_missing,
    too_few_brokers,
    topic_replicas_exceed_brokers,
)
from kafkalint.checks.connector import connect_errors_tolerance_without_dlq
from kafkalint.checks.crossfile import OtherClients, label, partitioner_mismatch, undeclared_topic
from kafkalint.checks.registry import check_for
from kafkalint.checks.strimzi import listener_without_tls, metadata_quorum_too_small
from kafkalint.checks.templates import resource_lacks_field, setting_below_floor, template_check
from kafkalint.model import (
    BrokerConfig,
    ClientConfig,
    ConnectorConfig,
    Dialect,
    Framework,
    Location,
    Project,
    Role,
    Setting,
    Severity,
    TopicSpec,
)
from kafkalint.sources import read_text_as


def _at(path: str, line: int) -> Location:
    return Location(path, line, 1)


def _setting(key: str, value: Any, path: str = "server.properties", line: int = 1) -> Setting:
    return Setting(key, str(value), value, _at(path, line), _at(path, line))


def _context(project: Project, **parameters: Any) -> CheckContext:
    return CheckContext(project, None, parameters)


def _broker(*settings: Setting, count: int | None = None, label_: str = "server.properties") -> BrokerConfig:
    return BrokerConfig(
        anchor=_at("server.properties", 1),
        name="server.properties",
        label=label_,
        settings={setting.key: setting for setting in settings},
        broker_count=count,
        broker_count_location=_at("server.properties", 9) if count is not None else None,
    )


# --- cluster ---------------------------------------------------------------------------------


def test_broker_without_min_isr_is_named_by_its_label_only():
    project = Project(brokers=[_broker(label_="Kafka prod")])
    [hit] = min_insync_replicas_missing(project, _context(project))
    assert hit.variables == {"subject": "Kafka prod"}
    assert hit.location == _at("server.properties", 1)


def test_topic_without_min_isr_under_a_cluster_without_it_points_at_the_cluster_in_related():
    cluster = _broker(label_="Kafka prod")
    topic = TopicSpec("orders", _at("topic.yaml", 4), replicas=3, cluster_config=cluster, label="KafkaTopic orders")
    project = Project(brokers=[], topics=[topic])
    [hit] = min_insync_replicas_missing(project, _context(project))
    assert hit.variables == {"subject": "KafkaTopic orders"}
    assert hit.related == (cluster.anchor,)


def test_controller_only_config_is_not_judged_for_replica_settings():
    controller = _broker(_setting("process.roles", "controller"))
    project = Project(brokers=[controller])
    assert list(min_insync_replicas_missing(project, _context(project))) == []


def test_floor_template_on_brokers_names_key_value_source_and_what_it_risks():
    project = Project(brokers=[_broker(_setting("offsets.topic.replication.factor", 1, line=3))])
    context = _context(
        project,
        of="brokers",
        minimum_replication_factor=3,
        floors={"offsets.topic.replication.factor": "minimum_replication_factor", "replicas": "minimum_replication_factor"},
        holds={"offsets.topic.replication.factor": "consumer group offsets", "replicas": "the topic's data"},
    )
    [hit] = setting_below_floor(project, context)
    assert hit.variables == {
        "subject": "server.properties",
        "below": "offsets.topic.replication.factor=1 (set at line 3) is below 3",
        "holds": "consumer group offsets",
    }
    assert hit.location.line == 3


def test_topic_replicas_above_the_cluster_brokers_relates_the_broker_count():
    cluster = _broker(count=1)
    topic = TopicSpec("orders", _at("topic.yaml", 4), replicas=3, replicas_location=_at("topic.yaml", 8), cluster_config=cluster, label="KafkaTopic orders")
    project = Project(topics=[topic])
    [hit] = topic_replicas_exceed_brokers(project, _context(project))
    assert hit.variables == {
        "subject": "KafkaTopic orders",
        "key": "replicas",
        "value": 3,
        "source": "set at line 8",
        "brokers": 1,
        "effect": "it cannot be created (InvalidReplicationFactor)",
    }
    assert hit.related == (_at("server.properties", 9),)


def test_too_few_brokers_names_the_node_pools_that_hold_them():
    broker = _broker(count=1, label_="Kafka prod")
    broker.broker_count_source = "node pool dual-role"  # as the Strimzi source names it
    [hit] = too_few_brokers(broker, _context(Project(), minimum_brokers=3))
    assert hit.variables == {
        "subject": "Kafka prod", "brokers": 1, "source": "node pool dual-role", "minimum": 3,
        "effect": "replication factor 3 is impossible",
    }
    assert hit.severity is None
    assert list(too_few_brokers(_broker(count=3), _context(Project(), minimum_brokers=3))) == []


def test_a_single_node_cluster_with_internal_topics_at_one_is_one_info_finding_on_the_cause():
    broker = _broker(_setting("offsets.topic.replication.factor", 1), count=1, label_="Kafka dev")
    broker.node_count = 1
    [hit] = too_few_brokers(broker, _context(Project(), minimum_brokers=3))
    assert hit.severity is Severity.INFO
    assert hit.variables["effect"].startswith("a single-broker development cluster")
    # A separate KRaft controller holds no partition: still one broker, one copy of each record.
    broker.node_count = 2
    [hit] = too_few_brokers(broker, _context(Project(), minimum_brokers=3))
    assert hit.severity is Severity.INFO
    # Two brokers whose every replication factor is 1, set by themselves: one copy by design too.
    broker.broker_count = 2
    [hit] = too_few_brokers(broker, _context(Project(), minimum_brokers=3))
    assert hit.severity is Severity.INFO
    assert hit.variables["effect"] == "a development cluster, one copy of each record (every replication factor it sets is 1)"
    # Two brokers that replicate something, or whose 1 is only their image's default: not one.
    broker.settings["default.replication.factor"] = _setting("default.replication.factor", 2)
    [hit] = too_few_brokers(broker, _context(Project(), minimum_brokers=3))
    assert hit.severity is None
    del broker.settings["default.replication.factor"]
    broker.settings["offsets.topic.replication.factor"].implied = "the image's documented default"
    [hit] = too_few_brokers(broker, _context(Project(), minimum_brokers=3))
    assert hit.severity is None
    broker.settings["offsets.topic.replication.factor"].implied = ""
    broker.broker_count = 1
    del broker.settings["offsets.topic.replication.factor"]
    [hit] = too_few_brokers(broker, _context(Project(), minimum_brokers=3))
    assert hit.severity is None


def test_auto_create_by_default_says_so():
    [hit] = auto_create_topics_enabled(_broker(), _context(Project()))
    assert hit.variables == {"subject": "server.properties", "source": "broker default"}
    assert list(auto_create_topics_enabled(_broker(_setting("auto.create.topics.enable", False)), _context(Project()))) == []


# --- Strimzi ---------------------------------------------------------------------------------

KAFKA = """\
apiVersion: kafka.strimzi.io/v1
kind: Kafka
metadata:
  name: prod
spec:
  kafka:
    listeners:
      - {name: plain, port: 9092, type: internal, tls: false}
      - {name: external, port: 9094, type: route, tls: false}
"""


def _resources(files: dict[str, str]) -> Project:
    project = Project()
    for path, text in files.items():
        read_text_as(text, path, "yaml", project)
    from kafkalint.sources.strimzi import resolve_strimzi
    from kafkalint.settings import Settings

    resolve_strimzi(project, Settings())
    return project


def test_listener_without_tls_chooses_its_effect_from_the_fixed_set():
    project = _resources({"kafka.yaml": KAFKA})
    [kafka] = [resource for resource in project.resources if resource.kind == "Kafka"]
    plain, route = listener_without_tls(kafka, _context(project))
    assert plain.variables == {"resource": "Kafka prod", "listener": "plain", "type": "internal", "effect": "clear-text traffic and credentials"}
    assert plain.severity is None
    assert route.variables["effect"] == "the operator rejects it"
    assert route.severity is not None and route.severity.value == "error"


def test_metadata_quorum_of_two_voters_stops_on_one_loss():
    project = _resources({"kafka.yaml": KAFKA})
    [kafka] = [resource for resource in project.resources if resource.kind == "Kafka"]
    kafka.extras["controllers"] = (2, _at("kafka.yaml", 5), "KRaft controllers (node pool c)")
    [hit] = metadata_quorum_too_small(kafka, _context(project))
    assert hit.variables == {"resource": "Kafka prod", "voters": 2, "voter_kind": "KRaft controllers (node pool c)", "effect": "losing one stops metadata changes"}


def test_resource_lacks_field_template_reports_every_missing_field_once():
    project = _resources({"kafka.yaml": KAFKA})
    [kafka] = [resource for resource in project.resources if resource.kind == "Kafka"]
    context = _context(project, field=["spec.kafka.metricsConfig", "spec.kafkaExporter"], applies_when="spec.kafka")
    [hit] = resource_lacks_field(kafka, context)
    assert hit.variables == {"resource": "Kafka prod", "field": "spec.kafka.metricsConfig and no spec.kafkaExporter"}
    assert list(resource_lacks_field(kafka, _context(project, field="spec.kafka.listeners"))) == []
    assert list(resource_lacks_field(kafka, _context(project, field="spec.x", applies_when="spec.zookeeper"))) == []


def test_resource_lacks_field_template_on_the_cluster_of_a_topic_points_at_its_label():
    topic = (
        "apiVersion: kafka.strimzi.io/v1\nkind: KafkaTopic\nmetadata:\n  name: orders\n"
        "  labels:\n    strimzi.io/cluster: prod\nspec:\n  partitions: 3\n"
    )
    project = _resources({"kafka.yaml": KAFKA, "topic.yaml": topic})
    [resource] = [item for item in project.resources if getattr(item, "kind", None) == "KafkaTopic"]
    context = _context(project, field={"KafkaTopic": "spec.entityOperator.topicOperator"}, holder="cluster")
    [hit] = resource_lacks_field(resource, context)
    assert hit.variables == {"resource": "KafkaTopic orders", "field": "spec.entityOperator.topicOperator", "cluster": "Kafka prod"}
    assert (hit.location.path, hit.location.line) == ("topic.yaml", 6)
    assert [location.path for location in hit.related] == ["kafka.yaml"]


def test_templates_and_registered_checks_are_found_by_name_and_code():
    assert template_check("resource-lacks-field") is resource_lacks_field
    assert check_for("KL402") is listener_without_tls
    assert check_for("KL704") is None  # a template rule: no function of its own


# --- Connect -----------------------------------------------------------------------------------


def test_sink_with_errors_tolerance_all_and_no_dead_letter_queue():
    connector = ConnectorConfig(
        "s3-sink",
        _at("c.properties", 1),
        connector_class="io.confluent.connect.s3.S3SinkConnector",
        settings={"errors.tolerance": _setting("errors.tolerance", "all", "c.properties", 4)},
    )
    project = Project(connectors=[connector])
    [hit] = connect_errors_tolerance_without_dlq(project, _context(project))
    assert hit.variables == {"connector": "s3-sink"}
    connector.settings["errors.deadletterqueue.topic.name"] = _setting("errors.deadletterqueue.topic.name", "dlq", "c.properties", 5)
    assert list(connect_errors_tolerance_without_dlq(project, _context(project))) == []


# --- cross-file --------------------------------------------------------------------------------


def _client(path: str, role: Role = Role.PRODUCER, dialect: Dialect = Dialect.JAVA, name: str = "", framework: Framework | None = None, topics: tuple[str, ...] = ()) -> ClientConfig:
    client = ClientConfig(role=role, dialect=dialect, anchor=_at(path, 2), name=name, framework=framework)
    client.topics = [(topic, _at(path, 3)) for topic in topics]
    return client


def test_a_framework_client_is_named_by_its_framework_name_whatever_its_origin():
    spring = _client("a/application.yml", name="spring producer", framework=Framework.SPRING)
    spring.origin = "anything"  # where it came from does not matter, the typed fact does
    assert label(spring) == "spring producer"
    assert label(_client("p.py", dialect=Dialect.LIBRDKAFKA, name="p")) == "librdkafka producer `p`"


def test_other_clients_get_a_location_only_when_their_label_is_shared():
    one, two = _client("a/producer.properties"), _client("b/producer.properties")
    unique = _client("c/application.yml", name="spring producer", framework=Framework.SPRING)
    names = OtherClients(Project(clients=[one, two, unique]))
    assert names.name(one) == "java producer (a/producer.properties:2)"
    assert names.name(unique) == "spring producer"


def test_partitioner_mismatch_on_a_shared_topic_is_an_error_relating_the_other_producer():
    java = _client("a/application.yml", name="spring producer", framework=Framework.SPRING, topics=("orders",))
    java.settings["key.serializer"] = _setting("key.serializer", "org.apache.kafka.common.serialization.StringSerializer", "a/application.yml", 5)
    python = _client("ingest/produce.py", dialect=Dialect.LIBRDKAFKA, topics=("orders",))
    project = Project(clients=[java, python])
    [hit] = partitioner_mismatch(project, _context(project))
    assert hit.variables == {
        "producer": "librdkafka producer",
        "hash": "CRC32 (consistent_random)",
        "other": "spring producer",
        "other_hash": "murmur2 (builtin)",
        "consequence": "breaks on topic 'orders'",
    }
    assert hit.severity is not None and hit.severity.value == "error"
    assert hit.related == (_at("a/application.yml", 3),)


def test_undeclared_topic_needs_every_cluster_to_disable_auto_creation():
    consumer = _client("app/consumer.properties", role=Role.CONSUMER, topics=("orders",))
    disabled = _broker(_setting("auto.create.topics.enable", False, line=7))
    project = Project(clients=[consumer], brokers=[disabled])
    [hit] = undeclared_topic(project, _context(project))
    assert hit.variables == {"topic": "orders", "user": "java consumer"}
    assert hit.related == (_at("server.properties", 7),)
    project.brokers.append(_broker())
    assert list(undeclared_topic(project, _context(project))) == []


def test_floor_template_on_connect_workers_skips_defaults_and_the_hand_over_value():
    worker = ClientConfig(role=Role.CONNECT, dialect=Dialect.JAVA, anchor=_at("connect.properties", 1), name="connect worker w")
    worker.worker_settings = {
        "config.storage.replication.factor": _setting("config.storage.replication.factor", 1, "connect.properties", 4),
        "offset.storage.replication.factor": _setting("offset.storage.replication.factor", -1, "connect.properties", 5),
    }
    project = Project(clients=[worker])
    keys = ("config.storage.replication.factor", "offset.storage.replication.factor", "status.storage.replication.factor")
    context = _context(
        project, of="connect-workers", minimum=3, never_judged=[-1],
        floors={key: "minimum" for key in keys}, holds={key: "state" for key in keys},
    )
    [hit] = setting_below_floor(project, context)
    assert hit.variables == {
        "subject": "connect worker w", "below": "config.storage.replication.factor=1 (set at line 4) is below 3", "holds": "state",
    }
    assert hit.related == (_at("connect.properties", 1),)
