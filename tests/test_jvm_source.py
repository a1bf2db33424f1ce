"""The Java/Kotlin source: configuration in code becomes the same client model as any other
source, topics feed the cross-file rules, and hostile files never crash or hang kafkalint."""

from __future__ import annotations

import json
import shutil
import time

import pytest

from kafkalint.catalogue import load_catalogue
from kafkalint.model import UNKNOWN, Dialect, Project, Role
from kafkalint.sources import read_text_as
from tests.clirunner import run_cli
from tests.conftest import ROOT, lint_files

JAVA_HEADER = """package demo;

import java.util.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.clients.consumer.*;
"""


def _project(path: str, text: str) -> Project:
    project = Project()
    kind = "java" if path.endswith(".java") else "kotlin"
    read_text_as(text, path, kind, project)
    return project


def _only_client(project: Project):
    [client] = project.clients
    return client


# --- configuration in code -------------------------------------------------------------------


def test_properties_with_config_constants_become_a_java_producer_with_exact_key_locations():
    text = JAVA_HEADER + (
        "class Publisher {\n"  # line 6
        "    static final String ACKS = \"0\";\n"
        "    KafkaProducer<String, String> build() {\n"
        "        Properties props = new Properties();\n"
        "        props.put(ProducerConfig.ACKS_CONFIG, ACKS);\n"  # line 10
        "        props.setProperty(\"linger.ms\", String.valueOf(20));\n"
        "        props.put(ProducerConfig.CLIENT_ID_CONFIG, System.getenv(\"ID\"));\n"
        "        return new KafkaProducer<>(props);\n"
        "    }\n"
        "}\n"
    )
    client = _only_client(_project("src/Publisher.java", text))
    assert (client.role, client.dialect, client.all_settings_known) == (Role.PRODUCER, Dialect.JAVA, True)
    acks = client.settings["acks"]
    assert acks.value == "0"
    assert (acks.key_location.line, acks.key_location.column, acks.key_location.end_column) == (10, 19, 45)
    assert (acks.location.line, acks.location.column) == (10, 47)
    assert client.settings["linger.ms"].value == 20
    assert client.settings["client.id"].value is UNKNOWN
    assert (client.anchor.line, client.anchor.column) == (13, 16)


def test_map_of_and_map_of_entries_configure_spring_factories():
    text = JAVA_HEADER + (
        "import org.springframework.kafka.core.*;\n"
        "class Config {\n"
        "    ProducerFactory<String, String> producers() {\n"
        "        return new DefaultKafkaProducerFactory<>(Map.of(ProducerConfig.ACKS_CONFIG, \"1\", \"retries\", 0));\n"
        "    }\n"
        "    ConsumerFactory<String, String> consumers() {\n"
        "        return new DefaultKafkaConsumerFactory<>(Map.ofEntries(Map.entry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000)));\n"
        "    }\n"
        "}\n"
    )
    producer, consumer = _project("src/Config.java", text).clients
    assert producer.role is Role.PRODUCER and producer.settings["acks"].value == "1" and producer.settings["retries"].value == 0
    assert consumer.role is Role.CONSUMER and consumer.settings["max.poll.records"].value == 5000


def test_kotlin_map_of_and_properties_apply_configure_clients():
    text = (
        "import org.apache.kafka.clients.producer.KafkaProducer\n"
        "import org.apache.kafka.clients.producer.ProducerConfig\n"
        "import org.apache.kafka.clients.consumer.KafkaConsumer\n"
        "import java.util.Properties\n"
        "fun producer() = KafkaProducer<String, String>(mapOf(ProducerConfig.ACKS_CONFIG to \"0\", \"linger.ms\" to 5))\n"
        "fun consumer(): KafkaConsumer<String, String> {\n"
        "    val props = Properties().apply {\n"
        "        put(\"group.id\", \"billing\")\n"
        "        this[\"enable.auto.commit\"] = false\n"
        "    }\n"
        "    props[\"max.poll.records\"] = 10\n"
        "    return KafkaConsumer(props)\n"
        "}\n"
    )
    producer, consumer = _project("src/Clients.kt", text).clients
    assert producer.settings["acks"].value == "0"
    assert (producer.settings["acks"].key_location.line, producer.settings["acks"].key_location.column) == (5, 54)
    assert consumer.all_settings_known
    assert {key: setting.value for key, setting in consumer.settings.items()} == {
        "group.id": "billing", "enable.auto.commit": False, "max.poll.records": 10,
    }


