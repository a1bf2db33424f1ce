"""Inline suppressions in .properties (`#`, `!`), YAML and Python comments; unused ones reported."""

from __future__ import annotations

import json

from kafkalint.catalogue import load_catalogue
from kafkalint.engine import RunResult
from kafkalint.model import Finding, Location, Project, Severity, SourceFile
from kafkalint.settings import Settings
from kafkalint.suppressions import apply_suppressions, read_suppressions
from tests.clirunner import run_cli

CATALOGUE = load_catalogue()


def found(result) -> list[tuple[str, str, int]]:
    return [(f.location.path, f.code, f.location.line) for f in result.findings]


def test_properties_hash_and_bang_comments_suppress_the_next_line(lint):
    result = lint(
        {
            "a.properties": "bootstrap.servers=b:9092\n# kafkalint: disable=KL101\nacks=0\n",
            "b.properties": "bootstrap.servers=b:9092\n! kafkalint: disable=producer-acks-zero\nacks=0\n",
            "c.properties": "bootstrap.servers=b:9092\nacks=0\n",
        },
        select=["KL101", "KL090"],
    )
    assert found(result) == [("c.properties", "KL101", 2)]
    assert result.suppressed == 2


def test_properties_value_continued_onto_a_hash_line_is_not_a_comment(lint):
    text = "bootstrap.servers=b:9092,\\\n# kafkalint: disable=KL101\nacks=0\n"
    result = lint({"p.properties": text}, select=["KL101", "KL090"])
    assert found(result) == [("p.properties", "KL101", 3)]


def test_yaml_trailing_comment_and_comment_line(lint):
    result = lint(
        {
            "a.yaml": "bootstrap.servers: b:9092\nacks: 0  # kafkalint: disable=KL101\n",
            "b.yaml": "bootstrap.servers: b:9092\n# kafkalint: disable=producer-acks-zero\n# why: a metrics pipe\nacks: 0\n",
            "c.yaml": "bootstrap.servers: b:9092\nacks: 0\n",
        },
        select=["KL101", "KL090"],
    )
    assert found(result) == [("c.yaml", "KL101", 2)]


def test_yaml_marker_inside_quotes_or_a_block_scalar_is_text(lint):
    text = (
        "bootstrap.servers: b:9092\n"
        "client.id: \"orders # kafkalint: disable=KL101\"\n"
        "description: |\n"
        "  # kafkalint: disable=KL101\n"
        "acks: 0\n"
    )
    result = lint({"p.yaml": text}, select=["KL101", "KL090", "KL091"])
    assert found(result) == [("p.yaml", "KL101", 5)]


def test_trailing_comment_covers_only_its_own_line(lint):
    text = "bootstrap.servers: b:9092  # kafkalint: disable=KL101\nacks: 0\n"
    result = lint({"p.yaml": text}, select=["KL101", "KL090"])
    assert found(result) == [("p.yaml", "KL090", 1), ("p.yaml", "KL101", 2)]


def test_disable_file_in_properties_and_yaml(lint):
    result = lint(
        {
            "a.properties": "# kafkalint: disable-file=KL101,KL102\nbootstrap.servers=b:9092\nacks=0\n",
            "b.yaml": "bootstrap.servers: b:9092\nacks: 0\n# kafkalint: disable-file=producer-acks-zero\n",
        },
        select=["KL101", "KL102", "KL090"],
    )
    # KL102 did run and found nothing in a.properties: that part of the suppression is unused.
    assert [(f.location.path, f.code, f.location.line, f.location.column) for f in result.findings] == [
        ("a.properties", "KL090", 1, 33),
    ]
    assert "file-level suppression of KL102" in result.findings[0].message


def _python_result(text: str, findings: list[tuple[str, int]]) -> RunResult:
    project = Project(files=[SourceFile("app.py", "python", text)])
    made = [
        Finding(code, CATALOGUE.find(code).name, Severity.ERROR, "message", Location("app.py", line, 1))
        for code, line in findings
    ]
    return RunResult(made, project, [], list(CATALOGUE.rules))


def test_python_comments_are_read_with_the_tokenizer():
    text = (
        "from confluent_kafka import Producer\n"
        "p = Producer({'acks': 0})  # kafkalint: disable=KL101\n"
        "# kafkalint: disable=KL102\n"
        "q = Producer({'acks': 1})\n"
        "label = '# kafkalint: disable=KL101'\n"
        "r = Producer({'acks': 0})\n"
        "s = '''\n# kafkalint: disable=KL101\n'''\n"
        "t = Producer({'acks': 0})\n"
    )
    result = _python_result(text, [("KL101", 2), ("KL102", 4), ("KL101", 5), ("KL101", 6), ("KL101", 10)])
    apply_suppressions(result, Settings())
    assert found(result) == [("app.py", "KL101", 5), ("app.py", "KL101", 6), ("app.py", "KL101", 10)]
    assert result.suppressed == 2


def test_python_disable_file_and_unused_one():
    text = "# kafkalint: disable-file=KL401, KL101\nimport kafka\n"
    result = _python_result(text, [("KL401", 2)])
    apply_suppressions(result, Settings())
    assert [(f.code, f.location.line, f.location.column) for f in result.findings] == [("KL090", 1, 34)]
    assert "file-level suppression of KL101 (producer-acks-zero) suppresses nothing" in result.findings[0].message


