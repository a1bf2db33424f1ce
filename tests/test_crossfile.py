"""Cross-file rules over whole trees: partitioners, key formats, min ISR, transactions, topics, groups."""

from __future__ import annotations

from kafkalint.catalogue import load_catalogue
from kafkalint.engine import evaluate
from kafkalint.knowledge import make_setting
from kafkalint.model import ClientConfig, Dialect, Location, Project, Role, Severity, SourceFile
from kafkalint.settings import Settings
from kafkalint.sources import read_text_as

SPRING_ORDERS = (
    "spring:\n"
    "  kafka:\n"
    "    template:\n"
    "      default-topic: orders\n"
)


def _python_producer(path: str, topic: str, partitioner: str | None = None, keyed: bool = True) -> ClientConfig:
    """A confluent-kafka producer as the Python source records it: topics from produce() literals."""
    client = ClientConfig(Role.PRODUCER, Dialect.LIBRDKAFKA, Location(path, 3, 12), origin="python")
    if partitioner is not None:
        setting, _ = make_setting(Dialect.LIBRDKAFKA, "partitioner", partitioner, Location(path, 3, 60), Location(path, 3, 45))
        client.settings[setting.key] = setting
    client.topics.append((topic, Location(path, 5, 18)))
    client.extras["keyed"] = keyed
    return client


def _findings(project: Project, rule: str):
    catalogue = load_catalogue()
    return evaluate(project, [catalogue.by_name(rule)], Settings())


def _project(files: dict[str, str], *clients: ClientConfig) -> Project:
    project = Project()
    for path, text in files.items():
        kind = "properties" if path.endswith(".properties") else "yaml"
        read_text_as(text, path, kind, project)
    project.clients.extend(clients)
    return project


def test_spring_and_confluent_kafka_producers_of_orders_mismatch_is_an_error_naming_both_files():
    project = _project({"orders/src/main/resources/application.yml": SPRING_ORDERS}, _python_producer("ingest/produce.py", "orders"))
    [finding] = _findings(project, "partitioner-mismatch")
    assert finding.severity is Severity.ERROR
    assert (finding.location.path, finding.location.line, finding.location.column) == ("ingest/produce.py", 5, 18)
    assert "the spring producer with murmur2" in finding.message
    assert "topic 'orders'" in finding.message
    assert [location.path for location in finding.related] == ["orders/src/main/resources/application.yml"]
    assert [(where.path, where.line) for where in finding.related] == [("orders/src/main/resources/application.yml", 4)]


def test_murmur2_random_on_the_python_side_silences_the_mismatch():
    project = _project(
        {"orders/src/main/resources/application.yml": SPRING_ORDERS},
        _python_producer("ingest/produce.py", "orders", partitioner="murmur2_random"),
    )
    assert _findings(project, "partitioner-mismatch") == []


def test_different_topics_do_not_mismatch_and_unkeyed_records_do_not_matter():
    other_topic = _project({"a/application.yml": SPRING_ORDERS}, _python_producer("p.py", "clicks"))
    assert _findings(other_topic, "partitioner-mismatch") == []
    unkeyed = _project({"a/application.yml": SPRING_ORDERS}, _python_producer("p.py", "orders", keyed=False))
    assert _findings(unkeyed, "partitioner-mismatch") == []


