"""Static configuration values in code: which dict a client is built with, key by key.

Only what the code states literally is resolved: dict literals, `dict(...)`, copies and
spreads of variables bound in the same function or module, subscript assignments and
`.update(...)` calls. Anything else (environment, calls, f-strings) is UNKNOWN, and a spread
of something unresolved marks the whole configuration incomplete.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from kafkalint.model import UNKNOWN
from kafkalint.sources.python.syntax import dotted, literal


@dataclass(slots=True)
class ConfigEntry:
    key: str
    value: Any
    key_node: cst.CSTNode
    value_node: cst.CSTNode
    top: cst.CSTNode


@dataclass(slots=True)
class ConfigValue:
    entries: dict[str, ConfigEntry] = field(default_factory=dict)
    complete: bool = True

    def copy(self) -> ConfigValue:
        return ConfigValue(dict(self.entries), self.complete)

    def merge(self, other: ConfigValue | None, replaces: bool = True) -> None:
        """`conf.update(other)`, `{..., **other}`: other's entries win. When other is not fully
        known, any entry before it may be replaced by it (`{"acks": "1", **overrides}` is a
        default the overrides may change): those values are no longer known. In a call's
        keywords (`Consumer(enable_auto_commit=True, **settings)`, `dict(acks=1, **more)`),
        `replaces` is False: a keyword given twice is a TypeError, never a replacement."""
        if other is None or not other.complete:
            if replaces:
                self.entries = {key: ConfigEntry(entry.key, UNKNOWN, entry.key_node, entry.value_node, entry.top)
                                for key, entry in self.entries.items()}
            self.complete = False
        if other is not None:
            self.entries.update(other.entries)


@dataclass(slots=True)
class Scalar:
    value: Any


class Scope:
    """Names bound in one function (or the module, or a class for `self.x`), with a parent."""

    __slots__ = ("class_scope", "clients", "parent", "records", "values")

    def __init__(self, parent: Scope | None = None, class_scope: Scope | None = None) -> None:
        self.parent = parent
        self.class_scope = class_scope
        self.values: dict[str, ConfigValue | Scalar] = {}
        self.clients: dict[str, Any] = {}
        self.records: dict[str, Any] = {}

    def _chain(self, name: str) -> list[Scope]:
        if name.startswith("self.") and self.class_scope is not None:
            return [self, self.class_scope]
        chain: list[Scope] = []
        scope: Scope | None = self
        while scope is not None:
            chain.append(scope)
            scope = scope.parent
        return chain

    def value(self, name: str) -> ConfigValue | Scalar | None:
        for scope in self._chain(name):
            if name in scope.values:
                return scope.values[name]
        return None

    def client(self, name: str) -> Any:
        for scope in self._chain(name):
            if name in scope.clients:
                return scope.clients[name]
            if name in scope.values:
                return None  # rebound to something else
        return None

    def record(self, name: str) -> Any:
        return self.records.get(name)

    def owner_for(self, name: str) -> Scope:
        """Where an assignment to `name` lands: `self.x` in the class, the rest locally."""
        if name.startswith("self.") and self.class_scope is not None:
            return self.class_scope
        return self

    def bind_value(self, name: str, value: ConfigValue | Scalar) -> None:
        owner = self.owner_for(name)
        owner.values[name] = value
        owner.clients.pop(name, None)
        self.records.pop(name, None)

    def bind_client(self, name: str, client: Any) -> None:
        owner = self.owner_for(name)
        owner.clients[name] = client
        owner.values.pop(name, None)
        self.records.pop(name, None)


def static_value(node: cst.BaseExpression, scope: Scope) -> Any:
    known, value = literal(node)
    if known:
        return value
    if isinstance(node, (cst.Name, cst.Attribute)):
        name = dotted(node)
        bound = scope.value(name) if name else None
        if isinstance(bound, Scalar):
            return bound.value
    return UNKNOWN


def _string_key(node: cst.BaseExpression, scope: Scope) -> str | None:
    value = static_value(node, scope)
    return value if isinstance(value, str) else None


def config_value(node: cst.BaseExpression, scope: Scope, top: cst.CSTNode, dict_shadowed: bool = False) -> ConfigValue | None:
    """The configuration a dict expression builds, or None when it is not a dict we can see."""
    if isinstance(node, cst.Dict):
        result = ConfigValue()
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                result.merge(config_value(element.value, scope, top))
                continue
            key = _string_key(element.key, scope)
            if key is None:
                result.complete = False
                continue
            result.entries.pop(key, None)
            result.entries[key] = ConfigEntry(key, static_value(element.value, scope), element.key, element.value, top)
        return result
    if isinstance(node, cst.Call):
        function = dotted(node.func)
        if function == "dict" and not dict_shadowed:
            result = ConfigValue()
            for arg in node.args:
                if arg.star == "**":
                    result.merge(config_value(arg.value, scope, top), replaces=False)
                elif arg.star:
                    result.complete = False
                elif arg.keyword is None:
                    result.merge(config_value(arg.value, scope, top))
                else:
                    key = arg.keyword.value
                    result.entries.pop(key, None)
                    result.entries[key] = ConfigEntry(key, static_value(arg.value, scope), arg.keyword, arg.value, top)
            return result
        if function in ("copy.copy", "copy.deepcopy") and len(node.args) == 1:
            return config_value(node.args[0].value, scope, top)
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "copy" and not node.args:
            return config_value(node.func.value, scope, top)
        return None
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        left = config_value(node.left, scope, top)
        if left is None:
            return None
        left.merge(config_value(node.right, scope, top))
        return left
    if isinstance(node, (cst.Name, cst.Attribute)):
        name = dotted(node)
        bound = scope.value(name) if name else None
        if isinstance(bound, ConfigValue):
            return bound.copy()
    return None


def apply_update(target: ConfigValue, call: cst.Call, scope: Scope, top: cst.CSTNode) -> None:
    """`conf.update({...})` / `conf.update(acks=0)` / `conf.update(other)`."""
    for arg in call.args:
        if arg.star == "**" or (not arg.star and arg.keyword is None):
            target.merge(config_value(arg.value, scope, top))
        elif arg.star:
            target.complete = False
        else:
            key = arg.keyword.value
            target.entries.pop(key, None)
            target.entries[key] = ConfigEntry(key, static_value(arg.value, scope), arg.keyword, arg.value, top)


def set_item(target: ConfigValue, key_node: cst.BaseExpression, value_node: cst.BaseExpression, scope: Scope, top: cst.CSTNode) -> None:
    key = _string_key(key_node, scope)
    if key is None:
        target.complete = False
        return
    target.entries.pop(key, None)
    target.entries[key] = ConfigEntry(key, static_value(value_node, scope), key_node, value_node, top)


def subscript_key(node: cst.Subscript) -> cst.BaseExpression | None:
    if len(node.slice) != 1:
        return None
    index = node.slice[0].slice
    return index.value if isinstance(index, cst.Index) else None
