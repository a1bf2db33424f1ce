"""One parsed Python file -> Kafka clients (ClientConfig) and typed code facts.

A single walk over the statements of each scope, in source order, with the names each scope
binds: configuration dicts, scalar constants, clients, and the records a poll returns. The
walk is split by concern: definitions.py (imports, functions), statements.py (the walk
itself), config_updates.py (configuration dicts), loops.py (poll loops), calls.py (what a call
is), clients.py (client lifetimes). Facts that need the whole file (is this producer ever
polled? is this consumer ever closed?) are stated after every scope has been walked. The facts
(facts.py) say what the code does; rules decide whether that is a problem.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from kafkalint.model import UNKNOWN, ClientCall, GroupMembership, Location, Project, Role
from kafkalint.sources.python.calls import CallClassification
from kafkalint.sources.python.client_classes import CONFLUENT, ClientClass
from kafkalint.sources.python.clients import ClientTracking
from kafkalint.sources.python.config_updates import ConfigTracking
from kafkalint.sources.python.configs import Scope
from kafkalint.sources.python.definitions import DefinitionIndex
from kafkalint.sources.python.loops import LoopTracking
from kafkalint.sources.python.positions import Anchor, PositionIndex
from kafkalint.sources.python.statements import StatementWalker
from kafkalint.sources.python.walk_state import CallEvent, ClientRecord, Context, FunctionInfo


class ModuleAnalysis(DefinitionIndex, StatementWalker, ConfigTracking, LoopTracking, CallClassification, ClientTracking):
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
        self.logged_calls: set[int] = set()  # calls inside a logging or text-formatting call
        self.repeated_calls: set[int] = set()  # calls inside a comprehension

    def run(self) -> None:
        for statement in self.module.body:
            self._collect_definitions(statement, statement, None)
        if not self.imports_a_client_package():
            return
        for statement in self.module.body:
            self._statement(statement, Context(self.module_scope, None, Anchor(statement, (), statement)))
        for info in self._function_order():
            self._walk_function(info)
        self._add_lifetime_facts()
        self._emit_clients()

    def _emit_clients(self) -> None:
        from kafkalint.sources.clientfile import RawEntry, build_client

        # Functions are walked callers-first; clients are reported in source order.
        anchors = {id(client): self._location(client.call, client.top) for client in self.clients}
        shared = _shared_names(self.clients)
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
            if _holder(client) not in shared:
                calls = [ClientCall(method, self._location(node, top)) for method, node, top in client.calls]
                config.calls = sorted(calls, key=lambda item: (item.location.line, item.location.column))
            if client.keyed:
                config.extras["keyed"] = True
            if _metadata_only(client):
                config.group_membership = GroupMembership.NO_GROUP
            self.project.clients.append(config)

    # --- shared by the parts --------------------------------------------------------------------

    def _event(self, call: cst.CSTNode, context: Context, method: str = "") -> CallEvent:
        return CallEvent(call, context.top, context.loops, context.function, method=method)

    def _client_name(self, client: ClientRecord) -> str:
        return client.variable or client.cls.name

    def _location(self, node: cst.CSTNode, top: cst.CSTNode) -> Location:
        return self.positions.location(node, top)

    def _line(self, node: cst.CSTNode, top: cst.CSTNode) -> int:
        return self.positions.location(node, top).line

    def _add_fact(self, fact: Any) -> None:
        self.project.facts.append(fact)


def _raw_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    return str(value)


# Consumer methods that read metadata or offsets without joining the group or fetching records.
_METADATA_METHODS = frozenset({
    "list_topics", "get_watermark_offsets", "committed", "position", "offsets_for_times", "assignment",
    "memberid", "consumer_group_metadata", "list_groups", "close", "topics", "partitions_for_topic",
    "beginning_offsets", "end_offsets", "highwater",
})


def _metadata_only(client: ClientRecord) -> bool:
    """A confluent-kafka consumer the file only asks for metadata or watermarks: it never
    subscribes, assigns, polls or commits, and is not handed to code the file does not walk."""
    return (
        client.cls.role is Role.CONSUMER
        and client.cls.library == CONFLUENT
        and client.bound
        and client.used
        and not client.escapes
        and not client.context_managed
        and client.methods <= _METADATA_METHODS
    )


def _holder(client: ClientRecord) -> tuple[Any, str] | None:
    """The name a client is kept in: an attribute of its class, or a variable of its function."""
    if not client.variable:
        return None
    if client.variable.startswith("self."):
        return client.class_name, client.variable
    return id(client.function), client.variable


def _shared_names(clients: list[ClientRecord]) -> set[tuple[Any, str]]:
    """Names that hold one of several clients (built in two branches, rebuilt later): a call
    made through such a name may be on either, so it is given to none."""
    seen: dict[tuple[Any, str], int] = {}
    for client in clients:
        holder = _holder(client)
        if holder is not None:
            seen[holder] = seen.get(holder, 0) + 1
    return {holder for holder, count in seen.items() if count > 1}


def _dialect_available(cls: ClientClass) -> bool:
    from kafkalint.knowledge import DATA, _FILES

    return (DATA / _FILES[cls.dialect]).exists()
