"""The rule catalogue is valid against its schema, and user rule files are checked on load."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
import yaml

from kafkalint.catalogue import CatalogueError, load_catalogue
from tests.conftest import ROOT

RULE_FILES = sorted((ROOT / "rules").glob("*.yaml"))
SCHEMA = json.loads((ROOT / "rules" / "schema.json").read_text())
FAMILIES = {
    "KL0": "validity", "KL1": "producer", "KL2": "consumer", "KL3": "cluster and topic durability",
    "KL4": "security", "KL5": "Python code", "KL6": "cross-file", "KL7": "operations",
}


def test_schema_is_itself_valid():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", RULE_FILES, ids=[path.name for path in RULE_FILES])
def test_rule_file_matches_schema_and_its_file_name(path):
    data = yaml.safe_load(path.read_text())
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert path.name == f"{data['code']}-{data['name']}.yaml"
    assert data["code"][:3] in FAMILIES


def test_codes_and_names_are_unique():
    rules = load_catalogue().rules
    assert len({rule.code for rule in rules}) == len(rules)
    assert len({rule.name for rule in rules}) == len(rules)


def test_check_functions_exist():
    import importlib

    for rule in load_catalogue().rules:
        if rule.check:
            module, function = rule.check.split(":")
            assert callable(getattr(importlib.import_module(f"kafkalint.checks.{module}"), function)), rule.name


def test_a_broken_user_rule_file_is_exit_two_naming_the_file(tmp_path):
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "ACME001.yaml").write_text(
        "code: ACME001\nname: require-sasl-ssl\nseverity: fatal\napplies_to: {target: client}\n"
    )
    (tmp_path / "producer.properties").write_text("acks=all\n")
    completed = subprocess.run(
        [sys.executable, "-m", "kafkalint", "check", "--rules-dir", str(policies), "."],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode == 2
    assert "ACME001.yaml" in completed.stderr and "rule schema" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_a_user_rule_clashing_with_a_builtin_code_is_refused(tmp_path):
    rule = yaml.safe_load((ROOT / "rules" / "KL101-producer-acks-zero.yaml").read_text())
    (tmp_path / "KL101.yaml").write_text(yaml.safe_dump(rule))
    with pytest.raises(CatalogueError, match="clashes"):
        load_catalogue([str(tmp_path)])


def test_house_policy_rule_fires_through_the_declarative_condition(tmp_path):
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "ACME001-require-sasl-ssl.yaml").write_text(
        """\
code: ACME001
name: require-sasl-ssl
severity: error
applies_to: {target: client}
summary: Every client must connect with SASL_SSL.
message: "security.protocol=${security.protocol} (${security.protocol.source}): connect with SASL_SSL"
rationale: Our clusters only accept authenticated, encrypted connections.
fix: Set security.protocol=SASL_SSL.
report_at: security.protocol
condition:
  setting: {key: security.protocol, not_equals: SASL_SSL}
examples:
  bad: [{files: {p.properties: "security.protocol=PLAINTEXT\\n"}, expect: [{path: p.properties, line: 1}]}]
  good: [{files: {p.properties: "security.protocol=SASL_SSL\\n"}}]
"""
    )
    (tmp_path / "producer.properties").write_text("bootstrap.servers=b:9093\nsecurity.protocol=PLAINTEXT\n")
    (tmp_path / "consumer.properties").write_text("bootstrap.servers=b:9093\ngroup.id=g\n")
    (tmp_path / "ok-producer.properties").write_text("bootstrap.servers=b:9093\nsecurity.protocol=SASL_SSL\n")
    completed = subprocess.run(
        [sys.executable, "-m", "kafkalint", "check", "--rules-dir", "policies", "--select", "ACME001",
         "--format", "json", "."],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    findings = json.loads(completed.stdout)["findings"]
    assert [(f["path"], f["line"]) for f in findings] == [("consumer.properties", 1), ("producer.properties", 2)]
    assert "default" in findings[0]["message"] and "java" in findings[0]["message"]
    assert "line 2" in findings[1]["message"]


def test_parsed_catalogue_is_cached_and_a_changed_rule_file_invalidates_it(tmp_path, monkeypatch):
    import shutil

    from kafkalint import catalogue as module

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    monkeypatch.setattr(module, "builtin_rules_dir", lambda: rules)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("KAFKALINT_NO_CACHE", raising=False)
    first = module._builtin_rule_data()
    cached = list((tmp_path / "cache" / "kafkalint").glob("catalogue-*"))
    assert len(cached) == 1
    assert [data["code"] for _, data in first] == [data["code"] for _, data in module._builtin_rule_data()]
    path = rules / "KL101-producer-acks-zero.yaml"
    path.write_text(path.read_text().replace("severity: error", "severity: info"))
    changed = dict((p.name, data) for p, data in module._builtin_rule_data())
    assert changed["KL101-producer-acks-zero.yaml"]["severity"] == "info"
    assert len(list((tmp_path / "cache" / "kafkalint").glob("catalogue-*"))) == 2
