"""The record value class a Java or Kotlin consumer is declared with: `Order` of
`KafkaConsumer<String, Order>`, `KafkaConsumer<String, Order>(props)` or
`ConsumerRecords<String, Order> records = consumer.poll(...)`.

Only a plain class name counts, qualified through the file's imports; a type parameter of the
file (`<V>`), a wildcard, an array or a generic type is no class the code names, so None.
"""

from __future__ import annotations

from kafkalint.knowledge.schema_registry import is_application_class
from kafkalint.sources.jvm import grammar
from kafkalint.sources.jvm.grammar import Node
from kafkalint.sources.jvm.values import CodeValues


def type_arguments(type_text: str) -> list[str]:
    """`KafkaConsumer<String, Map<K, V>>` -> ["String", "Map<K, V>"] (top-level commas only)."""
    start = type_text.find("<")
    if start < 0 or not type_text.rstrip().rstrip("?").endswith(">"):
        return []
    inner = type_text.rstrip().rstrip("?")[start + 1 : -1]
    arguments, depth, current = [], 0, []
    for character in inner:
        if character == "<":
            depth += 1
        elif character == ">":
            depth -= 1
        if character == "," and depth == 0:
            arguments.append("".join(current).strip())
            current = []
        else:
            current.append(character)
    arguments.append("".join(current).strip())
    return arguments


def constructed_type(call_node: Node) -> str:
    """The type a construction writes with its arguments: `KafkaConsumer<String, Order>` of
    `new KafkaConsumer<String, Order>(props)` (Java) or `KafkaConsumer<String, Order>(props)`
    (Kotlin); "" when it has none (`new KafkaConsumer<>(props)`)."""
    written = grammar.field(call_node, "type")
    if written is not None:
        return grammar.text(written)
    arguments = next((child for child in call_node.named_children if child.type == "type_arguments"), None)
    if arguments is None or not call_node.named_children:
        return ""
    return grammar.text(call_node.named_children[0]) + grammar.text(arguments)


class RecordTypes:
    """Resolves the value type argument of a client or records type in one file."""

    def __init__(self, root: Node, values: CodeValues) -> None:
        self.root = root
        self.values = values
        self._type_parameters: set[str] | None = None

    def value_type(self, type_text: str) -> str | None:
        arguments = type_arguments(type_text)
        if len(arguments) != 2:
            return None
        written = arguments[1].removesuffix("?").strip()
        if not written or not all(part.isidentifier() for part in written.split(".")):
            return None  # `? extends Order`, `byte[]`, `List<Order>`, `*`, an annotated type
        if "." in written:
            # `GenericData.Record`: a nested class, qualified through its outer class's import.
            outer = written.split(".", 1)[0]
            imported = self.values.imports.get(outer)
            return imported + written[len(outer) :] if imported is not None else written
        resolved = self.values.imports.get(written, written)
        if not is_application_class(resolved):
            return resolved  # String, a java.* import: no need to walk the file for type parameters
        if written in self.type_parameters():
            return None
        return resolved

    def type_parameters(self) -> set[str]:
        """Every type parameter the file declares (`class Handler<V>`, `<T> void f()`), found
        once, with an explicit stack."""
        if self._type_parameters is None:
            found: set[str] = set()
            stack = [self.root]
            while stack:
                node = stack.pop()
                if node.type == "type_parameter":
                    name = next((child for child in node.named_children if child.type in ("type_identifier", "identifier")), None)
                    if name is not None:
                        found.add(grammar.text(name))
                stack.extend(node.named_children)
            self._type_parameters = found
        return self._type_parameters
