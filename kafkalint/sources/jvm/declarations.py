"""Declarations and assignments: what each name of a method (or a class field) holds, a
configuration map, a client, polled records, a ProducerRecord or a literal, and forgetting a
method's own names when the next one starts. Mixed into FileAnalysis (analysis.py)."""

from __future__ import annotations

from kafkalint.model import UNKNOWN, Role
from kafkalint.sources.jvm import grammar
from kafkalint.sources.jvm.grammar import Node
from kafkalint.sources.jvm.walk_state import RECORD_CLASS, Context


class DeclarationTracking:
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
        self.local_bindings.clear()
        self.values.locals.clear()

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
            self._count_binding(name, value)
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
            self._count_binding(name, value)
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
            self._count_binding(name, right)
            self.values.maps.pop(name, None)
            self._bind(name, right, context)

    def _count_binding(self, name: str, value: Node) -> None:
        """A name given a value in two places (two branches, two constructors) may hold either
        client where it is used; `null` gives it none."""
        if grammar.text(value) == "null":
            return
        if name in self.local_names:
            self.local_bindings[name] = self.local_bindings.get(name, 0) + 1
        else:
            field_name = name.removeprefix("this.")
            self.field_bindings[field_name] = self.field_bindings.get(field_name, 0) + 1

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
        elif call.constructs and call.name == RECORD_CLASS[0] and self.values.is_class(call.type_text, RECORD_CLASS[1]):
            topic = self._record_topic(call)
            if topic is not None:
                self.records[name] = topic