def test_a_map_handed_to_other_code_is_incomplete_and_its_defaults_are_never_judged():
    text = JAVA_HEADER + (
        "class Worker {\n"
        "    KafkaConsumer<String, String> build() {\n"
        "        Properties props = new Properties();\n"
        "        props.put(\"group.id\", \"billing\");\n"
        "        Security.addSasl(props);\n"
        "        return new KafkaConsumer<>(props);\n"
        "    }\n"
        "}\n"
    )
    client = _only_client(_project("src/Worker.java", text))
    assert client.all_settings_known is False


def test_values_put_before_a_put_all_of_an_unknown_map_may_be_replaced_and_are_not_judged(tmp_path):
    """spring-cloud-stream's binder: `props.put(RETRIES_CONFIG, 0); props.putAll(userConfig)` is
    a default the user's configuration overrides; KL106 called it 'retries=0'. A value put after
    the putAll is what the client gets."""
    text = JAVA_HEADER + (
        "class Factory {\n"
        "    KafkaProducer<byte[], byte[]> build(Map<String, Object> userConfig) {\n"
        "        Map<String, Object> props = new HashMap<>();\n"
        "        props.put(ProducerConfig.RETRIES_CONFIG, 0);\n"
        "        props.putAll(userConfig);\n"
        "        props.put(ProducerConfig.ACKS_CONFIG, \"0\");\n"
        "        return new KafkaProducer<>(props);\n"
        "    }\n"
        "}\n"
    )
    client = _only_client(_project("src/Factory.java", text))
    assert client.settings["retries"].value is UNKNOWN and client.settings["acks"].value == "0"
    assert client.all_settings_known is False
    result = lint_files(tmp_path, {"src/Factory.java": text}, select=["KL101", "KL106"])
    assert [(f.code, f.location.line) for f in result.findings] == [("KL101", 11)]


def test_a_client_built_from_an_injected_map_is_a_client_whose_settings_are_unknown(tmp_path):
    """As a Python client given `conf`: it is in the inventory with its topics, and no rule
    judges settings it cannot see (no group.id, auto-commit or deserializer finding)."""
    text = JAVA_HEADER + (
        "class Providers {\n"
        "    Map<String, Object> config;\n"
        "    KafkaConsumer<String, String> consumer() { return new KafkaConsumer<>(config); }\n"
        "    void run(Properties props) {\n"
        "        KafkaConsumer<String, String> orders = new KafkaConsumer<>(props);\n"
        "        orders.subscribe(List.of(\"orders\"));\n"
        "        while (true) {\n"
        "            for (ConsumerRecord<String, String> record : orders.poll(Duration.ofSeconds(1))) {\n"
        "                handle(record);\n"
        "            }\n"
        "            orders.commitSync();\n"
        "        }\n"
        "    }\n"
        "}\n"
    )
    clients = _project("src/Providers.java", text).clients
    assert [(client.role, client.anchor.line, client.all_settings_known, dict(client.settings)) for client in clients] == [
        (Role.CONSUMER, 8, False, {}),
        (Role.CONSUMER, 10, False, {}),
    ]
    assert [name for name, _location in clients[1].topics] == ["orders"]
    from tests.conftest import lint_files

    assert lint_files(tmp_path, {"src/main/java/demo/Providers.java": text}).findings == []


def test_vertx_kafka_consumer_is_not_the_apache_client():
    text = (
        "import io.vertx.kafka.client.consumer.KafkaConsumer;\n"
        "import org.apache.kafka.clients.consumer.ConsumerConfig;\n"
        "class V { void f(java.util.Map<String, String> c) {\n"
        "    c.put(ConsumerConfig.GROUP_ID_CONFIG, \"g\");\n"
        "    KafkaConsumer<String, String> consumer = KafkaConsumer.create(null, c);\n"
        "    consumer.poll(100);\n"
        "} }\n"
    )
    project = _project("src/V.java", text)
    assert project.clients == [] and project.facts == []


def test_kafka_listener_properties_are_consumer_settings_at_their_place_in_the_string(tmp_path):
    files = {
        "src/main/java/demo/Listener.java": (
            "package demo;\n"
            "import org.springframework.kafka.annotation.KafkaListener;\n"
            "class Listener {\n"
            "    @KafkaListener(topics = \"orders\", groupId = \"billing\", properties = {\"max.poll.records=5000\"})\n"
            "    void on(String order) {}\n"
            "}\n"
        )
    }
    result = lint_files(tmp_path, files)
    [client] = result.project.clients
    assert client.topics[0][0] == "orders" and client.settings["group.id"].value == "billing"
    assert client.all_settings_known is False
    [finding] = result.findings
    assert finding.code == "KL202"
    assert (finding.location.line, finding.location.column) == (4, 75)
    assert "max.poll.records=5000" in finding.message


