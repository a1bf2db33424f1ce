"""The Java and Kotlin syntax trees (tree-sitter) behind one small vocabulary: calls, loops,
declarations, literals, annotations. The analysis asks these questions and never looks at a
grammar's node names itself, so one analysis serves both languages.

Every function here looks at a node and its direct children only (no recursion over the
tree), so a deeply nested expression costs nothing and cannot exhaust the stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

JAVA = "java"
KOTLIN = "kotlin"

Node = Any  # tree_sitter.Node; the module is imported only when a file needs parsing


@lru_cache(maxsize=2)
def parser(language: str) -> Any:
    from tree_sitter import Language, Parser

    if language == JAVA:
        import tree_sitter_java as grammar
    else:
        import tree_sitter_kotlin as grammar
    return Parser(Language(grammar.language()))


@dataclass(slots=True)
class Call:
    """`receiver.name(args)`, `new Name<>(args)` or Kotlin `Name(args) { lambda }`."""

    node: Node
    name: str
    receiver: Node | None
    arguments: list[Node]
    constructs: bool  # `new X(...)` (Java) or a call of a capitalised name (Kotlin)
    type_text: str  # the constructed type as written (`org.x.KafkaProducer`), else ""
    trailing_lambda: Node | None = None
    named: dict[str, Node] | None = None  # Kotlin named arguments


def text(node: Node) -> str:
    return node.text.decode("utf-8", "replace")


def field(node: Node, name: str) -> Node | None:
    return node.child_by_field_name(name)


def _type_name(node: Node | None) -> str:
    """`KafkaProducer` of `KafkaProducer<String, String>` / `org.x.KafkaProducer<...>`."""
    if node is None:
        return ""
    written = text(node)
    return written.split("<", 1)[0].strip()


def call_of(node: Node, language: str) -> Call | None:
    kind = node.type
    if language == JAVA:
        if kind == "method_invocation":
            name = field(node, "name")
            arguments = field(node, "arguments")
            return Call(node, text(name) if name else "", field(node, "object"), _java_arguments(arguments), False, "")
        if kind == "object_creation_expression":
            written = _type_name(field(node, "type"))
            body = next((child for child in node.named_children if child.type == "class_body"), None)
            call = Call(node, written.rsplit(".", 1)[-1], None, _java_arguments(field(node, "arguments")), True, written)
            call.trailing_lambda = body  # `new Properties() {{ put(...); }}`: an anonymous subclass
            return call
        return None
    if kind != "call_expression" or not node.named_children:
        return None
    callee = node.named_children[0]
    arguments: list[Node] = []
    named: dict[str, Node] = {}
    trailing = None
    for child in node.named_children[1:]:
        if child.type == "value_arguments":
            for argument in child.named_children:
                if argument.type != "value_argument" or not argument.named_children:
                    continue
                value = argument.named_children[-1]
                if len(argument.named_children) >= 2 and argument.named_children[0].type == "identifier":
                    named[text(argument.named_children[0])] = value
                arguments.append(value)
        elif child.type == "annotated_lambda":
            trailing = next((item for item in child.named_children if item.type == "lambda_literal"), None)
    if callee.type == "navigation_expression" and len(callee.named_children) >= 2:
        name_node = callee.named_children[-1]
        receiver = callee.named_children[0]
        name = text(name_node)
        qualified = text(callee)
        constructs = name[:1].isupper() and all(part[:1].islower() for part in qualified.split(".")[:-1])
        return Call(node, name, None if constructs else receiver, arguments, constructs, qualified if constructs else "", trailing, named)
    if callee.type == "identifier":
        name = text(callee)
        return Call(node, name, None, arguments, name[:1].isupper(), name if name[:1].isupper() else "", trailing, named)
    return None


def _java_arguments(node: Node | None) -> list[Node]:
    return [] if node is None else list(node.named_children)


def string_value(node: Node, language: str) -> str | None:
    """The value of a plain string literal (no interpolation, no text block), else None."""
    if node.type != "string_literal":
        return None
    pieces = []
    for child in node.named_children:
        if child.type in ("string_fragment", "string_content"):
            pieces.append(text(child))
        elif child.type == "escape_sequence":
            escaped = _ESCAPES.get(text(child))
            if escaped is None:
                return None
            pieces.append(escaped)
        else:
            return None  # interpolation, multiline text block
    raw = text(node)
    if raw.startswith('"""'):
        return None
    return "".join(pieces)