def test_unknown_topics_on_one_side_give_an_info_may_finding_inside_one_module(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no build file on disk decides the modules: only the project's files
    spring_without_topic = "spring:\n  kafka:\n    producer:\n      acks: all\n"
    project = _project({"svc/a/application.yml": spring_without_topic}, _python_producer("svc/p.py", "orders"))
    project.files.append(SourceFile("svc/pom.xml", "pom", "<project/>\n"))
    [finding] = _findings(project, "partitioner-mismatch")
    assert finding.severity is Severity.INFO
    assert (finding.location.path, finding.location.line) == ("svc/p.py", 3)
    assert "the spring producer with murmur2" in finding.message
    assert "may break if they share a topic (not known statically)" in finding.message
    assert [location.path for location in finding.related] == ["svc/a/application.yml"]


def test_unknown_topics_in_two_modules_are_never_paired(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    spring_without_topic = "spring:\n  kafka:\n    producer:\n      acks: all\n"
    separate = _project({"orders/application.yml": spring_without_topic}, _python_producer("ingest/p.py", "orders"))
    separate.files += [SourceFile("orders/pom.xml", "pom", ""), SourceFile("ingest/requirements.txt", "requirements", "")]
    assert _findings(separate, "partitioner-mismatch") == []
    # Without any build file, a folder is a module of its own: neighbours in one folder pair,
    # files in two folders do not.
    no_manifest = _project({"a/application.yml": spring_without_topic}, _python_producer("b/p.py", "orders"))
    assert _findings(no_manifest, "partitioner-mismatch") == []
    same_folder = _project({"a/application.yml": spring_without_topic}, _python_producer("a/p.py", "orders"))
    assert [f.location.path for f in _findings(same_folder, "partitioner-mismatch")] == ["a/p.py"]


def test_module_boundaries_come_from_build_files_on_disk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "svc" / "deep").mkdir(parents=True)
    (tmp_path / "svc" / "go.mod").write_text("module svc\n")
    spring_without_topic = "spring:\n  kafka:\n    producer:\n      acks: all\n"
    project = _project({"svc/deep/application.yml": spring_without_topic}, _python_producer("svc/p.py", "orders"))
    [finding] = _findings(project, "partitioner-mismatch")
    assert finding.location.path == "svc/p.py" and finding.severity is Severity.INFO
    (tmp_path / "svc" / "deep" / "package.json").write_text("{}\n")  # now a module of its own
    assert _findings(project, "partitioner-mismatch") == []


def test_related_locations_are_capped_at_ten_and_the_rest_counted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    java = "bootstrap.servers=b:9092\nkey.serializer=org.apache.kafka.common.serialization.StringSerializer\nacks=all\n"
    project = _project({f"svc/p{index:02}/producer.properties": java for index in range(25)}, _python_producer("svc/ingest.py", "orders"))
    project.files.append(SourceFile("svc/pom.xml", "pom", ""))
    [finding] = _findings(project, "partitioner-mismatch")
    assert [location.path for location in finding.related] == [f"svc/p{index:02}/producer.properties" for index in range(10)]
    assert finding.related_omitted == 15


def test_a_shared_known_topic_is_one_error_per_producer_to_change_whatever_the_modules():
    many_java = []
    for index in range(3):
        path = f"svc{index}/app.properties"
        client = ClientConfig(Role.PRODUCER, Dialect.JAVA, Location(path, 1), topics=[("orders", Location(path, 2))])
        setting, _ = make_setting(Dialect.JAVA, "key.serializer", "org.apache.kafka.common.serialization.StringSerializer", Location(path, 3), Location(path, 3))
        client.settings[setting.key] = setting
        many_java.append(client)
    project = _project({}, *many_java, _python_producer("elsewhere/produce.py", "orders"))
    [finding] = _findings(project, "partitioner-mismatch")
    assert finding.severity is Severity.ERROR and finding.location.path == "elsewhere/produce.py"
    assert "breaks on topic 'orders'" in finding.message
    assert [location.path for location in finding.related] == ["svc0/app.properties", "svc1/app.properties", "svc2/app.properties"]


def test_end_to_end_with_python_source(lint):
    """The same acceptance case through real files, once the Python source records producers."""
    import pytest

    files = {
        "orders/src/main/resources/application.yml": SPRING_ORDERS,
        "ingest/produce.py": (
            "from confluent_kafka import Producer\n\n"
            "producer = Producer({'bootstrap.servers': 'broker:9092'})\n"
            "producer.produce('orders', key='customer-42', value=b'{}')\n"
            "producer.flush()\n"
        ),
    }
    result = lint(files, select=["partitioner-mismatch"])
    if not any(client.origin == "python" for client in result.project.clients):
        pytest.skip("the Python source does not record confluent-kafka producers yet")
    [finding] = result.findings
    assert finding.location.path == "ingest/produce.py" and finding.severity is Severity.ERROR
    files["ingest/produce.py"] = files["ingest/produce.py"].replace(
        "'bootstrap.servers': 'broker:9092'", "'bootstrap.servers': 'broker:9092', 'partitioner': 'murmur2_random'"
    )
    assert lint(files, select=["partitioner-mismatch"]).findings == []


def test_key_serializer_mismatch_long_vs_string(lint):
    result = lint({
        "a/application.yml": SPRING_ORDERS + "    producer:\n      key-serializer: org.apache.kafka.common.serialization.LongSerializer\n",
        "b/application.properties": (
            "mp.messaging.outgoing.orders.connector=smallrye-kafka\n"
            "mp.messaging.outgoing.orders.key.serializer=org.apache.kafka.common.serialization.StringSerializer\n"
        ),
    }, select=["key-serializer-mismatch"])
    [finding] = result.findings
    assert (finding.location.path, finding.location.line) == ("b/application.properties", 2)
    assert "8-byte long" in finding.message and "UTF-8 string" in finding.message


def test_spring_default_string_serializer_matches_an_explicit_string_serializer(lint):
    result = lint({
        "a/application.yml": SPRING_ORDERS,
        "b/application.properties": (
            "mp.messaging.outgoing.orders.connector=smallrye-kafka\n"
            "mp.messaging.outgoing.orders.key.serializer=org.apache.kafka.common.serialization.StringSerializer\n"
        ),
    }, select=["key-serializer-mismatch"])
    assert result.findings == []


STRIMZI_CLUSTER = (
    "apiVersion: kafka.strimzi.io/v1beta2\n"
    "kind: Kafka\n"
    "metadata:\n"
    "  name: prod\n"
    "spec:\n"
    "  kafka:\n"
    "    replicas: 3\n"
    "    config:\n"
    "      auto.create.topics.enable: false\n"
)
STRIMZI_ORDERS = (
    "apiVersion: kafka.strimzi.io/v1beta2\n"
    "kind: KafkaTopic\n"
    "metadata:\n"
    "  name: orders\n"
    "  labels:\n"
    "    strimzi.io/cluster: prod\n"
    "spec:\n"
    "  partitions: 6\n"
    "  replicas: 3\n"
)


def test_acks_all_against_inherited_min_isr_one_reports_at_the_topic(lint):
    result = lint({
        "deploy/kafka.yaml": STRIMZI_CLUSTER,
        "deploy/orders.yaml": STRIMZI_ORDERS,
        "app/application.yml": SPRING_ORDERS + "    producer:\n      acks: all\n",
    }, select=["acks-all-with-min-isr-one"])
    [finding] = result.findings
    assert (finding.location.path, finding.location.line) == ("deploy/orders.yaml", 4)
    assert "broker default" in finding.message and "1 acks=all producer(s)" in finding.message
    assert [location.path for location in finding.related] == ["app/application.yml"]


def test_min_isr_of_an_unseen_cluster_is_unknown_and_silent(lint):
    result = lint({
        "deploy/orders.yaml": STRIMZI_ORDERS.replace("prod", "elsewhere"),
        "app/application.yml": SPRING_ORDERS + "    producer:\n      acks: all\n",
    }, select=["acks-all-with-min-isr-one"])
    assert result.findings == []


def test_acks_one_producer_is_not_this_rule(lint):
    result = lint({
        "deploy/kafka.yaml": STRIMZI_CLUSTER,
        "deploy/orders.yaml": STRIMZI_ORDERS,
        "app/application.yml": SPRING_ORDERS + "    producer:\n      acks: 1\n",
    }, select=["acks-all-with-min-isr-one"])
    assert result.findings == []


def test_transactional_topic_read_with_explicit_read_uncommitted(lint):
    result = lint({
        "pay/application.yml": SPRING_ORDERS + "    producer:\n      transaction-id-prefix: tx-\n",
        "ledger/application.yml": (
            "mp:\n  messaging:\n    incoming:\n      orders:\n        connector: smallrye-kafka\n"
            "        isolation.level: read_uncommitted\n"
        ),
    }, select=["transactional-producer-read-uncommitted"])
    [finding] = result.findings
    assert (finding.location.path, finding.location.line) == ("ledger/application.yml", 6)
    assert "(line 6)" in finding.message and "the spring producer writes it" in finding.message
    assert [location.path for location in finding.related] == ["pay/application.yml"]


def test_librdkafka_consumer_defaults_to_read_committed_and_is_silent():
    producer_project = _project({"pay/application.yml": SPRING_ORDERS + "    producer:\n      transaction-id-prefix: tx-\n"})
    consumer = ClientConfig(Role.CONSUMER, Dialect.LIBRDKAFKA, Location("c.py", 2, 1), origin="python")
    consumer.topics.append(("orders", Location("c.py", 4, 20)))
    producer_project.clients.append(consumer)
    assert _findings(producer_project, "transactional-producer-read-uncommitted") == []


def test_undeclared_topic_needs_every_cluster_to_disable_auto_create(lint):
    files = {
        "deploy/kafka.yaml": STRIMZI_CLUSTER,
        "deploy/orders.yaml": STRIMZI_ORDERS,
        "app/application.properties": "mp.messaging.incoming.payments.connector=smallrye-kafka\n",
    }
    [finding] = lint(files, select=["undeclared-topic"]).findings
    assert (finding.location.path, finding.location.line) == ("app/application.properties", 1)
    assert "topic 'payments'" in finding.message
    files["deploy/kafka.yaml"] = STRIMZI_CLUSTER.replace("false", "true")
    assert lint(files, select=["undeclared-topic"]).findings == []


def test_group_drift_on_isolation_level(lint):
    result = lint({
        "a/consumer.properties": "group.id=billing\nenable.auto.commit=false\nisolation.level=read_committed\n",
        "b/consumer.properties": "group.id=billing\nenable.auto.commit=false\n",
    }, select=["consumer-group-config-drift"])
    [finding] = result.findings
    assert (finding.location.path, finding.location.line) == ("b/consumer.properties", 1)
    assert "isolation.level is read_uncommitted (java 4.1 default" in finding.message
    assert "here, read_committed for the java consumer (a/consumer.properties:1)" in finding.message


def test_group_drift_ignores_different_groups(lint):
    result = lint({
        "a/consumer.properties": "group.id=billing\nenable.auto.commit=false\n",
        "b/consumer.properties": "group.id=audit\nenable.auto.commit=true\n",
    }, select=["consumer-group-config-drift"])
    assert result.findings == []


def test_a_profile_without_topics_of_its_own_does_not_repeat_the_base_mismatch():
    project = _project(
        {
            "orders/src/main/resources/application.yml": SPRING_ORDERS,
            "orders/src/main/resources/application-prod.yml": "spring:\n  kafka:\n    producer:\n      acks: all\n",
        },
        _python_producer("ingest/produce.py", "orders"),
    )
    findings = _findings(project, "partitioner-mismatch")
    assert [(f.location.path, f.location.line, f.severity) for f in findings] == [("ingest/produce.py", 5, Severity.ERROR)]


def test_module_level_mismatch_is_one_finding_per_producer_to_change_naming_all_others(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    producer_json = '{"bootstrap.servers": "b:9092", "queue.buffering.max.ms": 5}\n'
    java = "bootstrap.servers=b:9092\nkey.serializer=org.apache.kafka.common.serialization.StringSerializer\nacks=all\n"
    project = _project(
        {"m/a/producer.properties": java, "m/b/producer.properties": java},
        _python_producer("m/ingest/produce.py", "orders"),
    )
    read_text_as(producer_json, "m/c/producer.json", "json", project)
    project.files.append(SourceFile("m/setup.py", "python", ""))
    findings = _findings(project, "partitioner-mismatch")
    assert [(f.location.path, f.location.line) for f in findings] == [("m/c/producer.json", 1), ("m/ingest/produce.py", 3)]
    for finding in findings:
        assert "the java producer with murmur2" in finding.message and "not known statically" in finding.message
        assert sorted(location.path for location in finding.related) == ["m/a/producer.properties", "m/b/producer.properties"]
        assert finding.severity is Severity.INFO


# Two consumers a test builds one after the other from one Properties, auto-commit on then off,
# to see how the code under test reacts to each: two fixtures, not two members of one group.
_TEST_CONSUMERS = """\
package com.acme;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

class ConsumersTest {
    void buildsEach() {
        Properties properties = new Properties();
        properties.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "dummy-group");
        properties.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true");
        KafkaConsumer<String, String> first = new KafkaConsumer<>(properties);
        properties.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, String> second = new KafkaConsumer<>(properties);
    }
}
"""


def test_clients_in_test_code_are_not_compared_across_clients(tmp_path):
    from tests.conftest import lint_files

    main = lint_files(tmp_path / "main", {"src/main/java/com/acme/Consumers.java": _TEST_CONSUMERS}, select=["KL606"])
    assert [(f.code, f.location.line) for f in main.findings] == [("KL606", 13)]
    assert "group 'dummy-group'" in main.findings[0].message
    tests = lint_files(tmp_path / "tests", {"src/test/java/com/acme/ConsumersTest.java": _TEST_CONSUMERS}, select=["KL606"])
    assert tests.findings == []


def test_a_test_producer_is_not_paired_with_a_production_producer_of_the_same_topic(tmp_path):
    from tests.conftest import lint_files

    java = (
        "package com.acme;\n\n"
        "import java.util.Properties;\n"
        "import org.apache.kafka.clients.producer.KafkaProducer;\n"
        "import org.apache.kafka.clients.producer.ProducerRecord;\n\n"
        "class Orders {\n"
        "    void send(String key) {\n"
        "        Properties props = new Properties();\n"
        "        props.put(\"bootstrap.servers\", \"localhost:9092\");\n"
        "        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {\n"
        "            producer.send(new ProducerRecord<>(\"orders\", key, \"v\"), (m, e) -> {});\n"
        "        }\n"
        "    }\n"
        "}\n"
    )
    python = (
        "from confluent_kafka import Producer\n\n"
        "producer = Producer({'bootstrap.servers': 'localhost:9092'})\n"
        "producer.produce('orders', key='k', value='v')\n"
        "producer.flush()\n"
    )
    files = {"src/main/java/com/acme/Orders.java": java}
    production = lint_files(tmp_path / "a", {**files, "tools/replay.py": python}, select=["KL601"])
    assert [f.code for f in production.findings] == ["KL601"]
    in_tests = lint_files(tmp_path / "b", {**files, "tests/test_replay.py": python}, select=["KL601"])
    assert in_tests.findings == []
