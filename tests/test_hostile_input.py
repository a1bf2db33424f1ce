"""Hostile input is refused quickly, with bounded memory, as a finding naming the file (a
parse-error, or an internal-error naming the rule that failed), and the other files of the
run are still linted."""

from __future__ import annotations

import time
import tracemalloc

import pytest

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
    assert time.perf_counter() - started < 5.0  # ~0.2 s; the bound leaves room for a busy machine
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
    assert elapsed < 5.0, elapsed  # ~0.5 s; parsing all 200,000 documents takes far longer
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


def test_a_failing_rule_over_the_whole_project_is_reported_when_linting_one_file_of_it(tmp_path, monkeypatch):
    """A rule over the whole project fails at the project's first file: linting another file
    in its project's context (pre-commit, an editor) still says so, since the failure may hide
    findings on that file."""
    from pathlib import Path

    import kafkalint.checks.crossfile as crossfile
    from kafkalint.engine import run

    def consumer_group_config_drift(project, context):
        raise TypeError("rule bug")
        yield  # a generator, as the check is

    monkeypatch.setattr(crossfile, "consumer_group_config_drift", consumer_group_config_drift)
    from kafkalint.checks import registry

    monkeypatch.setitem(registry._REGISTRY, "KL606", consumer_group_config_drift)
    write_files(tmp_path, {"a.properties": GOOD_PRODUCER, "z.properties": "group.id=billing\nenable.auto.commit=false\n"})
    monkeypatch.chdir(tmp_path)
    from kafkalint.settings import Settings

    result = run([Path("z.properties")], Settings(select=["KL606"]), options={"project_context": True})
    assert [(f.name, f.location.path) for f in result.findings] == [("internal-error", "a.properties")]
    assert "rule KL606 (consumer-group-config-drift)" in result.findings[0].message


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
    assert "good.properties:1:1: KL099 " in outcome.stdout and "rule KL101 (producer-acks-zero)" in outcome.stdout


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
def test_integer_over_4300_digits_in_python_is_a_parse_error_as_cpython_says(tmp_path):
    text = f"from confluent_kafka import Producer\np = Producer({{'bootstrap.servers': 'b', 'linger.ms': {HUGE}}})\n"
    result = lint_files(tmp_path, {"app.py": text, "good.properties": GOOD_PRODUCER})
    found = [f for f in result.findings if f.location.path == "app.py"]
    assert [(f.name, f.location.line) for f in found] == [("parse-error", 2)]
    assert "invalid Python syntax" in found[0].message and "4300 digits" in found[0].message
    assert _good_producer_still_linted(result)



# --- the Python parser behind a wall ---------------------------------------------------------

KAFKA_IMPORT = "from confluent_kafka import Producer\n"
KAFKA_FILE = KAFKA_IMPORT + "p = Producer({'bootstrap.servers': 'b:9092', 'acks': 0})\n"


def _python_parse_errors(result, path):
    return [f for f in result.findings if f.location.path == path and f.name == "parse-error"]


def _other_kafka_files_linted(result, count):
    return sum(1 for f in result.findings if f.name == "producer-acks-zero" and f.location.path.startswith("ok_")) == count


def test_python_identifier_with_a_recent_unicode_character_is_a_parse_error(tmp_path):
    # U+1C89 (Unicode 16) is unknown to this CPython or refused by libcst's own identifier check
    text = KAFKA_IMPORT + "\u1c89x = 1\np = Producer({'acks': 0})\n"
    result = lint_files(tmp_path, {"app.py": text, "good.properties": GOOD_PRODUCER})
    found = _python_parse_errors(result, "app.py")
    assert len(found) == 1 and "cannot read app.py" in found[0].message
    assert not [f for f in result.findings if f.name == "internal-error"]
    assert _good_producer_still_linted(result)


