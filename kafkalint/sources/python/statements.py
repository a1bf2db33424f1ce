"""The walk over statements, in source order, with the names each scope binds: it enters
functions, branches, try blocks and `with` blocks and hands loops, calls and configuration
changes to the parts that track them."""

from __future__ import annotations

from typing import Any

import libcst as cst

from kafkalint.model import UNKNOWN
from kafkalint.sources.python.blocks import bodies_of, handles_errors, statements_of, targets_of
from kafkalint.sources.python.configs import Scalar, Scope, config_value, static_value
from kafkalint.sources.python.positions import Anchor
from kafkalint.sources.python.syntax import children, mentions, names_in, target_key, unwrap_await
from kafkalint.sources.python.walk_state import DERIVED, Context, FunctionInfo, RecordState, fetch_kind


# unittest's context managers that expect the code in their body to raise.
_EXPECTED_ERROR_METHODS = frozenset({"assertRaises", "assertRaisesRegex", "assertRaisesRegexp"})

class StatementWalker:
    """Statements and assignments; mixed into ModuleAnalysis."""

    def _walk_function(self, info: FunctionInfo) -> None:
        if info.walked:
            return
        info.walked = True
        if not info.nested and not info.parameter_clients and not self._may_concern_kafka(info.top):
            return
        class_scope = self.class_scopes.get(info.class_name) if info.class_name else None
        scope = Scope(parent=info.parent_scope or self.module_scope, class_scope=class_scope)
        # A parameter hides any name of the module or an enclosing function: `def __init__(self,
        # conf): Consumer(**conf)` is built from what the caller passes, not from a module-level
        # `conf` dict that happens to share the name.
        parameters = info.node.params
        for param in (*parameters.posonly_params, *parameters.params, *parameters.kwonly_params):
            scope.values[param.name.value] = Scalar(UNKNOWN)
        for star in (parameters.star_arg, parameters.star_kwarg):
            if isinstance(star, cst.Param):
                scope.values[star.name.value] = Scalar(UNKNOWN)
        for name, client in info.parameter_clients.items():
            scope.values.pop(name, None)
            scope.clients[name] = client
        context = Context(
            scope, info, Anchor(info.node, info.indents, info.top), class_name=info.class_name, method_name=info.node.name.value
        )
        self._block(info.node.body, self._enter(context, info.node.body))

    def _enter(self, context: Context, block: cst.CSTNode, **changes: Any) -> Context:
        """The context for the statements of a block: one indentation level deeper."""
        anchor = context.top
        if isinstance(block, cst.IndentedBlock):
            indent = block.indent if block.indent is not None else self.module.default_indent
            changes["top"] = Anchor(anchor.statement, (*anchor.indents, indent), anchor.top)
        return context.with_(**changes) if changes else context

    def _block(self, body: cst.CSTNode, context: Context) -> None:
        for statement in statements_of(body):
            self._statement(statement, context)

    def _statement(self, node: cst.CSTNode, context: Context) -> None:
        if not isinstance(node, cst.BaseSmallStatement):
            # Positions of what this statement holds are found from its own text.
            anchor = context.top
            context = context.with_(top=Anchor(node, anchor.indents, anchor.top))
        if isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                self._small_statement(small, context)
        elif isinstance(node, cst.BaseSmallStatement):
            self._small_statement(node, context)
        elif isinstance(node, cst.FunctionDef):
            info = self.function_by_node.get(id(node))
            if info is not None and info.nested:
                # A closure: it sees the enclosing scope as bound so far.
                info.parent_scope = context.scope
                self._walk_function(info)
        elif isinstance(node, cst.ClassDef):
            pass  # methods are walked as functions; class attributes hold no clients
        elif isinstance(node, cst.If):
            self._if(node, context)
        elif isinstance(node, (cst.For, cst.While)):
            self._loop(node, context)
        elif isinstance(node, (cst.Try, cst.TryStar)):
            self._try(node, context)
        elif isinstance(node, cst.With):
            self._with(node, context)
        else:
            for body, _statements in bodies_of(node):
                self._block(body, self._enter(context, body))

    def _if(self, node: cst.If, context: Context) -> None:
        self._expression(node.test, context)
        inner = context.with_(conditions=(*context.conditions, (len(context.loops), node.test)))
        branch = error_branch(node.test)
        body = inner.with_(handling_error=True) if branch == "body" else inner
        self._block(node.body, self._enter(body, node.body))
        orelse = inner.with_(handling_error=True) if branch == "else" else inner
        if isinstance(node.orelse, cst.If):
            self._if(node.orelse, orelse)
        elif isinstance(node.orelse, cst.Else):
            self._block(node.orelse.body, self._enter(orelse, node.orelse.body))

    def _try(self, node: cst.Try | cst.TryStar, context: Context) -> None:
        handles = any(handles_errors(handler) for handler in node.handlers)
        if handles:
            guard = {"guard_depth": len(context.loops)}
        elif node.handlers:
            guard = {"narrow_try": (self._line(node, context.top), len(context.loops))}
        else:
            guard = {}
        self._block(node.body, self._enter(context, node.body, **guard))
        for handler in node.handlers:
            if handler.name is not None:
                name = target_key(handler.name.name) if isinstance(handler.name, cst.AsName) else None
                if name:
                    context.scope.records.pop(name, None)
            self._block(handler.body, self._enter(context.with_(handling_error=True), handler.body))
        if node.orelse is not None:
            self._block(node.orelse.body, self._enter(context, node.orelse.body))
        if node.finalbody is not None:
            self._block(node.finalbody.body, self._enter(context, node.finalbody.body, in_finally=True))

    def _with(self, node: cst.With, context: Context) -> None:
        for item in node.items:
            self._expression(item.item, context)
            expression = unwrap_await(item.item)
            client = self._client_of_expression(expression, context)
            if client is None and isinstance(expression, cst.Call):
                name = self.qualified(expression.func)
                if name == "contextlib.closing" and expression.args:
                    client = self._client_of_expression(expression.args[0].value, context)
            if client is not None:
                client.context_managed = True
                if item.asname is not None:
                    name = target_key(item.asname.name)
                    if name:
                        self._bind_client(name, client, context)
        if any(self._expects_error(unwrap_await(item.item)) for item in node.items):
            context = context.with_(expects_error=True)
        self._block(node.body, self._enter(context, node.body))

    def _expects_error(self, expression: cst.BaseExpression) -> bool:
        """`pytest.raises(...)`, `self.assertRaises(...)`, `self.assertRaisesRegex(...)`."""
        if not isinstance(expression, cst.Call):
            return False
        if isinstance(expression.func, cst.Attribute) and expression.func.attr.value in _EXPECTED_ERROR_METHODS:
            return True
        return self.qualified(expression.func) == "pytest.raises"

    def _bind_client(self, name: str, client: Any, context: Context) -> None:
        context.scope.bind_client(name, client)
        self.client_names.add(name.rsplit(".", 1)[-1])
        client.bound = True
        client.variable = client.variable or name

    def _small_statement(self, node: cst.BaseSmallStatement, context: Context) -> None:
        if isinstance(node, cst.Expr):
            self._expression(node.value, context, dropped=unwrap_await(node.value))
            self._config_method_call(unwrap_await(node.value), context)
        elif isinstance(node, (cst.Assign, cst.AnnAssign)):
            if node.value is None:
                return
            self._expression(node.value, context)
            targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
            for target in targets:
                self._assign(target, node.value, context)
        elif isinstance(node, cst.AugAssign):
            self._expression(node.value, context)
            self._config_augmented(node, context)
        elif isinstance(node, cst.Del):
            self._config_delete(node, context)
        elif isinstance(node, cst.Raise):
            # `raise KafkaException(msg.error())` reports a record; it does not process one
            quiet = context.with_(in_raise=True)
            for child in (node.exc, node.cause):
                if child is not None:
                    self._expression(child if isinstance(child, cst.BaseExpression) else child.item, quiet)
        elif isinstance(node, cst.Return):
            if node.value is not None:
                self._expression(node.value, context)
                self._mark_escapes(node.value, context)
        else:
            for child in children(node):
                if isinstance(child, cst.BaseExpression):
                    self._expression(child, context)

    def _assign(self, target: cst.BaseExpression, value: cst.BaseExpression, context: Context) -> None:
        scope = context.scope
        if isinstance(target, cst.Subscript):
            self._config_subscript_assign(target, value, context)
            self._mark_escapes(value, context)
            return
        name = target_key(target)
        if name is None:
            for element in targets_of(target):
                key = target_key(element)
                if key:
                    scope.records.pop(key, None)
                    scope.owner_for(key).values[key] = Scalar(UNKNOWN)
            self._mark_escapes(value, context)
            return
        expression = unwrap_await(value)
        client = self.constructions.get(id(expression)) or self._client_of_expression(expression, context)
        if client is not None:
            self._bind_client(name, client, context)
            return
        if isinstance(expression, cst.Call) and isinstance(expression.func, cst.Attribute):
            owner = self._client_of_expression(expression.func.value, context)
            if owner is not None:
                kind = fetch_kind(owner.cls, expression.func.attr.value)
                if kind is not None:
                    scope.owner_for(name).values.pop(name, None)
                    scope.records[name] = RecordState(kind, owner)
                    return
        if mentions(value, set(scope.records)):
            scope.records[name] = RecordState(DERIVED, None)
            scope.owner_for(name).values[name] = Scalar(UNKNOWN)
            return
        configuration = config_value(value, scope, context.top, self.dict_shadowed)
        if configuration is not None:
            scope.bind_value(name, configuration)
            return
        scope.bind_value(name, Scalar(static_value(value, scope)))

    def _mark_escapes(self, value: cst.BaseExpression, context: Context) -> None:
        for name in names_in(_without_method_receivers(value)):
            client = context.scope.client(name)
            if client is not None:
                client.escapes = True
        if isinstance(value, cst.Attribute):
            client = self._client_of_expression(value, context)
            if client is not None:
                client.escapes = True


