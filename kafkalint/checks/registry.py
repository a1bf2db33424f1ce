"""Where a rule finds its check: functions register themselves by rule code.

A check is `function(target, context) -> Iterable[Hit]`, written next to its logic and
registered with `@check("KL103")`. The rule file needs no `module:function` string: the
engine imports the check modules (a fixed list, so nothing outside kafkalint runs) and asks
this registry for the function of a rule's code. `kafkalint rule X` shows where it lives.
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from pathlib import Path
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
    "kafkalint.checks.client_startup",
    "kafkalint.checks.client_security",
    "kafkalint.checks.consumer_position",
    "kafkalint.checks.schema_registry",
    "kafkalint.checks.connect_errors",
    "kafkalint.checks.streams",
    "kafkalint.checks.smallrye",
    "kafkalint.checks.spring_listener",
    "kafkalint.checks.mirror_maker",
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
        _load(module)


def _load(module: str) -> None:
    if module not in _loaded:
        _loaded.add(module)
        importlib.import_module(module)


_DECORATOR = re.compile(r"^@check\(([^)]*)\)", re.MULTILINE)
_CODE = re.compile(r"KL\d{3}")


@lru_cache(maxsize=1)
def _module_index() -> dict[str, str] | None:
    """Which module registers each rule code, read off the `@check(...)` lines of the check
    modules' source (no import), so that a run imports only the modules of the rules that
    have something to check; None when a module's source cannot be read (every module is
    then imported, as before). tests/test_rule_contract.py holds the index to the registry."""
    index: dict[str, str] = {}
    folder = Path(__file__).resolve().parent
    for module in CHECK_MODULES:
        try:
            text = (folder / f"{module.rsplit('.', 1)[1]}.py").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        for arguments in _DECORATOR.findall(text):
            for code in _CODE.findall(arguments):
                index.setdefault(code, module)
    return index


def check_for(code: str) -> CheckFunction | None:
    """The registered check of a rule code, or None for declarative rules."""
    if code not in _REGISTRY:
        index = _module_index()
        if index is None:
            _load_modules()
        elif code in index:
            _load(index[code])
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