def test_4kb_of_nested_parentheses_is_a_parse_error_not_a_segfault(tmp_path):
    files = {"deep.py": KAFKA_IMPORT + "x = " + "(" * 2000 + ")" * 2000 + "\n", "good.properties": GOOD_PRODUCER}
    started = time.perf_counter()
    result = lint_files(tmp_path, files)
    assert time.perf_counter() - started < 10
    found = _python_parse_errors(result, "deep.py")
    assert [(f.location.line) for f in found] == [2]
    assert "too many nested parentheses" in found[0].message
    assert _good_producer_still_linted(result)


def test_nested_brackets_among_nine_kafka_files_in_the_pool_end_the_run(tmp_path):
    files = {f"ok_{index}.py": KAFKA_FILE for index in range(9)}
    files["deep.py"] = KAFKA_IMPORT + "x = " + "[" * 2000 + "]" * 2000 + "\n"
    write_files(tmp_path, files)
    from tests.clirunner import run_cli

    outcome = run_cli(tmp_path, "check", ".", "--format", "json", env={"KAFKALINT_JOBS": "2"})
    assert outcome.exit_code == 1, outcome.stderr
    import json

    findings = json.loads(outcome.stdout)["findings"]
    assert [f["name"] for f in findings if f["path"] == "deep.py"] == ["parse-error"]
    assert sum(1 for f in findings if f["name"] == "producer-acks-zero") == 9


def test_a_long_operator_chain_and_nested_lambdas_are_refused_quickly(tmp_path):
    files = {
        "chain.py": KAFKA_IMPORT + "x = " + "+".join(["1"] * 8000) + "\n",
        "chain1000.py": KAFKA_IMPORT + "x = " + "+".join(["1"] * 1000) + "\n",
        "attributes.py": KAFKA_IMPORT + "x = a" + ".b" * 3000 + "\n",
        "lambdas.py": KAFKA_IMPORT + "x = " + "lambda:" * 4600 + "1\n",  # 32 KB
        "good.properties": GOOD_PRODUCER,
    }
    started = time.perf_counter()
    result = lint_files(tmp_path, files)
    assert time.perf_counter() - started < 15
    for name in ("chain.py", "chain1000.py", "attributes.py", "lambdas.py"):
        found = _python_parse_errors(result, name)
        assert len(found) == 1, (name, [f.message for f in result.findings])
        assert "nested" in found[0].message, found[0].message
    assert "nested more than 200 levels deep (line 2)" in _python_parse_errors(result, "chain1000.py")[0].message
    assert _good_producer_still_linted(result)


def _wall_only():
    from kafkalint.sources.python.workers import walled_parsing_available

    if not walled_parsing_available():
        pytest.skip("worker processes need fork")


def _misbehave_on(monkeypatch, name, action):
    import kafkalint.sources.python as python_source

    original = python_source.read_python

    def read_python(text, display, project):
        if display == name:
            action()
        return original(text, display, project)

    monkeypatch.setattr(python_source, "read_python", read_python)


def _kafka_tree(extra: int = 3) -> dict[str, str]:
    files = {f"ok_{index}.py": KAFKA_FILE for index in range(extra)}
    files["victim.py"] = KAFKA_FILE
    return files


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_parser_worker_that_dies_is_a_parse_error_for_its_file_never_a_hang(tmp_path, monkeypatch, jobs):
    _wall_only()
    import os
    import signal

    monkeypatch.setenv("KAFKALINT_JOBS", jobs)
    _misbehave_on(monkeypatch, "victim.py", lambda: os.kill(os.getpid(), signal.SIGSEGV))
    files = _kafka_tree(9)
    started = time.perf_counter()
    result = lint_files(tmp_path, files)
    assert time.perf_counter() - started < 120  # seconds on a busy machine; the old pool never ended
    found = _python_parse_errors(result, "victim.py")
    assert [f.location.line for f in found] == [1]
    assert "the Python parser crashed on this file (SIGSEGV" in found[0].message
    assert _other_kafka_files_linted(result, 9)


