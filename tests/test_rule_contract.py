"""The check contract of issue 10: a rule's message template, its declared variables, its
`reads:` and its registered check stay in step."""

from __future__ import annotations

from pathlib import Path

import pytest

from kafkalint import engine
from kafkalint.catalogue import CatalogueError, Rule, condition_keys, load_catalogue, template_problem
from kafkalint.checks import Hit
from kafkalint.checks.registry import check_for, location_of, registered_codes
from kafkalint.model import Location, Severity

CATALOGUE = load_catalogue()

# Rules whose checks are still being moved to declared variables (issue 10), by owner. A code
# leaves this list when its rule file declares `variables:` and `reads:`; the test below fails
# when the list is stale, so it can only shrink.
NOT_YET_CONVERTED: set[str] = {
    # strimzi schema problems (sources/strimzi_validation.py still writes a sentence)
    "KL701",
}


def _rule(message: str, **fields) -> Rule:
    return Rule(
        code="KL999", name="test-rule", severity=Severity.WARNING, target="client", summary="s" * 10,
        message=message, rationale="r" * 20, fix="f" * 10, path=Path("KL999-test-rule.yaml"), **fields,
    )


@pytest.mark.parametrize("rule", CATALOGUE.rules, ids=[rule.code for rule in CATALOGUE.rules])
def test_every_shipped_rule_declares_its_variables_and_reads(rule):
    converted = rule.reads is not None and (rule.variables is not None or rule.condition is not None)
    if rule.code in NOT_YET_CONVERTED:
        assert not converted, f"{rule.code} is converted: remove it from NOT_YET_CONVERTED"
        return
    if rule.condition is None:  # a declarative rule's variables are its condition's keys
        assert rule.variables is not None, f"{rule.path.name}: declare the message's variables:"
    assert rule.reads is not None, f"{rule.path.name}: list the config keys the rule reads (reads: [])"
    assert template_problem(rule) is None
    assert "detail" not in rule.template_variables(), f"{rule.path.name}: ${{detail}} is a catch-all"
    assert rule.check is None, f"{rule.path.name}: register the check with @check({rule.code!r})"


@pytest.mark.parametrize("rule", CATALOGUE.rules, ids=[rule.code for rule in CATALOGUE.rules])
def test_every_rule_with_logic_finds_its_check(rule):
    if rule.condition is not None:
        assert check_for(rule.code) is None, f"{rule.code}: both a condition and a registered check"
        return
    assert engine.check_function(rule) is not None, f"{rule.code}: no check registered (@check({rule.code!r}))"


def test_every_registered_check_belongs_to_a_shipped_rule():
    assert registered_codes() <= {rule.code for rule in CATALOGUE.rules}


def test_the_source_index_names_the_module_of_every_registered_check():
    # A run imports a check module only for a rule that has targets, found through this
    # index: a check it missed would never run.
    from kafkalint.checks import registry

    registered = registered_codes()
    index = registry._module_index()
    assert index is not None
    assert {code: registry._REGISTRY[code].__module__ for code in registered} == index


def test_an_undeclared_template_variable_fails_the_load_check():
    rule = _rule("${key} is ${value}", variables={"key": "the config key"})
    assert "${value}" in template_problem(rule)
    assert template_problem(_rule("${key} is ${value}", variables={"key": "k", "value": "v"})) is None


def test_a_declarative_rule_may_use_its_condition_keys_and_sources_and_parameters():
    condition = {"all": [{"setting": {"key": "acks", "equals": 0}}, {"not": {"setting": {"key": "retries", "equals": 0}}}]}
    rule = _rule("acks=${acks} (${acks.source}), retries ${retries.source}, floor ${floor}", condition=condition,
                 parameters={"floor": {"default": 1, "description": "d"}})
    assert template_problem(rule) is None
    assert "${linger.ms}" in template_problem(_rule("${linger.ms}", condition=condition))


def test_a_user_rule_with_an_undeclared_variable_is_refused(tmp_path):
    (tmp_path / "ACME001-acks.yaml").write_text(
        "code: ACME001\nname: acks-policy\nseverity: error\napplies_to: {target: client}\n"
        "summary: Producers must use acks=all.\nmessage: \"acks=${acks} from ${where}\"\n"
        "rationale: Our clusters need every write on all in-sync replicas.\nfix: Set acks=all.\n"
        "condition: {setting: {key: acks, not_equals: all}}\n"
        "examples: {bad: [{files: {p.properties: \"acks=1\\n\"}, expect: [{path: p.properties, line: 1}]}],"
        " good: [{files: {p.properties: \"acks=all\\n\"}}]}\n"
    )
    with pytest.raises(CatalogueError, match=r"\$\{where\}"):
        load_catalogue([str(tmp_path)])


def test_a_hit_with_other_variables_than_declared_is_a_bug(monkeypatch):
    monkeypatch.setattr(engine, "CHECK_HIT_VARIABLES", True)
    rule = _rule("${key}", variables={"key": "the config key"})
    location = Location("p.properties", 1)
    assert engine._checked(rule, Hit(location, {"key": "acks"})).variables == {"key": "acks"}
    with pytest.raises(engine.HitVariablesError, match="extra"):
        engine._checked(rule, Hit(location, {"key": "acks", "extra": 1}))
    with pytest.raises(engine.HitVariablesError):
        engine._checked(rule, Hit(location, {}))


def test_rule_documentation_says_where_the_check_lives_and_what_it_reads():
    from kafkalint.ruledoc import rule_markdown

    declarative = next(rule for rule in CATALOGUE.rules if rule.condition is not None)
    text = rule_markdown(declarative)
    assert "declarative condition" in text
    assert f"Reads: `{condition_keys(declarative.condition)[0]}`" in text
    for rule in CATALOGUE.rules:
        where = location_of(rule.code)
        if where:
            assert f"Check: `{where}`." in rule_markdown(rule)
            break


def test_variables_and_reads_survive_the_catalogue_cache(tmp_path, monkeypatch):
    from kafkalint import catalogue as module

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("KAFKALINT_NO_CACHE", raising=False)
    parsed = dict((path.name, data) for path, data in module._builtin_rule_data())  # writes the cache
    assert list(tmp_path.glob("kafkalint/catalogue-*"))
    cached = dict((path.name, data) for path, data in module._builtin_rule_data())  # reads it back
    name = next(name for name in parsed if name.startswith("KL103-"))
    assert cached[name]["variables"] == parsed[name]["variables"] and cached[name]["variables"]
    assert cached[name]["reads"] == parsed[name]["reads"] == [
        "enable.idempotence", "transactional.id", "acks", "retries", "max.in.flight.requests.per.connection"]