def test_python_that_does_not_tokenize_still_honours_comment_lines():
    source = SourceFile("bad.py", "python", "def broken(:\n    # kafkalint: disable=KL101\n    x = 'unterminated\n")
    suppressions = read_suppressions(source).suppressions
    assert [(s.line, s.covers, [name for name, _, _ in s.names]) for s in suppressions] == [(2, (2, 3), ["KL101"])]


def test_unused_suppression_is_not_reported_for_a_rule_that_did_not_run(lint):
    text = "bootstrap.servers=b:9092\n# kafkalint: disable=KL102\nacks=all\n"
    assert found(lint({"p.properties": text}, select=["KL101", "KL090"])) == []
    assert found(lint({"p.properties": text}, select=["KL102", "KL090"])) == [("p.properties", "KL090", 2)]


def test_unused_suppression_can_itself_be_kept_on_purpose(lint):
    text = "bootstrap.servers=b:9092\n# kafkalint: disable=KL102,unused-suppression\nacks=all\n"
    assert found(lint({"p.properties": text}, select=["KL102", "KL090"])) == []


def test_unknown_rule_in_a_suppression_is_reported_with_a_suggestion(lint):
    text = "bootstrap.servers=b:9092\nacks=0\n# kafkalint: disable-file=KL1O1\n"
    result = lint({"p.properties": text}, select=["KL101", "KL090"])
    assert found(result) == [("p.properties", "KL101", 2), ("p.properties", "KL090", 3)]
    assert "suppression of 'KL1O1' suppresses nothing: no kafkalint rule has that name (did you mean KL101?)" in result.findings[1].message


def test_malformed_suppression_is_reported(lint):
    text = "bootstrap.servers=b:9092\n# kafkalint: disable KL101\nacks=0\n"
    result = lint({"p.properties": text}, select=["KL101", "KL091"])
    assert found(result) == [("p.properties", "KL091", 2), ("p.properties", "KL101", 3)]


def test_per_file_ignores_apply_to_suppression_findings_too(lint):
    settings = Settings(per_file_ignores={"legacy/*": ["KL09"]})
    text = "bootstrap.servers=b:9092\n# kafkalint: disable=KL101\nacks=all\n"
    result = lint({"legacy/p.properties": text, "p.properties": text}, select=["KL101", "KL090"], settings=settings)
    assert found(result) == [("p.properties", "KL090", 2)]


def test_stdin_content_honours_its_suppressions(tmp_path):
    text = "bootstrap.servers: b:9092\nacks: 0  # kafkalint: disable=KL101\n"
    outcome = run_cli(tmp_path, "check", "--format", "json", "--select", "KL101,KL090", "--stdin-filename", "conf/producer.yaml", "-", stdin=text)
    assert outcome.exit_code == 0, outcome.stdout
    assert json.loads(outcome.stdout)["findings"] == []


def test_python_suppressions_end_to_end(lint):
    code = (
        "from confluent_kafka import Producer\n"
        "\n"
        "quiet = Producer({'bootstrap.servers': 'b:9092', 'acks': 0})  # kafkalint: disable=KL101\n"
        "# kafkalint: disable=producer-acks-zero\n"
        "above = Producer({'bootstrap.servers': 'b:9092', 'acks': 0})\n"
        "label = '# kafkalint: disable=KL101'\n"
        "loud = Producer({'bootstrap.servers': 'b:9092', 'acks': 0})\n"
    )
    result = lint({"app.py": code}, select=["KL101", "KL090"])
    assert found(result) == [("app.py", "KL101", 7)]
    assert result.suppressed == 2


def test_yaml_comment_scanner_knows_quotes_escapes_and_block_scalars():
    from kafkalint.suppressions import yaml_comments

    text = (
        "a: 'it''s # not a comment'  # one\n"
        'b: "say \\" # still text"  # two\n'
        "c: http://host/path#fragment\n"
        "d: |\n"
        "  # part of the text\n"
        "e: 1 # three\n"
        "# four\n"
    )
    assert [(c.line, c.text.strip(), c.trailing) for c in yaml_comments(text)] == [
        (1, "one", True), (2, "two", True), (6, "three", True), (7, "four", False),
    ]


def test_a_cross_file_rule_suppression_is_not_judged_when_only_some_files_are_linted(tmp_path, monkeypatch):
    from pathlib import Path

    from kafkalint.engine import run
    from kafkalint.settings import Settings

    (tmp_path / "p.properties").write_text("bootstrap.servers=b:9092\n# kafkalint: disable=plaintext-secret\nacks=all\n")
    settings = Settings(select=["KL401", "KL090"])
    monkeypatch.chdir(tmp_path)
    assert found(run([Path(".")], settings)) == [("p.properties", "KL090", 2)]
    assert found(run([Path("p.properties")], settings)) == []


def test_prose_mentioning_kafkalint_is_not_an_invalid_suppression(lint):
    text = "# checked by kafkalint: see docs/ci.md\nbootstrap.servers=b:9092\nacks=all  \n"
    yaml_text = "bootstrap.servers: b:9092  # kafkalint: disable-all\n"
    result = lint({"p.properties": text, "c.yaml": yaml_text}, select=["KL090", "KL091"])
    assert found(result) == [("c.yaml", "KL091", 1)]