def test_a_parse_over_its_cpu_budget_is_stopped_and_reported(tmp_path, monkeypatch):
    _wall_only()
    from kafkalint.sources.python import workers

    monkeypatch.setattr(workers, "BUDGET", workers.ParseBudget(cpu_seconds=1, wall_seconds=60))

    def spin():
        while True:
            pass

    _misbehave_on(monkeypatch, "victim.py", spin)
    result = lint_files(tmp_path, _kafka_tree())
    found = _python_parse_errors(result, "victim.py")
    assert len(found) == 1 and "more than its CPU time budget" in found[0].message
    assert _other_kafka_files_linted(result, 3)


def test_a_parse_over_its_memory_budget_is_stopped_and_reported(tmp_path, monkeypatch):
    _wall_only()
    from kafkalint.sources.python import workers

    monkeypatch.setattr(workers, "BUDGET", workers.ParseBudget(memory_bytes=256 * 1024 * 1024))

    def hog():
        blocks = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GB
        assert blocks

    _misbehave_on(monkeypatch, "victim.py", hog)
    result = lint_files(tmp_path, _kafka_tree())
    found = _python_parse_errors(result, "victim.py")
    assert len(found) == 1 and "memory budget" in found[0].message
    assert _other_kafka_files_linted(result, 3)


def test_a_parse_that_waits_past_the_wall_clock_allowance_is_killed(tmp_path, monkeypatch):
    _wall_only()
    from kafkalint.sources.python import workers

    monkeypatch.setattr(workers, "BUDGET", workers.ParseBudget(wall_seconds=2))
    _misbehave_on(monkeypatch, "victim.py", lambda: time.sleep(600))
    started = time.perf_counter()
    result = lint_files(tmp_path, _kafka_tree())
    assert time.perf_counter() - started < 20
    found = _python_parse_errors(result, "victim.py")
    assert len(found) == 1 and "longer than 2 s" in found[0].message
    assert _other_kafka_files_linted(result, 3)


def _many_statements_module(count: int) -> str:
    lines = ["# header comment", "from confluent_kafka import Producer", ""]
    for index in range(count):
        lines.append(f"# producer {index}")
        lines.append(f"p{index} = Producer({{'bootstrap.servers': 'b:9092', 'acks': 0, 'linger.ms': {index}}})")
        if index % 7 == 0:
            lines.append(f"def helper_{index}(value):\n    return value + {index}\n")
    return "\n".join(lines) + "\n"


def test_positions_in_a_file_of_many_statements_match_libcsts_position_provider(monkeypatch):
    from libcst.metadata import MetadataWrapper, PositionProvider

    from kafkalint.model import Project
    from kafkalint.sources.python import positions, read_python

    original = positions.PositionIndex.location
    compared = []
    truths = {}

    def checked(self, node, where):
        location = original(self, node, where)
        if id(self.module) not in truths:
            truths[id(self.module)] = MetadataWrapper(self.module, unsafe_skip_copy=True).resolve(PositionProvider)
        truth = truths[id(self.module)][node]
        expected = (truth.start.line, truth.start.column + 1, truth.end.line, truth.end.column + 1)
        compared.append(((location.line, location.column, location.end_line, location.end_column), expected))
        return location

    monkeypatch.setattr(positions.PositionIndex, "location", checked)
    count = positions.PositionIndex.MANY_STATEMENTS * 2
    read_python(_many_statements_module(count), "app.py", Project())
    assert len(compared) >= count
    assert [pair for pair in compared if pair[0] != pair[1]] == []


class _CountingText(str):
    """Source text that adds up how many characters the position code scans in it."""

    scanned = 0

    def find(self, sub, start=0, end=None):
        stop = len(self) if end is None else end
        found = str.find(self, sub, start, stop)
        _CountingText.scanned += (found if found >= 0 else stop) - start
        return found

    def rfind(self, sub, start=0, end=None):
        stop = len(self) if end is None else end
        found = str.rfind(self, sub, start, stop)
        _CountingText.scanned += stop - (found if found >= 0 else start)
        return found

    def count(self, sub, start=0, end=None):
        stop = len(self) if end is None else end
        _CountingText.scanned += stop - start
        return str.count(self, sub, start, stop)