def test_a_file_without_kafka_imports_is_never_parsed(tmp_path):
    files = {"src/App.java": "class App { void f() { java.util.Properties p = new java.util.Properties(); } }\n"}
    result = lint_files(tmp_path, files)
    assert result.project.files == [] and result.findings == []


# --- topics and cross-file -------------------------------------------------------------------


def test_polyglot_fixture_java_and_confluent_kafka_producers_of_orders_mismatch(tmp_path):
    shutil.copytree(ROOT / "fixtures" / "polyglot", tmp_path / "polyglot")
    result = lint_files(tmp_path, {})
    [finding] = [f for f in result.findings if f.code == "KL601"]
    # Reported on the Python side (the one to change), with the Java producer's use of the topic related.
    assert (finding.location.path, finding.location.line) == ("polyglot/ingest/import_orders.py", 16)
    assert [(item.path, item.line) for item in finding.related] == [
        ("polyglot/orders-service/src/main/java/com/acme/orders/OrderEvents.java", 26)
    ]
    assert "java producer `producer`" in finding.message and "librdkafka producer" in finding.message
    assert "topic 'customer-orders'" in finding.message and finding.severity.value == "error"
    assert [f.code for f in result.findings] == ["KL601"]


def test_polyglot_fixture_murmur2_random_on_the_python_side_silences_the_mismatch(tmp_path):
    shutil.copytree(ROOT / "fixtures" / "polyglot", tmp_path / "polyglot")
    script = tmp_path / "polyglot" / "ingest" / "import_orders.py"
    script.write_text(script.read_text().replace('"acks": "all",', '"acks": "all",\n    "partitioner": "murmur2_random",'))
    result = lint_files(tmp_path, {})
    assert [f.code for f in result.findings] == []


def test_a_custom_partitioner_class_has_an_unknown_hash_and_is_never_compared(tmp_path):
    shutil.copytree(ROOT / "fixtures" / "polyglot", tmp_path / "polyglot")
    source = tmp_path / "polyglot" / "orders-service" / "src" / "main" / "java" / "com" / "acme" / "orders" / "OrderEvents.java"
    source.write_text(
        source.read_text().replace(
            '        this.producer = new KafkaProducer<>(props);',
            '        props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, CustomerPartitioner.class);\n'
            '        this.producer = new KafkaProducer<>(props);',
        )
    )
    result = lint_files(tmp_path, {})
    producer = next(c for c in result.project.clients if c.dialect is Dialect.JAVA)
    assert producer.settings["partitioner.class"].value == "CustomerPartitioner"
    assert [f.code for f in result.findings] == []


def test_subscribe_and_producer_record_topics_feed_the_client_model():
    text = JAVA_HEADER + (
        "class Pipe {\n"
        "    void run() {\n"
        "        Properties c = new Properties();\n"
        "        c.put(\"group.id\", \"g\");\n"
        "        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c);\n"
        "        consumer.subscribe(Arrays.asList(\"orders\", \"refunds\"));\n"
        "        Map<String, Object> p = new HashMap<>();\n"
        "        p.put(\"acks\", \"all\");\n"
        "        Producer<String, String> producer = new KafkaProducer<>(p);\n"
        "        ProducerRecord<String, String> record = new ProducerRecord<>(\"audit\", \"k\", \"v\");\n"
        "        producer.send(record, null);\n"
        "    }\n"
        "}\n"
    )
    consumer, producer = _project("src/Pipe.java", text).clients
    assert [name for name, _ in consumer.topics] == ["orders", "refunds"]
    assert [name for name, _ in producer.topics] == ["audit"] and producer.extras["keyed"] is True


# --- code rules: the contract ----------------------------------------------------------------


def test_suppression_in_a_java_line_comment_silences_the_finding(tmp_path):
    files = {
        "src/main/java/demo/Events.java": JAVA_HEADER + (
            "class Events {\n"
            "    void paid(KafkaProducer<String, String> producer) {\n"
            "        producer.send(new ProducerRecord<>(\"payments\", \"k\", \"v\")); // kafkalint: disable=KL523\n"
            "    }\n"
            "}\n"
        )
    }
    result = lint_files(tmp_path, files)
    assert result.findings == []


