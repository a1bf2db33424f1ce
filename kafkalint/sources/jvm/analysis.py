"""What one Java or Kotlin file says about Kafka: clients and their configuration, topics,
and neutral code facts (a commit inside a record loop, a send whose result is dropped, ...).

The tree is walked once, in source order, with an explicit stack (never recursion), each node
carrying the loops and conditionals around it. Configuration maps are followed
by variable name through `put`/`setProperty`/`[]=`; a map handed to any other code may be
changed there, so it becomes incomplete. Class names count only when imported from the Kafka
packages (Vert.x has its own `KafkaConsumer`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from kafkalint.model import (
    UNKNOWN,
    ClientCall,
    ClientConfig,
    CodeFact,
    Dialect,
    Location,
    Project,
    Role,
)
from kafkalint.sources.jvm import grammar
from kafkalint.sources.jvm.grammar import JAVA, Call, Node
from kafkalint.sources.jvm.record_types import RecordTypes, constructed_type
from kafkalint.sources.jvm.templates import TEMPLATE_TOPIC, module_of
from kafkalint.sources.jvm.values import (
    MAP_CLASSES,
    MAP_READS,
    MAP_WRITES,
    VALUE_DEPTH,
    CodeValues,
    ConfigMap,
    Entry,
)

# Fully qualified Kafka classes the analysis recognises, by simple name.
_CLIENT_CLASSES: dict[str, tuple[str, Role]] = {
    "KafkaProducer": ("org.apache.kafka.clients.producer", Role.PRODUCER),
    "KafkaConsumer": ("org.apache.kafka.clients.consumer", Role.CONSUMER),
    "KafkaStreams": ("org.apache.kafka.streams", Role.STREAMS),
    "DefaultKafkaProducerFactory": ("org.springframework.kafka.core", Role.PRODUCER),
    "DefaultKafkaConsumerFactory": ("org.springframework.kafka.core", Role.CONSUMER),
}
_ADMIN_FACTORIES = {
    "Admin": "org.apache.kafka.clients.admin", "AdminClient": "org.apache.kafka.clients.admin",
    "KafkaAdminClient": "org.apache.kafka.clients.admin",
}
_RECORD_CLASS = ("ProducerRecord", "org.apache.kafka.clients.producer")
_TRANSACTION_CALLS = {"beginTransaction", "commitTransaction", "sendOffsetsToTransaction", "initTransactions"}
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


@dataclass(slots=True, frozen=True)
class Loop:
    node: Node
    line: int
    over_records: bool  # iterates the records of a poll
    polls: bool  # its body calls poll() on a consumer


@dataclass(slots=True, frozen=True)
class Context:
    loops: tuple[Loop, ...] = ()
    conditional_depth: tuple[int, ...] = ()  # conditionals entered inside each loop
    in_function: bool = False

    def record_loop(self) -> tuple[Loop, bool] | None:
        """(innermost record loop, whether a conditional stands between it and here)."""
        for index in range(len(self.loops) - 1, -1, -1):
            if self.loops[index].over_records:
                guarded = any(depth > 0 for depth in self.conditional_depth[index:])
                return self.loops[index], guarded
        return None


@dataclass(slots=True)
class ClientRecord:
    config: ClientConfig
    variable: str | None


class FileAnalysis:
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
        self.all_clients: list[ClientRecord] = []
        self.transactional: set[str] = set()  # producer variables that run transactions
        self.local_names: set[str] = set()  # declared inside the current method
        self.field_types: dict[str, str] = {}  # class-level declarations outlive every method
        self.field_maps: dict[str, ConfigMap] = {}
        self.facts: list[CodeFact] = []
        self.test_code = _is_test_code(display)
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

    def _forget_locals(self) -> None:
        """A method's variables and literals are its own: the next method starts without them."""
        for name in self.local_names:
            self.values.maps.pop(name, None)
            self.variable_types.pop(name, None)
            self.records.pop(name, None)
            self.clients.pop(name, None)
            self.declared_types.pop(name, None)
            # A parameter named like a field shadowed it in that method only.
            if name in self.field_declared_types:
                self.declared_types[name] = self.field_declared_types[name]
            if name in self.field_types:
                self.variable_types[name] = self.field_types[name]
            if name in self.field_maps:
                self.values.maps[name] = self.field_maps[name]
        self.local_names.clear()
        self.values.locals.clear()

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

    def _loop(self, node: Node) -> Loop:
        _variable, iterable = grammar.loop_iterable(node, self.language)
        over_records = iterable is not None and self._is_records(iterable)
        return Loop(node, self._line(node), over_records, self._polls_inside(node))

    def _is_records(self, node: Node, depth: int = 0) -> bool:
        """Is this expression the records of a poll: `consumer.poll(...)`, a variable holding
        them, `records.records(topic)`?"""
        if depth > VALUE_DEPTH:
            return False
        name = grammar.dotted_name(node)
        if name is not None:
            return self.variable_types.get(name) == "records"
        call = grammar.call_of(node, self.language)
        if call is None or call.receiver is None:
            return False
        if call.name == "poll":
            return self._role_of(call.receiver) == "consumer"
        if call.name == "records":
            return self._is_records(call.receiver, depth + 1)
        return False

    def _iterates_records(self, node: Node) -> bool:
        """A lambda passed to `records.forEach(...)`."""
        parent = node.parent
        while parent is not None and parent.type in ("argument_list", "value_argument", "value_arguments", "annotated_lambda"):
            parent = parent.parent
        if parent is None:
            return False
        call = grammar.call_of(parent, self.language)
        return call is not None and call.name == "forEach" and call.receiver is not None and self._is_records(call.receiver)

    def _polls_inside(self, node: Node) -> bool:
        if b"poll" not in self.data[node.start_byte : node.end_byte]:
            return False  # most loops: decided on the bytes, no walk
        stack = list(node.named_children)
        while stack:
            item = stack.pop()
            if item.type in grammar.LOOP_TYPES:
                continue  # a poll in a nested loop is that loop's (a reconnect loop around a poll loop)
            if item.type in grammar.FUNCTION_TYPES and item.type not in ("lambda_expression", "lambda_literal"):
                continue
            call = grammar.call_of(item, self.language)
            if call is not None and call.name == "poll" and call.receiver is not None and self._role_of(call.receiver) == "consumer":
                return True
            stack.extend(item.named_children)
        return False

    def _role_of(self, node: Node) -> str | None:
        name = grammar.dotted_name(node)
        if name is None:
            return None
        return self.variable_types.get(name)

    # --- declarations and assignments -------------------------------------------------------

    def _declare(self, name: str, value: Node | None, type_text: str, node: Node, context: Context) -> None:
        self.declared_types[name] = type_text
        if context.in_function:
            self.local_names.add(name)
        else:
            self.field_declared_types[name] = type_text
            self._remember_field(name, value, type_text, node, context)
            return
        kind = self.values.kind_of_type(type_text) if type_text else None
        if kind is not None:
            self.variable_types[name] = kind
        else:
            self.variable_types.pop(name, None)
        self.values.maps.pop(name, None)
        self.records.pop(name, None)
        if value is not None:
            self._bind(name, value, context)
            if self.variable_types.get(name) == "records":
                self._records_type(type_text, value)
        elif node.type not in ("field_declaration", "property_declaration"):
            self.values.locals.pop(name, None)  # a parameter shadows a constant of the same name

    def _remember_field(self, name: str, value: Node | None, type_text: str, node: Node, context: Context) -> None:
        kind = self.values.kind_of_type(type_text) if type_text else None
        self.field_types.pop(name, None)
        self.field_maps.pop(name, None)
        if kind is not None:
            self.variable_types[name] = self.field_types[name] = kind
        else:
            self.variable_types.pop(name, None)
        self.values.maps.pop(name, None)
        if value is not None:
            self._bind(name, value, context)
            if name in self.values.maps:
                self.field_maps[name] = self.values.maps[name]
            if name in self.variable_types:
                self.field_types[name] = self.variable_types[name]

    def _assign(self, left: Node, right: Node, context: Context) -> None:
        indexed = grammar.index_target(left)
        if indexed is not None:
            target = grammar.dotted_name(indexed[0])
            if target in self.values.maps:
                self.values.put(self.values.maps[target], indexed[1], right)
            return
        name = grammar.dotted_name(left)
        if name is not None:
            self.values.maps.pop(name, None)
            self._bind(name, right, context)

    def _bind(self, name: str, value: Node, context: Context) -> None:
        scalar = self.values.value(value)
        if scalar is not UNKNOWN:
            self.values.locals[name] = scalar  # `String topic = "orders";` read later in the same method
            return
        self.values.locals.pop(name, None)
        config = self.values.config_map(value)
        if config is not None:
            self.values.maps[name] = config
            return
        call = grammar.call_of(value, self.language)
        if call is None:
            return
        if self._is_records(value):
            self.variable_types[name] = "records"  # `consumer.poll(...)`, `records.records(partition)`
        elif call.constructs and self._client_class(call) is not None:
            role = self._client_class(call)
            self.variable_types[name] = "consumer" if role is Role.CONSUMER else "producer" if role is Role.PRODUCER else "client"
        elif call.constructs and call.name == _RECORD_CLASS[0] and self.values.is_class(call.type_text, _RECORD_CLASS[1]):
            topic = self._record_topic(call)
            if topic is not None:
                self.records[name] = topic

    # --- calls ---------------------------------------------------------------------------------

    def _client_class(self, call: Call) -> Role | None:
        if call.constructs:
            found = _CLIENT_CLASSES.get(call.name)
            if found is not None and self.values.is_class(call.type_text or call.name, found[0]):
                return found[1]
            return None
        if call.name == "create" and call.receiver is not None:
            written = grammar.text(call.receiver)
            simple = written.rsplit(".", 1)[-1]
            if simple in _ADMIN_FACTORIES and self.values.is_class(written, _ADMIN_FACTORIES[simple]):
                return Role.ADMIN
        return None

    def _call(self, call: Call, context: Context) -> None:
        role = self._client_class(call)
        if role is not None:
            self._construction(call, role, context)
            return
        receiver = grammar.dotted_name(call.receiver) if call.receiver is not None else None
        if receiver is not None and receiver in self.values.maps:
            self._map_method(self.values.maps[receiver], call)
            return
        self._escapes(call)
        kind = self.variable_types.get(receiver) if receiver is not None else None
        if kind == "consumer":
            self._consumer_call(receiver, call, context)
        elif kind in ("producer", "template"):
            self._producer_call(receiver, kind, call, context)

    def _map_method(self, target: ConfigMap, call: Call) -> None:
        if call.name in MAP_WRITES and len(call.arguments) == 2:
            if call.name == "putIfAbsent" and self.values.key(call.arguments[0]) in target.entries:
                return
            self.values.put(target, call.arguments[0], call.arguments[1])
        elif call.name == "putAll" and len(call.arguments) == 1:
            target.merge(self.values.config_map(call.arguments[0]))
        elif call.name in ("remove",) and call.arguments:
            key = self.values.key(call.arguments[0])
            if key is None:
                target.complete = False
            else:
                target.entries.pop(key, None)
        elif call.name not in MAP_READS:
            target.complete = False  # load(stream), clear(), compute(...): not followed

    def _escapes(self, call: Call) -> None:
        """A map handed to other code may be changed there: its configuration is incomplete."""
        if call.constructs and call.name in MAP_CLASSES:
            return  # `new HashMap<>(props)` copies it
        for argument in call.arguments:
            name = grammar.dotted_name(argument)
            if name is not None and name in self.values.maps:
                self.values.maps[name].complete = False

    def _construction(self, call: Call, role: Role, context: Context) -> None:
        argument_index = 1 if call.name == "KafkaStreams" else 0
        config = None
        if len(call.arguments) > argument_index:
            argument = call.arguments[argument_index]
            inner = grammar.call_of(argument, self.language)
            if inner is not None and inner.constructs and inner.name == "StreamsConfig" and inner.arguments:
                argument = inner.arguments[0]
            config = self.values.config_map(argument)
        variable = self._bound_name(call.node)
        if variable is not None:
            self.variable_types[variable] = {Role.CONSUMER: "consumer", Role.PRODUCER: "producer"}.get(role, "client")
        found = context.record_loop()
        loop = found[0] if found is not None else next((item for item in reversed(context.loops) if item.polls), None)
        if loop is not None and not call.name.startswith("Default"):
            self._fact("jvm-client-created-in-loop", call.node, client_class=call.name if call.constructs else grammar.text(call.receiver), loop_line=loop.line)
        if config is None:
            return
        if call.name == "KafkaStreams":
            role = Role.STREAMS
        instances = self._serializer_arguments(call, role, config)
        client = ClientConfig(role=role, dialect=Dialect.JAVA, anchor=self._location(call.node), name=variable or "", origin="java")
        client.all_settings_known = config.complete
        client.serializer_instances = instances
        declared = self.declared_types.get(variable.removeprefix("this."), "") if variable is not None else ""
        client.value_type = self.record_types.value_type(constructed_type(call.node)) or self.record_types.value_type(declared)
        if call.name == "DefaultKafkaConsumerFactory":
            client.extras["listener_container"] = True
        client.extras["entries"] = config
        record = ClientRecord(client, variable)
        if variable is not None:
            self.clients[variable] = record
        self.all_clients.append(record)

    def _serializer_arguments(self, call: Call, role: Role, config: ConfigMap) -> bool:
        """`new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())`: True
        when the constructor is handed (de)serializer objects."""
        if call.name not in ("KafkaProducer", "KafkaConsumer") or len(call.arguments) != 3:
            return False
        side = "serializer" if role is Role.PRODUCER else "deserializer"
        for key, node in ((f"key.{side}", call.arguments[1]), (f"value.{side}", call.arguments[2])):
            inner = grammar.call_of(node, self.language)
            value: Any = UNKNOWN
            if inner is not None and inner.constructs and not inner.arguments:
                value = self.values.imports.get(inner.name, inner.type_text or inner.name)
            config.entries[key] = Entry(key, value, "" if value is UNKNOWN else str(value), node, node)
        return True

    def _records_type(self, type_text: str, value: Node) -> None:
        """`ConsumerRecords<String, Order> records = consumer.poll(...)` types that consumer."""
        call = grammar.call_of(value, self.language)
        if call is None or call.name != "poll" or call.receiver is None:
            return
        record = self.clients.get(grammar.dotted_name(call.receiver) or "")
        if record is not None and record.config.value_type is None:
            record.config.value_type = self.record_types.value_type(type_text)

    def _bound_name(self, node: Node) -> str | None:
        parent = node.parent
        while parent is not None and parent.type in ("parenthesized_expression", "cast_expression"):
            parent = parent.parent
        if parent is None:
            return None
        if parent.type in ("variable_declarator", "resource"):
            name = grammar.field(parent, "name")
            return grammar.text(name) if name is not None else None
        if parent.type == "property_declaration":
            found = grammar.declared(parent, self.language)
            return found[0][0] if found else None
        pair = grammar.assigned(parent)
        if pair is not None and pair[1] == node:
            return grammar.dotted_name(pair[0])
        return None

    def _consumer_call(self, receiver: str, call: Call, context: Context) -> None:
        record = self.clients.get(receiver)
        if record is not None:
            record.config.calls.append(ClientCall(call.name, self._location(call.node)))
        if call.name == "commitSync":
            found = context.record_loop()
            if found is not None and not found[1]:
                self._fact("jvm-commit-in-record-loop", call.node, client=receiver, loop_line=found[0].line)
        elif call.name == "poll" and len(call.arguments) == 1:
            value = self.values.value(call.arguments[0])
            if isinstance(value, int) and not isinstance(value, bool):
                self._fact("jvm-poll-with-long-timeout", call.node, client=receiver, timeout=grammar.text(call.arguments[0]))
        elif call.name == "subscribe" and call.arguments:
            self._subscribe(receiver, call.arguments[0])

    def _subscribe(self, receiver: str, argument: Node) -> None:
        record = self.clients.get(receiver)
        if record is None:
            return
        topics = self._topic_list(argument)
        if topics is None:
            record.config.group_topics_unknown = True
            return
        for name, node in topics:
            record.config.topics.append((name, self._location(node)))

    def _topic_list(self, node: Node) -> list[tuple[str, Node]] | None:
        call = grammar.call_of(node, self.language)
        items: list[Node]
        if call is not None and call.name in ("of", "asList", "singletonList", "singleton", "listOf", "setOf", "mutableListOf", "arrayListOf"):
            items = call.arguments
        else:
            items = [node]
        found = []
        for item in items:
            value = self.values.value(item)
            if not isinstance(value, str):
                return None
            found.append((value, item))
        return found

    def _producer_call(self, receiver: str, kind: str, call: Call, context: Context) -> None:
        if call.name in _TRANSACTION_CALLS:
            self.transactional.add(receiver)
        if call.name != "send" or not call.arguments:
            return
        record = self.clients.get(receiver)
        first = call.arguments[0]
        topic: tuple[str, Node, bool] | None = None
        if kind == "producer":
            name = grammar.dotted_name(first)
            if name is not None:
                topic = self.records.get(name)
            else:
                inner = grammar.call_of(first, self.language)
                if inner is not None and inner.constructs and inner.name == _RECORD_CLASS[0]:
                    topic = self._record_topic(inner)
        if kind == "template":
            topic = self._template_topic(call)
            if topic is not None:
                # The template's producer is configured elsewhere (application.yml, a factory
                # bean): sources/jvm/templates.py gives the topic to it after every file is read.
                self.facts.append(
                    CodeFact(TEMPLATE_TOPIC, self._location(topic[1]), {"topic": topic[0], "keyed": topic[2], "module": module_of(self.display)})
                )
        if record is not None and topic is not None:
            record.config.topics.append((topic[0], self._location(topic[1])))
            if topic[2]:
                record.config.extras["keyed"] = True
        parent = call.node.parent
        awaited = parent is not None and self._awaits(parent, call.node)
        if awaited and context.loops:
            self._fact("jvm-send-awaited-in-loop", call.node, client=receiver, loop_line=context.loops[-1].line)
        if kind == "producer" and len(call.arguments) == 1 and call.trailing_lambda is None and self._result_dropped(call.node):
            self._fact("jvm-send-result-dropped", call.node, client=receiver)

    def _template_topic(self, call: Call) -> tuple[str, Node, bool] | None:
        """`template.send("orders", key, value)`, `template.send(record)`."""
        first = call.arguments[0]
        name = grammar.dotted_name(first)
        if name is not None and name in self.records:
            return self.records[name]
        inner = grammar.call_of(first, self.language)
        if inner is not None and inner.constructs and inner.name == _RECORD_CLASS[0]:
            return self._record_topic(inner)
        topic = self.values.value(first)
        if not isinstance(topic, str) or len(call.arguments) < 2:
            return None
        # send(topic, data) | send(topic, key, data) | send(topic, partition, key, data) | ...
        keyed = len(call.arguments) == 3 and grammar.text(call.arguments[1]) != "null"
        return topic, first, keyed

    def _awaits(self, parent: Node, send: Node) -> bool:
        """`producer.send(r).get()` (the future awaited on the spot)."""
        if self.language == JAVA:
            outer = parent if parent.type == "method_invocation" and grammar.field(parent, "object") == send else None
        else:
            outer = parent.parent if parent.type == "navigation_expression" and parent.named_children[0] == send else None
        if outer is None:
            return False
        call = grammar.call_of(outer, self.language)
        return call is not None and call.name in ("get", "join")

    def _result_dropped(self, node: Node) -> bool:
        parent = node.parent
        if self.language == JAVA:
            return parent is not None and parent.type == "expression_statement"
        # Kotlin: a statement of a block, not the last expression of a lambda (its value).
        return parent is not None and parent.type in ("block", "statements") and parent.parent is not None and parent.parent.type != "lambda_literal"

    def _record_topic(self, call: Call) -> tuple[str, Node, bool] | None:
        if not call.arguments:
            return None
        topic = self.values.value(call.arguments[0])
        if not isinstance(topic, str):
            return None
        keyed = False
        if len(call.arguments) == 3:
            key = call.arguments[1]
            keyed = grammar.text(key) != "null"
        return topic, call.arguments[0], keyed

    # --- Spring @KafkaListener ----------------------------------------------------------------

    def _annotation(self, node: Node) -> None:
        parts = grammar.annotation_parts(node, self.language)
        if parts is None or parts[0] != "KafkaListener" or not self.values.is_class("KafkaListener", "org.springframework.kafka.annotation"):
            return
        attributes = parts[1]
        client = ClientConfig(role=Role.CONSUMER, dialect=Dialect.JAVA, anchor=self._location(node), name="@KafkaListener", origin="java")
        client.extras["listener_container"] = True
        # The container merges these over the consumer factory's configuration, seen elsewhere.
        client.all_settings_known = False
        config = ConfigMap(complete=False)
        for item in grammar.elements(attributes["properties"]) if "properties" in attributes else []:
            written = grammar.string_value(item, self.language)
            if written is None:
                continue
            self._listener_property(config, written, item)
        for attribute, key in (("groupId", "group.id"), ("id", None)):
            if attribute in attributes and key is not None:
                value = self.values.value(attributes[attribute])
                if isinstance(value, str) and value:
                    config.entries[key] = Entry(key, value, value, attributes[attribute], attributes[attribute])
        topics_node = attributes.get("topics", attributes.get("value"))
        if topics_node is not None:
            for item in grammar.elements(topics_node):
                value = self.values.value(item)
                if isinstance(value, str) and not value.startswith(("${", "#{")):
                    client.topics.append((value, self._location(item)))
                else:
                    client.group_topics_unknown = True
        client.extras["entries"] = config
        self.all_clients.append(ClientRecord(client, None))

    def _listener_property(self, config: ConfigMap, written: str, item: Node) -> None:
        """`"max.poll.records=5000"` (java.util.Properties syntax: `=`, `:` or a space)."""
        separator = min((written.find(mark) for mark in "=: " if written.find(mark) > 0), default=-1)
        if separator < 0:
            return
        key = written[:separator].strip()
        raw = written[separator + 1 :].strip()
        value: Any = raw
        line = item.start_point[0] + 1
        first = self._column(item.start_point) + 1  # after the opening quote
        key_location = Location(self.display, line, first, line, first + len(key))
        value_column = first + written.index(raw, separator + 1) if raw else first + len(written)
        value_location = Location(self.display, line, value_column, line, value_column + len(raw))
        config.entries[key] = Entry(key, value, raw, key_location, value_location)

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
        detail["test_code"] = self.test_code
        self.facts.append(CodeFact(kind, self._location(node), detail))


def _is_test_code(display: str) -> bool:
    """Under a Maven/Gradle test source set, or a class named like a test."""
    parts = display.replace("\\", "/").split("/")
    if any(part in ("test", "tests", "androidTest", "integrationTest", "testFixtures") for part in parts[:-1]):
        return True
    stem = parts[-1].rsplit(".", 1)[0]
    return stem.endswith(("Test", "Tests", "IT", "TestCase"))
