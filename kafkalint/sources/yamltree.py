"""Safe, bounded YAML/JSON loading into a tree whose every key and value keeps its location.

The budgets (expanded size, recursive aliases, tags) live in kafkalint/safe_yaml.py, shared
with every other YAML kafkalint reads; here documents are counted and trees are built, so a
hostile file costs milliseconds and bounded memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from kafkalint.model import Location
from kafkalint.safe_yaml import MAX_NODES, YamlError, check_expanded_size, is_duplicate_anchor, one_line, safe_loader

# PyYAML costs ~10 ms to import: only files that are YAML or JSON pay for it.
yaml: Any = None


def _import_yaml() -> Any:
    global yaml
    if yaml is None:
        import yaml as module

        yaml = module
    return yaml

# Real multi-document files (rendered Helm charts, kustomize output) hold hundreds of documents;
# tens of thousands of (empty) ones only cost PyYAML time, document by document.
MAX_DOCUMENTS = 10_000


@dataclass(slots=True)
class Node:
    """A located value: `value` is a dict[str, Node], a list[Node] or a plain scalar."""

    value: Any
    location: Location
    key_location: Location | None = None
    raw: str = ""
    quoted: bool = False

    def get(self, key: str) -> Node | None:
        if isinstance(self.value, dict):
            return self.value.get(key)
        return None

    def path(self, *keys: str) -> Node | None:
        node: Node | None = self
        for key in keys:
            if node is None:
                return None
            node = node.get(key)
        return node

    def items(self) -> Iterator[tuple[str, Node]]:
        if isinstance(self.value, dict):
            yield from self.value.items()

    def plain(self) -> Any:
        """The value without locations, as yaml.safe_load would give it."""
        if isinstance(self.value, dict):
            return {key: child.plain() for key, child in self.value.items()}
        if isinstance(self.value, list):
            return [child.plain() for child in self.value]
        return self.value

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)


class _Builder:
    def __init__(self, path: str, loader: Any, duplicates: list[tuple[str, Location, Location]] | None) -> None:
        self.path = path
        self.loader = loader
        self.budget = MAX_NODES
        self.duplicates = duplicates

    def location(self, node: yaml.Node) -> Location:
        start, end = node.start_mark, node.end_mark
        return Location(self.path, start.line + 1, start.column + 1, end.line + 1, end.column + 1)

    def check_size(self, root: yaml.Node) -> None:
        check_expanded_size(root, self.budget)

    def build(self, node: yaml.Node, key_location: Location | None = None) -> Node:
        if node.tag.startswith("tag:yaml.org,2002:python/"):
            raise YamlError(
                f"Python-specific YAML tag {node.tag.rsplit(':', 1)[-1]!r} refused (never constructed)",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        self.budget -= 1
        if self.budget < 0:
            raise YamlError(
                f"more than {MAX_NODES} values after expanding anchors and aliases "
                "(an alias bomb or a generated file); refused",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        location = self.location(node)
        if isinstance(node, yaml.MappingNode):
            # Keys written in this mapping, as opposed to those a `<<: *defaults` merge brings in:
            # a written key overriding a merged one is what merge keys are for, not a repeat.
            written = {id(key_node) for key_node, _ in node.value if key_node.tag != "tag:yaml.org,2002:merge"}
            self.loader.flatten_mapping(node)
            mapping: dict[str, Node] = {}
            first_written: set[str] = set()
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    key = key_node.value
                else:
                    key = str(self.build(key_node).plain())
                child_key_location = self.location(key_node)
                is_written = id(key_node) in written
                if key in mapping and is_written and key in first_written and self.duplicates is not None:
                    first = mapping[key].key_location or child_key_location
                    self.duplicates.append((key, first, child_key_location))
                if is_written:
                    first_written.add(key)
                mapping[key] = self.build(value_node, child_key_location)
            return Node(mapping, location, key_location)
        if isinstance(node, yaml.SequenceNode):
            return Node([self.build(child) for child in node.value], location, key_location)
        try:
            value = self.loader.construct_object(node, deep=True)
        except ValueError:
            # An integer over Python's 4,300-digit conversion limit: keep its text, which no
            # client reads as a number in range either.
            value = node.value
        if isinstance(value, (bytes, bytearray)):
            value = value.decode("latin-1")
        elif value is not None and not isinstance(value, (str, int, float, bool)):
            value = str(value)
        quoted = node.style in ("'", '"')
        return Node(value, location, key_location, raw=node.value, quoted=quoted)


def load_documents(
    text: str, path: str, duplicates: list[tuple[str, Location, Location]] | None = None,
    anchors_redefined: bool = False,
) -> list[Node]:
    """Every document of a YAML (or JSON) stream as a located tree; raises YamlError.

    Repeated keys in one mapping are appended to `duplicates` as (key, first, repeat).
    """
    _import_yaml()
    # libyaml's loader is an order of magnitude faster than the pure-Python one.
    loader = safe_loader(text, anchors_redefined)
    mark_duplicates = len(duplicates) if duplicates is not None else 0
    builder = _Builder(path, loader, duplicates)
    documents: list[Node] = []
    count = 0
    try:
        while loader.check_node():
            count += 1
            if count > MAX_DOCUMENTS:
                mark = loader.peek_event().start_mark
                raise YamlError(f"more than {MAX_DOCUMENTS} YAML documents in one file; refused", mark.line + 1, 1)
            node = loader.get_node()
            if node is not None:
                builder.check_size(node)
                documents.append(builder.build(node))
    except yaml.MarkedYAMLError as error:
        if not anchors_redefined and is_duplicate_anchor(error):
            if duplicates is not None:
                del duplicates[mark_duplicates:]  # read again from the start
            loader.dispose()
            return load_documents(text, path, duplicates, anchors_redefined=True)
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        problem = one_line(error.problem or error.context or "invalid YAML")
        raise YamlError(f"invalid YAML: {problem}", line, column) from None
    except yaml.YAMLError as error:
        raise YamlError(f"invalid YAML: {one_line(str(error))}") from None
    except RecursionError:
        raise YamlError("nesting too deep to read safely; refused") from None
    finally:
        loader.dispose()
    return documents


def scalar_text(node: Node) -> str:
    """The text of a scalar as a Kafka client would receive it from this file."""
    value = node.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, float) and node.raw:
        return node.raw
    return str(value)
