"""Every YAML kafkalint reads is loaded here, within budgets: settings, rule files and (through
sources/yamltree.py) the YAML and JSON files of the project.

PyYAML's composer gives nodes with marks; aliases are shared node objects, so composing an
alias bomb is cheap and only expanding it is not. A document is refused before it is
constructed when its expanded size is over the node budget or an alias refers to a node that
contains it; Python-specific tags are never constructed (safe loaders only); numbers over
Python's 4,300-digit conversion limit and nesting beyond the stack are refused, not raised.
"""

from __future__ import annotations

from typing import Any

# The most values one document may hold once anchors and aliases are expanded.
MAX_NODES = 200_000


class YamlError(Exception):
    """The text is not valid (or not acceptable) YAML; carries a 1-based line and column."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def import_yaml() -> Any:
    import yaml  # ~10 ms: only runs that read YAML pay for it

    return yaml


def safe_loader(text: str, anchors_redefined: bool = False) -> Any:
    """libyaml's safe loader (an order of magnitude faster), else PyYAML's; with
    `anchors_redefined`, PyYAML's own safe loader that lets an anchor be defined again."""
    yaml = import_yaml()
    if anchors_redefined:
        return _anchors_redefinable_loader()(text)
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)


def is_duplicate_anchor(error: Any) -> bool:
    """PyYAML refuses an anchor defined twice ("found duplicate anchor"); YAML itself does not:
    'anchors need not be unique within a serialization', an alias naming the most recent one
    (YAML 1.2.2, 3.2.2.2), and docker compose reads such files (debezium-examples' MongoDB
    replicas each define &mongodb-image). Such a file is read again with a loader that allows it."""
    return "duplicate anchor" in (getattr(error, "context", None) or "")


_REDEFINABLE: Any = None


def _anchors_redefinable_loader() -> Any:
    global _REDEFINABLE
    if _REDEFINABLE is None:
        yaml = import_yaml()

        class AnchorsRedefinableSafeLoader(yaml.SafeLoader):
            def compose_node(self, parent: Any, index: Any) -> Any:
                if not self.check_event(yaml.AliasEvent):
                    anchor = self.peek_event().anchor
                    if anchor is not None:
                        self.anchors.pop(anchor, None)  # the new definition replaces the old
                return super().compose_node(parent, index)

        _REDEFINABLE = AnchorsRedefinableSafeLoader
    return _REDEFINABLE


def _budget_error(node: Any) -> YamlError:
    return YamlError(
        f"more than {MAX_NODES} values after expanding anchors and aliases (an alias bomb or a "
        "generated file); refused",
        node.start_mark.line + 1,
        node.start_mark.column + 1,
    )


def _recursive_error(node: Any) -> YamlError:
    return YamlError(
        "an alias refers to a node that contains it (a recursive structure); refused",
        node.start_mark.line + 1,
        node.start_mark.column + 1,
    )


def check_expanded_size(root: Any, budget: int = MAX_NODES) -> None:
    """Refuse a composed document whose alias expansion exceeds `budget` values, or that refers
    to itself, before anything is built: aliased nodes are shared, so the expanded size is
    counted in linear time. Scalar mapping keys are not counted as values of their own."""
    yaml = import_yaml()
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children: list[Any] = []
        if isinstance(node, yaml.MappingNode):
            children = [item for key, value in node.value for item in (key, value) if item is value or not isinstance(item, yaml.ScalarNode)]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if not children_done:
            if id(node) in open_nodes:
                raise _recursive_error(node)
            open_nodes.add(id(node))
            stack.append((node, True))
            for child in children:
                if id(child) in open_nodes:
                    raise _recursive_error(child)
                if id(child) not in sizes:
                    stack.append((child, False))
            continue
        open_nodes.discard(id(node))
        sizes[id(node)] = 1 + sum(sizes.get(id(child), 1) for child in children)
        if sizes[id(node)] > budget:
            raise _budget_error(node)


def one_line(text: str) -> str:
    """PyYAML's messages span lines (`...\n  in "<unicode string>", position 0`): a message
    kafkalint prints is one line, so only the first is kept."""
    return " ".join(text.splitlines()[0].split()) if text.strip() else "invalid YAML"


def load_plain(text: str, anchors_redefined: bool = False) -> Any:
    """The single document of `text` as plain Python values (like yaml.safe_load), within the
    budgets above; raises YamlError."""
    yaml = import_yaml()
    loader = safe_loader(text, anchors_redefined)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_expanded_size(node)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        if not anchors_redefined and is_duplicate_anchor(error):
            loader.dispose()
            return load_plain(text, anchors_redefined=True)
        mark = error.problem_mark or error.context_mark
        problem = one_line(error.problem or error.context or "invalid YAML")
        raise YamlError(f"invalid YAML: {problem}", mark.line + 1 if mark else 1, mark.column + 1 if mark else 1) from None
    except yaml.YAMLError as error:
        raise YamlError(f"invalid YAML: {one_line(str(error))}") from None
    except RecursionError:
        raise YamlError("nesting too deep to read safely; refused") from None
    except ValueError:
        raise YamlError("a number over 4300 digits; refused") from None
    finally:
        loader.dispose()
