"""What one Java or Kotlin file says about Kafka: clients and their configuration, topics,
and neutral code facts (a commit inside a record loop, a send whose result is dropped, ...).

The tree is walked once, in source order, with an explicit stack (never recursion), each node
carrying the loops and conditionals around it. Configuration maps are followed
by variable name through `put`/`setProperty`/`[]=`; a map handed to any other code may be
changed there, so it becomes incomplete. Class names count only when imported from the Kafka
packages (Vert.x has its own `KafkaConsumer`).

The walk is split by concern: walk_state.py (loops, contexts, client records), records.py
(record loops), declarations.py (names and what they hold), calls.py (constructions, map
writes, consumer calls), sends.py (producer and template sends), listeners.py
(`@KafkaListener`); this module walks and emits.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from kafkalint.model import ClientConfig, CodeFact, Dialect, Location, Project
from kafkalint.sources.jvm import grammar
from kafkalint.sources.jvm.calls import CallTracking
from kafkalint.sources.jvm.declarations import DeclarationTracking
from kafkalint.sources.jvm.grammar import Node
from kafkalint.sources.jvm.listeners import ListenerAnnotations
from kafkalint.sources.jvm.record_types import RecordTypes
from kafkalint.sources.jvm.records import RecordLoops
from kafkalint.sources.jvm.sends import SendTracking
from kafkalint.sources.jvm.values import CodeValues, ConfigMap
from kafkalint.sources.jvm.walk_state import EXPECTS_ERROR_CALLS, ClientRecord, Context, Loop

# Methods and functions whose bytes name none of these (nor a variable the file has bound to a
# map, a client or records) are not walked: they cannot change what the analysis records.
_FUNCTION_DECLARATIONS = frozenset({
    "method_declaration", "constructor_declaration", "function_declaration", "secondary_constructor",
    "anonymous_initializer", "static_initializer",
})
_RELEVANT_WORDS = re.compile(
    rb"Kafka|Consumer|Producer|Admin|Streams|Record|Config|Properties|Transaction|poll|commit|send|"
    rb"subscribe|put|setProperty|Map\.of|ofEntries|mapOf|MapOf|records"
)
# Node types the walk acts on, types whose children never matter, and parents whose children
# get a context of their own (a new function, a branch of a conditional).
_INTERESTING = frozenset({
    *grammar.LOOP_TYPES, *grammar.DECLARATION_TYPES, "lambda_expression", "lambda_literal",
    "assignment_expression", "assignment", "annotation", "marker_annotation", "method_invocation",
    "object_creation_expression", "call_expression",
})
_OPAQUE = frozenset({
    "string_literal", "identifier", "type_identifier", "generic_type", "scoped_type_identifier",
    "import_declaration", "package_declaration",
    "line_comment", "block_comment", "comment", "multiline_comment", "import_list", "import_header",
    "package_header", "integral_type", "floating_point_type", "boolean_type", "void_type", "array_type",
    "user_type", "type_arguments", "decimal_integer_literal", "number_literal", "character_literal",
    "scoped_identifier", "class_literal", "this", "super", "string_content", "string_fragment",
})
_CONTEXT_PARENTS = frozenset({*grammar.FUNCTION_TYPES, *grammar.CONDITIONAL_TYPES})


class FileAnalysis(DeclarationTracking, RecordLoops, CallTracking, SendTracking, ListenerAnnotations):
    def __init__(self, tree: Any, data: bytes, text: str, display: str, language: str, project: Project) -> None:
        self.root = tree.root_node
        self.data = data
        self.display = display
        self.language = language
        self.project = project
        self.values = CodeValues(self.root, language)
        self.record_types = RecordTypes(self.root, self.values)
        self.declared_types: dict[str, str] = {}  # name -> its declared type as written
        self.field_declared_types: dict[str, str] = {}
        self.records: dict[str, tuple[str, Node, bool]] = {}  # ProducerRecord variables: topic, node, keyed
        self.variable_types: dict[str, str] = {}  # name -> "consumer" | "producer" | "records" | "template"
        self.clients: dict[str, ClientRecord] = {}
        self.field_bindings: dict[str, int] = {}  # values given to each non-local name, whole file
        self.local_bindings: dict[str, int] = {}  # values given to each local name, this method
        self.all_clients: list[ClientRecord] = []
        self.transactional: set[str] = set()  # producer variables that run transactions
        self.local_names: set[str] = set()  # declared inside the current method
        self.field_types: dict[str, str] = {}  # class-level declarations outlive every method
        self.field_maps: dict[str, ConfigMap] = {}
        self.facts: list[CodeFact] = []
        self.ascii = text.isascii()
        self.byte_lines = [] if self.ascii else data.split(b"\n")

    # --- the walk ---------------------------------------------------------------------------

    def run(self) -> None:
        self.values.read_imports()
        self.values.read_constants()
        stack: list[tuple[Node, Context]] = [(self.root, Context())]
        while stack:
            node, context = stack.pop()
            kind = node.type
            if kind in _FUNCTION_DECLARATIONS:
                self._forget_locals()
                if not self._may_matter(node):
                    continue
            if kind in _INTERESTING:
                context = self._visit(node, kind, context)
            if kind in _OPAQUE:
                continue
            children = node.named_children
            if kind in _CONTEXT_PARENTS:
                for child in reversed(children):
                    stack.append((child, self._enter(node, kind, child, context)))
            else:
                stack.extend((child, context) for child in reversed(children))
        self._emit()

    def _expected_to_throw(self, lambda_node: Node) -> bool:
        """Is this lambda what a test assertion expects to throw (`assertThrows(X.class, () -> ...)`,
        Kotlin's `assertFailsWith<X> { ... }`)? Its call is two or three nodes up: the argument
        list, or the annotated lambda and the call suffix."""
        node = lambda_node.parent
        if node is not None and node.type == "binary_expression" and node.named_children:
            # The Kotlin grammar reads `assertFailsWith<X> { ... }` as the comparisons
            # `(assertFailsWith < X) > { ... }`: the call's name is the innermost left operand.
            left = node.named_children[0]
            while left.type == "binary_expression" and left.named_children:
                left = left.named_children[0]
            return left.type == "identifier" and grammar.text(left) in EXPECTS_ERROR_CALLS
        for _ in range(3):
            if node is None:
                return False
            if node.type == "call_expression" and node.named_children and node.named_children[0].type == "call_expression":
                # Kotlin's `assertFailsWith(X::class) { ... }`: the lambda follows the call it completes.
                node = node.named_children[0]
            call = grammar.call_of(node, self.language)
            if call is not None:
                return call.name in EXPECTS_ERROR_CALLS
            node = node.parent
        return False

    def _may_matter(self, node: Node) -> bool:
        """Can this method touch a client, its configuration or its records? Decided on its
        bytes: a Kafka word, a map-building call, or a name the file has bound to a map, a
        client or polled records so far. Most methods of a service are about something else."""
        body = self.data[node.start_byte : node.end_byte]
        if _RELEVANT_WORDS.search(body):
            return True
        return any(name.encode() in body for name in (*self.values.maps, *self.variable_types))

    def _enter(self, parent: Node, kind: str, child: Node, context: Context) -> Context:
        if kind in grammar.FUNCTION_TYPES and kind not in ("lambda_expression", "lambda_literal"):
            return Context(in_function=True)
        if kind in grammar.CONDITIONAL_TYPES and context.loops and child != grammar.field(parent, "condition"):
            depths = context.conditional_depth[:-1] + (context.conditional_depth[-1] + 1,)
            return replace(context, conditional_depth=depths)
        return context

    def _visit(self, node: Node, kind: str, context: Context) -> Context:
        if kind in grammar.LOOP_TYPES:
            loop = self._loop(node)
            return replace(context, loops=context.loops + (loop,), conditional_depth=context.conditional_depth + (0,))
        if kind in ("lambda_expression", "lambda_literal"):
            if not context.expects_error and self._expected_to_throw(node):
                context = replace(context, expects_error=True)
            if self._iterates_records(node):
                loop = Loop(node, self._line(node), True, False)
                return replace(context, loops=context.loops + (loop,), conditional_depth=context.conditional_depth + (0,))
            return context
        if kind in grammar.DECLARATION_TYPES:
            for name, value, type_text in grammar.declared(node, self.language):
                self._declare(name, value, type_text, node, context)
            return context
        if kind in ("assignment_expression", "assignment"):
            pair = grammar.assigned(node)
            if pair is not None:
                self._assign(pair[0], pair[1], context)
            return context
        if kind in ("annotation", "marker_annotation"):
            self._annotation(node)
            return context
        call = grammar.call_of(node, self.language)
        if call is not None:
            self._call(call, context)
        return context

    # --- results --------------------------------------------------------------------------------

    def _emit(self) -> None:
        from kafkalint.sources.clientfile import RawEntry, build_client

        for fact in self.facts:
            # A failed send in a transaction fails commitTransaction(): the Future is not the only report.
            fact.detail["transactional"] = fact.detail.get("client") in self.transactional
        self.project.facts.extend(self.facts)

        for record in self.all_clients:
            shell = record.config
            config_map: ConfigMap = shell.extras.pop("entries")
            entries = [
                RawEntry(entry.key, entry.value, entry.raw, self._as_location(entry.key_node), self._as_location(entry.value_node))
                for entry in config_map.entries.values()
            ]
            config = build_client(entries, self.display, shell.anchor, self.project, role=shell.role, dialect=Dialect.JAVA, name=shell.name, origin="java")
            config.all_settings_known = shell.all_settings_known and config_map.complete
            config.topics = shell.topics
            config.group_topics_unknown = shell.group_topics_unknown
            config.calls = shell.calls
            config.value_type = shell.value_type
            config.serializer_instances = shell.serializer_instances
            if shell.extras.pop("listener_container", False):
                self._container_defaults(config)
            config.extras.update(shell.extras)
            self.project.clients.append(config)

    def _container_defaults(self, config: ClientConfig) -> None:
        """A Spring listener container's consumer: Spring Kafka (2.3+) sets enable.auto.commit
        to false unless it is set, and commits itself. Spring Boot's other defaults
        (deserializers) apply only to factories Boot builds, not to this one."""
        from kafkalint.knowledge.frameworks import framework_defaults

        fact = framework_defaults("spring", "consumer").get("enable.auto.commit")
        if fact is not None and "enable.auto.commit" not in config.settings:
            config.extras["framework_defaults"] = {"enable.auto.commit": (fact["value"], fact["why"])}

    def _as_location(self, node: Any) -> Location:
        return node if isinstance(node, Location) else self._location(node)

    def _location(self, node: Node) -> Location:
        start, end = node.start_point, node.end_point
        return Location(self.display, start[0] + 1, self._column(start), end[0] + 1, self._column(end))

    def _column(self, point: Any) -> int:
        """tree-sitter counts bytes; kafkalint's columns count characters (1-based)."""
        row, offset = point[0], point[1]
        if self.ascii:
            return offset + 1
        line = self.byte_lines[row] if row < len(self.byte_lines) else b""
        return len(line[:offset].decode("utf-8", "replace")) + 1

    def _line(self, node: Node) -> int:
        return node.start_point[0] + 1

    def _fact(self, kind: str, node: Node, **detail: Any) -> None:
        self.facts.append(CodeFact(kind, self._location(node), detail))