def test_java_and_kotlin_findings_appear_in_json_and_sarif(tmp_path):
    shutil.copytree(ROOT / "fixtures" / "java", tmp_path / "java")
    findings = json.loads(run_cli(tmp_path, "check", "java", "--format", "json").stdout)["findings"]
    assert ("KL520", 30) in {(item["code"], item["line"]) for item in findings if item["path"].endswith("BillingWorker.java")}
    assert ("KL522", 17) in {(item["code"], item["line"]) for item in findings if item["path"].endswith("RefundWorker.kt")}
    sarif = json.loads(run_cli(tmp_path, "check", "java", "--format", "sarif").stdout)
    uris = {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in sarif["runs"][0]["results"]}
    assert any(uri.endswith(".java") for uri in uris) and any(uri.endswith(".kt") for uri in uris)


def test_java_fixtures_careless_findings_and_careful_silence(tmp_path):
    shutil.copytree(ROOT / "fixtures" / "java", tmp_path / "java")
    result = lint_files(tmp_path, {})
    found = [(f.location.path.rsplit("/", 1)[-1], f.location.line, f.code) for f in result.findings]
    assert found == [
        ("BillingWorker.java", 20, "KL202"),
        ("BillingWorker.java", 26, "KL521"),
        ("BillingWorker.java", 28, "KL524"),
        ("BillingWorker.java", 29, "KL523"),
        ("BillingWorker.java", 30, "KL520"),
        ("RefundWorker.kt", 17, "KL522"),
        ("RefundWorker.kt", 18, "KL520"),
    ]
    assert all("careless-billing" in f.location.path for f in result.findings)


def test_explain_on_a_java_file_lists_its_client_settings(tmp_path):
    shutil.copytree(ROOT / "fixtures" / "polyglot", tmp_path / "polyglot")
    outcome = run_cli(tmp_path, "explain", "polyglot/orders-service/src/main/java/com/acme/orders/OrderEvents.java")
    assert outcome.exit_code == 0
    assert "java producer producer" in outcome.stdout
    assert "enable.idempotence" in outcome.stdout and "explicit at line 19" in outcome.stdout


# --- hostile input ---------------------------------------------------------------------------


def test_java_the_grammar_cannot_parse_is_skipped_not_misread(tmp_path):
    """Broken Java, and valid Java the grammar does not know (a type annotation on varargs, as
    Spring Kafka writes it): no finding, no traceback, and no client read from a damaged tree."""
    files = {
        "src/Broken.java": JAVA_HEADER + "class Broken { void f( { props.put(\"acks\", \"0\"); }\n",
        "src/Annotated.java": JAVA_HEADER + (
            "class Annotated {\n"
            "  Annotated(int count, String @Nullable ... topics) {\n"
            "    Properties props = new Properties();\n"
            "    props.put(\"acks\", \"0\");\n"
            "    new KafkaProducer<String, String>(props);\n"
            "  }\n"
            "}\n"
        ),
    }
    result = lint_files(tmp_path, files)
    assert result.findings == [] and result.project.clients == []


def test_deeply_nested_java_expression_is_read_without_recursion(tmp_path):
    nested = "(" * 20_000 + "1" + ")" * 20_000
    files = {"src/Deep.java": JAVA_HEADER + f"class Deep {{ int f() {{ return {nested}; }} }}\n"}
    start = time.monotonic()
    result = lint_files(tmp_path, files)
    assert time.monotonic() - start < 10
    assert all(f.code == "KL001" for f in result.findings)


def test_deeply_nested_kotlin_calls_are_read_without_recursion(tmp_path):
    nested = "f(" * 5_000 + "1" + ")" * 5_000
    files = {"src/Deep.kt": "import org.apache.kafka.clients.producer.KafkaProducer\nval x = " + nested + "\n"}
    start = time.monotonic()
    result = lint_files(tmp_path, files)
    assert time.monotonic() - start < 10
    assert all(f.code == "KL001" for f in result.findings)


@pytest.mark.slow
def test_a_50k_line_java_file_is_read_in_bounded_time(tmp_path):
    body = "".join(f"    void m{i}(Properties p) {{ p.put(\"k{i}\", \"{i}\"); }}\n" for i in range(50_000))
    files = {"src/Huge.java": JAVA_HEADER + "class Huge {\n" + body + "}\n"}
    start = time.monotonic()
    result = lint_files(tmp_path, files)
    assert time.monotonic() - start < 30
    assert result.findings == []


# --- the reference corpus: real Java Kafka code written by others ------------------------------

QUARKUS = ROOT.parent / "shared" / "corpus" / "quarkus-quickstarts"


