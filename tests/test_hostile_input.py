"""Hostile input is refused quickly, with bounded memory, as a finding naming the file (a
parse-error, or an internal-error naming the rule that failed), and the other files of the
run are still linted."""

from __future__ import annotations

import time
import tracemalloc

from tests.conftest import write_files, lint_files

GOOD_TOPIC = """\
apiVersion: kafka.strimzi.io/v1
kind: KafkaTopic
metadata:
  name: orders
spec:
  replicas: 1
"""


def _alias_bomb() -> str:
    lines = [
        "apiVersion: kafka.strimzi.io/v1",
        "kind: KafkaTopic",
        "metadata:",
        "  name: bomb",
        'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    ]
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    lines.append("spec:\n  config:\n    retention.ms: *a9")
    return "\n".join(lines) + "\n"


def _located(result, name):
    return [(f.location.path, f.location.line, f.name) for f in result.findings if f.location.path == name]


def test_alias_bomb_is_refused_within_a_second_with_bounded_memory(tmp_path):
    # 9**10 (3.4 billion) strings once expanded.
    files = {"bomb.yaml": _alias_bomb(), "topic.yaml": GOOD_TOPIC}
    started = time.perf_counter()
    result = lint_files(tmp_path, files)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"{elapsed:.2f}s"
    tracemalloc.start()  # a second run for memory: tracing slows the run it measures
    lint_files(tmp_path, files)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # refused before building any node: the 200 000-node budget alone would cost ~30 MB
    assert peak < 16 * 1024 * 1024, f"{peak // 1024} KiB"
    bomb = [f for f in result.findings if f.location.path == "bomb.yaml"]
    assert [(f.name, f.location.line) for f in bomb] == [("parse-error", 10)]
    assert "cannot read bomb.yaml" in bomb[0].message and "alias bomb" in bomb[0].message
    assert _located(result, "topic.yaml") == [("topic.yaml", 6, "replication-factor-too-low")]


def test_huge_file_is_refused_within_a_second_without_being_read(tmp_path):
    write_files(tmp_path, {"topic.yaml": GOOD_TOPIC})
    huge = tmp_path / "huge.yaml"
    with huge.open("w", encoding="utf-8") as handle:
        handle.write("apiVersion: kafka.strimzi.io/v1\nkind: KafkaTopic\nmetadata:\n  name: huge\n")
        handle.truncate(100 * 1024 * 1024)  # 100 MB (sparse: cheap to create)
    started = time.perf_counter()
    result = lint_files(tmp_path, {})
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"{elapsed:.2f}s"
    tracemalloc.start()
    lint_files(tmp_path, {})
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 32 * 1024 * 1024, f"{peak // 1024} KiB"
    refused = [f for f in result.findings if f.location.path == "huge.yaml"]
    assert [(f.name, f.location.line) for f in refused] == [("parse-error", 1)]
    assert "huge.yaml" in refused[0].message and "100 MB" in refused[0].message and "refused" in refused[0].message
    assert _located(result, "topic.yaml") == [("topic.yaml", 6, "replication-factor-too-low")]


def test_python_tag_is_refused_and_never_constructed(tmp_path):
    marker = tmp_path / "constructed"
    text = (
        "apiVersion: kafka.strimzi.io/v1\n"
        "kind: KafkaTopic\n"
        "metadata:\n"
        f"  name: !!python/object/apply:pathlib.Path.touch [!!python/object/apply:pathlib.Path ['{marker}']]\n"
    )
    result = lint_files(tmp_path, {"tagged.yaml": text, "topic.yaml": GOOD_TOPIC})
    assert not marker.exists()
    tagged = [f for f in result.findings if f.location.path == "tagged.yaml"]
    assert [(f.name, f.location.line, f.location.column) for f in tagged] == [("parse-error", 4, 9)]
    assert "Python-specific YAML tag" in tagged[0].message
    assert _located(result, "topic.yaml") == [("topic.yaml", 6, "replication-factor-too-low")]


def test_deeply_nested_document_is_refused_not_a_traceback(tmp_path):
    text = "apiVersion: kafka.strimzi.io/v1\nkind: KafkaTopic\nspec: " + "[" * 5000 + "]" * 5000 + "\n"
    started = time.perf_counter()
    result = lint_files(tmp_path, {"deep.yaml": text})
    assert time.perf_counter() - started < 1.0
    assert [(f.name, f.location.path) for f in result.findings] == [("parse-error", "deep.yaml")]


def test_recursive_alias_is_refused_not_a_hang(tmp_path):
    text = "apiVersion: kafka.strimzi.io/v1\nkind: KafkaTopic\nmetadata: &meta\n  name: loop\n  self: *meta\n"
    started = time.perf_counter()
    result = lint_files(tmp_path, {"loop.yaml": text, "topic.yaml": GOOD_TOPIC})
    assert time.perf_counter() - started < 1.0
    loop = [f for f in result.findings if f.location.path == "loop.yaml"]
    assert [(f.name, f.location.line) for f in loop] == [("parse-error", 3)]
    assert "recursive structure" in loop[0].message
    assert _located(result, "topic.yaml") == [("topic.yaml", 6, "replication-factor-too-low")]


def test_a_file_of_countless_empty_documents_is_refused_within_a_second(tmp_path):
    started = time.perf_counter()
    result = lint_files(tmp_path, {"kafka-docs.yaml": "apiVersion: kafka.strimzi.io/v1\n" + "---\n" * 200_000,
                                   "topic.yaml": GOOD_TOPIC})
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, elapsed
    errors = [f for f in result.findings if f.location.path == "kafka-docs.yaml"]
    assert [f.name for f in errors] == ["parse-error"]
    assert "more than 10000 YAML documents" in errors[0].message
    assert any(f.location.path == "topic.yaml" for f in result.findings)


# --- isolation: one bad file or one failing rule costs one finding, not the run ---------------

GOOD_PRODUCER = "bootstrap.servers=broker:9092\nacks=0\n"


def _names(result, path):
    return [(f.name, f.location.line) for f in result.findings if f.location.path == path]


def _good_producer_still_linted(result):
    return ("producer-acks-zero", 2) in _names(result, "good.properties")


def test_a_reader_that_raises_is_a_parse_error_naming_the_file_and_others_are_read(tmp_path, monkeypatch):
    import kafkalint.sources.properties as properties

    original = properties.parse_properties

    def parse(text, path):
        if path == "broken.properties":
            raise IndexError("reader bug (secret=hunter2)")
        return original(text, path)

    monkeypatch.setattr(properties, "parse_properties", parse)
    result = lint_files(tmp_path, {"broken.properties": "acks=all\n", "good.properties": GOOD_PRODUCER})
    broken = [f for f in result.findings if f.location.path == "broken.properties"]
    assert [(f.name, f.location.line) for f in broken] == [("parse-error", 1)]
    assert "cannot read broken.properties" in broken[0].message and "(IndexError)" in broken[0].message
    assert "hunter2" not in broken[0].message  # the exception text may quote a secret: never shown
    assert _good_producer_still_linted(result)


def test_a_rule_that_raises_is_an_internal_error_naming_the_rule_and_other_rules_run(tmp_path, monkeypatch):
    import kafkalint.conditions as conditions

    original = conditions.declarative_hits

    def declarative_hits(rule, target):
        if rule.code == "KL101" and target.anchor.path == "a.properties":
            raise TypeError("rule bug")
        return original(rule, target)

    monkeypatch.setattr(conditions, "declarative_hits", declarative_hits)
    result = lint_files(tmp_path, {"a.properties": GOOD_PRODUCER, "good.properties": GOOD_PRODUCER}, select=["KL101"])
    assert _names(result, "a.properties") == [("internal-error", 1)]
    failed = [f for f in result.findings if f.name == "internal-error"][0]
    assert "rule KL101 (producer-acks-zero)" in failed.message and "(TypeError)" in failed.message
    assert failed.code == "KL099" and failed.severity.value == "error"
    assert _names(result, "good.properties") == [("producer-acks-zero", 2)]


def test_internal_errors_are_silenced_only_by_ignoring_the_rule(tmp_path, monkeypatch):
    import kafkalint.conditions as conditions

    def declarative_hits(rule, target):
        raise TypeError("rule bug")

    monkeypatch.setattr(conditions, "declarative_hits", declarative_hits)
    from kafkalint.settings import Settings

    result = lint_files(tmp_path, {"good.properties": GOOD_PRODUCER}, settings=Settings(select=["KL101"], ignore=["internal-error"]))
    assert result.findings == []


def test_a_failing_rule_over_the_cli_is_a_finding_and_exit_1_not_exit_2(tmp_path, monkeypatch):
    import kafkalint.conditions as conditions
    from tests.clirunner import run_cli

    def declarative_hits(rule, target):
        raise TypeError("rule bug")

    monkeypatch.setattr(conditions, "declarative_hits", declarative_hits)
    write_files(tmp_path, {"good.properties": GOOD_PRODUCER})
    outcome = run_cli(tmp_path, "check", ".", "--select", "KL101")
    assert outcome.exit_code == 1, outcome.stderr
    assert "good.properties:1:1: KL099 internal-error" in outcome.stdout


# --- crashes of the whole run, one by one ------------------------------------------------------


def test_properties_file_that_is_a_lone_backslash_reads_as_empty(tmp_path):
    result = lint_files(tmp_path, {"a.properties": "\\", "b.properties": "acks=all\n\\\n\nretries=1\n",
                                   "good.properties": GOOD_PRODUCER})
    assert _names(result, "a.properties") == []
    assert not [f for f in result.findings if f.name in ("parse-error", "internal-error")]
    assert _good_producer_still_linted(result)


def test_lone_backslash_before_a_blank_line_keeps_the_entries_around_it():
    from kafkalint.sources.properties import parse_properties

    entries, problems = parse_properties("acks=all\n\\\n\nretries=1\n", "p.properties")
    assert [(e.key, e.value, e.key_location.line) for e in entries] == [("acks", "all", 1), ("retries", "1", 4)]
    assert problems == []


HUGE = "9" * 5000  # over Python's 4,300-digit limit on int-string conversion


def test_integers_over_4300_digits_are_invalid_values_in_every_format(tmp_path):
    files = {
        "p.properties": f"bootstrap.servers=b:9092\nlinger.ms={HUGE}\n",
        "y.yaml": f"bootstrap.servers: b:9092\nlinger.ms: {HUGE}\n",
        "j.json": f'{{"bootstrap.servers": "b:9092",\n "linger.ms": {HUGE}}}\n',
        "good.properties": GOOD_PRODUCER,
    }
    result = lint_files(tmp_path, files, select=["KL004", "KL101"])
    assert _names(result, "p.properties") == [("invalid-config-value", 2)]
    assert _names(result, "y.yaml") == [("invalid-config-value", 2)]
    assert _names(result, "j.json") == [("invalid-config-value", 2)]
    assert "does not fit a Java long" in [f for f in result.findings if f.location.path == "p.properties"][0].message
    assert _good_producer_still_linted(result)


def test_integer_over_4300_digits_in_librdkafka_config_saturates_like_strtol():
    from kafkalint.knowledge import catalogue, coerce
    from kafkalint.model import Dialect

    info = catalogue(Dialect.LIBRDKAFKA).info("batch.num.messages")
    assert info.type == "int"
    assert coerce(info, HUGE) == coerce(info, str(2**63))


def test_strimzi_listener_port_that_is_a_list_is_a_schema_violation_not_a_crash(tmp_path):
    kafka = (
        "apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata:\n  name: c\nspec:\n  kafka:\n"
        "    replicas: 3\n    listeners:\n      - name: plain\n        port: []\n        type: internal\n        tls: true\n"
    )
    result = lint_files(tmp_path, {"k.yaml": kafka, "good.properties": GOOD_PRODUCER})
    assert ("strimzi-schema-violation", 10) in _names(result, "k.yaml")
    assert not [f for f in result.findings if f.name in ("parse-error", "internal-error")]
    assert _good_producer_still_linted(result)
