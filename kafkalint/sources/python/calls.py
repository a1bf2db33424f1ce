"""What each call in the walked code is: a client construction, a client method, a blocking
call (directly or through a function of the module), a read of a polled record, or other
code that may receive a client or process a record."""

from __future__ import annotations

import libcst as cst

from kafkalint.sources.python.blocks import all_expressions, callee_label, catches_inside, parameter_name, statements_of
from kafkalint.sources.python.client_classes import client_class
from kafkalint.sources.python.facts import BlockingCall, RecordCall, RecordReadBeforeErrorCheck
from kafkalint.sources.python.syntax import calls_in, children, dotted, mentions_content, target_key, unwrap_await
from kafkalint.sources.python.walk_state import DERIVED, RECORD, ClientRecord, Context, FunctionInfo, RecordState

# Calls that block the calling thread, and how facts name them.
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

# Calls that only log a record: they are not processing a record can break.
_LOGGING_ROOTS = {"print", "log", "logger", "logging", "LOG", "LOGGER", "_log", "_logger"}
_HARMLESS_CALLS = {"len", "str", "repr", "isinstance", "type", "id", "bool", "sys.stderr.write", "sys.stdout.write"}
CLOSE_METHODS = {"close", "stop"}
# Methods that keep a record whole (into a list, set, deque or queue): nothing in the record's
# content can make them raise. A call inside their argument (`rows.append(json.loads(...))`) is
# a call of its own and judged as such.
_COLLECTING_METHODS = {"append", "appendleft", "extend", "add", "insert", "put", "put_nowait"}


_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def _comprehensions_in(node: cst.CSTNode) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, _COMPREHENSIONS):
            found.append(current)
            continue
        stack.extend(children(current))
    return found


def _formats_text(func: cst.BaseExpression) -> bool:
    """`"...".format(...)` / `f"...".join(...)`: a method of a string literal only builds text."""
    return isinstance(func, cst.Attribute) and isinstance(func.value, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString))


class CallClassification:
    """Calls and the facts they make; mixed into ModuleAnalysis."""

    def _client_of_expression(self, node: cst.BaseExpression, context: Context) -> ClientRecord | None:
        node = unwrap_await(node)
        if isinstance(node, cst.Call):
            return self.constructions.get(id(node))
        name = target_key(node)
        if name is None:
            return None
        return context.scope.client(name)

    def _expression(self, node: cst.BaseExpression, context: Context, dropped: cst.CSTNode | None = None) -> None:
        for comprehension in _comprehensions_in(node):
            self.repeated_calls.update(id(inner) for inner in calls_in(comprehension))
        for call in calls_in(node):  # outer before inner: a logging call is seen before its arguments
            if self._is_logging(call.func) or _formats_text(call.func):
                self.logged_calls.update(id(inner) for inner in calls_in(call) if inner is not call)
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
        local = self._local_function(call.func, context)
        self._pass_clients(call, local, context)
        if local is not None:
            found = self._function_blocks(local, set())
            if found is not None:
                self._blocking(call, found[0], found[1], context)
        self._record_processing(call, local, context)

    def _pass_clients(self, call: cst.Call, local: FunctionInfo | None, context: Context) -> None:
        """Clients passed as arguments: to a helper's parameter when it is not walked yet,
        else they escape; `atexit.register(consumer.close)` closes on every path."""
        position = -1
        for arg in call.args:
            if arg.keyword is None and not arg.star:
                position += 1
            client = self._client_of_expression(arg.value, context)
            if client is not None:
                if local is not None and not local.walked and not arg.star:
                    parameter = parameter_name(local.node, position, arg.keyword.value if arg.keyword else None)
                    if parameter:
                        local.parameter_clients[parameter] = client
                        continue
                client.escapes = True
            elif isinstance(arg.value, cst.Attribute) and arg.value.attr.value in CLOSE_METHODS:
                owner = self._client_of_expression(arg.value.value, context)
                if owner is not None:  # atexit.register(consumer.close), signal handlers, ...
                    owner.closes.append((self._event(call, context), True))

    def _record_processing(self, call: cst.Call, local: FunctionInfo | None, context: Context) -> None:
        """A call in a poll loop that passes it a record is processing the poll loop records."""
        poll = context.poll_loop
        if poll is None or context.in_raise or context.handling_error or self._is_logging(call.func):
            return  # an error branch or except handler reports or dead-letters the record
        if id(call) in self.logged_calls or _formats_text(call.func):
            return  # builds text to log or print
        if isinstance(call.func, cst.Attribute) and call.func.attr.value in _COLLECTING_METHODS:
            return  # collects the record: cannot fail on its content

        records = {name for name, state in context.scope.records.items() if state.kind in (RECORD, DERIVED)}
        if not records or not any(mentions_content(arg.value, records) for arg in call.args):
            return
        depth = context.loops.index(poll) + 1
        guarded = context.guard_depth >= depth
        narrow = context.narrow_try
        poll.record_calls.append(
            RecordCall(
                self._location(call, context.top),
                callee_label(call.func),
                guarded,
                local is not None and catches_inside(local.node),
                narrow_try_line=narrow[0] if narrow is not None and narrow[1] >= depth else None,
            )
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
        for statement in statements_of(info.node.body):
            for node in all_expressions(statement):
                for call in calls_in(node):
                    found = self._call_blocks(call, info, seen)
                    if found:
                        break
                if found:
                    break
            if found:
                break
        info.blocking, info.blocking_known = found, True
        return found

    def _call_blocks(self, call: cst.Call, info: FunctionInfo, seen: set[int]) -> tuple[str, int] | None:
        qualified = self.qualified(call.func)
        label = BLOCKING_CALLS.get(qualified) if qualified else None
        if label is not None:
            return label, self._line(call, info.top)
        callee = self._local_function(call.func, Context(self.module_scope, info, info.top, class_name=info.class_name))
        if callee is not None and callee is not info:
            return self._function_blocks(callee, seen)
        return None

    def _blocking(self, call: cst.Call, label: str, line: int | None, context: Context) -> None:
        """A blocking call in a poll loop; `line` is where it is when a helper makes it."""
        poll = context.poll_loop
        if poll is None:
            return  # what blocks outside a poll loop delays no poll
        location = self._location(call, context.top)
        self._add_fact(BlockingCall(location, label, line or location.line, self._loop_span(poll)))

    def _record_method(self, record: RecordState, method: str, call: cst.Call, context: Context) -> None:
        if method == "error":
            record.checked = True
            return
        if method not in ("value", "key") or record.checked or record.reported:
            return
        record.reported = True
        base = dotted(call.func.value) if isinstance(call.func, cst.Attribute) else "msg"
        client = self._client_ref(record.client) if record.client is not None else None
        self._add_fact(RecordReadBeforeErrorCheck(self._location(call, context.top), base or "msg", method, client))