def test_positions_of_many_findings_scan_the_file_a_bounded_number_of_times():
    # Before: every location counted newlines from the start of the file and searched the whole
    # file for its statement's text: the work grew with the square of the file (a 51k-line
    # file took 93 s).
    import libcst

    from kafkalint.sources.python.positions import PositionIndex

    text = _many_statements_module(2400)
    module = libcst.parse_module(text)
    index = PositionIndex(module, _CountingText(text), "app.py")
    _CountingText.scanned = 0
    statements = [statement for statement in module.body if isinstance(statement, libcst.SimpleStatementLine)]
    for statement in statements:
        index.location(statement.body[0], statement)
    assert len(statements) > 2400
    assert _CountingText.scanned < 4 * len(text), _CountingText.scanned / len(text)


# --- settings: wrong types, huge numbers, NaN, alias bombs -------------------------------------


def _settings_outcome(tmp_path, name, content):
    from tests.clirunner import run_cli

    write_files(tmp_path, {name: content, "good.properties": GOOD_PRODUCER})
    return run_cli(tmp_path, "check", ".")


@pytest.mark.parametrize(
    ("name", "content", "sentence"),
    [
        (".kafkalint.toml", '[parameters.KL202]\nceiling = "2000"\n',
         "option 'parameters.KL202.ceiling' must be a whole number, not the string '2000' (write it without quotes: 2000)"),
        (".kafkalint.toml", "[parameters.consumer-max-poll-records-oversized]\nceiling = 2000.5\n",
         "option 'parameters.consumer-max-poll-records-oversized.ceiling' must be a whole number, not the number 2000.5"),
        (".kafkalint.toml", "[parameters.KL202]\nceiling = nan\n",
         "option 'parameters.KL202.ceiling' must be a whole number, not NaN"),
        (".kafkalint.yaml", "parameters:\n  KL202:\n    ceiling: .inf\n",
         "option 'parameters.KL202.ceiling' must be a whole number, not the number inf"),
        (".kafkalint.yaml", "parameters:\n  KL202:\n    ceiling: [1]\n",
         "option 'parameters.KL202.ceiling' must be a whole number, not a list"),
        (".kafkalint.toml", f"[parameters.KL202]\nceiling = {HUGE}\n", "a number of more than 4300 digits"),
        (".kafkalint.yaml", f"parameters:\n  KL202:\n    ceiling: {HUGE}\n", "a number over 4300 digits"),
    ],
)
def test_a_settings_value_of_the_wrong_kind_is_exit_2_with_one_sentence(tmp_path, name, content, sentence):
    outcome = _settings_outcome(tmp_path, name, content)
    assert outcome.exit_code == 2
    assert sentence in outcome.stderr, outcome.stderr
    assert outcome.stderr.count("\n") == 1 and "Traceback" not in outcome.stderr


def test_a_rule_parameter_of_the_right_type_is_accepted(tmp_path):
    outcome = _settings_outcome(tmp_path, ".kafkalint.toml", "[parameters.KL202]\nceiling = 2000\n")
    assert outcome.exit_code == 1, outcome.stderr


def test_alias_bomb_in_kafkalint_yaml_is_refused_within_a_second(tmp_path):
    levels = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    levels += [f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]" for level in range(1, 9)]
    bomb = "\n".join(levels) + "\nexclude: *a8\n"
    assert len(bomb) < 700
    started = time.perf_counter()
    outcome = _settings_outcome(tmp_path, ".kafkalint.yaml", bomb)
    assert time.perf_counter() - started < 2.0
    assert outcome.exit_code == 2
    assert ".kafkalint.yaml: not valid YAML at line" in outcome.stderr and "alias bomb" in outcome.stderr


