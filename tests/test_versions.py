"""Client versions detected from build files change the verdicts, and findings say so."""

from __future__ import annotations

import pytest

from kafkalint.knowledge.versions import (
    RANK_EXACT,
    RANK_RANGE,
    detected_versions,
    read_gradle,
    read_lock,
    read_pipfile,
    read_pom,
    read_pyproject,
    read_requirements,
    read_setup_cfg,
    read_version_catalog,
    resolve_versions,
    version_for_spec,
)
from kafkalint.model import Dialect, Project

PRODUCER_ACKS_ONE = {
    "producer.properties": (
        "bootstrap.servers=broker:9092\n"
        "key.serializer=org.apache.kafka.common.serialization.StringSerializer\n"
        "acks=1\n"
    )
}

POM_KAFKA_28 = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <properties>
    <kafka.clients.version>2.8.2</kafka.clients.version>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka-clients</artifactId>
      <version>${kafka.clients.version}</version>
    </dependency>
  </dependencies>
</project>
"""


def _versions(reader, text: str, name: str) -> dict[Dialect, tuple[str, str]]:
    project = Project()
    reader(text, name, project)
    resolve_versions(project)
    return {dialect: (assumed.version, assumed.reason) for dialect, assumed in detected_versions(project).items()}


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("==2.3.0", ("2.3.0", RANK_EXACT)),
        (">=2.0,<2.4", ("2.3", RANK_RANGE)),
        ("~=2.3", ("2.16", RANK_RANGE)),
        ("~2.3", ("2.3", RANK_RANGE)),
        ("==2.3.*", ("2.3", RANK_RANGE)),
        ("<2", ("1.9", RANK_RANGE)),
    ],
)
def test_specifiers_pick_the_pin_or_the_newest_matching_release(spec, expected):
    version, rank, _how = version_for_spec(Dialect.LIBRDKAFKA, spec)
    assert (version, rank) == expected


def test_an_unpinned_requirement_detects_nothing():
    assert _versions(read_requirements, "confluent-kafka\nrequests==2.0\n", "requirements.txt") == {}


def test_requirements_with_extras_and_markers():
    found = _versions(read_requirements, "confluent-kafka[avro]==2.3.0 ; python_version >= '3.8'\n", "requirements.txt")
    assert found == {Dialect.LIBRDKAFKA: ("2.3.0", "detected in requirements.txt: confluent-kafka==2.3.0")}


def test_pyproject_pep621_and_poetry():
    text = (
        '[project]\ndependencies = ["kafka-python>=2.0.2,<2.1"]\n'
        '[tool.poetry.dependencies]\nconfluent-kafka = "2.4.0"\n'
    )
    found = _versions(read_pyproject, text, "pyproject.toml")
    assert found[Dialect.LIBRDKAFKA] == ("2.4.0", "detected in pyproject.toml: confluent-kafka==2.4.0")
    assert found[Dialect.KAFKA_PYTHON][0] == "2.0.4"


def test_setup_cfg_pipfile_and_lock_files():
    assert _versions(read_setup_cfg, "[options]\ninstall_requires =\n    confluent-kafka==2.2.0\n", "setup.cfg") == {
        Dialect.LIBRDKAFKA: ("2.2.0", "detected in setup.cfg: confluent-kafka==2.2.0")
    }
    assert _versions(read_pipfile, '[packages]\nconfluent-kafka = "==2.5.0"\n', "Pipfile")[Dialect.LIBRDKAFKA][0] == "2.5.0"
    locked = _versions(read_lock, '[[package]]\nname = "confluent-kafka"\nversion = "2.6.1"\n', "uv.lock")
    assert locked == {Dialect.LIBRDKAFKA: ("2.6.1", "detected in uv.lock: confluent-kafka 2.6.1 (locked)")}


def test_pom_property_reference_and_spring_kafka_managed_version():
    assert _versions(read_pom, POM_KAFKA_28, "pom.xml") == {
        Dialect.JAVA: ("2.8", "detected in pom.xml: kafka-clients 2.8.2")
    }
    spring = (
        '<project xmlns="http://maven.apache.org/POM/4.0.0"><dependencies><dependency>'
        "<groupId>org.springframework.kafka</groupId><artifactId>spring-kafka</artifactId>"
        "<version>3.1.4</version></dependency></dependencies></project>"
    )
    assert _versions(read_pom, spring, "pom.xml") == {
        Dialect.JAVA: ("3.6", "detected in pom.xml: spring-kafka 3.1.4, which manages kafka-clients 3.6")
    }


def test_a_streams_module_takes_the_clients_version_of_its_kafka_streams_dependency():
    # kafka-streams X depends on kafka-clients X; a kafka-clients of its own still wins.
    streams = (
        '<project xmlns="http://maven.apache.org/POM/4.0.0"><dependencies>'
        "<dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-streams-test-utils</artifactId><version>3.9.0</version></dependency>"
        "<dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-streams</artifactId><version>2.8.1</version></dependency>"
        "</dependencies></project>"
    )
    assert _versions(read_pom, streams, "pom.xml") == {
        Dialect.JAVA: ("2.8", "detected in pom.xml: kafka-streams 2.8.1, which brings kafka-clients 2.8.1")
    }
    both = streams.replace("</dependencies>", "<dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-clients</artifactId><version>3.0.0</version></dependency></dependencies>")
    assert _versions(read_pom, both, "pom.xml") == {Dialect.JAVA: ("3.0", "detected in pom.xml: kafka-clients 3.0.0")}
    gradle = 'dependencies {\n    testImplementation("org.apache.kafka:kafka-streams-test-utils:3.9.0")\n    api("org.apache.kafka:kafka-streams:3.4.0")\n}\n'
    assert _versions(read_gradle, gradle, "build.gradle.kts") == {
        Dialect.JAVA: ("3.4", "detected in build.gradle.kts: kafka-streams 3.4.0, which brings kafka-clients 3.4.0")
    }
    catalog = '[versions]\nkafka = "3.6.2"\n\n[libraries]\nstreams = { module = "org.apache.kafka:kafka-streams", version.ref = "kafka" }\n'
    assert _versions(read_version_catalog, catalog, "gradle/libs.versions.toml") == {
        Dialect.JAVA: ("3.6", "detected in gradle/libs.versions.toml: kafka-streams 3.6.2, which brings kafka-clients 3.6.2")
    }


def test_a_confluent_build_of_the_clients_is_taken_as_its_apache_kafka_line():
    # kafka-clients 7.5.0-ccs is Confluent Platform 7.5, built on Apache Kafka 3.5: read as "7.5"
    # it would have Java 3.x defaults where a 6.2.1-ce (Apache Kafka 2.8) has idempotence off.
    pom = (
        '<project xmlns="http://maven.apache.org/POM/4.0.0"><properties><kafka.version>{}</kafka.version></properties>'
        "<dependencies><dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-clients</artifactId>"
        "<version>${{kafka.version}}</version></dependency></dependencies></project>"
    )
    assert _versions(read_pom, pom.format("7.5.0-ccs"), "pom.xml") == {
        Dialect.JAVA: ("3.5", "detected in pom.xml: kafka-clients 7.5.0-ccs (Confluent Platform, Apache Kafka 3.5)")
    }
    assert _versions(read_pom, pom.format("6.2.1-ce"), "pom.xml")[Dialect.JAVA][0] == "2.8"
    # A Confluent line kafkalint does not know claims no version: the newest line is assumed.
    assert _versions(read_pom, pom.format("9.9.0-ccs"), "pom.xml") == {}
    gradle = 'dependencies { implementation("org.apache.kafka:kafka-clients:7.9.0-ccs") }\n'
    assert _versions(read_gradle, gradle, "build.gradle.kts")[Dialect.JAVA][0] == "3.9"


def test_every_confluent_platform_line_names_its_source():
    from kafkalint.knowledge.versions import confluent_platform

    facts = confluent_platform()
    assert facts["apache_kafka_line"]["8.0"]["line"] == "4.0"
    assert all(entry["source"] in facts["sources"] for entry in facts["apache_kafka_line"].values())


def test_pom_with_entity_declarations_is_not_parsed():
    assert _versions(read_pom, '<!DOCTYPE x [<!ENTITY a "b">]>' + POM_KAFKA_28, "pom.xml") == {}


def test_gradle_coordinates_variables_and_kafka_version_override():
    groovy = "def kafkaVersion = '3.7.0'\ndependencies { implementation \"org.apache.kafka:kafka-clients:$kafkaVersion\" }\n"
    assert _versions(read_gradle, groovy, "build.gradle") == {Dialect.JAVA: ("3.7", "detected in build.gradle: kafka-clients 3.7.0")}
    kotlin = 'plugins { id("org.springframework.boot") version "3.2.2" }\nextra["kafka.version"] = "3.5.1"\n'
    assert _versions(read_gradle, kotlin, "build.gradle.kts") == {
        Dialect.JAVA: ("3.5", "detected in build.gradle.kts: kafka.version 3.5.1")
    }


def test_gradle_map_notation_in_groovy_and_kotlin():
    """kafka-streams-in-action's build.gradle names `group: 'org.apache.kafka', name:'kafka-clients',
    version: '1.0.0'`: the newest client was assumed, and KL521 said poll(long) was deprecated in a
    project whose client has no poll(Duration)."""
    groovy = (
        "dependencies {\n"
        "    compile group: 'org.apache.kafka', name:'kafka-streams', version: '1.0.0'\n"
        "    compile group: 'org.apache.kafka', name:'kafka-clients', version: kafkaVersion\n"
        "    compile group: 'org.apache.kafka', name:'kafka-clients', version: '1.0.0'\n"
        "}\n"
    )
    assert _versions(read_gradle, groovy, "build.gradle") == {Dialect.JAVA: ("1.0", "detected in build.gradle: kafka-clients 1.0.0")}
    kotlin = 'dependencies {\n    implementation(group = "org.apache.kafka", name = "kafka-clients", version = "$kafkaVersion")\n}\nval kafkaVersion = "3.6.1"\n'
    assert _versions(read_gradle, kotlin, "build.gradle.kts") == {Dialect.JAVA: ("3.6", "detected in build.gradle.kts: kafka-clients 3.6.1")}


def test_the_brokers_jar_brings_the_clients_of_its_version():
    """gwenshap/kafka-examples' modules depend on kafka_2.11 0.9.0.0 (the broker's jar, whose POM
    names kafka-clients of its version): 'java 4.1 default' was assumed for a 0.9 consumer."""
    pom = (
        '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
        "<properties><kafka.scala.version>2.12</kafka.scala.version><kafka.release>0.9.0.0</kafka.release></properties>"
        "<dependencies><dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_${kafka.scala.version}</artifactId>"
        "<version>${kafka.release}</version></dependency></dependencies></project>"
    )
    assert _versions(read_pom, pom, "pom.xml") == {
        Dialect.JAVA: ("0.9", "detected in pom.xml: kafka (the broker's jar) 0.9.0.0, which brings kafka-clients 0.9.0.0")
    }
    gradle = "dependencies {\n    compile 'org.apache.kafka:kafka_2.11:0.10.2.1'\n}\n"
    assert _versions(read_gradle, gradle, "build.gradle") == {
        Dialect.JAVA: ("0.10", "detected in build.gradle: kafka (the broker's jar) 0.10.2.1, which brings kafka-clients 0.10.2.1")
    }


def test_a_java_1_0_project_has_no_poll_long_finding(lint):
    consumer = (
        "import org.apache.kafka.clients.consumer.KafkaConsumer;\n"
        "class Reader {\n"
        "    void run(KafkaConsumer<String, String> consumer) {\n"
        "        while (true) { consumer.poll(5000); }\n"
        "    }\n"
        "}\n"
    )
    newest = lint({"src/main/java/Reader.java": consumer}, select=["KL521"])
    assert [(f.code, f.location.line) for f in newest.findings] == [("KL521", 4)]
    gradle = "dependencies {\n    compile group: 'org.apache.kafka', name: 'kafka-clients', version: '1.0.0'\n}\n"
    old = lint({"src/main/java/Reader.java": consumer, "build.gradle": gradle}, select=["KL521"])
    assert old.findings == []


def test_a_lock_file_beats_a_range_in_the_same_module(lint):
    result = lint(
        {
            "requirements.txt": "confluent-kafka>=2.0\n",
            "poetry.lock": '[[package]]\nname = "confluent-kafka"\nversion = "2.3.0"\n',
            "consumer.yaml": "bootstrap.servers: broker:9092\ngroup.id: billing\nfetch.wait.max.ms: 100\n",
        },
        select=["KL003"],
    )
    [client] = result.project.clients
    assert client.version.version == "2.3.0"


def test_pom_in_the_tree_turns_java_idempotence_findings_into_2_8_findings(lint):
    newest = lint(dict(PRODUCER_ACKS_ONE), select=["KL103", "KL104"])
    # acks=1 turning off the default is KL104's cause; KL103 stands down for it.
    assert [(f.code, f.severity.value) for f in newest.findings] == [("KL104", "warning")]
    assert "idempotence of java 4.1" in newest.findings[0].message

    old = lint({**PRODUCER_ACKS_ONE, "pom.xml": POM_KAFKA_28}, select=["KL103", "KL104"])
    assert [f.code for f in old.findings] == ["KL103"]
    assert "idempotence off (java 2.8 default)" in old.findings[0].message


def test_target_on_the_command_line_wins_over_the_detected_version(lint):
    result = lint({**PRODUCER_ACKS_ONE, "pom.xml": POM_KAFKA_28}, select=["KL104"], targets={"java": "3.6"})
    assert len(result.findings) == 1
    assert "idempotence of java 3.6" in result.findings[0].message


def test_requirements_txt_decides_whether_group_protocol_exists(lint):
    consumer = {
        "consumer.yaml": (
            "bootstrap.servers: broker:9092\n"
            "group.id: billing\n"
            "fetch.wait.max.ms: 100\n"
            "group.protocol: consumer\n"
            "session.timeout.ms: 30000\n"
        )
    }
    old = lint({**consumer, "requirements.txt": "confluent-kafka==2.3.0\n"}, select=["KL003", "KL207"])
    assert [(f.code, f.location.line) for f in old.findings] == [("KL003", 4)]
    assert "assuming librdkafka 2.3.0 (detected in requirements.txt: confluent-kafka==2.3.0)" in old.findings[0].message
    assert "added in 2.4" in old.findings[0].message

    ignored = lint({**consumer, "requirements.txt": "confluent-kafka==2.6.0\n"}, select=["KL003", "KL207"])
    assert [(f.code, f.location.line, f.severity.value) for f in ignored.findings] == [("KL207", 5, "warning")]
    assert "librdkafka 2.6.0 (detected in requirements.txt: confluent-kafka==2.6.0)" in ignored.findings[0].message

    refused = lint({**consumer, "requirements.txt": "confluent-kafka==2.10.0\n"}, select=["KL003", "KL207"])
    assert [(f.code, f.location.line, f.severity.value) for f in refused.findings] == [("KL207", 5, "error")]
    assert "librdkafka 2.10.0 (detected in requirements.txt: confluent-kafka==2.10.0)" in refused.findings[0].message


def test_gradle_version_catalog_with_a_version_reference():
    catalog = '[versions]\nkafka = "3.7.1"\n\n[libraries]\nkafka-clients = { module = "org.apache.kafka:kafka-clients", version.ref = "kafka" }\n'
    assert _versions(read_version_catalog, catalog, "gradle/libs.versions.toml") == {
        Dialect.JAVA: ("3.7", "detected in gradle/libs.versions.toml: kafka-clients 3.7.1")
    }
    spring = '[libraries]\nspring-kafka = "org.springframework.kafka:spring-kafka:3.3.0"\n'
    assert _versions(read_version_catalog, spring, "libs.versions.toml")[Dialect.JAVA][0] == "3.8"


def test_build_files_are_discovered_by_name():
    from kafkalint.discovery import classify

    assert [classify(name) for name in ("requirements-dev.txt", "pom.xml", "build.gradle.kts", "libs.versions.toml", "uv.lock")] == [
        "requirements", "pom", "gradle", "gradle-catalog", "lock",
    ]


def test_each_module_takes_the_version_of_its_own_manifest(lint):
    """Issue 11, class 10: one module's pom.xml does not decide a sibling module's version."""
    pom_36 = POM_KAFKA_28.replace("2.8.2", "3.6.1")
    result = lint(
        {
            "legacy/pom.xml": POM_KAFKA_28,
            "legacy/src/main/resources/producer.properties": PRODUCER_ACKS_ONE["producer.properties"],
            "modern/pom.xml": pom_36,
            "modern/src/main/resources/producer.properties": PRODUCER_ACKS_ONE["producer.properties"],
            "tools/producer.properties": PRODUCER_ACKS_ONE["producer.properties"],
        }
    )
    versions = {client.anchor.path: client.version for client in result.project.clients}
    assert versions["legacy/src/main/resources/producer.properties"].version == "2.8"
    assert "legacy/pom.xml" in versions["legacy/src/main/resources/producer.properties"].reason
    assert versions["modern/src/main/resources/producer.properties"].version == "3.6"
    # No manifest above it: the default, not a sibling module's pom.
    assert versions["tools/producer.properties"] is None


def test_a_manifest_at_the_root_applies_to_every_module_below_it(lint):
    result = lint({"pom.xml": POM_KAFKA_28, "app/src/producer.properties": PRODUCER_ACKS_ONE["producer.properties"]})
    [client] = result.project.clients
    assert client.version.version == "2.8"