@pytest.mark.skipif(not QUARKUS.is_dir(), reason="reference corpus absent")
def test_quarkus_quickstarts_java_code_gives_no_finding_and_only_what_it_states():
    """Triage of every Java fact on the corpus (none becomes a finding):
    - KafkaProviders.java: a consumer and a producer built from an injected map, and an
      AdminClient from a map copied key by key from it: clients whose configuration is
      unknown (only the (de)serializer objects handed to the constructors are known), so no
      config rule judges them.
    - QuoteProcessorTest.java, AggregatorTest.java: test clients built from the test's own
      methods (`producerProps()`): unknown settings, test code; their topics are known where
      the test names them.
    - QuoteProcessorTest.java:64, AggregatorTest.java:70-72: `producer.send(record)` with the
      Future dropped, in tests that assert on what the consumer receives: not reported
      (test code); a lost record fails the test anyway.
    - QuotesProcessor.java: Thread.sleep(200) in a @Blocking @Incoming method is not a poll
      loop and is not reported; KafkaEndpoint.java's consumer is injected, polled with a
      Duration and closed after its loop: nothing to say.
    """
    from kafkalint.engine import run

    result = run([QUARKUS])
    assert [f for f in result.findings if f.location.path.endswith((".java", ".kt"))] == []
    java_clients = [c for c in result.project.clients if c.dialect is Dialect.JAVA and c.anchor.path.endswith(".java")]
    assert [(c.anchor.path.rsplit("/", 1)[-1], c.anchor.line, c.role, c.all_settings_known, c.in_test_code) for c in java_clients] == [
        ("KafkaProviders.java", 27, Role.CONSUMER, False, False),
        ("KafkaProviders.java", 34, Role.PRODUCER, False, False),
        ("KafkaProviders.java", 47, Role.ADMIN, False, False),
        ("QuoteProcessorTest.java", 41, Role.CONSUMER, False, True),
        ("QuoteProcessorTest.java", 42, Role.PRODUCER, False, True),
        ("AggregatorTest.java", 54, Role.PRODUCER, False, True),
        ("AggregatorTest.java", 55, Role.PRODUCER, False, True),
        ("AggregatorTest.java", 56, Role.CONSUMER, False, True),
    ]
    facts = sorted((f.location.path.rsplit("/", 1)[-1], f.location.line, f.kind) for f in result.project.facts if f.kind.startswith("jvm-"))
    assert facts == [
        ("AggregatorTest.java", 70, "jvm-send-result-dropped"),
        ("AggregatorTest.java", 71, "jvm-send-result-dropped"),
        ("AggregatorTest.java", 72, "jvm-send-result-dropped"),
        ("QuoteProcessorTest.java", 64, "jvm-send-result-dropped"),
    ]
    from kafkalint.sources.test_paths import is_test_code

    assert all(is_test_code(f.location.path) for f in result.project.facts if f.kind.startswith("jvm-"))


# Rules with no Java client example: KL008 judges librdkafka's constraints (the Java producer's
# delivery-timeout constraint is KL105's), KL750 a Quarkus channel attribute; KL010-KL012 judge
# only librdkafka clients built in code (what librdkafka itself refuses or cannot connect with);
# KL753-KL755 (SmallRye channel attributes) and KL756 (a Spring listener property) are not client
# keys a Java program passes; KL312/KL760/KL761/KL762 judge Kafka Streams configurations, whose
# Java examples (`new KafkaStreams(topology, props)`) are written by hand: the generator builds
# producers and consumers. KL015 judges aiokafka clients only. KL016 and KL211 judge what the
# code does with the client (its calls, its declared record type), which a .properties file
# cannot say: their Java and Kotlin examples are written by hand.
_NOT_GENERATED = {
    "KL008", "KL750", "KL010", "KL011", "KL012", "KL015", "KL753", "KL754", "KL755", "KL756", "KL312", "KL760", "KL761",
    "KL762", "KL016", "KL211",
}


def test_every_client_config_rule_has_generated_java_examples_that_fire_and_stay_silent():
    """tests/tools/java_examples.py turns each rule's .properties examples into Java code and
    checks them; the lead pastes its output into the rule files (issue 14's acceptance)."""
    from tests.tools.java_examples import java_examples

    catalogue = load_catalogue()
    missing = []
    for rule in catalogue.rules:
        if rule.target != "client" or rule.code in _NOT_GENERATED:
            continue
        if rule.dialects and "java" not in rule.dialects:
            continue  # a rule of librdkafka or a Python client only: no Java form
        made, _skipped = java_examples(rule)
        kinds = {kind for item in made for kind in item}
        if kinds != {"bad", "good"}:
            missing.append((rule.code, sorted(kinds)))
    assert missing == []


