"""Every rule's catalogue examples are tests: bad ones fire exactly where stated, good ones stay silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from kafkalint.catalogue import load_catalogue
from tests.conftest import lint_files

CATALOGUE = load_catalogue()


def _cases(kind: str):
    for rule in CATALOGUE.rules:
        for index, example in enumerate(rule.examples.get(kind, [])):
            yield pytest.param(rule, example, id=f"{rule.code}-{rule.name}-{kind}{index}")


def _lint(rule, example, tmp_path: Path, monkeypatch):
    options = example.get("options", {})
    parameters = {rule.name: options["parameters"]} if "parameters" in options else None
    if "fail_rule" in options:
        _make_rule_fail(monkeypatch, options["fail_rule"])
    result = lint_files(tmp_path, example["files"], targets=options.get("targets"), parameters=parameters)
    return [finding for finding in result.findings if finding.code == rule.code]


def _make_rule_fail(monkeypatch, code: str) -> None:
    """Examples of internal-error need a rule that raises: the harness breaks the named
    (declarative) rule's evaluation, and the engine's own guard must report it."""
    import kafkalint.conditions as conditions

    original = conditions.declarative_hits

    def declarative_hits(rule, target):
        if rule.code == code:
            raise RuntimeError("made to fail by the example harness")
        return original(rule, target)

    monkeypatch.setattr(conditions, "declarative_hits", declarative_hits)


@pytest.mark.parametrize(("rule", "example"), list(_cases("bad")))
def test_bad_example_fires_at_the_stated_place(rule, example, tmp_path, monkeypatch):
    findings = _lint(rule, example, tmp_path, monkeypatch)
    expected = example.get("expect")
    assert expected, f"{rule.path.name}: a bad example must say where the rule fires (expect)"
    got = [(f.location.path, f.location.line) for f in findings]
    assert len(findings) == len(expected), f"{rule.name}: expected {expected}, got {got}: {[f.message for f in findings]}"
    for finding, want in zip(findings, sorted(expected, key=lambda item: (item["path"], item["line"], item.get("column", 0)))):
        assert finding.name == rule.name
        assert finding.location.path == want["path"]
        assert finding.location.line == want["line"], finding.message
        if "column" in want:
            assert finding.location.column == want["column"], finding.message
        if "severity" in want:
            assert finding.severity.value == want["severity"]
        for part in want.get("message_contains", []):
            assert part in finding.message, f"{part!r} not in {finding.message!r}"


@pytest.mark.parametrize(("rule", "example"), list(_cases("good")))
def test_good_example_stays_silent(rule, example, tmp_path, monkeypatch):
    findings = _lint(rule, example, tmp_path, monkeypatch)
    assert findings == [], [f"{f.location.path}:{f.location.line} {f.message}" for f in findings]


def test_every_rule_has_bad_and_good_examples():
    for rule in CATALOGUE.rules:
        assert rule.examples.get("bad") and rule.examples.get("good"), rule.name
