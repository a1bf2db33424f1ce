"""Where a rule finds its check: functions register themselves by rule code.

A check is `function(target, context) -> Iterable[Hit]`, written next to its logic and
registered with `@check("KL103")`. The rule file needs no `module:function` string: the
engine imports the check modules (a fixed list, so nothing outside kafkalint runs) and asks
this registry for the function of a rule's code. `kafkalint rule X` shows where it lives.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable, Iterable

CheckFunction = Callable[[Any, Any], Iterable[Any]]

# The modules that hold registered checks, imported on first lookup (not at start-up).
CHECK_MODULES: tuple[str, ...] = (
    "kafkalint.checks.validity",
    "kafkalint.checks.producer",
    "kafkalint.checks.consumer",
    "kafkalint.checks.cluster",
    "kafkalint.checks.secrets",
    "kafkalint.checks.python_code",
    "kafkalint.checks.crossfile",
    "kafkalint.checks.strimzi",
    "kafkalint.checks.connector",
    "kafkalint.checks.frameworks",
    "kafkalint.checks.jvm_code",
)

_REGISTRY: dict[str, CheckFunction] = {}
_loaded: set[str] = set()


def check(*codes: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as the check of the rules with these codes."""

    def register(function: CheckFunction) -> CheckFunction:
        for code in codes:
            existing = _REGISTRY.get(code)
            if existing is not None and existing is not function:
                raise RuntimeError(f"two checks registered for {code}: {_where(existing)} and {_where(function)}")
            _REGISTRY[code] = function
        return function

    return register


def _load_modules() -> None:
    for module in CHECK_MODULES:
        if module not in _loaded:
            _loaded.add(module)
            importlib.import_module(module)


def check_for(code: str) -> CheckFunction | None:
    """The registered check of a rule code, or None for declarative rules."""
    if code not in _REGISTRY:
        _load_modules()
    return _REGISTRY.get(code)


def registered_codes() -> set[str]:
    _load_modules()
    return set(_REGISTRY)


def _where(function: CheckFunction) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def location_of(code: str) -> str | None:
    """`kafkalint.checks.producer.retries_break_ordering` for `kafkalint rule X`."""
    function = check_for(code)
    return None if function is None else _where(function)
