"""One parsed Python file -> Kafka clients (ClientConfig) and code facts (CodeFact).

A single walk over the statements of each scope, in source order, with the names each scope
binds: configuration dicts, scalar constants, clients, and the records a poll returns. Loops
that poll a consumer are classified before their body is walked, so facts about the body do
not depend on the order of its statements. Facts that need the whole file (is this producer
ever polled? is this consumer ever closed?) are decided after every scope has been walked.
Nothing here judges severity or words a message beyond the facts' details: rules do that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from collections.abc import Iterator

import libcst as cst

from kafkalint.model import UNKNOWN, ClientConfig, CodeFact, Project, Role
from kafkalint.sources.python.client_classes import AIOKAFKA, CONFLUENT, KAFKA_PYTHON, ClientClass, client_class
from kafkalint.sources.python.configs import (
    ConfigEntry,
    ConfigValue,
    Scalar,
    Scope,
    apply_update,
    config_value,
    set_item,
    static_value,
    subscript_key,
)
from kafkalint.sources.python.positions import Anchor, PositionIndex
from kafkalint.sources.python.syntax import (
    argument,
    calls_in,
    children,
    dotted,
    mentions,
    names_in,
    target_key,
    unwrap_await,
)

# Calls that block the calling thread; inside a poll loop they delay the next poll.
BLOCKING_CALLS = {
    "time.sleep": "time.sleep()",
    "subprocess.run": "subprocess.run()",
    "subprocess.call": "subprocess.call()",
    "subprocess.check_call": "subprocess.check_call()",
    "subprocess.check_output": "subprocess.check_output()",
    "requests.get": "requests.get()",
    "requests.post": "requests.post()",
    "requests.put": "requests.put()",
    "requests.patch": "requests.patch()",
    "requests.delete": "requests.delete()",
    "requests.request": "requests.request()",
    "urllib.request.urlopen": "urllib.request.urlopen()",
    "input": "input()",
}

# Consumer methods that fetch records, and what they return.
RECORD = "record"
RECORD_LIST = "list"
RECORD_MAP = "map"
DERIVED = "derived"

# Calls that only log a record: they are not the processing a poison pill breaks.
_LOGGING_ROOTS = {"print", "log", "logger", "logging", "LOG", "LOGGER", "_log", "_logger"}
_HARMLESS_CALLS = {"len", "str", "repr", "isinstance", "type", "id", "bool", "sys.stderr.write", "sys.stdout.write"}
_CLOSE_METHODS = {"close", "stop"}
_LIFECYCLE_METHODS = {"close", "stop", "shutdown", "__exit__", "__aexit__", "__del__", "cleanup", "aclose", "teardown"}
_HANDLED_NOTHING = {"KeyboardInterrupt", "SystemExit", "GeneratorExit", "asyncio.CancelledError", "CancelledError"}


def fetch_kind(client: ClientClass, method: str) -> str | None:
    if client.role is not Role.CONSUMER:
        return None
    if client.library == CONFLUENT:
        return {"poll": RECORD, "consume": RECORD_LIST}.get(method)
    if client.library == KAFKA_PYTHON:
        return {"poll": RECORD_MAP}.get(method)
    if client.library == AIOKAFKA:
        return {"getone": RECORD, "getmany": RECORD_MAP}.get(method)
    return None


def iterates_records(client: ClientClass) -> bool:
    """`for message in consumer` (kafka-python) / `async for message in consumer` (aiokafka)."""
    return client.role is Role.CONSUMER and client.library in (KAFKA_PYTHON, AIOKAFKA)


@dataclass(slots=True, eq=False)
class Loop:
    node: cst.CSTNode
    top: cst.CSTNode
    function: Any
    poll_client: Any = None
    per_record: bool = False
    record_names: set[str] = field(default_factory=set)
    reported_poison: bool = False


@dataclass(slots=True, eq=False)
class CallEvent:
    node: cst.CSTNode
    top: cst.CSTNode
    loops: tuple[Loop, ...]
    function: Any
    batched: bool = False
    method: str = ""


@dataclass(slots=True, eq=False)
class ClientRecord:
    cls: ClientClass
    call: cst.Call
    top: cst.CSTNode
    variable: str = ""
    values: ConfigValue | None = None
    config: ClientConfig | None = None
    topics: list[tuple[Any, cst.CSTNode, cst.CSTNode]] = field(default_factory=list)
    topics_unknown: bool = False
    keyed: bool = False
    context_managed: bool = False
    escapes: bool = False
    bound: bool = False
    used: bool = False
    closes: list[tuple[CallEvent, bool]] = field(default_factory=list)
    produces: list[CallEvent] = field(default_factory=list)
    serves: list[CallEvent] = field(default_factory=list)
    flushes: list[CallEvent] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class RecordState:
    kind: str
    client: ClientRecord | None
    checked: bool = False
    reported: bool = False


@dataclass(slots=True)
class Context:
    scope: Scope
    function: Any
    top: cst.CSTNode
    loops: tuple[Loop, ...] = ()
    guard_depth: int = -1  # len(loops) when the nearest try-with-except opened; -1 if none
    conditions: tuple[tuple[int, cst.BaseExpression], ...] = ()
    in_finally: bool = False
    class_name: str | None = None
    method_name: str | None = None
    in_raise: bool = False

    def with_(self, **changes: Any) -> Context:
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values.update(changes)
        return Context(**values)

    @property
    def poll_loop(self) -> Loop | None:
        for loop in reversed(self.loops):
            if loop.poll_client is not None:
                return loop
        return None

    def record_loop(self) -> tuple[int, Loop] | None:
        for index in range(len(self.loops) - 1, -1, -1):
            if self.loops[index].per_record:
                return index, self.loops[index]
        return None


@dataclass(slots=True)
class FunctionInfo:
    node: cst.FunctionDef
    top: cst.CSTNode
    class_name: str | None
    nested: bool = False
    indents: tuple[str, ...] = ()
    parent_scope: Scope | None = None
    parameter_clients: dict[str, ClientRecord] = field(default_factory=dict)
    walked: bool = False
    blocking: tuple[str, int] | None = None
    blocking_known: bool = False


class ModuleAnalysis:
    def __init__(self, module: cst.Module, text: str, display: str, project: Project) -> None:
        self.module = module
        self.display = display
        self.project = project
        self.positions = PositionIndex(module, text, display)
        self.text = text
        self.client_names: set[str] = set()
        self.aliases: dict[str, str] = {}
        self.functions: dict[str, FunctionInfo] = {}
        self.methods: dict[tuple[str, str], FunctionInfo] = {}
        self.class_scopes: dict[str, Scope] = {}
        self.clients: list[ClientRecord] = []
        self.constructions: dict[int, ClientRecord] = {}
        self.module_scope = Scope()
        self.dict_shadowed = False
        self.function_by_node: dict[int, FunctionInfo] = {}
        self._order: dict[int, int] = {}

    # --- entry point ------------------------------------------------------------------------

    def run(self) -> None:
        for statement in self.module.body:
            self._collect_definitions(statement, statement, None)
        if not any(value.split(".", 1)[0] in ("confluent_kafka", "kafka", "aiokafka") for value in self.aliases.values()):
            return
        for statement in self.module.body:
            self._statement(statement, Context(self.module_scope, None, Anchor(statement, (), statement)))
        for info in self._function_order():
            self._walk_function(info)
        self._decide_file_facts()
        self._emit_clients()

    def _function_order(self) -> list[FunctionInfo]:
        # Callers usually come after the helpers they call (main() last): walking functions
        # in reverse order lets a client passed as an argument reach the helper's parameter.
        # Constructors go first so `self.consumer` is bound before other methods use it.
        infos = [info for info in self.function_by_node.values() if not info.nested]
        infos.sort(key=lambda info: (info.node.name.value != "__init__", -self._order.get(id(info.node), 0)))
        return infos

    def _may_concern_kafka(self, top: cst.CSTNode) -> bool:
        """Can this top-level def or class touch a client? A substring test on its text.

        Walking every expression of every function costs most of a parse again; in files that
        use Kafka in one function out of fifty, the other functions never name a client class
        or a variable holding a client, and are skipped.
        """
        bounds = self.positions.top_level_bounds().get(id(top))
        if bounds is None:
            return True
        region = self.text[bounds[0] : bounds[1]]
        tokens = self.client_names | {
            local for local, qualified in self.aliases.items() if qualified.split(".", 1)[0] in _CLIENT_PACKAGES
        }
        return any(token in region for token in tokens)

    # --- pass 1: imports and definitions ------------------------------------------------------

    def _collect_definitions(
        self, node: cst.CSTNode, top: cst.CSTNode, class_name: str | None, nested: bool = False, indents: tuple[str, ...] = ()
    ) -> None:
        if isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                if isinstance(small, cst.Import):
                    for alias in small.names:
                        full = dotted(alias.name) or ""
                        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                            self.aliases[alias.asname.name.value] = full
                        else:
                            first = full.split(".", 1)[0]
                            self.aliases[first] = first
                elif isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None:
                    module_name = dotted(small.module) or ""
                    if isinstance(small.names, cst.ImportStar):
                        continue
                    for alias in small.names:
                        name = dotted(alias.name) or ""
                        local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
                        self.aliases[local] = f"{module_name}.{name}"
                elif isinstance(small, cst.Assign) and not nested:
                    for target in small.targets:
                        if isinstance(target.target, cst.Name) and target.target.value == "dict":
                            self.dict_shadowed = True
            return
        if isinstance(node, cst.FunctionDef):
            info = FunctionInfo(node, top, class_name, nested=nested, indents=indents)
            self._order[id(node)] = len(self._order)
            self.function_by_node[id(node)] = info
            if class_name is not None and not nested:
                self.methods[(class_name, node.name.value)] = info
            elif not nested:
                self.functions[node.name.value] = info
            inner = self._deeper(indents, node.body)
            for statement in _block(node.body):
                self._collect_definitions(statement, top, None, True, inner)
            return
        if isinstance(node, cst.ClassDef):
            self.class_scopes.setdefault(node.name.value, Scope())
            inner = self._deeper(indents, node.body)
            for statement in _block(node.body):
                self._collect_definitions(statement, top, node.name.value, nested, inner)
            return
        for body, block in _bodies_of(node):
            inner = self._deeper(indents, body)
            for statement in block:
                self._collect_definitions(statement, top, class_name, nested, inner)

    def _deeper(self, indents: tuple[str, ...], body: cst.CSTNode) -> tuple[str, ...]:
        if isinstance(body, cst.IndentedBlock):
            return (*indents, body.indent if body.indent is not None else self.module.default_indent)
        return indents

    def qualified(self, node: cst.BaseExpression) -> str | None:
        name = dotted(node)
        if name is None:
            return None
        first, _, rest = name.partition(".")
        resolved = self.aliases.get(first)
        if resolved is None:
            return name if first in ("input",) else None
        return f"{resolved}.{rest}" if rest else resolved

    # --- statements -------------------------------------------------------------------------

    def _walk_function(self, info: FunctionInfo) -> None:
        if info.walked:
            return
        info.walked = True
        if not info.nested and not info.parameter_clients and not self._may_concern_kafka(info.top):
            return
        class_scope = self.class_scopes.get(info.class_name) if info.class_name else None
        scope = Scope(parent=info.parent_scope or self.module_scope, class_scope=class_scope)
        for name, client in info.parameter_clients.items():
            scope.clients[name] = client
        context = Context(
            scope, info, Anchor(info.node, info.indents, info.top), class_name=info.class_name, method_name=info.node.name.value
        )
        context = self._enter(context, info.node.body)
        for statement in _block(info.node.body):
            self._statement(statement, context)

    def _enter(self, context: Context, block: cst.CSTNode, **changes: Any) -> Context:
        """The context for the statements of a block: one indentation level deeper."""
        anchor = context.top
        if isinstance(block, cst.IndentedBlock):
            indent = block.indent if block.indent is not None else self.module.default_indent
            changes["top"] = Anchor(anchor.statement, (*anchor.indents, indent), anchor.top)
        return context.with_(**changes) if changes else context

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
            for body, block in _bodies_of(node):
                inner = self._enter(context, body)
                for statement in block:
                    self._statement(statement, inner)

    def _if(self, node: cst.If, context: Context) -> None:
        self._expression(node.test, context)
        inner = context.with_(conditions=(*context.conditions, (len(context.loops), node.test)))
        body_context = self._enter(inner, node.body)
        for statement in _block(node.body):
            self._statement(statement, body_context)
        if isinstance(node.orelse, cst.If):
            self._if(node.orelse, inner)
        elif isinstance(node.orelse, cst.Else):
            else_context = self._enter(inner, node.orelse.body)
            for statement in _block(node.orelse.body):
                self._statement(statement, else_context)

    def _try(self, node: cst.Try | cst.TryStar, context: Context) -> None:
        handles = any(_handles_errors(handler) for handler in node.handlers)
        body_context = self._enter(context, node.body, **({"guard_depth": len(context.loops)} if handles else {}))
        for statement in _block(node.body):
            self._statement(statement, body_context)
        for handler in node.handlers:
            if handler.name is not None:
                name = target_key(handler.name.name) if isinstance(handler.name, cst.AsName) else None
                if name:
                    context.scope.records.pop(name, None)
            handler_context = self._enter(context, handler.body)
            for statement in _block(handler.body):
                self._statement(statement, handler_context)
        if node.orelse is not None:
            else_context = self._enter(context, node.orelse.body)
            for statement in _block(node.orelse.body):
                self._statement(statement, else_context)
        if node.finalbody is not None:
            final_context = self._enter(context, node.finalbody.body, in_finally=True)
            for statement in _block(node.finalbody.body):
                self._statement(statement, final_context)

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
                        context.scope.bind_client(name, client)
                        self.client_names.add(name.rsplit(".", 1)[-1])
                        client.bound = True
                        client.variable = client.variable or name
        body_context = self._enter(context, node.body)
        for statement in _block(node.body):
            self._statement(statement, body_context)

    def _loop(self, node: cst.For | cst.While, context: Context) -> None:
        loop = Loop(node, context.top, context.function)
        if isinstance(node, cst.For):
            self._expression(node.iter, context)
            self._classify_for(node, loop, context)
        else:
            self._expression(node.test, context)
        poll = self._polled_in(node.body, context)
        if poll is not None and loop.poll_client is None:
            loop.poll_client = poll[0]
            if fetch_kind(poll[0].cls, poll[1]) == RECORD:
                loop.per_record = True
        inner = self._enter(context, node.body, loops=(*context.loops, loop))
        for statement in _block(node.body):
            self._statement(statement, inner)
        if node.orelse is not None:
            else_context = self._enter(context, node.orelse.body)
            for statement in _block(node.orelse.body):
                self._statement(statement, else_context)

    def _classify_for(self, node: cst.For, loop: Loop, context: Context) -> None:
        scope = context.scope
        iterable = node.iter
        target_names = [name for name in names_in(node.target)]
        client = self._client_of_expression(iterable, context)
        if client is not None and iterates_records(client.cls):
            loop.poll_client, loop.per_record = client, True
            self._bind_records(target_names, RecordState(RECORD, client), loop, scope)
            return
        source = unwrap_await(iterable)
        if isinstance(source, cst.Call) and isinstance(source.func, cst.Attribute):
            owner = self._client_of_expression(source.func.value, context)
            method = source.func.attr.value
            if owner is not None and fetch_kind(owner.cls, method) == RECORD_LIST:
                loop.per_record = True
                self._bind_records(target_names, RecordState(RECORD, owner), loop, scope)
                return
            base = dotted(source.func.value)
            record = scope.record(base) if base else None
            if record is not None and record.kind == RECORD_MAP and method in ("items", "values"):
                names = target_names[-1:] if method == "items" else target_names
                for name in names:
                    scope.records[name] = RecordState(RECORD_LIST, record.client)
                return
        name = dotted(iterable)
        record = scope.record(name) if name else None
        if record is not None and record.kind == RECORD_LIST:
            loop.per_record = True
            self._bind_records(target_names, RecordState(RECORD, record.client), loop, scope)
            return
        for target in target_names:
            scope.records.pop(target, None)

    def _bind_records(self, names: list[str], state: RecordState, loop: Loop, scope: Scope) -> None:
        for name in names:
            scope.records[name] = RecordState(state.kind, state.client)
            loop.record_names.add(name)

    def _polled_in(self, body: cst.CSTNode, context: Context) -> tuple[ClientRecord, str] | None:
        """The consumer a loop body polls itself (not in nested loops or functions)."""
        for statement in _block(body):
            for node in _own_expressions(statement):
                for call in calls_in(node):
                    if isinstance(call.func, cst.Attribute):
                        client = self._client_of_expression(call.func.value, context)
                        if client is not None and fetch_kind(client.cls, call.func.attr.value):
                            return client, call.func.attr.value
        return None

    # --- small statements -------------------------------------------------------------------

    def _small_statement(self, node: cst.BaseSmallStatement, context: Context) -> None:
        scope = context.scope
        if isinstance(node, cst.Expr):
            self._expression(node.value, context, dropped=unwrap_await(node.value))
            call = unwrap_await(node.value)
            if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute):
                owner = dotted(call.func.value)
                bound = scope.value(owner) if owner else None
                if isinstance(bound, ConfigValue):
                    method = call.func.attr.value
                    owned = scope.owner_for(owner)
                    if method == "update":
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
            return
        if isinstance(node, (cst.Assign, cst.AnnAssign)):
            value = node.value
            if value is None:
                return
            self._expression(value, context)
            targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
            for target in targets:
                self._assign(target, value, context)
            return
        if isinstance(node, cst.AugAssign):
            self._expression(node.value, context)
            name = target_key(node.target)
            if name and isinstance(node.operator, cst.BitOrAssign):
                bound = scope.value(name)
                if isinstance(bound, ConfigValue):
                    updated = bound.copy()
                    updated.merge(config_value(node.value, scope, context.top, self.dict_shadowed))
                    scope.owner_for(name).values[name] = updated
            return
        if isinstance(node, cst.Del):
            for element in _targets_of(node.target):
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
            return
        if isinstance(node, cst.Raise):
            # `raise KafkaException(msg.error())` reports a record; it does not process one
            quiet = context.with_(in_raise=True)
            for child in (node.exc, node.cause):
                if child is not None:
                    self._expression(child if isinstance(child, cst.BaseExpression) else child.item, quiet)
            return
        if isinstance(node, cst.Return):
            if node.value is not None:
                self._expression(node.value, context)
                self._mark_escapes(node.value, context)
            return
        for child in children(node):
            if isinstance(child, cst.BaseExpression):
                self._expression(child, context)

    def _assign(self, target: cst.BaseExpression, value: cst.BaseExpression, context: Context) -> None:
        scope = context.scope
        if isinstance(target, cst.Subscript):
            owner = dotted(target.value)
            bound = scope.value(owner) if owner else None
            key_node = subscript_key(target)
            if isinstance(bound, ConfigValue):
                updated = bound.copy()
                if key_node is None:
                    updated.complete = False
                else:
                    set_item(updated, key_node, value, scope, context.top)
                scope.owner_for(owner).values[owner] = updated
            self._mark_escapes(value, context)
            return
        name = target_key(target)
        if name is None:
            for element in _targets_of(target):
                key = target_key(element)
                if key:
                    scope.records.pop(key, None)
                    scope.owner_for(key).values[key] = Scalar(UNKNOWN)
            self._mark_escapes(value, context)
            return
        expression = unwrap_await(value)
        client = self.constructions.get(id(expression)) or self._client_of_expression(expression, context)
        if client is not None:
            scope.bind_client(name, client)
            self.client_names.add(name.rsplit(".", 1)[-1])
            client.bound = True
            if not client.variable:
                client.variable = name
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
        for name in names_in(value):
            client = context.scope.client(name)
            if client is not None:
                client.escapes = True
        if isinstance(value, cst.Attribute):
            client = self._client_of_expression(value, context)
            if client is not None:
                client.escapes = True

    # --- expressions ------------------------------------------------------------------------

    def _client_of_expression(self, node: cst.BaseExpression, context: Context) -> ClientRecord | None:
        node = unwrap_await(node)
        if isinstance(node, cst.Call):
            return self.constructions.get(id(node))
        name = target_key(node)
        if name is None:
            return None
        return context.scope.client(name)

    def _expression(self, node: cst.BaseExpression, context: Context, dropped: cst.CSTNode | None = None) -> None:
        for call in calls_in(node):
            self._call(call, context, dropped=call is dropped)

    def _call(self, call: cst.Call, context: Context, dropped: bool) -> None:
        func = call.func
        qualified = self.qualified(func)
        if qualified is not None:
            cls = client_class(qualified)
            if cls is not None:
                self._construction(call, cls, context)
                return
            blocking = BLOCKING_CALLS.get(qualified)
            if blocking is not None:
                self._blocking(call, blocking, None, context)
                return
        if isinstance(func, cst.Attribute):
            owner = self._client_of_expression(func.value, context)
            if owner is not None:
                self._client_method(owner, func.attr.value, call, context, dropped)
                return
            base = dotted(func.value)
            record = context.scope.record(base) if base else None
            if record is not None and record.kind == RECORD:
                self._record_method(record, func.attr.value, call, context)
                return
        self._other_call(call, context)

    def _other_call(self, call: cst.Call, context: Context) -> None:
        scope = context.scope
        local = self._local_function(call.func, context)
        position = -1
        for arg in call.args:
            if arg.keyword is None and not arg.star:
                position += 1
            client = self._client_of_expression(arg.value, context)
            if client is not None:
                if local is not None and not local.walked and not arg.star:
                    parameter = _parameter_name(local.node, position, arg.keyword.value if arg.keyword else None)
                    if parameter:
                        local.parameter_clients[parameter] = client
                        continue
                client.escapes = True
            elif isinstance(arg.value, cst.Attribute) and arg.value.attr.value in _CLOSE_METHODS:
                owner = self._client_of_expression(arg.value.value, context)
                if owner is not None:  # atexit.register(consumer.close), signal handlers, ...
                    owner.closes.append((self._event(call, context), True))
        if local is not None:
            found = self._function_blocks(local, set())
            if found is not None:
                label, line = found
                self._blocking(call, label, (_callee_label(call.func), line), context)
        poll = context.poll_loop
        if poll is None or context.in_raise or self._is_logging(call.func):
            return
        records = {name for name, state in scope.records.items() if state.kind in (RECORD, DERIVED)}
        if not records or not any(mentions(arg.value, records) for arg in call.args):
            return
        if context.guard_depth >= context.loops.index(poll) + 1 or poll.reported_poison:
            return
        if local is not None and _catches_inside(local.node):
            return  # the helper handles its own failures (`def process(msg): try: ...`)
        poll.reported_poison = True
        self._fact(
            "poison-pill-unhandled",
            call,
            context,
            callee=_callee_label(call.func),
            loop_line=self._line(poll.node, poll.top),
            client=self._client_name(poll.poll_client),
        )

    def _is_logging(self, func: cst.BaseExpression) -> bool:
        name = dotted(func)
        if name is None:
            return False
        return name in _HARMLESS_CALLS or name.split(".", 1)[0] in _LOGGING_ROOTS

    def _local_function(self, func: cst.BaseExpression, context: Context) -> FunctionInfo | None:
        if isinstance(func, cst.Name):
            return self.functions.get(func.value)
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.value.value in ("self", "cls")
            and context.class_name is not None
        ):
            return self.methods.get((context.class_name, func.attr.value))
        return None

    def _function_blocks(self, info: FunctionInfo, seen: set[int]) -> tuple[str, int] | None:
        """The first blocking call a module function makes, directly or through another."""
        if info.blocking_known:
            return info.blocking
        if id(info) in seen:
            return None
        seen.add(id(info))
        found: tuple[str, int] | None = None
        for statement in _block(info.node.body):
            for node in _all_expressions(statement):
                for call in calls_in(node):
                    qualified = self.qualified(call.func)
                    label = BLOCKING_CALLS.get(qualified) if qualified else None
                    if label is not None:
                        found = (label, self._line(call, info.top))
                        break
                    callee = self._local_function(call.func, Context(self.module_scope, info, info.top, class_name=info.class_name))
                    if callee is not None and callee is not info:
                        nested = self._function_blocks(callee, seen)
                        if nested is not None:
                            found = nested
                            break
                if found:
                    break
            if found:
                break
        info.blocking, info.blocking_known = found, True
        return found

    def _blocking(self, call: cst.Call, label: str, via: tuple[str, int] | None, context: Context) -> None:
        poll = context.poll_loop
        if poll is None:
            return
        detail: dict[str, Any] = {
            "call": label,
            "loop_line": self._line(poll.node, poll.top),
            "client": self._client_name(poll.poll_client),
            "via": "",
        }
        if via is not None:
            detail["via"] = f" (through {via[0]}(), which calls it at line {via[1]})"
        self._fact("poll-loop-blocking-call", call, context, **detail)

    def _record_method(self, record: RecordState, method: str, call: cst.Call, context: Context) -> None:
        if method == "error":
            record.checked = True
            return
        if method not in ("value", "key") or record.checked or record.reported:
            return
        client = record.client
        if client is None or client.cls.library != CONFLUENT or client.cls.raises_on_error_message:
            return
        record.reported = True
        base = dotted(call.func.value) if isinstance(call.func, cst.Attribute) else "msg"
        self._fact("unchecked-message-error", call, context, record=base, method=method, client=self._client_name(client))

    # --- clients ----------------------------------------------------------------------------

    def _construction(self, call: cst.Call, cls: ClientClass, context: Context) -> None:
        if id(call) in self.constructions:
            return
        record = ClientRecord(cls, call, context.top)
        self.constructions[id(call)] = record
        self.clients.append(record)
        record.values = self._configuration(call, cls, context, record)
        if context.loops and not _breaks_out(context.loops[-1].node):
            # A loop that breaks out once the client is built is a connection retry, not a
            # client per iteration.
            self._fact("client-created-in-loop", call, context, client_class=cls.name, loop_line=self._line(context.loops[-1].node, context.loops[-1].top))

    def _client_method(self, client: ClientRecord, method: str, call: cst.Call, context: Context, dropped: bool) -> None:
        cls = client.cls
        client.used = True
        event = self._event(call, context, method)
        if method in _CLOSE_METHODS and (method == "close" or cls.library == AIOKAFKA):
            managed = context.in_finally or (context.method_name in _LIFECYCLE_METHODS)
            client.closes.append((event, managed))
            return
        if cls.role is Role.CONSUMER:
            if method == "commit" and self._synchronous_commit(cls, call):
                found = context.record_loop()
                if found is not None:
                    index, loop = found
                    if not self._batched(context, index, loop):
                        self._fact(
                            "commit-per-message",
                            call,
                            context,
                            client=self._client_name(client),
                            loop_line=self._line(loop.node, loop.top),
                        )
            elif method == "subscribe":
                self._subscribed(client, call, context)
            return
        if cls.role is not Role.PRODUCER:
            return
        if method in ("produce", "send", "send_and_wait"):
            client.produces.append(event)
            self._record_topic(client, call, context)
            if method == "send" and dropped and cls.library in (KAFKA_PYTHON, AIOKAFKA):
                self._fact("send-result-ignored", call, context, client=self._client_name(client), library=cls.library)
        elif method in ("poll", "flush"):
            client.serves.append(event)
            if method == "flush":
                event.batched = self._flush_batched(context)
                client.flushes.append(event)

    def _flush_batched(self, context: Context) -> bool:
        if not context.loops:
            return False
        index = len(context.loops) - 1
        return self._batched(context, index, context.loops[index])

    def _batched(self, context: Context, index: int, loop: Loop) -> bool:
        """A call under an `if` inside the loop that does not test the record runs per batch."""
        records = loop.record_names | {name for name, state in context.scope.records.items() if state.kind in (RECORD, DERIVED)}
        for depth, test in context.conditions:
            if depth > index and not mentions(test, records):
                return True
        return False

    def _synchronous_commit(self, cls: ClientClass, call: cst.Call) -> bool:
        if cls.library == CONFLUENT:
            value = argument(call, None, "asynchronous")
            return isinstance(value, cst.Name) and value.value == "False"
        return True  # kafka-python commit() and aiokafka `await commit()` wait for the broker

    def _subscribed(self, client: ClientRecord, call: cst.Call, context: Context) -> None:
        topics = argument(call, 0, "topics")
        value = static_value(topics, context.scope) if topics is not None else UNKNOWN
        if isinstance(value, str):
            value = [value]
        if topics is None or not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            client.topics_unknown = True
            return
        for topic in value:
            client.topics.append((topic, topics, context.top))

    def _record_topic(self, client: ClientRecord, call: cst.Call, context: Context) -> None:
        topic = argument(call, 0, "topic")
        if topic is not None:
            value = static_value(topic, context.scope)
            if isinstance(value, str):
                client.topics.append((value, topic, context.top))
        key = argument(call, 2, "key")
        if key is not None and not (isinstance(key, cst.Name) and key.value == "None"):
            client.keyed = True

    def _configuration(self, call: cst.Call, cls: ClientClass, context: Context, record: ClientRecord) -> ConfigValue:
        scope = context.scope
        result = ConfigValue()
        position = 0
        for arg in call.args:
            if arg.star == "**":
                result.merge(config_value(arg.value, scope, context.top, self.dict_shadowed))
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
        return result  # turned into a ClientConfig once the file is walked (see _emit_clients)

    # --- file-wide facts --------------------------------------------------------------------

    def _decide_file_facts(self) -> None:
        for client in self.clients:
            cls = client.cls
            if cls.role is Role.PRODUCER and cls.library == CONFLUENT and not cls.asynchronous:
                self._never_polled(client)
            if cls.role is Role.PRODUCER:
                self._flush_per_message(client)
            if cls.role is Role.CONSUMER:
                self._not_closed(client)

    def _never_polled(self, client: ClientRecord) -> None:
        reported: set[int] = set()
        for produce in client.produces:
            if produce.method != "produce" or not produce.loops:
                continue
            loops = set(map(id, produce.loops))
            served = any(
                loops & set(map(id, serve.loops)) or (serve.loops and serve.function is not produce.function)
                for serve in client.serves
            )
            if served or id(produce.loops[-1]) in reported:
                continue
            reported.add(id(produce.loops[-1]))
            self._fact_at(
                "producer-never-polled",
                produce.node,
                produce.top,
                client=self._client_name(client),
                loop_line=self._line(produce.loops[-1].node, produce.loops[-1].top),
            )

    def _flush_per_message(self, client: ClientRecord) -> None:
        for flush in client.flushes:
            if not flush.loops or flush.batched:
                continue
            innermost = flush.loops[-1]
            produces_here = any(event.loops and event.loops[-1] is innermost for event in client.produces)
            if produces_here or innermost.per_record:
                self._fact_at(
                    "producer-flush-per-message",
                    flush.node,
                    flush.top,
                    client=self._client_name(client),
                    loop_line=self._line(innermost.node, innermost.top),
                )

    def _not_closed(self, client: ClientRecord) -> None:
        if client.context_managed or client.escapes or not client.bound or not client.used:
            return  # a consumer this file never uses is handed to code we cannot see
        close_name = "stop()" if client.cls.library == AIOKAFKA else "close()"
        attribute = client.variable.split(".", 1)[1] if client.variable.startswith("self.") else None
        if not client.closes and attribute is not None and not attribute.startswith("_"):
            return  # a public attribute: whoever holds the object may close it (`worker.consumer.close()`)
        if not client.closes:
            self._fact_at(
                "consumer-not-closed", client.call, client.top,
                client=self._client_name(client), close=close_name, severity="warning",
                how="is never closed",
            )
            return
        if any(managed for _, managed in client.closes):
            return
        first = client.closes[0][0]
        self._fact_at(
            "consumer-not-closed", client.call, client.top,
            client=self._client_name(client), close=close_name, severity="info",
            how=f"is closed at line {self._line(first.node, first.top)} only on the normal path (not in a finally block or a context manager)",
        )

    def _emit_clients(self) -> None:
        from kafkalint.sources.clientfile import RawEntry, build_client

        # Functions are walked callers-first; clients are reported in source order.
        anchors = {id(client): self._location(client.call, client.top) for client in self.clients}
        for client in sorted(self.clients, key=lambda item: (anchors[id(item)].line, anchors[id(item)].column)):
            values = client.values
            if values is None or not _dialect_available(client.cls):
                continue
            entries = []
            for entry in values.entries.values():
                value = entry.value
                raw = "" if value is UNKNOWN else _raw_text(value)
                entries.append(
                    RawEntry(entry.key, value, raw, self._location(entry.key_node, entry.top), self._location(entry.value_node, entry.top))
                )
            config = build_client(
                entries,
                self.display,
                anchors[id(client)],
                self.project,
                role=client.cls.role,
                dialect=client.cls.dialect,
                name=client.variable or client.cls.name,
                origin="python",
            )
            config.all_settings_known = values.complete
            config.extras["python_class"] = client.cls.name
            config.client_class = client.cls.name
            for topic, node, top in client.topics:
                config.topics.append((topic, self._location(node, top)))
            config.group_topics_unknown = client.topics_unknown
            if client.keyed:
                config.extras["keyed"] = True
            client.config = config
            self.project.clients.append(config)

    # --- helpers ----------------------------------------------------------------------------

    def _event(self, call: cst.CSTNode, context: Context, method: str = "") -> CallEvent:
        return CallEvent(call, context.top, context.loops, context.function, method=method)

    def _client_name(self, client: ClientRecord | None) -> str:
        if client is None:
            return "the consumer"
        return client.variable or client.cls.name

    def _location(self, node: cst.CSTNode, top: cst.CSTNode):  # -> Location
        return self.positions.location(node, top)

    def _line(self, node: cst.CSTNode, top: cst.CSTNode) -> int:
        return self.positions.location(node, top).line

    def _fact(self, kind: str, node: cst.CSTNode, context: Context, **detail: Any) -> None:
        self._fact_at(kind, node, context.top, **detail)

    def _fact_at(self, kind: str, node: cst.CSTNode, top: cst.CSTNode, **detail: Any) -> None:
        self.project.facts.append(CodeFact(kind, self._location(node, top), detail))


_CLIENT_PACKAGES = ("confluent_kafka", "kafka", "aiokafka")


def _raw_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    return str(value)


def _dialect_available(cls: ClientClass) -> bool:
    from kafkalint.knowledge import DATA, _FILES

    return (DATA / _FILES[cls.dialect]).exists()


def _parameter_name(function: cst.FunctionDef, index: int, keyword: str | None) -> str | None:
    parameters = list(function.params.posonly_params) + list(function.params.params)
    if keyword is not None:
        names = {p.name.value for p in parameters} | {p.name.value for p in function.params.kwonly_params}
        return keyword if keyword in names else None
    if parameters and parameters[0].name.value in ("self", "cls"):
        parameters = parameters[1:]
    if index < len(parameters):
        return parameters[index].name.value
    return None


def _callee_label(func: cst.BaseExpression) -> str:
    return dotted(func) or "a call"


def _handles_errors(handler: cst.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    caught = handler.type
    names = [dotted(element.value) for element in caught.elements] if isinstance(caught, cst.Tuple) else [dotted(caught)]
    return any(name is None or name not in _HANDLED_NOTHING for name in names)


def _block(body: cst.CSTNode) -> list[cst.CSTNode]:
    if isinstance(body, cst.IndentedBlock):
        return list(body.body)
    if isinstance(body, cst.SimpleStatementSuite):
        return list(body.body)  # `if x: a; b` on one line: its small statements
    return []


def _bodies_of(node: cst.CSTNode) -> Iterator[tuple[cst.CSTNode, list[cst.CSTNode]]]:
    """(body, its statements) of any compound statement (if/for/while/try/with/match/...)."""
    body = getattr(node, "body", None)
    if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)):
        yield body, _block(body)
    orelse = getattr(node, "orelse", None)
    while orelse is not None:
        yield orelse.body, _block(orelse.body)
        if not isinstance(orelse, cst.If):
            break
        orelse = orelse.orelse
    for handler in getattr(node, "handlers", ()) or ():
        yield handler.body, _block(handler.body)
    final = getattr(node, "finalbody", None)
    if final is not None:
        yield final.body, _block(final.body)
    for case in getattr(node, "cases", ()) or ():
        yield case.body, _block(case.body)


def _blocks_of(node: cst.CSTNode) -> Iterator[list[cst.CSTNode]]:
    for _body, block in _bodies_of(node):
        yield block


def _expressions(statement: cst.CSTNode, into_loops: bool) -> Iterator[cst.CSTNode]:
    """Expressions a statement runs, nested definitions never. With into_loops=False the
    bodies of nested loops are left out (a loop body's *own* work: their iterables yes)."""
    if isinstance(statement, cst.SimpleStatementLine):
        yield from statement.body
        return
    if isinstance(statement, cst.BaseSmallStatement):
        yield statement
        return
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return
    if isinstance(statement, cst.For):
        yield statement.iter
    elif isinstance(statement, cst.While):
        yield statement.test
    elif isinstance(statement, cst.If):
        yield statement.test
    elif isinstance(statement, cst.With):
        for item in statement.items:
            yield item.item
    if not into_loops and isinstance(statement, (cst.For, cst.While)):
        return
    for block in _blocks_of(statement):
        for inner in block:
            yield from _expressions(inner, into_loops)


def _own_expressions(statement: cst.CSTNode) -> Iterator[cst.CSTNode]:
    return _expressions(statement, into_loops=False)


def _all_expressions(statement: cst.CSTNode) -> Iterator[cst.CSTNode]:
    return _expressions(statement, into_loops=True)


def _catches_inside(function: cst.FunctionDef) -> bool:
    """Does the function wrap its work in try/except at its top level?"""
    return any(
        isinstance(statement, (cst.Try, cst.TryStar)) and any(_handles_errors(handler) for handler in statement.handlers)
        for statement in _block(function.body)
    )


def _breaks_out(loop: cst.CSTNode) -> bool:
    """Does the loop's own body (not a nested loop or function) contain `break`?"""
    pending = list(_block(loop.body))
    while pending:
        statement = pending.pop()
        if isinstance(statement, cst.Break):
            return True
        if isinstance(statement, cst.SimpleStatementLine):
            pending.extend(statement.body)
        elif not isinstance(statement, (cst.For, cst.While, cst.FunctionDef, cst.ClassDef)):
            for block in _blocks_of(statement):
                pending.extend(block)
    return False


def _targets_of(node: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
    if isinstance(node, (cst.Tuple, cst.List)):
        for element in node.elements:
            yield from _targets_of(element.value)
    else:
        yield node
