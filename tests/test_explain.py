"""`kafkalint explain FILE`: effective configuration, where each value comes from, which rules read it."""

from __future__ import annotations

import json

from types import SimpleNamespace

from kafkalint.catalogue import load_catalogue
from kafkalint.explain import rules_reading
from kafkalint.model import ClientConfig, Dialect, Location, Role
from tests.clirunner import run_cli
from tests.conftest import write_files


def _keys(report: dict, client_index: int = 0) -> dict[str, dict]:
    return {item["key"]: item for item in report["clients"][client_index]["keys"]}


def declared_readers(key: str, role: str, dialect: str) -> list[str]:
    """Client rules of the built-in catalogue whose `reads:` list names the key, as explain must list them."""
    every_key = {"KL003", "KL004", "KL005", "KL006", "KL007"}
    return [
        rule.code for rule in load_catalogue().rules
        if rule.target == "client" and rule.code not in every_key
        and (not rule.roles or role in rule.roles) and (not rule.dialects or dialect in rule.dialects)
        and key in (getattr(rule, "reads", ()) or ())
    ]


def _rule(code: str, reads: tuple[str, ...], roles: tuple[str, ...] = (), dialects: tuple[str, ...] = (), prose: str = ""):
    return SimpleNamespace(code=code, reads=reads, roles=roles, dialects=dialects, target="client",
                           summary=prose, message=prose, rationale=prose, fix=prose, condition=None)


def test_rules_reading_a_key_come_from_their_reads_list_not_their_prose():
    producer = ClientConfig(Role.PRODUCER, Dialect.JAVA, Location("producer.properties", 1, 1))
    rules = [
        _rule("KL101", ("acks", "enable.idempotence")),
        _rule("KL102", ("acks",), roles=("consumer",)),  # another role: not this client's rule
        _rule("KL103", ("acks",), dialects=("librdkafka",)),  # another client library
        _rule("KL104", (), prose="acks=all with enable.idempotence"),  # names the key in prose only
        _rule("KL105", ("request.required.acks",)),  # reads the key under an alias
        _rule("KL003", ("acks",)),  # judges every key: its findings are shown instead
    ]
    assert rules_reading(["acks"], rules, producer) == ["KL101"]
    assert rules_reading(["acks", "request.required.acks"], rules, producer) == ["KL101", "KL105"]
    assert rules_reading(["linger.ms"], rules, producer) == []


def test_properties_explicit_default_and_detected_version(tmp_path):
    write_files(
        tmp_path,
        {
            "producer.properties": "bootstrap.servers=broker:9092\nacks=1\nssl.key.password=hunter2\n",
            "pom.xml": (
                "<project><dependencies><dependency><groupId>org.apache.kafka</groupId>"
                "<artifactId>kafka-clients</artifactId><version>2.8.1</version></dependency></dependencies></project>"
            ),
        },
    )
    outcome = run_cli(tmp_path, "explain", "producer.properties", "--format", "json", "--all")
    assert outcome.exit_code == 0, outcome.stderr
    report = json.loads(outcome.stdout)
    client = report["clients"][0]
    assert (client["dialect"], client["role"]) == ("java", "producer")
    assert client["version"] == {"client": "java", "version": "2.8", "reason": "detected in pom.xml: kafka-clients 2.8.1"}
    keys = _keys(report)
    assert keys["acks"]["value"] == "1" and keys["acks"]["source"] == "explicit at line 2"
    assert keys["acks"]["rules"] == declared_readers("acks", "producer", "java")
    assert keys["acks"]["findings"] == ["KL102 producer-acks-leader-only"]
    assert keys["enable.idempotence"] == {
        "key": "enable.idempotence",
        "written_key": "enable.idempotence",
        "value": "false",
        "source": "default for java 2.8 (detected in pom.xml: kafka-clients 2.8.1)",
        "explicit": False,
        "line": None,
        "rules": declared_readers("enable.idempotence", "producer", "java"),
        "findings": [],
    }
    assert keys["ssl.key.password"]["value"] == "****"
    assert "hunter2" not in outcome.stdout