def _facts(path: str, text: str) -> list[tuple[int, str]]:
    return sorted((fact.location.line, fact.kind) for fact in _project(path, text).facts)


def test_the_kafka_javadoc_per_partition_commit_is_not_a_commit_per_record():
    text = JAVA_HEADER + (
        "import org.apache.kafka.common.TopicPartition;\n"
        "class Manual {\n"
        "    void run(KafkaConsumer<String, String> consumer) {\n"
        "        while (true) {\n"
        "            ConsumerRecords<String, String> records = consumer.poll(java.time.Duration.ofMillis(Long.MAX_VALUE));\n"
        "            for (TopicPartition partition : records.partitions()) {\n"
        "                List<ConsumerRecord<String, String>> partitionRecords = records.records(partition);\n"
        "                for (ConsumerRecord<String, String> record : partitionRecords) {\n"
        "                    System.out.println(record.offset() + \": \" + record.value());\n"
        "                }\n"
        "                long lastOffset = partitionRecords.get(partitionRecords.size() - 1).offset();\n"
        "                consumer.commitSync(Collections.singletonMap(partition, new OffsetAndMetadata(lastOffset + 1)));\n"
        "            }\n"
        "        }\n"
        "    }\n"
        "}\n"
    )
    assert _facts("src/Manual.java", text) == []


def test_a_reconnect_loop_around_a_poll_loop_does_not_create_a_client_per_iteration():
    text = JAVA_HEADER + (
        "class Reconnecting {\n"
        "    volatile boolean running = true;\n"
        "    void run(Map<String, Object> config) {\n"
        "        while (running) {\n"
        "            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {\n"
        "                consumer.subscribe(List.of(\"orders\"));\n"
        "                while (running) {\n"
        "                    consumer.poll(java.time.Duration.ofSeconds(1)).forEach(record -> System.out.println(record));\n"
        "                }\n"
        "            } catch (RuntimeException error) {\n"
        "                System.err.println(error);\n"
        "            }\n"
        "        }\n"
        "    }\n"
        "}\n"
    )
    assert _facts("src/Reconnecting.java", text) == []


def test_a_client_created_in_the_loop_that_polls_it_is_reported():
    text = JAVA_HEADER + (
        "import org.apache.kafka.clients.admin.Admin;\n"
        "class Careless {\n"
        "    void run(KafkaConsumer<String, String> consumer, Map<String, Object> config) {\n"
        "        while (true) {\n"
        "            for (ConsumerRecord<String, String> record : consumer.poll(java.time.Duration.ofSeconds(1))) {\n"
        "                Admin admin = Admin.create(config);\n"
        "            }\n"
        "        }\n"
        "    }\n"
        "}\n"
    )
    assert _facts("src/Careless.java", text) == [(11, "jvm-client-created-in-loop")]


def test_kotlin_kafka_listener_attributes_become_a_consumer():
    text = (
        "import org.springframework.kafka.annotation.KafkaListener\n"
        "class Listener {\n"
        "    @KafkaListener(topics = [\"orders\", \"refunds\"], groupId = \"billing\", properties = [\"max.poll.records: 5000\"])\n"
        "    fun on(order: String) {}\n"
        "}\n"
    )
    client = _only_client(_project("src/Listener.kt", text))
    assert [name for name, _ in client.topics] == ["orders", "refunds"]
    assert client.settings["group.id"].value == "billing"
    setting = client.settings["max.poll.records"]
    assert setting.value == 5000 and (setting.key_location.line, setting.key_location.column) == (3, 88)


def test_valid_kotlin_the_grammar_cannot_parse_is_skipped_without_a_finding(tmp_path):
    files = {
        "src/Events.kt": (
            "import org.apache.kafka.clients.producer.KafkaProducer\n"
            "class Events { companion object { const val TOPIC = \"orders\" } }\n"
            "enum class Mode { A, B; fun next() = 1 }\n"
        ),
        "src/Broken.kt": "import org.apache.kafka.clients.producer.KafkaProducer\nfun f( {\n",
    }
    result = lint_files(tmp_path, files)
    assert result.findings == [] and result.project.problems == []


