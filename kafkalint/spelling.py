"""The closest spelling of a mistyped name: a rule code or name, an option of the settings.

One helper for every "did you mean" kafkalint prints about its own names (config keys have
their own, Kafka-aware suggestions in knowledge/suggestions.py).
"""

from __future__ import annotations

from typing import Any, Iterable


def closest(name: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice most like `name`, or None when none is close enough."""
    import difflib  # only when a name is unknown: not at start-up

    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=cutoff)
    return close[0] if close else None


def closest_rule(catalogue: Any, name: str) -> str | None:
    """The rule code or name a user probably meant: letters typed for digits (KL1O1, KLl01)
    first, then the closest spelling."""
    lookalike = name.upper().replace("O", "0").replace("I", "1").replace("L", "1")
    for rule in catalogue.rules:
        if rule.name == name.lower():
            return rule.name
        if rule.code.replace("L", "1") == lookalike:
            return rule.code
    return closest(name, [rule.code for rule in catalogue.rules] + [rule.name for rule in catalogue.rules])
