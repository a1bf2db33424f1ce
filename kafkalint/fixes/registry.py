"""Where a rule finds its fixer: functions register themselves by rule code with `@fix`.

The same dispatch as the check registry: a fixed list of fixer modules, imported by name on
first lookup (not at start-up), and a function per rule code.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

from kafkalint.fixes import Applicability, Fix

Fixer = Callable[[Any, Any, Any], "Fix | None"]

# The modules that hold registered fixers, imported on first lookup (not at start-up).
FIX_MODULES: tuple[str, ...] = (
    "kafkalint.fixes.client_settings",
    "kafkalint.fixes.cluster_settings",
)

_REGISTRY: dict[str, Fixer] = {}
_loaded = False


def fix(*codes: str) -> Callable[[Fixer], Fixer]:
    """Register the decorated function as the fixer of the rules with these codes."""

    def register(function: Fixer) -> Fixer:
        for code in codes:
            existing = _REGISTRY.get(code)
            if existing is not None and existing is not function:
                raise RuntimeError(f"two fixers registered for {code}")
            _REGISTRY[code] = function
        return function

    return register


def fixer_for(code: str) -> Fixer | None:
    global _loaded
    if not _loaded:
        _loaded = True
        for module in FIX_MODULES:
            importlib.import_module(module)
    return _REGISTRY.get(code)


def registered_fix_codes() -> set[str]:
    fixer_for("")
    return set(_REGISTRY)


def proposed_fix(rule: Any, hit: Any, target: Any, context: Any) -> Fix | None:
    """The fix of one finding, capped at the applicability its rule file declares."""
    declared = getattr(rule, "fix_applicability", None)
    if declared is None or not getattr(rule, "builtin", False):
        return None
    fixer = fixer_for(rule.code)
    if fixer is None:
        return None
    proposal = fixer(hit, target, context)
    if proposal is None or not proposal.edits:
        return None
    ceiling = Applicability(declared)
    if proposal.applicability.rank > ceiling.rank:
        proposal = Fix(proposal.title, ceiling, proposal.edits)
    return proposal
