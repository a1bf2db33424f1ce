"""Declarative rule conditions: all/any/not over tests of effective settings.

Three-valued: a test on a value that cannot be known statically is None (unknown), and a rule
fires only when its condition is definitely True, so unknowns never raise false alarms.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from kafkalint.checks import Hit, brief_source, value_text
from kafkalint.knowledge import effective, normalize
from kafkalint.model import UNKNOWN, BrokerConfig, ClientConfig, Location, Setting, TopicSpec
from kafkalint.numeric import as_number


def lookup(target: Any, key: str) -> tuple[Any, Setting | None, str]:
    """(value, explicit setting or None, where it came from) of a key for a target."""
    if isinstance(target, ClientConfig):
        eff = effective(target, key)
        return eff.value, eff.setting, brief_source(eff)
    if isinstance(target, (BrokerConfig, TopicSpec)):
        from kafkalint.knowledge.broker import broker_effective

        return broker_effective(target, key)
    return None, None, "not applicable"


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return value_text(left).lower() == value_text(right).lower()
    left_number, right_number = as_number(left), as_number(right)
    if left_number is not None and right_number is not None:
        return left_number == right_number
    return value_text(left).strip().lower() == value_text(right).strip().lower()


def _test(target: Any, test: dict[str, Any], used: dict[str, tuple[Any, Setting | None, str]]) -> bool | None:
    key = test["key"]
    value, setting, origin = lookup(target, key)
    used[key] = (value, setting, origin)
    if test.get("explicit") and setting is None:
        return False
    if "is_set" in test:
        return (setting is not None) == test["is_set"]
    if value is UNKNOWN:
        return None
    results: list[bool] = []
    if "equals" in test:
        results.append(value is not None and _same(value, normalize(key, test["equals"])))
    if "not_equals" in test:
        results.append(value is None or not _same(value, normalize(key, test["not_equals"])))
    if "in" in test:
        results.append(value is not None and any(_same(value, normalize(key, item)) for item in test["in"]))
    if "not_in" in test:
        results.append(value is None or not any(_same(value, normalize(key, item)) for item in test["not_in"]))
    for operator in ("greater_than", "less_than"):
        if operator in test:
            number = as_number(value)
            if number is None:
                results.append(False)
            elif operator == "greater_than":
                results.append(number > test[operator])
            else:
                results.append(number < test[operator])
    if "matches" in test:
        results.append(value is not None and re.fullmatch(test["matches"], value_text(value)) is not None)
    return all(results)


def evaluate(condition: dict[str, Any], target: Any, used: dict[str, tuple[Any, Setting | None, str]]) -> bool | None:
    if "setting" in condition:
        return _test(target, condition["setting"], used)
    if "all" in condition:
        outcome: bool | None = True
        for part in condition["all"]:
            result = evaluate(part, target, used)
            if result is False:
                return False
            if result is None:
                outcome = None
        return outcome
    if "any" in condition:
        outcome = False
        for part in condition["any"]:
            result = evaluate(part, target, used)
            if result is True:
                return True
            if result is None:
                outcome = None
        return outcome
    if "not" in condition:
        result = evaluate(condition["not"], target, used)
        return None if result is None else not result
    raise ValueError(f"unknown condition {condition!r}")


def declarative_hits(rule: Any, target: Any) -> Iterator[Hit]:
    used: dict[str, tuple[Any, Setting | None, str]] = {}
    if evaluate(rule.condition, target, used) is not True:
        return
    variables: dict[str, Any] = {}
    for key, (value, setting, origin) in used.items():
        secret = setting is not None and setting.secret
        variables[key] = "****" if secret else value_text(value)
        variables[f"{key}.source"] = origin
    location: Location = target.anchor
    report_key = rule.report_at or next(iter(used), None)
    if report_key is not None and report_key in used and used[report_key][1] is not None:
        location = used[report_key][1].key_location
    yield Hit(location, variables)
