"""What a repository holds cannot crash a report, forge a line, drive the terminal or break XML.

Lone surrogates (a `\\uD800` escape in .properties, `'\\ud800'` in Python, bytes that are not
UTF-8 on stdin or in a file name), control characters and newlines in file names and values
are shown as visible backslash escapes in every output format.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests.clirunner import run_cli

FORMATS = ["text", "json", "sarif", "github", "junit", "gitlab"]

SURROGATE_PROPERTIES = "bootstrap.servers=b:9092\nacks=\\uD800\n"
SURROGATE_PYTHON = 'from confluent_kafka import Producer\np = Producer({"bootstrap.servers": "b", "acks": "\\ud800"})\n'
ESCAPE_PROPERTIES = "bootstrap.servers=b:9092\ncompression.type=\x1b[2J\x1b]0;owned\x07\x01\x7f\x9b\n"


def _check(tmp_path: Path, output_format: str, *paths: str, stdin: bytes | None = None):
    args = ["check", "--format", output_format, *(paths or ["."])]
    return run_cli(tmp_path, *args, stdin=stdin)


def _parsed(output_format: str, stdout: str) -> None:
    """The report is well formed in its own format."""
    if output_format in ("json", "sarif", "gitlab"):
        json.loads(stdout)
    elif output_format == "junit":
        ElementTree.fromstring(stdout.encode("utf-8"))


@pytest.mark.parametrize("output_format", FORMATS)
def test_a_lone_surrogate_escape_in_properties_is_shown_as_a_backslash_escape(tmp_path, output_format):
    (tmp_path / "producer.properties").write_text(SURROGATE_PROPERTIES, encoding="utf-8")
    outcome = _check(tmp_path, output_format)
    assert outcome.exit_code == 1, outcome.stderr
    _parsed(output_format, outcome.stdout)
    shown = outcome.stdout if output_format not in ("json", "sarif", "gitlab") else json.dumps(json.loads(outcome.stdout))
    assert "acks=\\ud800 is not valid" in shown.replace("\\\\", "\\")
    assert "\ud800" not in outcome.stdout


@pytest.mark.parametrize("output_format", ["text", "github", "junit"])
def test_a_lone_surrogate_in_a_python_string_is_shown_as_a_backslash_escape(tmp_path, output_format):
    (tmp_path / "app.py").write_text(SURROGATE_PYTHON, encoding="utf-8")
    outcome = _check(tmp_path, output_format)
    assert outcome.exit_code == 1, outcome.stderr
    _parsed(output_format, outcome.stdout)
    assert "acks=\\ud800 is not valid for the librdkafka producer" in outcome.stdout


@pytest.mark.parametrize("output_format", FORMATS)
def test_bytes_that_are_not_utf8_on_stdin_are_read_as_a_file_of_that_format_would_be(tmp_path, output_format):
    # .properties: Latin-1, as java.util.Properties.load(InputStream) and a file on disk.
    stdin = b"bootstrap.servers=b:9092\nacks=\xff\x1b\n"
    outcome = _check(tmp_path, output_format, "-", "--stdin-filename", "producer.properties", stdin=stdin)
    assert outcome.exit_code == 1, outcome.stderr
    _parsed(output_format, outcome.stdout)
    if output_format in ("json", "sarif", "gitlab"):  # JSON escapes the control character itself
        assert any("acks=\u00ff\x1b is not valid" in text for text in _strings(json.loads(outcome.stdout)))
    else:
        assert "acks=\u00ff\\x1b is not valid" in outcome.stdout


@pytest.mark.parametrize("name", ["app.py", "app.yaml", "app.json"])
def test_bytes_that_are_not_utf8_on_stdin_are_a_parse_error_for_other_formats(tmp_path, name):
    stdin = b'from confluent_kafka import Producer\nkafka = 1\np = Producer({"acks": 0, "client.id": "\xff"})\n'
    outcome = _check(tmp_path, "text", "-", "--stdin-filename", name, stdin=stdin)
    assert outcome.exit_code == 1, outcome.stderr
    assert outcome.stdout.splitlines()[0] == f"{name}:1:1: KL001 [error] cannot read {name}: not valid UTF-8 text (byte 86)"


def _strings(document):
    if isinstance(document, str):
        yield document
    elif isinstance(document, dict):
        for value in document.values():
            yield from _strings(value)
    elif isinstance(document, list):
        for item in document:
            yield from _strings(item)


def _write_non_utf8_named_file(tmp_path: Path) -> None:
    name = os.path.join(os.fsencode(tmp_path), b"prod\xff\xfe.properties")
    with open(name, "wb") as handle:
        handle.write(b"bootstrap.servers=b:9092\nacks=0\n")


@pytest.mark.parametrize("output_format", FORMATS)
def test_a_file_name_that_is_not_utf8_is_shown_with_byte_escapes_in_every_format(tmp_path, output_format):
    _write_non_utf8_named_file(tmp_path)
    outcome = _check(tmp_path, output_format)
    assert outcome.exit_code == 1, outcome.stderr
    _parsed(output_format, outcome.stdout)
    if output_format == "sarif":
        uris = [result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for result in json.loads(outcome.stdout)["runs"][0]["results"]]
        assert "prod%FF%FE.properties" in uris  # the file's real bytes, as a URI carries them
    elif output_format in ("json", "gitlab"):
        assert '"prod\\\\xff\\\\xfe.properties"' in outcome.stdout
    else:
        assert "prod\\xff\\xfe.properties" in outcome.stdout


def test_a_file_name_that_is_not_utf8_has_a_baseline_fingerprint(tmp_path):
    _write_non_utf8_named_file(tmp_path)
    written = run_cli(tmp_path, "check", "--write-baseline", "baseline.json", ".")
    assert written.exit_code == 0, written.stderr
    again = run_cli(tmp_path, "check", "--baseline", "baseline.json", ".")
    assert again.exit_code == 0 and "No findings" in again.stdout


def test_a_newline_in_a_file_name_cannot_forge_a_finding_line(tmp_path):
    forged = "x.properties:1:1: KL401 [warning] forged\nreal"
    (tmp_path / f"{forged}.properties").write_text("bootstrap.servers=b:9092\nacks=0\n", encoding="utf-8")
    outcome = _check(tmp_path, "text")
    lines = outcome.stdout.splitlines()
    assert "x.properties:1:1: KL401 [warning] forged" not in lines
    assert not any(line.startswith("real.properties") for line in lines)
    assert any(line.startswith("x.properties:1:1: KL401 [warning] forged\\nreal.properties:2:1: KL101") for line in lines)


@pytest.mark.parametrize("output_format", ["text", "github", "junit"])
def test_escape_sequences_and_control_characters_in_values_never_reach_the_output_raw(tmp_path, output_format):
    (tmp_path / "producer.properties").write_text(ESCAPE_PROPERTIES, encoding="utf-8")
    outcome = _check(tmp_path, output_format)
    assert outcome.exit_code == 1, outcome.stderr
    _parsed(output_format, outcome.stdout)
    assert not any(char in outcome.stdout for char in "\x1b\x07\x01\x7f\x9b")
    assert "compression.type=\\x1b[2J\\x1b]0;owned\\x07\\x01\\x7f\\x9b is not valid" in outcome.stdout


def test_junit_report_of_control_characters_in_names_and_values_is_valid_xml(tmp_path):
    (tmp_path / "a\x1b\x02b.properties").write_text(ESCAPE_PROPERTIES, encoding="utf-8")
    outcome = _check(tmp_path, "junit")
    root = ElementTree.fromstring(outcome.stdout.encode("utf-8"))
    assert [suite.get("name") for suite in root.findall("testsuite")] == ["a\\x1b\\x02b.properties"]


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_explain_shows_surrogates_and_escape_sequences_as_backslash_escapes(tmp_path, output_format):
    (tmp_path / "producer.properties").write_text(SURROGATE_PROPERTIES + "compression.type=\x1b[2J\n", encoding="utf-8")
    outcome = run_cli(tmp_path, "explain", "--format", output_format, "producer.properties")
    assert outcome.exit_code == 0, outcome.stderr
    assert "\x1b" not in outcome.stdout and "\ud800" not in outcome.stdout
    if output_format == "json":
        values = {item["key"]: item["value"] for item in json.loads(outcome.stdout)["clients"][0]["keys"]}
        assert values["acks"] == "\\ud800"
    else:
        assert "\\ud800" in outcome.stdout and "\\x1b[2J" in outcome.stdout


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_inventory_shows_escape_sequences_and_bytes_in_names_as_backslash_escapes(tmp_path, output_format):
    (tmp_path / "consumer.properties").write_text(
        "bootstrap.servers=b:9092\ngroup.id=g\x1b[31m\\uD800\nauto.offset.reset=earliest\n", encoding="utf-8"
    )
    outcome = run_cli(tmp_path, "inventory", "--format", output_format, ".")
    assert outcome.exit_code == 0, outcome.stderr
    assert "\x1b" not in outcome.stdout and "\ud800" not in outcome.stdout
    if output_format == "json":
        assert json.loads(outcome.stdout)["clients"][0]["group_id"] == "g\x1b[31m\\ud800"
    else:
        assert "g\\x1b[31m\\ud800" in outcome.stdout


def test_a_usage_error_quoting_a_settings_file_value_escapes_control_characters(tmp_path):
    (tmp_path / ".kafkalint.toml").write_text('select = ["KL101", "\\u001b]0;owned\\u0007\\u001b[2J"]\n', encoding="utf-8")
    (tmp_path / "producer.properties").write_text("bootstrap.servers=b:9092\nacks=0\n", encoding="utf-8")
    outcome = run_cli(tmp_path, "check", ".")
    assert outcome.exit_code == 2
    assert "\x1b" not in outcome.stderr and "\\x1b]0;owned\\x07\\x1b[2J" in outcome.stderr
