"""Checks: the Python behind rules that a declarative condition cannot express.

A check is `function(target, context) -> Iterable[Hit]`; the engine calls it once per target
the rule applies to (a client, a broker, a topic, a resource, a code fact, or the project)
and turns each Hit into a Finding with the rule's code, name, severity and message template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kafkalint.knowledge import Effective, effective
from kafkalint.model import ClientConfig, Location, Project, Severity


@dataclass(slots=True)
class Hit:
    """One problem a check found: where, and the variables its rule's message template declares."""

    location: Location
    variables: dict[str, Any] = field(default_factory=dict)
    severity: Severity | None = None
    message: str | None = None  # legacy prose; a rule that declares variables: never gets one
    related: tuple[Location, ...] = ()
    profile: str | None = None  # the framework profile of the target, set by the engine
    # The setting (canonical key) whose value is the root cause, when the rule's file names rules
    # it stands down for: a finding of those on the same target with the same cause owns it.
    cause: str | None = None
    target: Any = field(default=None, repr=False, compare=False)  # set by the engine
    related_omitted: int = 0  # related locations a check counted but did not list


@dataclass(slots=True)
class CheckContext:
    """What a check sees besides its target: the project, its rule and the rule's parameters."""

    project: Project
    rule: Any
    parameters: dict[str, Any]
    # What a check computes once over the whole project and reads for each of its targets
    # (an index of clients by file): one rule's evaluation, then gone.
    memo: dict[str, Any] = field(default_factory=dict)

    def param(self, name: str) -> Any:
        return self.parameters[name]


def value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    if value is None:
        return "(none)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # retries=0, not 0.0, whatever type the client gives it
    return str(value)


def shown(eff: Effective) -> str:
    """A value as a message may show it: secret values never appear."""
    if eff.setting is not None and eff.setting.secret:
        return "****"
    return value_text(eff.value)


def where(config: ClientConfig, eff: Effective) -> Location:
    """Report at the setting when it is explicit, else at the client's anchor."""
    if eff.setting is not None:
        return eff.setting.key_location
    return config.anchor


def brief_source(eff: Effective) -> str:
    """Where a value comes from, as short as a message needs: `line 3`, `java 2.8 default`.

    Why that version was assumed is `kafkalint explain`'s business, not every message's."""
    if eff.setting is not None:
        return eff.setting.implied or f"line {eff.setting.location.line}"
    if eff.implied_by:
        return eff.implied_by
    return f"{eff.version.dialect.value} {eff.version.version} default"


def source_phrase(eff: Effective) -> str:
    """`acks=0 (line 3)` / `acks=1 (java 2.8 default)`."""
    return f"{eff.key}={shown(eff)} ({brief_source(eff)})"


_PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")


# A message is one short sentence: a value longer than this (a 5,000-digit number, a pasted
# certificate) is cut, and says how long it was; the full value stays in the file. Only runs
# without spaces are cut, wherever a variable quotes them: prose variables stay whole.
# A file path or URL is kept whole up to a longer limit: cutting it would hide which file.
LONGEST_VALUE = 80
LONGEST_PATH = 200
_LONG_RUN = re.compile(r"\S{%d,}" % (LONGEST_VALUE + 1))


def _cut(run: str) -> str:
    limit = LONGEST_PATH if "/" in run and len(run) <= LONGEST_PATH else LONGEST_VALUE
    if len(run) <= limit:
        return run
    return f"{run[:LONGEST_VALUE - 20]}... ({len(run):,} characters)"


def shortened(text: str) -> str:
    return _LONG_RUN.sub(lambda run: _cut(run.group(0)), text)


def and_joined(parts: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`: several things in one message."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def render(template: str, variables: dict[str, Any]) -> str:
    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in variables:
            return shortened(value_text(variables[name]))
        return match.group(0)

    return _PLACEHOLDER.sub(substitute, template)


__all__ = ["Hit", "CheckContext", "and_joined", "brief_source", "effective", "render", "shown", "where", "source_phrase", "value_text"]