def test_alias_bomb_in_a_user_rule_file_is_refused(tmp_path):
    from kafkalint.catalogue import CatalogueError, load_catalogue

    rules = tmp_path / "house"
    rules.mkdir()
    levels = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    levels += [f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]" for level in range(1, 9)]
    (rules / "KL900-bomb.yaml").write_text("\n".join(levels) + "\n", encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(CatalogueError, match="alias bomb"):
        load_catalogue((str(rules),))
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize("content", [f'{{"kafkalint_baseline": {HUGE}, "findings": []}}', "[" * 100_000 + "]" * 100_000])
def test_a_baseline_with_a_huge_number_or_deep_nesting_is_exit_2_with_one_sentence(tmp_path, content):
    from tests.clirunner import run_cli

    write_files(tmp_path, {"baseline.json": content, "good.properties": GOOD_PRODUCER})
    outcome = run_cli(tmp_path, "check", ".", "--baseline", "baseline.json")
    assert outcome.exit_code == 2
    assert "baseline.json: not a kafkalint baseline" in outcome.stderr and "Traceback" not in outcome.stderr


# --- keys per file and suggestion work -------------------------------------------------------


def test_40000_unknown_keys_in_one_properties_file_are_capped_and_quick(tmp_path):
    from kafkalint.sources.properties import MAX_ENTRIES

    # acks (a producer-only key) makes this file a client config, queue.buffering.max.ms a
    # librdkafka one: librdkafka refuses every unknown key (a Java client would take keys like
    # these, close to no Kafka key, for the application's own and ignore them)
    text = "bootstrap.servers=b:9092\nacks=all\nqueue.buffering.max.ms=5\n" + "".join(f"unknown.key.number{index}=1\n" for index in range(40_000))
    started = time.perf_counter()
    result = lint_files(tmp_path, {"big.properties": text, "good.properties": GOOD_PRODUCER})
    # ~3 s on an idle machine; uncapped and unfiltered, 40,000 suggestions cost minutes
    assert time.perf_counter() - started < 60
    capped = [f for f in result.findings if f.location.path == "big.properties" and f.name == "parse-error"]
    assert [f.location.line for f in capped] == [MAX_ENTRIES + 1]
    assert f"more than {MAX_ENTRIES} entries; the rest of the file is not read" in capped[0].message
    unknown = [f for f in result.findings if f.location.path == "big.properties" and f.name == "unknown-config-key"]
    assert len(unknown) == MAX_ENTRIES - 3
    assert _good_producer_still_linted(result)


def test_80000_duplicate_lines_cost_bounded_memory(tmp_path):
    from kafkalint.sources.properties import MAX_ENTRIES

    text = "bootstrap.servers=b:9092\n" + "acks=all\n" * 80_000
    write_files(tmp_path, {"dup.properties": text})
    tracemalloc.start()
    result = lint_files(tmp_path, {})
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 120 * 1024 * 1024, f"{peak // (1024 * 1024)} MB"
    duplicates = [f for f in result.findings if f.name == "duplicate-config-key"]
    assert len(duplicates) == MAX_ENTRIES - 2


def test_suggestions_for_many_distinct_unknown_keys_are_fast_and_unchanged():
    from kafkalint.knowledge.suggestions import suggest
    from kafkalint.model import Dialect, Role

    assert suggest(Dialect.JAVA, "lingr.ms", Role.PRODUCER, "3.7") == ["linger.ms"]
    assert suggest(Dialect.JAVA, "batch_size", Role.PRODUCER, "3.7") == ["batch.size"]
    assert suggest(Dialect.LIBRDKAFKA, "enable.idempotance", None, "2.3") == ["enable.idempotence"]
    started = time.perf_counter()
    for index in range(2000):
        suggest(Dialect.JAVA, f"unknown.key.number{index}", Role.PRODUCER, "3.7")
    # was ~9 ms a key (every known spelling measured); now only spellings of about the same
    # length and letters are
    assert time.perf_counter() - started < 6


# --- NaN and infinities for numeric settings --------------------------------------------------


def _numeric_keys(dialect):
    from kafkalint.knowledge import catalogue

    cat = catalogue(dialect)
    return sorted(name for name in cat.names() if (cat.info(name) and cat.info(name).type in ("int", "long", "short", "double")))


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "nan", "1e400", "9" * 30, "0x" + "f" * 40])
def test_nan_and_infinite_values_for_every_numeric_setting_never_break_a_rule(tmp_path, value):
    from kafkalint.model import Dialect

    java = "".join(f"{key}={value}\n" for key in _numeric_keys(Dialect.JAVA))
    librdkafka = "".join(f"{key}={value}\n" for key in _numeric_keys(Dialect.LIBRDKAFKA))
    yaml_value = {"NaN": ".nan", "Infinity": ".inf", "-Infinity": "-.inf"}.get(value, value)
    files = {
        "producer.properties": "bootstrap.servers=b:9092\nacks=all\n" + java,
        "consumer.properties": "bootstrap.servers=b:9092\ngroup.id=g\n" + java,
        "server.properties": f"broker.id=1\nlog.dirs=/x\nmin.insync.replicas={value}\ndefault.replication.factor={value}\n",
        "topic.yaml": GOOD_TOPIC.replace("replicas: 1", f"replicas: {yaml_value}\n  partitions: {yaml_value}\n"
                                         f"  config:\n    min.insync.replicas: {yaml_value}"),
        "app.py": "from confluent_kafka import Producer\nimport os\n"
                  "p = Producer({" + ", ".join(f"'{key}': '{value}'" for key in _numeric_keys(Dialect.LIBRDKAFKA)[:60]) + "})\n",
        "kp.py": "from kafka import KafkaProducer, KafkaConsumer\n"
                 "p = KafkaProducer(linger_ms=1e400, batch_size=-1e400, request_timeout_ms=1e400, retries=1e400)\n"
                 "c = KafkaConsumer(group_id='g', max_poll_records=1e400, session_timeout_ms=1e400)\n",
        "rdkafka.properties": "# librdkafka\nbootstrap.servers=b:9092\n" + librdkafka,
    }
    result = lint_files(tmp_path, files)
    broken = [(f.location.path, f.message) for f in result.findings
              if f.name == "internal-error" or "reader failed" in f.message]
    assert broken == []
    assert any(f.name == "invalid-config-value" for f in result.findings if f.location.path == "producer.properties")


