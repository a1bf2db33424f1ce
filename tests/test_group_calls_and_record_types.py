"""KL016 (a group call without group.id) and KL211 (a generated record class read through a
generic Schema Registry deserializer): the code facts behind them and the edges where they
must stay silent (client versions, empty group ids, type parameters, deserializer objects)."""

from __future__ import annotations

from kafkalint.model import Project
from kafkalint.sources import read_text_as
from tests.conftest import lint_files

_JAVA_CONSUMER = """package demo;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;

class Orders {
    void run() {
        Properties props = new Properties();
        props.put("bootstrap.servers", "broker:9092");
        props.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        props.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
%s        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of("orders"));
        consumer.poll(Duration.ofSeconds(1));
        consumer.close();
    }
}
"""
_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka-clients</artifactId>
      <version>%s</version>
    </dependency>
  </dependencies>
</project>
"""
_JAVA_PATH = "src/main/java/demo/Orders.java"


def _codes(tmp_path, files: dict[str, str], code: str) -> list[tuple[str, int]]:
    result = lint_files(tmp_path, files)
    return [(finding.location.path, finding.location.line) for finding in result.findings if finding.code == code]


def _project(path: str, text: str) -> Project:
    project = Project()
    read_text_as(text, path, "java" if path.endswith(".java") else "kotlin", project)
    return project


def test_java_subscribe_without_group_id_is_reported_at_the_subscribe_call(tmp_path):
    assert _codes(tmp_path, {_JAVA_PATH: _JAVA_CONSUMER % ""}, "KL016") == [(_JAVA_PATH, 15)]


def test_java_consumer_of_kafka_clients_before_2_2_is_silent_its_group_id_defaulted_to_empty(tmp_path):
    files = {_JAVA_PATH: _JAVA_CONSUMER % "", "pom.xml": _POM % "2.1.1"}
    assert _codes(tmp_path, files, "KL016") == []
    files["pom.xml"] = _POM % "2.2.0"
    assert _codes(tmp_path / "later", files, "KL016") == [(_JAVA_PATH, 15)]


def test_java_empty_group_id_is_left_to_the_client_its_meaning_changed_across_versions(tmp_path):
    files = {_JAVA_PATH: _JAVA_CONSUMER % '        props.put("group.id", "");\n'}
    assert _codes(tmp_path, files, "KL016") == []


def test_java_group_id_from_a_parameter_is_unknown_and_silent(tmp_path):
    text = (_JAVA_CONSUMER % '        props.put("group.id", group);\n').replace("void run()", "void run(String group)")
    assert _codes(tmp_path, {_JAVA_PATH: text}, "KL016") == []


def test_java_calls_on_the_consumer_are_recorded_in_source_order():
    [client] = _project(_JAVA_PATH, _JAVA_CONSUMER % "").clients
    assert [(call.method, call.location.line) for call in client.calls] == [("subscribe", 15), ("poll", 16), ("close", 17)]


def test_kafka_python_empty_group_id_is_a_group_there_and_silent(tmp_path):
    text = (
        "from kafka import KafkaConsumer\n\n"
        'consumer = KafkaConsumer("orders", bootstrap_servers="broker:9092", group_id="", enable_auto_commit=False)\n'
        "consumer.commit()\n"
        "consumer.close()\n"
    )
    assert _codes(tmp_path, {"consumer.py": text}, "KL016") == []


def test_kafka_python_commit_async_without_group_id_is_reported(tmp_path):
    text = (
        "from kafka import KafkaConsumer\n\n"
        'consumer = KafkaConsumer("orders", bootstrap_servers="broker:9092", enable_auto_commit=False)\n'
        "consumer.commit_async()\n"
        "consumer.close()\n"
    )
    result = lint_files(tmp_path, {"consumer.py": text})
    [finding] = [finding for finding in result.findings if finding.code == "KL016"]
    assert (finding.location.line, finding.location.column) == (4, 1)
    assert "commit_async() raises IllegalStateError" in finding.message


def test_confluent_consumer_without_group_id_stays_with_kl010(tmp_path):
    text = (
        "from confluent_kafka import Consumer\n\n"
        'consumer = Consumer({"bootstrap.servers": "broker:9092", "enable.auto.commit": False})\n'
        'consumer.subscribe(["orders"])\n'
        "consumer.commit()\n"
        "consumer.close()\n"
    )
    result = lint_files(tmp_path, {"consumer.py": text})
    assert sorted({finding.code for finding in result.findings} & {"KL010", "KL016"}) == ["KL010"]


_AVRO_READER = """package demo;

