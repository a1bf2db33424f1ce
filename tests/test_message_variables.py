"""Message templates and check variables stay in step (issue 10, point 2).

For every rule file that declares `variables:`, its message uses only declared variables (or
its parameters), and every hit its check yields on the rule's bad examples carries exactly the
declared variables: a renamed variable fails here instead of showing users a literal `${name}`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from kafkalint.catalogue import load_catalogue
from kafkalint.engine import rule_hits
from tests.conftest import ROOT, lint_files

PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")
CATALOGUE = load_catalogue()
DECLARED = {
    rule.code: yaml.safe_load(rule.path.read_text())["variables"]
    for rule in CATALOGUE.rules
    if "variables" in yaml.safe_load(rule.path.read_text())
}
RULES = [rule for rule in CATALOGUE.rules if rule.code in DECLARED]
SHARED = {"profile"}  # added by the engine to findings on a framework profile's client


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_message_uses_only_declared_variables(rule):
    used = set(PLACEHOLDER.findall(rule.message))
    assert used <= set(DECLARED[rule.code]) | set(rule.parameters), used - set(DECLARED[rule.code])
    assert "detail" not in used


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_hits_on_bad_examples_carry_exactly_the_declared_variables(rule, tmp_path: Path):
    if rule.target == "problem":
        pytest.skip("problem rules report what a source found")
    declared = set(DECLARED[rule.code])
    seen = 0
    for index, example in enumerate(rule.examples["bad"]):
        options = example.get("options", {})
        parameters = rule.parameter_defaults()
        parameters.update(options.get("parameters", {}))
        result = lint_files(tmp_path / str(index), example["files"], targets=options.get("targets"), select=[rule.code])
        for hit in rule_hits(rule, result.project, parameters):
            assert set(hit.variables) - SHARED == declared, f"{rule.code} at {hit.location}"
            assert hit.message is None, f"{rule.code} overrides its message template"
            seen += 1
    assert seen, f"{rule.code}: no hit on its bad examples"


def test_converted_rule_files_list_what_they_read():
    for rule in RULES:
        data = yaml.safe_load(rule.path.read_text())
        assert isinstance(data.get("reads"), list), rule.path.name
        assert "check" not in data, f"{rule.path.name}: checks are registered by code now"


def test_rules_without_condition_have_a_registered_check_or_a_template():
    from kafkalint.checks import registry
    from kafkalint.checks.templates import template_check

    for rule in CATALOGUE.rules:
        if rule.target == "problem" or rule.condition is not None or rule.check is not None:
            continue
        if rule.template is not None:
            assert callable(template_check(rule.template)), rule.code
        else:
            assert registry.check_for(rule.code) is not None, f"{rule.code}: no check registered"


def test_no_rule_file_of_the_cluster_strimzi_connect_and_crossfile_families_says_detail():
    owned = [path for path in (ROOT / "rules").glob("KL*.yaml") if path.name[:5] in OWNED_PREFIXES]
    assert owned
    for path in owned:
        data = yaml.safe_load(path.read_text())
        if data["applies_to"]["target"] == "problem":
            continue
        assert "${detail}" not in data["message"], path.name
        assert len(data["message"]) <= 240, path.name


OWNED_PREFIXES = (
    "KL301", "KL302", "KL303", "KL304", "KL305", "KL306", "KL307", "KL308", "KL309", "KL310", "KL311",
    "KL402", "KL403", "KL404", "KL405",
    "KL601", "KL602", "KL603", "KL604", "KL605", "KL606",
    "KL702", "KL703", "KL704", "KL705", "KL706", "KL707", "KL708", "KL709", "KL710", "KL752",
)


def test_a_huge_value_is_cut_in_the_message_and_says_how_long_it_was(tmp_path: Path):
    """A 5,000-digit number is a mistake worth one short sentence, not a 10 KB message."""
    result = lint_files(tmp_path, {"producer.properties": f"bootstrap.servers=b:9092\nlinger.ms={'9' * 5000}\n"})
    [finding] = [finding for finding in result.findings if finding.code == "KL004"]
    assert (finding.location.line, finding.location.column) == (2, 11)
    assert "linger.ms=" + "9" * 60 + "... (5,000 characters)" in finding.message
    assert len(finding.message) < 400 and "9" * 61 not in finding.message


def test_a_long_file_path_in_a_message_is_kept_whole():
    from kafkalint.checks import render

    path = "spring-kafka-test/src/main/java/org/springframework/kafka/test/EmbeddedKafkaKraftBroker.java"
    assert render("cannot read ${path}: ${problem}", {"path": path, "problem": "x" * 300}) == (
        f"cannot read {path}: {'x' * 60}... (300 characters)")