def test_a_spring_consumer_factory_has_auto_commit_off_as_the_listener_container_sets_it(tmp_path):
    files = {
        "src/main/java/demo/KafkaConfig.java": (
            "package demo;\n"
            "import java.util.HashMap;\n"
            "import java.util.Map;\n"
            "import org.apache.kafka.clients.consumer.ConsumerConfig;\n"
            "import org.apache.kafka.common.serialization.StringDeserializer;\n"
            "import org.springframework.kafka.core.DefaultKafkaConsumerFactory;\n"
            "class KafkaConfig {\n"
            "    DefaultKafkaConsumerFactory<String, String> consumerFactory() {\n"
            "        Map<String, Object> props = new HashMap<>();\n"
            "        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, \"broker:9092\");\n"
            "        props.put(ConsumerConfig.GROUP_ID_CONFIG, \"billing\");\n"
            "        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);\n"
            "        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);\n"
            "        return new DefaultKafkaConsumerFactory<>(props);\n"
            "    }\n"
            "}\n"
        )
    }
    result = lint_files(tmp_path, files)
    [client] = result.project.clients
    assert client.settings["key.deserializer"].value == "org.apache.kafka.common.serialization.StringDeserializer"
    assert result.findings == []
    plain = {name: text.replace("DefaultKafkaConsumerFactory", "KafkaConsumer").replace("org.springframework.kafka.core", "org.apache.kafka.clients.consumer") for name, text in files.items()}
    assert [f.code for f in lint_files(tmp_path / "plain", plain).findings] == ["KL201"]


def test_kafka_template_topics_go_to_the_spring_producer_of_the_same_module(tmp_path):
    files = {
        "orders-service/src/main/resources/application.yml": (
            "spring:\n  kafka:\n    producer:\n      key-serializer: org.apache.kafka.common.serialization.StringSerializer\n"
        ),
        "orders-service/src/main/java/demo/OrderEvents.java": (
            "package demo;\n"
            "import org.springframework.kafka.core.KafkaTemplate;\n"
            "class OrderEvents {\n"
            "    private final KafkaTemplate<String, String> template;\n"
            "    OrderEvents(KafkaTemplate<String, String> template) { this.template = template; }\n"
            "    void placed(String customer, String order) {\n"
            "        template.send(\"customer-orders\", customer, order);\n"
            "    }\n"
            "}\n"
        ),
        "ingest/import_orders.py": (
            "from confluent_kafka import Producer\n"
            "producer = Producer({\"bootstrap.servers\": \"broker:9092\"})\n"
            "producer.produce(\"customer-orders\", key=\"c1\", value=\"o1\")\n"
            "producer.flush()\n"
        ),
    }
    result = lint_files(tmp_path, files)
    spring = next(c for c in result.project.clients if c.dialect is Dialect.JAVA)
    assert [(name, location.line) for name, location in spring.topics] == [("customer-orders", 7)]
    [finding] = [f for f in result.findings if f.code == "KL601"]
    assert finding.severity.value == "error" and "topic 'customer-orders'" in finding.message
    assert finding.location.path == "ingest/import_orders.py"
    assert [(item.path, item.line) for item in finding.related] == [("orders-service/src/main/java/demo/OrderEvents.java", 7)]


TEST_CONSUMER = """\
package orders;

import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;

class OrdersReader {
    KafkaConsumer<String, String> create() {
        Properties props = new Properties();
        props.put("bootstrap.servers", "broker:9092");
        props.put("group.id", "orders-check");
        props.put("max.poll.record", "10");
        return new KafkaConsumer<>(props);
    }
}
"""

PYTHON_TEST_CONSUMER = """\
from confluent_kafka import Consumer

def test_orders_arrive():
    consumer = Consumer({"bootstrap.servers": "broker:9092", "group.id": "orders-check", "enable.auto.commit": True})
    consumer.subscribe(["orders"])
    assert consumer.poll(10) is not None
"""


def test_a_client_configured_in_test_code_is_judged_only_by_the_rules_that_apply_there(tmp_path):
    # A test's consumer keeps auto-commit (KL201 is about production) but a typo is a bug anywhere (KL003).
    files = {
        "src/test/java/orders/OrdersReader.java": TEST_CONSUMER,
        "src/main/java/orders/OrdersReader.java": TEST_CONSUMER,
        "tests/test_orders.py": PYTHON_TEST_CONSUMER,
        "app/orders.py": PYTHON_TEST_CONSUMER.replace("def test_orders_arrive", "def read_orders"),
    }
    result = lint_files(tmp_path, files)
    found = {(finding.location.path, finding.code) for finding in result.findings}
    assert ("src/main/java/orders/OrdersReader.java", "KL201") in found
    assert ("src/test/java/orders/OrdersReader.java", "KL201") not in found
    assert ("src/test/java/orders/OrdersReader.java", "KL003") in found
    assert ("app/orders.py", "KL201") in found
    assert ("tests/test_orders.py", "KL201") not in found
    clients = {client.anchor.path: client.in_test_code for client in result.project.clients}
    assert clients == {
        "src/test/java/orders/OrdersReader.java": True, "src/main/java/orders/OrdersReader.java": False,
        "tests/test_orders.py": True, "app/orders.py": False,
    }


