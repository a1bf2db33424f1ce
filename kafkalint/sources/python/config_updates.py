"""Configuration dicts as the code changes them (`conf.update(...)`, `conf["k"] = v`,
`del conf["k"]`, `conf |= {...}`) and the configuration a client constructor receives."""

from __future__ import annotations

import libcst as cst

from kafkalint.model import Role
from kafkalint.sources.python.blocks import targets_of
from kafkalint.sources.python.client_classes import ClientClass
from kafkalint.sources.python.configs import (
    ConfigEntry,
    ConfigValue,
    apply_update,
    config_value,
    set_item,
    static_value,
    subscript_key,
)
from kafkalint.sources.python.syntax import dotted, names_in, target_key
from kafkalint.sources.python.walk_state import ClientRecord, Context


class ConfigTracking:
    """Configuration dict changes and constructor arguments; mixed into ModuleAnalysis."""

    dict_shadowed: bool

    def _config_method_call(self, call: cst.BaseExpression, context: Context) -> None:
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
            return
        scope = context.scope
        owner = dotted(call.func.value)
        bound = scope.value(owner) if owner else None
        if not isinstance(bound, ConfigValue):
            return
        method = call.func.attr.value
        owned = scope.owner_for(owner)
        if method in ("update", "setdefault") and _version_guarded(context):
            updated = bound.copy()
            updated.complete = False
            owned.values[owner] = updated
        elif method == "update":
            updated = bound.copy()
            apply_update(updated, call, scope, context.top)
            owned.values[owner] = updated
        elif method in ("pop", "setdefault") and call.args:
            updated = bound.copy()
            key = static_value(call.args[0].value, scope)
            if not isinstance(key, str):
                updated.complete = False
            elif method == "pop":
                updated.entries.pop(key, None)
            elif key not in updated.entries and len(call.args) > 1:
                set_item(updated, call.args[0].value, call.args[1].value, scope, context.top)
            owned.values[owner] = updated
        elif method == "clear":
            owned.values[owner] = ConfigValue()

    def _config_augmented(self, node: cst.AugAssign, context: Context) -> None:
        scope = context.scope
        name = target_key(node.target)
        if name and isinstance(node.operator, cst.BitOrAssign):
            bound = scope.value(name)
            if isinstance(bound, ConfigValue):
                updated = bound.copy()
                updated.merge(config_value(node.value, scope, context.top, self.dict_shadowed))
                scope.owner_for(name).values[name] = updated

    def _config_delete(self, node: cst.Del, context: Context) -> None:
        scope = context.scope
        for element in targets_of(node.target):
            if isinstance(element, cst.Subscript):
                owner = dotted(element.value)
                bound = scope.value(owner) if owner else None
                key_node = subscript_key(element)
                if isinstance(bound, ConfigValue) and key_node is not None:
                    updated = bound.copy()
                    key = static_value(key_node, scope)
                    if isinstance(key, str):
                        updated.entries.pop(key, None)
                    else:
                        updated.complete = False
                    scope.owner_for(owner).values[owner] = updated

    def _config_subscript_assign(self, target: cst.Subscript, value: cst.BaseExpression, context: Context) -> None:
        scope = context.scope
        owner = dotted(target.value)
        bound = scope.value(owner) if owner else None
        key_node = subscript_key(target)
        if isinstance(bound, ConfigValue):
            updated = bound.copy()
            if key_node is None or _version_guarded(context):
                updated.complete = False
            else:
                set_item(updated, key_node, value, scope, context.top)
            scope.owner_for(owner).values[owner] = updated

    def _configuration(self, call: cst.Call, cls: ClientClass, context: Context, record: ClientRecord) -> ConfigValue:
        scope = context.scope
        result = ConfigValue()
        position = 0
        for arg in call.args:
            if arg.star == "**":
                result.merge(config_value(arg.value, scope, context.top, self.dict_shadowed), replaces=False)
            elif arg.star:
                if cls.keyword_config:
                    record.topics_unknown = True  # KafkaConsumer(*topics, ...): positionals are topics
                else:
                    result.complete = False
            elif arg.keyword is None:
                if cls.keyword_config:
                    if cls.role is Role.CONSUMER:  # KafkaConsumer("orders", "payments", ...)
                        value = static_value(arg.value, scope)
                        if isinstance(value, str):
                            record.topics.append((value, arg.value, context.top))
                        else:
                            record.topics_unknown = True
                elif position == 0:
                    result.merge(config_value(arg.value, scope, context.top, self.dict_shadowed))
                position += 1
            else:
                keyword = arg.keyword.value
                if keyword in cls.non_config_keywords:
                    continue
                if not cls.keyword_config and keyword in (cls.config_keyword, "conf", "config"):
                    result.merge(config_value(arg.value, scope, context.top, self.dict_shadowed))
                    continue
                result.entries.pop(keyword, None)
                result.entries[keyword] = ConfigEntry(keyword, static_value(arg.value, scope), arg.keyword, arg.value, context.top)
        return result  # turned into a ClientConfig once the file is walked


def _version_guarded(context: Context) -> bool:
    """Inside an `if` that tests a version (`if _HAS_API_VERSION:`, `if Version(aiokafka.__version__)
    < Version("0.13")`): what it sets applies to some client versions only, and which ones is the
    code's business. The configuration is then not fully known, rather than judged as if the
    key were always there (a deprecation the guard exists to avoid)."""
    return any("version" in name.lower() for _depth, test in context.conditions for name in names_in(test))