_ESCAPES = {"\\n": "\n", "\\t": "\t", '\\"': '"', "\\'": "'", "\\\\": "\\", "\\$": "$"}

_INTEGER_TYPES = {"decimal_integer_literal", "integer_literal", "number_literal", "long_literal"}


def scalar_value(node: Node, language: str) -> tuple[bool, Any]:
    """(known, value) of a literal: string, integer, boolean."""
    kind = node.type
    value = string_value(node, language)
    if value is not None:
        return True, value
    if kind in _INTEGER_TYPES:
        written = text(node).replace("_", "").rstrip("lL")
        if written.isdigit():
            return True, int(written)
        return False, None
    if kind in ("true", "false"):
        return True, kind == "true"
    if kind == "boolean_literal" or (language == KOTLIN and kind == "identifier" and text(node) in ("true", "false")):
        return True, text(node) == "true"
    if kind in ("parenthesized_expression",) and len(node.named_children) == 1:
        return scalar_value(node.named_children[0], language)
    return False, None


def dotted_name(node: Node | None) -> str | None:
    """`props`, `this.props` -> `props`; `ProducerConfig.ACKS_CONFIG` as written."""
    if node is None:
        return None
    if node.type in ("identifier", "simple_identifier", "this"):
        return text(node)
    if node.type in ("field_access", "navigation_expression", "scoped_identifier"):
        written = text(node).replace(" ", "").replace("\n", "")
        written = written.removeprefix("this.")
        if all(part.isidentifier() for part in written.split(".")):
            return written
    return None


# --- structure ---------------------------------------------------------------------------------

LOOP_TYPES = {"for_statement", "enhanced_for_statement", "while_statement", "do_statement", "do_while_statement"}
FUNCTION_TYPES = {
    "method_declaration", "constructor_declaration", "lambda_expression", "function_declaration",
    "lambda_literal", "anonymous_function", "secondary_constructor", "anonymous_initializer",
}
CONDITIONAL_TYPES = {"if_statement", "if_expression", "switch_expression", "when_expression", "ternary_expression", "catch_clause"}
DECLARATION_TYPES = {
    "local_variable_declaration", "field_declaration", "resource", "property_declaration",
    "formal_parameter", "parameter", "class_parameter",
}


def loop_iterable(node: Node, language: str) -> tuple[str | None, Node | None]:
    """(loop variable, iterated expression) of a for-each loop, else (None, None)."""
    if node.type == "enhanced_for_statement":
        name = field(node, "name")
        return (text(name) if name else None), field(node, "value")
    if node.type == "for_statement" and language == KOTLIN:
        variable = None
        seen_in = False
        for child in node.children:
            if child.type == "variable_declaration":
                variable = text(child.named_children[0]) if child.named_children else None
            elif child.type == "in":
                seen_in = True
            elif seen_in and child.is_named:
                return variable, child
    return None, None


def declared(node: Node, language: str) -> list[tuple[str, Node | None, str]]:
    """(name, initial value, declared type text) of a declaration node, else []."""
    kind = node.type
    if kind in ("local_variable_declaration", "field_declaration"):
        type_text = text(field(node, "type")) if field(node, "type") else ""
        found = []
        for child in node.named_children:
            if child.type == "variable_declarator":
                name = field(child, "name")
                if name is not None:
                    found.append((text(name), field(child, "value"), type_text))
        return found
    if kind == "resource":
        name = field(node, "name")
        if name is not None:
            return [(text(name), field(node, "value"), text(field(node, "type")) if field(node, "type") else "")]
        return []
    if kind in ("property_declaration",):
        variable = next((child for child in node.named_children if child.type == "variable_declaration"), None)
        if variable is None or not variable.named_children:
            return []
        name = text(variable.named_children[0])
        type_node = next((child for child in variable.named_children[1:]), None)
        value = None
        seen_equals = False
        for child in node.children:
            if child.type == "=":
                seen_equals = True
            elif seen_equals and child.is_named:
                value = child
                break
        return [(name, value, text(type_node) if type_node is not None else "")]
    if kind in ("formal_parameter", "parameter", "class_parameter"):
        if language == JAVA:
            name = field(node, "name")
            type_node = field(node, "type")
            return [(text(name), None, text(type_node) if type_node else "")] if name else []
        identifier = next((child for child in node.named_children if child.type == "identifier"), None)
        type_node = next((child for child in node.named_children if child.type in ("user_type", "nullable_type")), None)
        return [(text(identifier), None, text(type_node) if type_node else "")] if identifier else []
    return []


