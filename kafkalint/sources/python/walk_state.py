"""The state one walk over a Python module keeps: loops entered, clients built, records
polled, functions known, and the context of the statement being walked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from kafkalint.model import Role
from kafkalint.sources.python.client_classes import AIOKAFKA, CONFLUENT, KAFKA_PYTHON, ClientClass
from kafkalint.sources.python.configs import ConfigValue, Scope
from kafkalint.sources.python.facts import LoopSpan, RecordCall

# What a consumer's fetch method returns.
RECORD = "record"
RECORD_LIST = "list"
RECORD_MAP = "map"
DERIVED = "derived"  # a value computed from a record


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
    span: LoopSpan | None = None  # computed on first use, once the loop is classified
    record_calls: list[RecordCall] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class CallEvent:
    node: cst.CSTNode
    top: cst.CSTNode
    loops: tuple[Loop, ...]
    function: Any
    batched: bool = False
    method: str = ""
    dropped: bool = False
    repeated: bool = False  # inside a comprehension: runs many times per iteration of its loop


@dataclass(slots=True, eq=False)
class ClientRecord:
    cls: ClientClass
    call: cst.Call
    top: cst.CSTNode
    loop: Loop | None = None  # the innermost loop around the construction
    variable: str = ""
    values: ConfigValue | None = None
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
    methods: set[str] = field(default_factory=set)  # every method of the client the file calls
    calls: list[tuple[str, cst.Call, cst.CSTNode]] = field(default_factory=list)  # (method, call, top) in walk order
    function: Any = None  # the function the construction is in (None: module level)
    class_name: str | None = None  # the class whose method builds it
    transactions: list[CallEvent] = field(default_factory=list)  # begin/commit/abort_transaction calls


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
    # In an except handler, or in the branch of an `if` that handles an error or end-of-partition
    # event: the code there reports or dead-letters a record instead of processing it.
    handling_error: bool = False
    # The nearest try whose handlers catch no processing error (only KeyboardInterrupt, ...):
    # the message names it instead of saying there is no try at all.
    narrow_try: tuple[int, int] | None = None  # (line, len(loops) where it opened)
    # In the body of `with pytest.raises(...)` / `with self.assertRaises(...)`: a test that
    # expects what it builds there to be refused (a client given an invalid value on purpose).
    expects_error: bool = False

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