def test_a_client_configured_in_a_file_under_a_test_folder_is_a_test_fixture_too(tmp_path):
    """As for code: `src/test/resources/consumer.properties` configures a test's consumer, so the
    production rules leave it (KL201, KL411) while the validity rules still judge it (KL003)."""
    consumer = (
        "bootstrap.servers=localhost:9093\ngroup.id=orders\nsecurity.protocol=SSL\n"
        "ssl.endpoint.identification.algorithm=\nauto.comit.interval.ms=100\n"
    )
    files = {"src/test/resources/consumer.properties": consumer, "config/consumer.properties": consumer}
    result = lint_files(tmp_path, files)
    found = sorted((finding.location.path, finding.location.line, finding.code) for finding in result.findings)
    assert found == [
        ("config/consumer.properties", 1, "KL201"),
        ("config/consumer.properties", 4, "KL411"),
        ("config/consumer.properties", 5, "KL003"),
        ("src/test/resources/consumer.properties", 5, "KL003"),
    ]
    assert {client.anchor.path: client.in_test_code for client in result.project.clients} == {
        "src/test/resources/consumer.properties": True, "config/consumer.properties": False,
    }


def test_test_folders_by_the_words_of_their_names_and_main_source_sets_stay_production():
    from kafkalint.sources.test_paths import is_test_code

    for path in (
        "kafka/integration/testresources/kraft/server.properties",  # confluent-kafka-go
        "testing/environments/minimal/docker-compose.yml",  # kafka-rest
        "processor/src/it/java/com/example/MetricsTest.java",  # Maven failsafe's src/it
        "integration-tests/src/common/java/BrokerOperations.java",
        "e2e/docker-compose.yml", "lib/testFixtures/Broker.java", "app/src/androidTest/Probe.kt",
        "tests/src/main/java/Harness.java",
        "_includes/tutorials/audit-logs/ksql-test/code/docker-compose.yml", "test_data/client.properties",
    ):
        assert is_test_code(path), path
    for path in (
        "testing-streams/transforming-events/src/main/java/TransformationEngine.java",  # demo-scene
        "contest/app.properties", "latest/application.yml", "testimonials/client.properties",
        "src/main/java/it/Consumer.java",
        "testing-streams/transforming-events/docker-compose.yaml",  # demo-scene: a demo about testing
        "_includes/tutorials/generate-test-data-streams/kafka/code/docker-compose.yml",  # kafka-tutorials
        # Outside the current directory the folders above the project are the machine's.
        "/tmp/pytest-of-ci/pytest-7/test_outside0/elsewhere/producer.properties",
    ):
        assert not is_test_code(path), path


def test_a_client_a_test_builds_inside_assert_throws_is_no_client(tmp_path):
    """The JVM twin of pytest.raises: `assertThrows(ConfigException.class, () -> new
    KafkaProducer<>(props))` builds a producer with acks=2 to see it refused; KL004 called
    the test's own invalid value an error."""
    java = JAVA_HEADER + (
        "import org.apache.kafka.common.config.ConfigException;\n"
        "class ProducerConfigTest {\n"
        "    void refused(Properties props) {\n"
        "        props.put(ProducerConfig.ACKS_CONFIG, \"2\");\n"
        "        assertThrows(ConfigException.class, () -> new KafkaProducer<String, String>(props));\n"
        "        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> new KafkaConsumer<String, String>(props));\n"
        "        executor.submit(() -> new KafkaProducer<String, String>(props));\n"
        "    }\n"
        "}\n"
    )
    kotlin = (
        "import org.apache.kafka.clients.producer.KafkaProducer\n"
        "import java.util.Properties\n"
        "class ConfigTest {\n"
        "    fun refused(props: Properties) {\n"
        "        assertFailsWith<ConfigException> { KafkaProducer<String, String>(props) }\n"
        "        assertThrows<ConfigException> { KafkaProducer<String, String>(props) }\n"
        "        assertFailsWith(ConfigException::class) { KafkaProducer<String, String>(props) }\n"
        "        thread { KafkaProducer<String, String>(props) }\n"
        "    }\n"
        "}\n"
    )
    # Only the constructions outside an assertion that expects a throw are clients.
    assert [client.anchor.line for client in _project("src/test/java/ProducerConfigTest.java", java).clients] == [12]
    assert [client.anchor.line for client in _project("src/test/kotlin/ConfigTest.kt", kotlin).clients] == [8]
