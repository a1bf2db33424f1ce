"""Loops: which consumer a loop polls, whether it runs once per record, which names hold its
records, and whether a call in it runs once per record or once per batch. A loop is
classified before its body is walked, so facts about the body do not depend on the order of
its statements. A loop that polls becomes a PollLoop fact once its body is walked."""

from __future__ import annotations

import libcst as cst

from kafkalint.sources.python.blocks import own_expressions, statements_of
from kafkalint.sources.python.configs import Scope
from kafkalint.sources.python.facts import LoopSpan, PollLoop
from kafkalint.sources.python.syntax import calls_in, dotted, mentions, names_in, unwrap_await
from kafkalint.sources.python.walk_state import (
    DERIVED,
    RECORD,
    RECORD_LIST,
    RECORD_MAP,
    ClientRecord,
    Context,
    Loop,
    RecordState,
    fetch_kind,
    iterates_records,
)


class LoopTracking:
    """Loop classification and PollLoop facts; mixed into ModuleAnalysis."""

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
        self._block(node.body, self._enter(context, node.body, loops=(*context.loops, loop)))
        if node.orelse is not None:
            self._block(node.orelse.body, self._enter(context, node.orelse.body))
        if loop.poll_client is not None:
            self._add_fact(PollLoop(self._location(node, loop.top), self._loop_span(loop), tuple(loop.record_calls)))

    def _loop_span(self, loop: Loop) -> LoopSpan:
        """The loop as facts refer to it (computed once, after the loop is classified)."""
        if loop.span is not None:
            return loop.span
        location = self._location(loop.node, loop.top)
        polled = self._client_name(loop.poll_client) if loop.poll_client is not None else None
        loop.span = LoopSpan(location.line, location.column, polled, loop.per_record)
        return loop.span

    def _classify_for(self, node: cst.For, loop: Loop, context: Context) -> None:
        scope = context.scope
        iterable = node.iter
        target_names = list(names_in(node.target))
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
        for statement in statements_of(body):
            for node in own_expressions(statement):
                for call in calls_in(node):
                    if isinstance(call.func, cst.Attribute):
                        client = self._client_of_expression(call.func.value, context)
                        if client is not None and fetch_kind(client.cls, call.func.attr.value):
                            return client, call.func.attr.value
        return None

    def _innermost_batched(self, context: Context) -> bool:
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
