"""Catalogue-wide promises of issue 11: good examples (and so the 'Use instead' snippet rule docs
show, which is each rule's first good example) are silent under ALL rules, and messages are
short (median <= 100 characters, none over 240) over every finding on fixtures/ and the corpus.

A case where a rule stands down because another rule owns the cause by design (a v1beta2
resource, a topic of one replica) cannot be a good example: it lives in
tests/test_findings_owned_by_another_rule.py with its whole list of findings.
"""

from __future__ import annotations

import statistics

import pytest

from kafkalint.catalogue import load_catalogue
from kafkalint.ruledoc import rule_markdown
from tests.conftest import lint_files
from tests.snapshots.make import TREES

CATALOGUE = load_catalogue()


def _good_examples():
    for rule in CATALOGUE.rules:
        for index, example in enumerate(rule.examples.get("good", [])):
            yield pytest.param(rule, example, id=f"{rule.code}-good{index}")


@pytest.mark.parametrize(("rule", "example"), list(_good_examples()))
def test_a_good_example_is_silent_under_every_rule(rule, example, tmp_path):
    options = example.get("options", {})
    parameters = {rule.name: options["parameters"]} if "parameters" in options else None
    result = lint_files(tmp_path, example["files"], targets=options.get("targets"), parameters=parameters)
    assert [f"{f.code} {f.location.path}:{f.location.line} {f.message}" for f in result.findings] == []


@pytest.mark.parametrize("rule", [rule for rule in CATALOGUE.rules if rule.examples.get("good")], ids=lambda rule: rule.code)
def test_the_use_instead_snippet_is_silent_as_the_rule_docs_show_it(rule, tmp_path):
    # The docs show the first good example's files and not its options (targets, parameters):
    # a reader who pastes the snippet lints it with the defaults.
    snippet = rule.examples["good"][0]
    shown = rule_markdown(rule).split("Use instead:", 1)[1].split("# How to fix", 1)[0]
    assert all(content.rstrip("\n") in shown for content in snippet["files"].values())
    result = lint_files(tmp_path, snippet["files"])
    assert [f"{f.code} {f.location.path}:{f.location.line} {f.message}" for f in result.findings] == []


# --- message length ---------------------------------------------------------------------------

# Rules whose messages still exceed 240 characters (owned by concurrent work at the time).
LONG_MESSAGE_RULES: set[str] = set()


@pytest.fixture(scope="module")
def messages() -> list[tuple[str, str]]:
    from tests.precision.findings import corpus_findings

    found = []
    for name, tree in TREES.items():
        if tree.exists():
            found.extend((finding.code, finding.message) for finding in corpus_findings(tree))
    if not found:
        pytest.skip("no fixtures or corpus to measure")
    return found


def test_no_message_outside_the_listed_rules_exceeds_240_characters(messages):
    long = sorted({code for code, message in messages if len(message) > 240})
    assert set(long) <= LONG_MESSAGE_RULES, long


def test_no_message_exceeds_240_characters(messages):
    assert max(len(message) for _, message in messages) <= 240


def test_the_median_message_is_at_most_100_characters(messages):
    assert statistics.median(len(message) for _, message in messages) <= 100
