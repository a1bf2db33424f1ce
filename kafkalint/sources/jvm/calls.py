"""Calls: client constructions (with their configuration map, declared record type and
serializer arguments), writes to configuration maps, maps escaping to other code, and what
the code calls on a consumer (commits, polls, subscriptions). Mixed into FileAnalysis
(analysis.py); producer sends are in sends.py."""

from __future__ import annotations

from typing import Any

from kafkalint.model import UNKNOWN, ClientCall, ClientConfig, Dialect, Role
from kafkalint.sources.jvm import grammar
from kafkalint.sources.jvm.grammar import Call, Node
from kafkalint.sources.jvm.record_types import constructed_type
from kafkalint.sources.jvm.values import (
    MAP_CLASSES,
    MAP_READS,
    MAP_WRITES,
    ConfigMap,
    Entry,
)
from kafkalint.sources.jvm.walk_state import ClientRecord, Context

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


class CallTracking:
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
        if context.expects_error:
            return  # a test builds it to see it refused (an invalid value on purpose): no client
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
            # Built from a map this file does not show (a parameter, another object's method):
            # a client all the same, its settings unknown, as a Python client given `conf`.
            config = ConfigMap(complete=False)
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

    def _called_client(self, receiver: str) -> ClientRecord | None:
        """The client a method call is made on: the variable's own, or a field's client built
        in another method (`this.consumer = new KafkaConsumer<>(props)` in the constructor,
        `consumer.subscribe(...)` in run()), when the name is given a value once only (in the
        method for a local, in the file for a field)."""
        found = self.clients.get(receiver)
        if receiver in self.local_names:
            return found if self.local_bindings.get(receiver, 0) <= 1 else None
        field_name = receiver.removeprefix("this.")
        if self.field_bindings.get(field_name, 0) > 1:
            return None
        return found or self.clients.get(f"this.{field_name}") or self.clients.get(field_name)

    def _consumer_call(self, receiver: str, call: Call, context: Context) -> None:
        record = self._called_client(receiver)
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
