"""First pass over a module: its imports (local name -> qualified name), its functions and
methods, and the order they are walked in."""

from __future__ import annotations

import libcst as cst

from kafkalint.sources.python.blocks import bodies_of, statements_of
from kafkalint.sources.python.configs import Scope
from kafkalint.sources.python.syntax import dotted
from kafkalint.sources.python.walk_state import FunctionInfo

CLIENT_PACKAGES = ("confluent_kafka", "kafka", "aiokafka")


class DefinitionIndex:
    """Imports and definitions of one module; mixed into ModuleAnalysis."""

    module: cst.Module
    text: str
    positions: object
    aliases: dict[str, str]
    functions: dict[str, FunctionInfo]
    methods: dict[tuple[str, str], FunctionInfo]
    class_scopes: dict[str, Scope]
    function_by_node: dict[int, FunctionInfo]
    client_names: set[str]
    dict_shadowed: bool
    _order: dict[int, int]

    def imports_a_client_package(self) -> bool:
        return any(value.split(".", 1)[0] in CLIENT_PACKAGES for value in self.aliases.values())

    def _collect_definitions(
        self, node: cst.CSTNode, top: cst.CSTNode, class_name: str | None, nested: bool = False, indents: tuple[str, ...] = ()
    ) -> None:
        if isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                self._collect_import(small, nested)
            return
        if isinstance(node, cst.FunctionDef):
            info = FunctionInfo(node, top, class_name, nested=nested, indents=indents)
            self._order[id(node)] = len(self._order)
            self.function_by_node[id(node)] = info
            if class_name is not None and not nested:
                self.methods[(class_name, node.name.value)] = info
            elif not nested:
                self.functions[node.name.value] = info
            inner = self._deeper(indents, node.body)
            for statement in statements_of(node.body):
                self._collect_definitions(statement, top, None, True, inner)
            return
        if isinstance(node, cst.ClassDef):
            self.class_scopes.setdefault(node.name.value, Scope())
            inner = self._deeper(indents, node.body)
            for statement in statements_of(node.body):
                self._collect_definitions(statement, top, node.name.value, nested, inner)
            return
        for body, block in bodies_of(node):
            inner = self._deeper(indents, body)
            for statement in block:
                self._collect_definitions(statement, top, class_name, nested, inner)

    def _collect_import(self, small: cst.BaseSmallStatement, nested: bool) -> None:
        if isinstance(small, cst.Import):
            for alias in small.names:
                full = dotted(alias.name) or ""
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self.aliases[alias.asname.name.value] = full
                else:
                    first = full.split(".", 1)[0]
                    self.aliases[first] = first
        elif isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None:
            module_name = dotted(small.module) or ""
            if isinstance(small.names, cst.ImportStar):
                return
            for alias in small.names:
                name = dotted(alias.name) or ""
                local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
                self.aliases[local] = f"{module_name}.{name}"
        elif isinstance(small, cst.Assign) and not nested:
            for target in small.targets:
                if isinstance(target.target, cst.Name) and target.target.value == "dict":
                    self.dict_shadowed = True

    def _deeper(self, indents: tuple[str, ...], body: cst.CSTNode) -> tuple[str, ...]:
        if isinstance(body, cst.IndentedBlock):
            return (*indents, body.indent if body.indent is not None else self.module.default_indent)
        return indents

    def qualified(self, node: cst.BaseExpression) -> str | None:
        name = dotted(node)
        if name is None:
            return None
        first, _, rest = name.partition(".")
        resolved = self.aliases.get(first)
        if resolved is None:
            return name if first in ("input",) else None
        return f"{resolved}.{rest}" if rest else resolved

    def _function_order(self) -> list[FunctionInfo]:
        # Callers usually come after the helpers they call (main() last): walking functions
        # in reverse order lets a client passed as an argument reach the helper's parameter.
        # Constructors go first so `self.consumer` is bound before other methods use it.
        infos = [info for info in self.function_by_node.values() if not info.nested]
        infos.sort(key=lambda info: (info.node.name.value != "__init__", -self._order.get(id(info.node), 0)))
        return infos

    def _may_concern_kafka(self, top: cst.CSTNode) -> bool:
        """Can this top-level def or class touch a client? A substring test on its text.

        Walking every expression of every function costs most of a parse again; in files that
        use Kafka in one function out of fifty, the other functions never name a client class
        or a variable holding a client, and are skipped.
        """
        bounds = self.positions.top_level_bounds().get(id(top))  # type: ignore[attr-defined]
        if bounds is None:
            return True
        region = self.text[bounds[0] : bounds[1]]
        tokens = self.client_names | {
            local for local, qualified in self.aliases.items() if qualified.split(".", 1)[0] in CLIENT_PACKAGES
        }
        return any(token in region for token in tokens)