def test_a_control_character_in_kafkalint_yaml_is_one_sentence(tmp_path):
    # found by tests/test_fuzz_formats.py: PyYAML's reader error spans two lines
    outcome = _settings_outcome(tmp_path, ".kafkalint.yaml", "\x1fselect: [KL101]\n")
    assert outcome.exit_code == 2
    assert outcome.stderr.startswith("kafkalint: .kafkalint.yaml: not valid YAML at line 1 (unacceptable character #x001f")
    assert outcome.stderr.count("\n") == 1


def test_a_control_character_in_a_yaml_file_is_a_one_line_parse_error(tmp_path):
    result = lint_files(tmp_path, {"kafka.yaml": "bootstrap.servers: b:9092\nacks: \x1f0\n", "good.properties": GOOD_PRODUCER})
    found = [f for f in result.findings if f.location.path == "kafka.yaml"]
    assert [f.name for f in found] == ["parse-error"]
    assert "\n" not in found[0].message and "unacceptable character #x001f" in found[0].message
    assert _good_producer_still_linted(result)


@pytest.mark.parametrize(
    ("content", "sentence"),
    [
        ("0: 1\nselect: [KL101]\n", "unknown option '0'"),  # a number as an option name
        ('"\\n": 0\n', "unknown option '\\n'"),  # a newline in an option name stays one line
        ('"a\\x1b[31m": 1\n', "unknown option 'a\\x1b[31m'"),  # so does an escape sequence
    ],
)
def test_odd_option_names_in_kafkalint_yaml_are_one_visible_sentence(tmp_path, content, sentence):
    # found by the long fuzz profile (KAFKALINT_FUZZ=long): a TypeError, then two-line errors
    outcome = _settings_outcome(tmp_path, ".kafkalint.yaml", content)
    assert outcome.exit_code == 2
    assert outcome.stderr.startswith(f"kafkalint: .kafkalint.yaml: {sentence}; valid names: "), outcome.stderr
    assert outcome.stderr.count("\n") == 1 and "\x1b" not in outcome.stderr
