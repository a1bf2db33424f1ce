"""Small, fast questions about libcst nodes: dotted names, calls in source order, names used.

libcst's visitor dispatches on every node, whitespace included, which costs most of a parse
again; these walks follow only the fields that can hold expressions and skip the rest.
"""

from __future__ import annotations

import dataclasses
from typing import Any
from collections.abc import Iterator

import libcst as cst

_LAYOUT_FIELDS = {
    "lpar", "rpar", "comma", "semicolon", "leading_lines", "lines_after_decorators", "header",
    "footer", "operator", "colon", "equal", "star", "newline", "trailing_whitespace",
    "asynchronous", "dot", "whitespace", "first_line", "empty_lines", "indent",
}
_TERMINALS = (cst.Name, cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary, cst.Ellipsis)
_NO_CALLS_HERE = (*_TERMINALS, cst.Lambda)
_FIELDS: dict[type, tuple[str, ...]] = {}


def _expression_fields(node_type: type) -> tuple[str, ...]:
    names = _FIELDS.get(node_type)
    if names is None:
        names = tuple(
            field.name
            for field in dataclasses.fields(node_type)
            if field.name not in _LAYOUT_FIELDS and not field.name.startswith("whitespace")
        )
        _FIELDS[node_type] = names
    return names


def children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Child nodes that may hold expressions, in source order, layout nodes left out."""
    for name in _expression_fields(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            if not isinstance(value, cst.BaseParenthesizableWhitespace):
                yield value
        elif isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, cst.CSTNode):
                    yield item


def calls_in(node: cst.CSTNode) -> Iterator[cst.Call]:
    """Every call in an expression or small statement, outer before inner, left to right.

    Lambda bodies are skipped: they run later, not where they are written.
    """
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, _NO_CALLS_HERE):
            continue
        if isinstance(current, cst.Call):
            yield current
        stack.extend(reversed(list(children(current))))


def names_in(node: cst.CSTNode) -> Iterator[str]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            yield current.value
            continue
        if isinstance(current, _TERMINALS):
            continue
        if isinstance(current, cst.Attribute):
            stack.append(current.value)  # `x.attr`: the attribute name is not a variable
            continue
        stack.extend(reversed(list(children(current))))  # popped in source order


def mentions(node: cst.CSTNode, names: set[str] | frozenset[str]) -> bool:
    if not names:
        return False
    return any(name in names for name in names_in(node))


# A record's metadata, the same on every client: where it sits, never what it holds.
RECORD_METADATA = frozenset({
    "offset", "partition", "topic", "timestamp", "timestamp_type", "leader_epoch", "latency",
    "serialized_key_size", "serialized_value_size", "checksum",
})


def mentions_content(node: cst.CSTNode, names: set[str] | frozenset[str]) -> bool:
    """Like `mentions`, except that `msg.offset` / `msg.partition()` / `msg.topic` do not count:
    a call given only a record's position cannot fail on what the record holds."""
    if not names:
        return False
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            if current.value in names:
                return True
            continue
        if isinstance(current, _TERMINALS):
            continue
        if isinstance(current, cst.Attribute):
            if isinstance(current.value, cst.Name) and current.attr.value in RECORD_METADATA:
                continue  # `msg.offset`: position, not content
            stack.append(current.value)
            continue
        stack.extend(children(current))
    return False


def dotted(node: cst.BaseExpression) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    current: Any = node
    while isinstance(current, cst.Attribute):
        parts.append(current.attr.value)
        current = current.value
    if not isinstance(current, cst.Name):
        return None
    parts.append(current.value)
    return ".".join(reversed(parts))


def target_key(node: cst.BaseExpression) -> str | None:
    """The variable an assignment binds, as `name` or `self.name` (one attribute level)."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
        return f"{node.value.value}.{node.attr.value}"
    return None


def unwrap_await(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.expression if isinstance(node, cst.Await) else node


def literal(node: cst.BaseExpression) -> tuple[bool, Any]:
    """(True, value) for a literal constant, string, number, bool, None or list of those."""
    if isinstance(node, cst.SimpleString):
        fast = _plain_string(node.value)
        if fast is not None:
            return True, fast
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        try:
            value = node.evaluated_value
        except Exception:
            return False, None
        if value is None:
            return False, None
        return True, value.decode("latin-1") if isinstance(value, bytes) else value
    if isinstance(node, (cst.Integer, cst.Float)):
        return True, node.evaluated_value
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        known, value = literal(node.expression)
        if known and isinstance(value, (int, float)) and not isinstance(value, bool):
            return True, -value
        return False, None
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return True, {"True": True, "False": False, "None": None}[node.value]
    if isinstance(node, (cst.List, cst.Tuple)):
        items = []
        for element in node.elements:
            if isinstance(element, cst.StarredElement):
                return False, None
            known, value = literal(element.value)
            if not known:
                return False, None
            items.append(value)
        return True, items
    return False, None


def _plain_string(source: str) -> str | None:
    """The value of a string literal without escapes, read directly: libcst's
    evaluated_value compiles each literal with ast.literal_eval, which dominates on
    configuration-heavy code."""
    prefix_length = 0
    while prefix_length < len(source) and source[prefix_length] in "rRuU":
        prefix_length += 1
    if prefix_length < len(source) and source[prefix_length] in "bBfF":
        return None  # bytes and f-strings: leave them to the careful path
    body = source[prefix_length:]
    for quote in ('"""', "'''", '"', "'"):
        if len(body) >= 2 * len(quote) and body.startswith(quote) and body.endswith(quote):
            inner = body[len(quote) : -len(quote)]
            if "\\" in inner and not any(ch in "rR" for ch in source[:prefix_length]):
                return None
            return inner
    return None


def argument(call: cst.Call, position: int | None, keyword: str | None) -> cst.BaseExpression | None:
    """The expression passed as positional `position` or as `keyword=`, if any."""
    index = 0
    for arg in call.args:
        if arg.star:
            if position is not None and index <= position:
                return None  # `*args` before it: which one is unknowable
            continue
        if arg.keyword is not None:
            if keyword is not None and arg.keyword.value == keyword:
                return arg.value
            continue
        if position is not None and index == position:
            return arg.value
        index += 1
    return None