import demo.avro.Order;
import io.confluent.kafka.serializers.KafkaAvroDeserializer;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

class OrderReader {
    private KafkaConsumer<String, Order> consumer;

    OrderReader() {
        Properties props = new Properties();
        props.put("bootstrap.servers", "broker:9092");
        props.put("group.id", "billing");
        props.put("key.deserializer", StringDeserializer.class);
        props.put("value.deserializer", KafkaAvroDeserializer.class);
%s        consumer = new KafkaConsumer<>(props);
    }
}
"""


def test_a_field_typed_with_the_record_class_types_the_consumer_built_in_the_constructor():
    [client] = _project("src/main/java/demo/OrderReader.java", _AVRO_READER % "").clients
    assert client.value_type == "demo.avro.Order"
    assert client.serializer_instances is False


def test_schema_reflection_makes_the_avro_deserializer_build_the_class(tmp_path):
    path = "src/main/java/demo/OrderReader.java"
    assert _codes(tmp_path, {path: _AVRO_READER % ""}, "KL211") == [(path, 19)]
    reflective = _AVRO_READER % '        props.put("schema.reflection", "true");\n'
    assert _codes(tmp_path / "reflection", {path: reflective}, "KL211") == []


def test_deserializer_objects_handed_to_the_constructor_are_not_configured_from_the_map(tmp_path):
    text = """package demo;

import demo.avro.Order;
import io.confluent.kafka.serializers.KafkaAvroDeserializer;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

class OrderReader {
    KafkaConsumer<String, Order> create() {
        Properties props = new Properties();
        props.put("bootstrap.servers", "broker:9092");
        props.put("group.id", "billing");
        props.put("value.deserializer", KafkaAvroDeserializer.class);
        return new KafkaConsumer<String, Order>(props, new StringDeserializer(), new KafkaAvroDeserializer());
    }
}
"""
    [client] = _project("src/main/java/demo/OrderReader.java", text).clients
    assert (client.value_type, client.serializer_instances) == ("demo.avro.Order", True)
    assert _codes(tmp_path, {"src/main/java/demo/OrderReader.java": text}, "KL211") == []


def test_records_declared_with_the_class_type_the_consumer_they_are_polled_from():
    text = """package demo;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;

class OrderReader {
    void run() {
        Properties props = new Properties();
        props.put("bootstrap.servers", "broker:9092");
        var consumer = new KafkaConsumer<>(props);
        ConsumerRecords<String, Order> records = consumer.poll(Duration.ofSeconds(1));
        ConsumerRecords<String, byte[]> raw = consumer.poll(Duration.ofSeconds(1));
    }
}
"""
    [client] = _project("src/main/java/demo/OrderReader.java", text).clients
    assert client.value_type == "Order"  # same package: not imported


def test_wildcards_arrays_and_type_parameters_are_no_value_class():
    from kafkalint.sources.jvm.record_types import type_arguments

    assert type_arguments("KafkaConsumer<String, Map<K, V>>") == ["String", "Map<K, V>"]
    for written in ("KafkaConsumer<String, ? extends Order>", "KafkaConsumer<String, byte[]>", "KafkaConsumer<String, V>"):
        text = f"""package demo;

import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;

class Reader<V> {{
    void run() {{
        Properties props = new Properties();
        {written} consumer = new KafkaConsumer<>(props);
    }}
}}
"""
        [client] = _project("src/main/java/demo/Reader.java", text).clients
        assert client.value_type is None, written


def test_a_nested_library_class_is_qualified_through_its_outer_class_import(tmp_path):
    text = _AVRO_READER.replace("import demo.avro.Order;", "import org.apache.avro.generic.GenericData;").replace(
        "KafkaConsumer<String, Order>", "KafkaConsumer<String, GenericData.Record>"
    )
    [client] = _project("src/main/java/demo/OrderReader.java", text % "").clients
    assert client.value_type == "org.apache.avro.generic.GenericData.Record"
    assert _codes(tmp_path, {"src/main/java/demo/OrderReader.java": text % ""}, "KL211") == []


_FIELD_CONSUMER = """package demo;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;

