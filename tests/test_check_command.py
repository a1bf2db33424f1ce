"""`kafkalint check` end to end: exit codes, the JSON shape, bad input, secret redaction."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import write_files

HEALTHY_PRODUCER = """\
bootstrap.servers=broker:9092
key.serializer=org.apache.kafka.common.serialization.StringSerializer
value.serializer=org.apache.kafka.common.serialization.StringSerializer
acks=all
enable.idempotence=true
max.in.flight.requests.per.connection=5
"""

HEALTHY_CONSUMER = """\
bootstrap.servers: broker:9092
group.id: billing
key.deserializer: org.apache.kafka.common.serialization.StringDeserializer
value.deserializer: org.apache.kafka.common.serialization.StringDeserializer
enable.auto.commit: false
max.poll.records: 200
max.poll.interval.ms: 300000
"""

BAD_PRODUCER = """\
bootstrap.servers=broker:9092
acks=0
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="app" password="hunter2-secret";
ssl.key.password=topsecret-key-pass
"""


def kafkalint(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "kafkalint", *args],
        cwd=cwd, capture_output=True, text=True, env=env, input=stdin, timeout=60,
    )


def test_healthy_producer_and_consumer_exit_zero_with_no_findings(tmp_path):
    write_files(tmp_path, {"producer.properties": HEALTHY_PRODUCER, "consumer.yaml": HEALTHY_CONSUMER})
    completed = kafkalint("check", "--format", "json", ".", cwd=tmp_path)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    document = json.loads(completed.stdout)
    assert document["findings"] == []
    assert document["summary"]["findings"] == 0


def test_json_shape_paths_and_sorting(tmp_path):
    write_files(tmp_path, {"conf/producer.properties": BAD_PRODUCER, "conf/consumer.yaml": "group.id: billing\n"})
    completed = kafkalint("check", "--format", "json", "conf", cwd=tmp_path)
    assert completed.returncode == 1
    document = json.loads(completed.stdout)
    assert set(document) == {"version", "findings", "summary"}
    first = document["findings"][0]
    for key in ("code", "name", "severity", "message", "path", "line", "column", "end_line", "end_column"):
        assert key in first
    keys = [(f["path"], f["line"], f["column"], f["code"]) for f in document["findings"]]
    assert keys == sorted(keys)
    assert {f["path"] for f in document["findings"]} == {"conf/producer.properties", "conf/consumer.yaml"}
    acks = next(f for f in document["findings"] if f["name"] == "producer-acks-zero")
    assert (acks["line"], acks["column"], acks["end_line"], acks["end_column"]) == (2, 1, 2, 5)
    assert document["summary"]["error"] >= 1


def test_secret_values_never_appear_in_any_output(tmp_path):
    write_files(tmp_path, {"producer.properties": BAD_PRODUCER})
    for output_format in ("text", "json"):
        completed = kafkalint("check", "--format", output_format, ".", cwd=tmp_path)
        assert "hunter2-secret" not in completed.stdout + completed.stderr
        assert "topsecret-key-pass" not in completed.stdout + completed.stderr
        assert "KL401" in completed.stdout


def test_text_output_lines_source_and_summary(tmp_path):
    write_files(tmp_path, {"producer.properties": "bootstrap.servers=b:9092\nacks=0\n"})
    completed = kafkalint("check", ".", cwd=tmp_path)
    lines = completed.stdout.splitlines()
    index = next(i for i, line in enumerate(lines) if " KL101 " in line)
    assert lines[index].startswith("producer.properties:2:1: KL101 [error] acks=0 (line 2)")
    assert lines[index + 1] == "    acks=0"
    assert lines[index + 2] == "    ^^^^"
    assert lines[-1].startswith("Found ") and "1 error" in lines[-1]
    assert "\x1b[" not in completed.stdout


def test_fail_on_error_ignores_warnings(tmp_path):
    write_files(tmp_path, {"consumer.properties": "group.id=billing\n"})
    assert kafkalint("check", ".", cwd=tmp_path).returncode == 1
    assert kafkalint("check", "--fail-on", "error", ".", cwd=tmp_path).returncode == 0


def test_select_and_ignore_by_code_name_and_prefix(tmp_path):
    write_files(tmp_path, {"producer.properties": "bootstrap.servers=b:9092\nacks=0\nretries=0\n"})
    def codes(*args):
        completed = kafkalint("check", "--format", "json", *args, ".", cwd=tmp_path)
        return sorted({f["code"] for f in json.loads(completed.stdout)["findings"]})
    assert codes("--select", "KL101") == ["KL101"]
    assert codes("--select", "producer-retries-disabled") == ["KL106"]
    assert "KL101" not in codes("--ignore", "KL1")
    assert codes("--select", "KL10", "--ignore", "producer-acks-zero,KL104") == ["KL106"]


def test_unknown_selector_is_a_usage_error(tmp_path):
    completed = kafkalint("check", "--select", "KL999", ".", cwd=tmp_path)
    assert completed.returncode == 2
    assert "no rule matches 'KL999'" in completed.stderr


def test_nonexistent_path_is_exit_two_with_one_sentence(tmp_path):
    completed = kafkalint("check", "missing-dir", cwd=tmp_path)
    assert completed.returncode == 2
    assert completed.stderr.strip() == "kafkalint: missing-dir: no such file or directory"
    assert "Traceback" not in completed.stderr


def test_binary_undecodable_and_malformed_files_are_findings_and_others_still_linted(tmp_path):
    (tmp_path / "binary.json").write_bytes(b"\x00\x01kafka\x00\xff")
    (tmp_path / "latin.yaml").write_bytes(b"group.id: caf\xe9\nkafka: 1\n")
    write_files(tmp_path, {"broken.yaml": "acks: [\n", "producer.properties": "acks=0\n"})
    completed = kafkalint("check", "--format", "json", ".", cwd=tmp_path)
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    findings = json.loads(completed.stdout)["findings"]
    parse_errors = {f["path"]: f["message"] for f in findings if f["name"] == "parse-error"}
    assert "binary file" in parse_errors["binary.json"]
    assert "not valid UTF-8" in parse_errors["latin.yaml"]
    assert "invalid YAML" in parse_errors["broken.yaml"]
    assert any(f["name"] == "producer-acks-zero" and f["path"] == "producer.properties" for f in findings)


def test_unreadable_file_is_a_parse_error(tmp_path):
    path = tmp_path / "producer.properties"
    path.write_text("acks=0\n")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # root reads anything: simulate with a directory-named file instead
            return
        completed = kafkalint("check", "--format", "json", ".", cwd=tmp_path)
        findings = json.loads(completed.stdout)["findings"]
        assert findings[0]["name"] == "parse-error" and "permission denied" in findings[0]["message"]
    finally:
        path.chmod(0o644)


def test_files_that_are_not_kafka_configs_produce_nothing(tmp_path):
    write_files(tmp_path, {
        "log4j.properties": "log4j.rootLogger=INFO, stdout\n",
        "ci.yml": "name: build\non: [push]\njobs: {}\n",
        "package.json": '{"name": "web", "version": "1.0.0"}\n',
    })
    completed = kafkalint("check", "--format", "json", ".", cwd=tmp_path)
    assert completed.returncode == 0
    assert json.loads(completed.stdout)["findings"] == []


def test_version_flag_and_rule_docs(tmp_path):
    completed = kafkalint("--version", cwd=tmp_path)
    assert completed.returncode == 0 and completed.stdout.startswith("kafkalint ")
    listing = kafkalint("rules", cwd=tmp_path)
    assert "KL101  producer-acks-zero" in listing.stdout
    for selector in ("KL101", "producer-acks-zero"):
        doc = kafkalint("rule", selector, cwd=tmp_path)
        assert doc.returncode == 0
        assert "# KL101 producer-acks-zero" in doc.stdout
        assert "Why is this bad?" in doc.stdout and "How to fix" in doc.stdout
    missing = kafkalint("rule", "producer-acks-zer", cwd=tmp_path)
    assert missing.returncode == 2 and "did you mean producer-acks-zero" in missing.stderr


def test_connector_secrets_are_reported_and_redacted(tmp_path):
    write_files(tmp_path, {"jdbc-sink.json": (
        '{"name": "orders-jdbc", "config": {"connector.class": "io.confluent.connect.jdbc.JdbcSinkConnector",\n'
        ' "topics": "orders", "connection.password": "pg-secret-123"}}\n'
    )})
    for output_format in ("text", "json"):
        completed = kafkalint("check", "--format", output_format, ".", cwd=tmp_path)
        assert "pg-secret-123" not in completed.stdout + completed.stderr
    findings = json.loads(kafkalint("check", "--format", "json", ".", cwd=tmp_path).stdout)["findings"]
    secret = [f for f in findings if f["name"] == "plaintext-secret"]
    assert [(f["line"], f["column"]) for f in secret] == [(2, 22)]
    assert "connection.password holds a literal secret" in secret[0]["message"]


def test_an_invalid_value_is_reported_once_and_no_rule_reasons_from_it(lint):
    result = lint({"producer.properties": "bootstrap.servers=b:9092\nacks=2\nlinger.ms=abc\n"})
    assert [(f.name, f.location.line) for f in result.findings] == [
        ("invalid-config-value", 2), ("invalid-config-value", 3),
    ]


def test_a_fifo_named_like_a_config_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "kafka-producer.yaml")
    write_files(tmp_path, {"producer.properties": "bootstrap.servers=b:9092\nacks=0\n"})
    completed = kafkalint("check", "--format", "json", ".", cwd=tmp_path)
    findings = json.loads(completed.stdout)["findings"]
    assert [(f["path"], f["name"]) for f in findings if f["name"] == "parse-error"] == [("kafka-producer.yaml", "parse-error")]
    assert "not a regular file" in findings[0]["message"]
    assert any(f["name"] == "producer-acks-zero" for f in findings)


def test_placeholders_in_client_files_are_unknown_never_judged(lint):
    result = lint({"producer.properties": (
        "bootstrap.servers=${env:BOOTSTRAP}\n"
        "acks=${env:ACKS}\n"
        "enable.idempotence=${IDEMPOTENCE}\n"
        "linger.ms={{ .Values.linger }}\n"
        "retries=$RETRIES\n"
        "ssl.key.password=${file:/etc/kafka/secrets.properties:key}\n"
    )})
    assert result.findings == []


def test_a_literal_jaas_password_next_to_a_templated_user_is_still_reported(lint):
    result = lint({"client.properties": (
        "bootstrap.servers=b:9093\n"
        'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required '
        'username="${env:USER}" password="hunter2";\n'
    )})
    assert [(f.name, f.location.line) for f in result.findings] == [("plaintext-secret", 2)]
    assert "hunter2" not in result.findings[0].snippet


def test_placeholders_in_broker_files_are_unknown_never_judged(lint):
    result = lint({"server.properties": (
        "broker.id=1\nlog.dirs=/data\nauto.create.topics.enable=false\n"
        "min.insync.replicas=${MIN_ISR}\ndefault.replication.factor={{ .Values.rf }}\n"
        "offsets.topic.replication.factor=3\ntransaction.state.log.replication.factor=3\n"
    )})
    assert result.findings == []