def assigned(node: Node) -> tuple[Node, Node] | None:
    """(left, right) of `x = value`, `props[KEY] = value`."""
    if node.type in ("assignment_expression", "assignment"):
        left, right = field(node, "left"), field(node, "right")
        operator = field(node, "operator")
        if left is not None and right is not None and (operator is None or text(operator) == "="):
            return left, right
    return None


def index_target(node: Node) -> tuple[Node, Node] | None:
    """Kotlin `props[KEY]` -> (props, KEY)."""
    if node.type == "index_expression" and len(node.named_children) == 2:
        return node.named_children[0], node.named_children[1]
    return None


def lambda_parameter(node: Node) -> str | None:
    """The single parameter of `r -> ...` / `{ r -> ... }`; Kotlin's implicit `it`."""
    if node.type == "lambda_expression":
        parameters = field(node, "parameters")
        if parameters is None:
            return None
        if parameters.type == "identifier":
            return text(parameters)
        names = [child for child in parameters.named_children if child.type in ("identifier", "formal_parameter")]
        if len(names) == 1:
            name = names[0] if names[0].type == "identifier" else field(names[0], "name")
            return text(name) if name else None
        return None
    if node.type == "lambda_literal":
        parameters = next((child for child in node.named_children if child.type == "lambda_parameters"), None)
        if parameters is None:
            return "it"
        names = [child for child in parameters.named_children if child.type == "variable_declaration"]
        if len(names) == 1 and names[0].named_children:
            return text(names[0].named_children[0])
    return None


def annotation_parts(node: Node, language: str) -> tuple[str, dict[str, Node]] | None:
    """(annotation name, {attribute: value node}); a single unnamed value is `value`."""
    if language == JAVA:
        if node.type not in ("annotation", "marker_annotation"):
            return None
        name = field(node, "name")
        attributes: dict[str, Node] = {}
        arguments = field(node, "arguments")
        if arguments is not None:
            for child in arguments.named_children:
                if child.type == "element_value_pair":
                    key, value = field(child, "key"), field(child, "value")
                    if key is not None and value is not None:
                        attributes[text(key)] = value
                else:
                    attributes["value"] = child
        return (text(name).rsplit(".", 1)[-1] if name else ""), attributes
    if node.type != "annotation":
        return None
    body = next((child for child in node.named_children if child.type in ("constructor_invocation", "user_type")), None)
    if body is None:
        return None
    if body.type == "user_type":
        return text(body).rsplit(".", 1)[-1], {}
    type_node = next((child for child in body.named_children if child.type == "user_type"), None)
    attributes = {}
    arguments = next((child for child in body.named_children if child.type == "value_arguments"), None)
    if arguments is not None:
        for argument in arguments.named_children:
            if argument.type != "value_argument" or not argument.named_children:
                continue
            parts = argument.named_children
            if len(parts) >= 2 and parts[0].type == "identifier":
                attributes[text(parts[0])] = parts[-1]
            else:
                attributes["value"] = parts[-1]
    return (text(type_node).rsplit(".", 1)[-1] if type_node is not None else ""), attributes


def elements(node: Node) -> list[Node]:
    """The items of `{"a", "b"}` / `["a", "b"]` / `arrayOf("a")`, or the node itself."""
    if node.type in ("element_value_array_initializer", "array_initializer", "collection_literal"):
        return list(node.named_children)
    return [node]