class Worker {
    private final KafkaConsumer<String, String> consumer;

    Worker() {
        Properties props = new Properties();
        props.put("bootstrap.servers", "broker:9092");
        props.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        props.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        this.consumer = new KafkaConsumer<>(props);
    }
%s
    void run() {
        consumer.subscribe(List.of("orders"));
        consumer.poll(Duration.ofSeconds(1));
    }
}
"""


def test_a_field_consumer_built_in_the_constructor_owns_the_calls_of_other_methods(tmp_path):
    path = "src/main/java/demo/Worker.java"
    assert _codes(tmp_path, {path: _FIELD_CONSUMER % ""}, "KL016") == [(path, 20)]


def test_a_field_given_a_value_twice_may_hold_either_consumer_and_stays_silent(tmp_path):
    path = "src/main/java/demo/Worker.java"
    other = """
    Worker(Properties props) {
        this.consumer = new KafkaConsumer<>(props);
    }
"""
    assert _codes(tmp_path, {path: _FIELD_CONSUMER % other}, "KL016") == []


def test_confluent_serializer_settings_and_constants_are_no_unknown_java_keys(tmp_path):
    path = "src/main/java/demo/OrderReader.java"
    text = _AVRO_READER % (
        '        props.put("schema.reflection", "true");\n'
        "        props.put(KafkaAvroDeserializerConfig.USE_SCHEMA_GUID, true);\n"
        "        props.put(KafkaAvroDeserializerConfig.SPECIFIC_AVRO_READER_CONFIG, true);\n"
    )
    text = text.replace("import java.time.Duration;", "import io.confluent.kafka.serializers.KafkaAvroDeserializerConfig;\nimport java.time.Duration;")
    [client] = _project(path, text).clients
    assert client.all_settings_known
    assert {"schema.reflection", "use.schema.guid", "specific.avro.reader"} <= set(client.settings)
    assert _codes(tmp_path, {path: text}, "KL003") == []


_PYTHON_WORKER = """from kafka import KafkaConsumer


class Worker:
    def __init__(self, grouped):
%s
    def run(self):
        for batch in self._consumer.poll(timeout_ms=1000).values():
            print(len(batch))
        self._consumer.commit()

    def close(self):
        self._consumer.close()
"""
_UNGROUPED = '        self._consumer = KafkaConsumer("orders", bootstrap_servers="broker:9092", enable_auto_commit=False)\n'
_GROUPED = (
    '        self._consumer = KafkaConsumer("orders", bootstrap_servers="broker:9092", group_id="g", enable_auto_commit=False)\n'
)


def test_kafka_python_attribute_consumer_commits_in_another_method(tmp_path):
    assert _codes(tmp_path, {"worker.py": _PYTHON_WORKER % _UNGROUPED}, "KL016") == [("worker.py", 11)]


def test_kafka_python_attribute_holding_one_of_two_consumers_is_given_no_calls(tmp_path):
    branches = "        if grouped:\n    " + _GROUPED + "        else:\n    " + _UNGROUPED
    assert _codes(tmp_path, {"worker.py": _PYTHON_WORKER % branches}, "KL016") == []


def test_a_local_consumer_built_in_either_branch_is_given_no_calls(tmp_path):
    text = _JAVA_CONSUMER.replace(
        "        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);\n",
        "        KafkaConsumer<String, String> consumer = null;\n"
        "        if (props.isEmpty()) {\n"
        "            consumer = new KafkaConsumer<>(Map.of(\"bootstrap.servers\", \"broker:9092\", \"group.id\", \"billing\"));\n"
        "        } else {\n"
        "            consumer = new KafkaConsumer<>(props);\n"
        "        }\n",
    ).replace("import java.util.List;", "import java.util.List;\nimport java.util.Map;")
    assert _codes(tmp_path, {_JAVA_PATH: text % ""}, "KL016") == []
    single = text.replace("            consumer = new KafkaConsumer<>(Map.of(\"bootstrap.servers\", \"broker:9092\", \"group.id\", \"billing\"));\n        } else {\n", "")
    assert _codes(tmp_path / "single", {_JAVA_PATH: single % ""}, "KL016") == [(_JAVA_PATH, 19)]
