"""Hostile YAML is refused quickly, with bounded memory, as a parse-error finding naming the
file, and the other files of the run are still linted."""

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
