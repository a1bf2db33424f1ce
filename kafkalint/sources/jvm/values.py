"""What a name or an expression in one Java or Kotlin file stands for: the classes its imports
name, its string and number constants, the literals bound in the current method, and the
configuration maps it builds (`Properties`, `Map.of`, `mapOf`, `put`/`setProperty`/`[]=`).

Only what the code states literally is resolved; anything else is UNKNOWN. Every lookup looks a
bounded number of nodes deep, never recursing over the tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kafkalint.knowledge.java_constants import config_classes, key_of_constant, key_prefix_of_function, value_of_constant
from kafkalint.model import UNKNOWN
from kafkalint.sources.jvm import grammar
from kafkalint.sources.jvm.grammar import JAVA, Node

# Variable types that hold a Kafka consumer / producer / the records of one poll / a template.
_CONSUMER_TYPES = {"KafkaConsumer": "org.apache.kafka.clients.consumer", "Consumer": "org.apache.kafka.clients.consumer",
                   "MockConsumer": "org.apache.kafka.clients.consumer"}
_PRODUCER_TYPES = {"KafkaProducer": "org.apache.kafka.clients.producer", "Producer": "org.apache.kafka.clients.producer",
                   "MockProducer": "org.apache.kafka.clients.producer"}
_RECORDS_TYPES = {"ConsumerRecords": "org.apache.kafka.clients.consumer"}
_TEMPLATE_TYPES = {"KafkaTemplate": "org.springframework.kafka.core"}
MAP_CLASSES = {"Properties", "HashMap", "LinkedHashMap", "TreeMap", "ConcurrentHashMap", "Hashtable"}
_MAP_FACTORIES = {"mapOf", "mutableMapOf", "hashMapOf", "linkedMapOf", "sortedMapOf"}
MAP_READS = {"get", "getProperty", "containsKey", "getOrDefault", "keySet", "entrySet", "values", "size",
             "isEmpty", "stringPropertyNames", "forEach", "toString", "equals", "hashCode", "contains",
             "containsValue", "propertyNames", "keys", "elements"}
MAP_WRITES = {"put", "setProperty", "putIfAbsent", "set"}
# Depth of expression the value resolver looks into (`String.valueOf(5)` is 2 deep).
VALUE_DEPTH = 6
_CONVERSIONS = {
    ("String", "valueOf"), ("Integer", "valueOf"), ("Integer", "toString"), ("Long", "valueOf"),
    ("Long", "toString"), ("Integer", "parseInt"), ("Long", "parseLong"), ("Short", "valueOf"),
}


def _raw(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(slots=True)
class Entry:
    """One key/value pair put into a configuration map in code, with its syntax nodes."""

    key: str
    value: Any
    raw: str
    key_node: Node
    value_node: Node


@dataclass(slots=True)
class ConfigMap:
    """The entries of one Properties/Map built in code; `complete` is False when some cannot be known."""

    entries: dict[str, Entry] = field(default_factory=dict)
    complete: bool = True

    def copy(self) -> ConfigMap:
        return ConfigMap(dict(self.entries), self.complete)

    def merge(self, other: ConfigMap | None) -> None:
        """`putAll(other)`: other's entries win. When other is not fully known, any entry put
        before may be replaced by it (`props.put(RETRIES_CONFIG, 0); props.putAll(userConfig)`
        is a default the user's configuration overrides): those values are no longer known."""
        if other is None or not other.complete:
            self.entries = {key: Entry(entry.key, UNKNOWN, entry.raw, entry.key_node, entry.value_node)
                            for key, entry in self.entries.items()}
            self.complete = False
        if other is not None:
            self.entries.update(other.entries)


class CodeValues:
    """Names and values of one file, in source order; the walk keeps `locals` and `maps` current."""

    def __init__(self, root: Node, language: str) -> None:
        self.root = root
        self.language = language
        self.imports: dict[str, str] = {}
        self.wildcards: set[str] = set()
        self.constants: dict[str, Any] = {}
        self.locals: dict[str, Any] = {}  # the latest literal bound to a name in this method
        self.maps: dict[str, ConfigMap] = {}

    def is_class(self, written: str, package: str) -> bool:
        """Is `written` (simple or qualified name) the class of this package?"""
        simple = written.rsplit(".", 1)[-1]
        if "." in written:
            return written.rsplit(".", 1)[0] == package
        imported = self.imports.get(simple)
        if imported is not None:
            return imported == f"{package}.{simple}"
        return package in self.wildcards

    def kind_of_type(self, type_text: str) -> str | None:
        base = type_text.split("<", 1)[0].strip().rstrip("?")
        arguments = type_text[len(base):]
        for kind, table in (("consumer", _CONSUMER_TYPES), ("producer", _PRODUCER_TYPES), ("records", _RECORDS_TYPES), ("template", _TEMPLATE_TYPES)):
            simple = base.rsplit(".", 1)[-1]
            if simple in table and self.is_class(base, table[simple]):
                if simple in ("Consumer", "Producer") and arguments.count(",") < 1:
                    return None  # java.util.function.Consumer<T> has one type argument
                return kind
        return None

    def read_imports(self) -> None:
        for child in self.root.named_children:
            if child.type == "import_declaration":
                written = grammar.text(child).removeprefix("import").strip().rstrip(";").strip()
                if written.startswith("static "):
                    continue
                if written.endswith(".*"):
                    self.wildcards.add(written[:-2])
                else:
                    self.imports[written.rsplit(".", 1)[-1]] = written
            elif child.type in ("import_list", "import_header", "import"):
                for item in [child, *child.named_children]:
                    if item.type not in ("import_header", "import"):
                        continue
                    written = grammar.text(item).removeprefix("import").strip()
                    if " as " in written:
                        written, alias = written.split(" as ", 1)
                        self.imports[alias.strip()] = written.strip()
                    elif written.endswith(".*"):
                        self.wildcards.add(written[:-2])
                    else:
                        self.imports[written.rsplit(".", 1)[-1]] = written

    def value(self, node: Node, depth: int = 0) -> Any:
        """A literal, a same-file constant or `String.valueOf(literal)`; else UNKNOWN."""
        if depth > VALUE_DEPTH:
            return UNKNOWN
        known, value = grammar.scalar_value(node, self.language)
        if known:
            return value
        name = grammar.dotted_name(node)
        if name is not None:
            if name in self.locals:
                return self.locals[name]
            if name in self.constants:
                return self.constants[name]
            if name in ("Boolean.TRUE", "Boolean.FALSE"):
                return name == "Boolean.TRUE"
            holder, _, constant = name.rpartition(".")
            found = value_of_constant(holder.rsplit(".", 1)[-1], constant) if holder else None
            return found if found is not None else UNKNOWN
        if node.type in ("class_literal", "callable_reference") or (node.type == "navigation_expression" and grammar.text(node).endswith(("::class.java", "::class.java.name", "::class.qualifiedName"))):
            return self.class_name(node)
        call = grammar.call_of(node, self.language)
        if call is not None:
            receiver = grammar.text(call.receiver) if call.receiver is not None else ""
            if len(call.arguments) == 1 and (receiver, call.name) in _CONVERSIONS:
                inner = self.value(call.arguments[0], depth + 1)
                if isinstance(inner, (int, str)) and not isinstance(inner, bool):
                    return str(inner) if call.name in ("valueOf", "toString") and receiver == "String" else inner
            prefix = key_prefix_of_function(receiver.rsplit(".", 1)[-1], call.name) if len(call.arguments) == 1 else None
            if prefix is not None:  # StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG)
                inner = self.value(call.arguments[0], depth + 1)
                inner = inner if isinstance(inner, str) else self._config_constant(call.arguments[0])
                return prefix + inner if isinstance(inner, str) else UNKNOWN
            if call.name == "getName" and not call.arguments and call.receiver is not None and call.receiver.type == "class_literal":
                return self.class_name(call.receiver)
            if call.name in ("toString", "toInt", "toLong") and not call.arguments and call.receiver is not None:
                inner = self.value(call.receiver, depth + 1)
                if isinstance(inner, (int, str)) and not isinstance(inner, bool):
                    return inner
        return UNKNOWN

    def class_name(self, node: Node) -> Any:
        written = grammar.text(node).split("::", 1)[0].removesuffix(".class").strip()
        if not all(part.isidentifier() for part in written.split(".")):
            return UNKNOWN
        if "." in written:
            return written
        return self.imports.get(written, written)

    def key(self, node: Node) -> str | None:
        """A configuration key: a string, a same-file constant or a Kafka config constant."""
        value = self.value(node)
        if isinstance(value, str):
            return value
        return self._config_constant(node)

    def _config_constant(self, node: Node) -> str | None:
        """The key a Kafka config-class constant names (`ProducerConfig.ACKS_CONFIG`), if any."""
        name = grammar.dotted_name(node)
        if name and "." in name:
            holder, constant = name.rsplit(".", 1)
            simple = holder.rsplit(".", 1)[-1]
            if simple in config_classes():
                return key_of_constant(simple, constant)
        return None

    def config_map(self, node: Node, depth: int = 0) -> ConfigMap | None:
        """The map an expression builds, or None when it is not one we can see."""
        if depth > VALUE_DEPTH:
            return None
        name = grammar.dotted_name(node)
        if name is not None:
            bound = self.maps.get(name)
            return bound.copy() if bound is not None else None
        call = grammar.call_of(node, self.language)
        if call is None:
            return None
        if call.constructs and call.name in MAP_CLASSES:
            if call.trailing_lambda is not None and self.language == JAVA:
                return ConfigMap(complete=False)  # double-brace initialisation: not followed
            result = ConfigMap()
            if call.arguments:
                result.merge(self.config_map(call.arguments[0], depth + 1) if call.name != "Properties" else None)
            return result
        receiver = grammar.text(call.receiver) if call.receiver is not None else ""
        if receiver in ("Map", "ImmutableMap") and call.name == "of":
            result = ConfigMap()
            pairs = call.arguments
            for index in range(0, len(pairs) - 1, 2):
                self.put(result, pairs[index], pairs[index + 1])
            return result
        if receiver == "Map" and call.name == "ofEntries":
            result = ConfigMap()
            for entry in call.arguments:
                inner = grammar.call_of(entry, self.language)
                if inner is not None and inner.name in ("entry", "SimpleEntry", "SimpleImmutableEntry") and len(inner.arguments) == 2:
                    self.put(result, inner.arguments[0], inner.arguments[1])
                else:
                    result.complete = False
            return result
        if call.receiver is None and call.name in _MAP_FACTORIES:
            result = ConfigMap()
            for pair in call.arguments:
                if pair.type == "infix_expression" and len(pair.named_children) == 3 and grammar.text(pair.named_children[1]) == "to":
                    self.put(result, pair.named_children[0], pair.named_children[2])
                else:
                    result.complete = False
            return result
        if call.name == "apply" and call.receiver is not None and call.trailing_lambda is not None:
            base = self.config_map(call.receiver, depth + 1)
            if base is None:
                return None
            self.apply_block(base, call.trailing_lambda)
            return base
        return None

    def apply_block(self, target: ConfigMap, block: Node) -> None:
        """`Properties().apply { put(K, V); this[K] = V }`: each statement must be a put."""
        for statement in block.named_children:
            if statement.type == "lambda_parameters":
                target.complete = False
                continue
            call = grammar.call_of(statement, self.language)
            if call is not None and call.name in MAP_WRITES and len(call.arguments) == 2 and (
                call.receiver is None or grammar.text(call.receiver) == "this"
            ):
                self.put(target, call.arguments[0], call.arguments[1])
                continue
            pair = grammar.assigned(statement)
            indexed = grammar.index_target(pair[0]) if pair else None
            if pair and indexed and grammar.text(indexed[0]) == "this":
                self.put(target, indexed[1], pair[1])
                continue
            target.complete = False

    def put(self, target: ConfigMap, key_node: Node, value_node: Node) -> None:
        key = self.key(key_node)
        if key is None:
            target.complete = False
            return
        value = self.value(value_node)
        target.entries.pop(key, None)
        target.entries[key] = Entry(key, value, "" if value is UNKNOWN else _raw(value), key_node, value_node)

    def read_constants(self) -> None:
        """`static final String TOPIC = "orders"` / `const val TOPIC = "orders"` anywhere in the
        file; a name bound to two different values is left out."""
        stack = [self.root]
        seen: dict[str, Any] = {}
        while stack:
            node = stack.pop()
            if node.type in ("field_declaration", "property_declaration") and self.constant_like(node):
                for name, value_node, type_text in grammar.declared(node, self.language):
                    value = self.value(value_node) if value_node is not None else UNKNOWN
                    if value is UNKNOWN:
                        continue
                    if name in seen and seen[name] != value:
                        seen[name] = UNKNOWN
                    else:
                        seen[name] = value
            elif node.type in grammar.FUNCTION_TYPES:
                continue
            else:
                stack.extend(node.named_children)
        self.constants = {name: value for name, value in seen.items() if value is not UNKNOWN}

    def constant_like(self, node: Node) -> bool:
        modifiers = next((child for child in node.children if child.type == "modifiers"), None)
        written = grammar.text(modifiers) if modifiers is not None else ""
        if self.language == JAVA:
            return "final" in written.split()
        return "const" in written.split() or any(child.type == "val" for child in node.children)