def test_yaml_alias_is_explained_and_target_overrides(tmp_path):
    write_files(tmp_path, {"producer.yaml": "bootstrap.servers: broker:9092\nlinger.ms: 20\nbatch.num.messages: 500\n"})
    outcome = run_cli(tmp_path, "explain", "producer.yaml", "--format", "json", "--target", "librdkafka=1.4", "--all")
    report = json.loads(outcome.stdout)
    client = report["clients"][0]
    assert client["dialect"] == "librdkafka"
    assert client["version"]["reason"] == "--target / settings"
    keys = _keys(report)
    assert keys["queue.buffering.max.ms"]["source"] == "explicit at line 2, written as linger.ms (alias of queue.buffering.max.ms)"
    assert keys["queue.buffering.max.ms"]["written_key"] == "linger.ms"
    assert keys["enable.idempotence"]["source"] == "default for librdkafka 1.4 (--target / settings)"


def test_json_with_sections_and_text_output(tmp_path):
    write_files(
        tmp_path,
        {
            "clients.json": json.dumps(
                {
                    "bootstrap.servers": "broker:9092",
                    "producer": {"acks": "all", "key.serializer": "org.apache.kafka.common.serialization.StringSerializer"},
                    "consumer": {"group.id": "billing", "max.poll.record": 10},
                },
                indent=2,
            )
        },
    )
    outcome = run_cli(tmp_path, "explain", "clients.json")
    assert outcome.exit_code == 0
    lines = outcome.stdout.splitlines()
    assert lines[0] == "clients.json:3: java producer producer"
    assert lines[1] == "  assuming java 4.1 (newest release line)"
    consumer_line = next(line for line in lines if line.startswith("  max.poll.record "))
    assert "not a key java 4.1 (newest release line) knows" in consumer_line
    assert "KL003 unknown-config-key" in consumer_line


def test_a_file_without_clients_says_so(tmp_path):
    write_files(tmp_path, {"notes.yaml": "title: hello\n"})
    outcome = run_cli(tmp_path, "explain", "notes.yaml")
    assert outcome.exit_code == 0
    assert outcome.stdout == "notes.yaml: no Kafka client, cluster or topic configuration found\n"


def test_missing_file_and_bad_format_are_usage_errors(tmp_path):
    assert run_cli(tmp_path, "explain", "nope.properties").exit_code == 2
    write_files(tmp_path, {"producer.properties": "acks=all\n"})
    assert run_cli(tmp_path, "explain", "producer.properties", "--format", "xml").exit_code == 2


def test_explain_a_folder_shows_every_file_that_configures_a_client(tmp_path):
    write_files(tmp_path, {
        "conf/producer.properties": "bootstrap.servers=b:9092\nacks=0\n",
        "conf/team/consumer.yaml": "bootstrap.servers: b:9092\ngroup.id: billing\n",
        "conf/notes.yaml": "title: not kafka\n",
    })
    outcome = run_cli(tmp_path, "explain", "conf", "--format", "json")
    assert outcome.exit_code == 0, outcome.stderr
    report = json.loads(outcome.stdout)
    assert report["directory"] == "conf"
    assert [item["file"] for item in report["files"]] == ["conf/producer.properties", "conf/team/consumer.yaml"]
    [producer] = report["files"][0]["clients"]
    acks = next(key for key in producer["keys"] if key["key"] == "acks")
    assert (acks["value"], acks["line"]) == ("0", 2)
    text = run_cli(tmp_path, "explain", "conf").stdout
    assert text.startswith("conf/producer.properties:1: java producer\n")
    assert "conf/team/consumer.yaml:1: java consumer" in text


def test_explain_a_folder_without_clients_says_so(tmp_path):
    write_files(tmp_path, {"docs/notes.yaml": "title: not kafka\n"})
    outcome = run_cli(tmp_path, "explain", "docs")
    assert (outcome.exit_code, outcome.stdout) == (0, "docs: no Kafka client, cluster or topic configuration found\n")