def error_branch(test: cst.BaseExpression) -> str | None:
    """Which branch of an `if` handles an error or end-of-partition event: "body" for
    `if msg.error():` / `if err.code() == KafkaError._PARTITION_EOF:`, "else" for
    `if not msg.error():` / `if msg.error() is None:`, None when the test is about something else."""
    negated = False
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        negated, test = True, test.expression
    if (
        isinstance(test, cst.Comparison)
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].operator, (cst.Is, cst.Equal))
        and isinstance(test.comparisons[0].comparator, cst.Name)
        and test.comparisons[0].comparator.value == "None"
    ):
        negated, test = not negated, test.left
    if not _tests_error(test):
        return None
    return "else" if negated else "body"


def _tests_error(test: cst.BaseExpression) -> bool:
    stack: list[cst.CSTNode] = [test]
    nodes: list[cst.CSTNode] = []
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Comparison) and any(
            isinstance(part.comparator, cst.Name) and part.comparator.value == "None" for part in node.comparisons
        ):
            return False  # `msg.error() is None` inside a larger test: which branch is which is unclear
        nodes.append(node)
        stack.extend(children(node))
    for node in nodes:
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "error" and not node.args:
            return True
        if isinstance(node, (cst.Name, cst.Attribute)):
            name = node.value if isinstance(node, cst.Name) else node.attr.value
            if "EOF" in name:
                return True
    return False


def _without_method_receivers(value: cst.BaseExpression) -> cst.BaseExpression:
    """`lo, hi = consumer.get_watermark_offsets(tp)`: what a method returns is stored, not the
    client it is called on. The receiver `x` of every `x.method(...)` call is left out."""

    class _DropReceivers(cst.CSTTransformer):
        def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
            if isinstance(updated.func, cst.Attribute):
                return updated.with_changes(func=cst.Name("_"))
            return updated

    return value.visit(_DropReceivers())  # type: ignore[return-value]
