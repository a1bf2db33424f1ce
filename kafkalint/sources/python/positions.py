"""Positions of the few libcst nodes a file reports, without resolving the whole module.

libcst's PositionProvider regenerates the code of the entire module with per-node context
managers and line/column arithmetic on every token (and MetadataWrapper deep-copies the
module first), which costs about twice the parse itself. Here only the top-level statements
that hold reported nodes are regenerated, with a codegen state that merely counts characters;
the statement's offset in the file is found by searching its (lossless) text in the source,
and line and column come from the source text itself.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from kafkalint.model import Location


@dataclass(slots=True, frozen=True)
class Anchor:
    """Where a node sits: its innermost statement, the indentation of the blocks around that
    statement, and the top-level statement holding it all."""

    statement: Any
    indents: tuple[str, ...]
    top: Any


_HEADER = re.compile(r"^(?:async[ \t]+def|def|class)[ \t]+(\w+)", re.MULTILINE)


def top_level_bounds(module: Any, text: str) -> dict[int, tuple[int, int]]:
    """Offsets of each top-level def/class, from its header to the next one's (column 0).

    Headers are matched to the module's statements in order; if any cannot be matched, no
    bounds are returned and callers fall back to their slower exact path.
    """
    import libcst as cst

    headers = [(match.group(1), match.start()) for match in _HEADER.finditer(text)]
    starts: list[tuple[int, int]] = []
    position = 0
    for statement in module.body:
        if not isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            continue
        name = statement.name.value
        while position < len(headers) and headers[position][0] != name:
            position += 1
        if position == len(headers):
            return {}
        starts.append((id(statement), headers[position][1]))
        position += 1
    bounds: dict[int, tuple[int, int]] = {}
    for index, (identity, start) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else len(text)
        bounds[identity] = (start, end)
    return bounds


class _SyntacticSpan:
    """What `with state.record_syntactic_position(node)` enters: start and end offsets
    without the node's leading lines, indentation or parentheses, as libcst's PositionProvider
    reports them."""

    __slots__ = ("end_node", "node", "start", "start_node", "state")

    def __init__(self, state: Any, node: Any, start_node: Any, end_node: Any) -> None:
        self.state, self.node, self.start_node, self.end_node = state, node, start_node, end_node

    def __enter__(self) -> None:
        self.start = self.state.length

    def __exit__(self, *exc_info: Any) -> None:
        spans = self.state.spans
        start = spans[id(self.start_node)][0] if self.start_node is not None else self.start
        end = spans[id(self.end_node)][1] if self.end_node is not None else self.state.length
        spans[id(self.node)] = (start, end)


def _offset_state_class() -> type:
    from libcst._nodes.internal import CodegenState

    class OffsetCodegenState(CodegenState):  # type: ignore[misc, valid-type]
        """Codegen that records each node's (start, end) character offsets."""

        def __init__(self, default_indent: str, default_newline: str) -> None:
            super().__init__(default_indent=default_indent, default_newline=default_newline)
            self.length = 0
            self.spans: dict[int, tuple[int, int]] = {}
            self.stack: list[int] = []

        def add_indent_tokens(self) -> None:
            self.tokens.extend(self.indent_tokens)
            for token in self.indent_tokens:
                self.length += len(token)

        def add_token(self, value: str) -> None:
            self.tokens.append(value)
            self.length += len(value)

        def pop_trailing_newline(self) -> None:
            if self.tokens:
                self.length -= len(self.tokens.pop())

        def before_codegen(self, node: Any) -> None:
            self.stack.append(self.length)

        def after_codegen(self, node: Any) -> None:
            start = self.stack.pop()
            self.spans.setdefault(id(node), (start, self.length))

        def record_syntactic_position(self, node: Any, *, start_node: Any = None, end_node: Any = None) -> _SyntacticSpan:
            return _SyntacticSpan(self, node, start_node, end_node)

    # CodegenState uses __slots__; the subclass gets a __dict__ for its own counters.
    return OffsetCodegenState


_STATE_CLASS: type | None = None


class PositionIndex:
    """Answers `location(node, top_statement)` for one parsed file, caching per statement."""

    def __init__(self, module: Any, text: str, display: str) -> None:
        self.module = module
        self.text = text
        self.display = display
        self._statements: dict[int, tuple[dict[int, tuple[int, int]], int]] = {}
        self._whole: dict[int, tuple[int, int]] | None = None
        self._provider_ranges: Any = None
        self._bounds: dict[int, tuple[int, int]] | None = None
        self._inner: dict[int, tuple[dict[int, tuple[int, int]], int]] = {}
        self._line_starts: list[int] | None = None
        self._top_offsets: dict[int, int] | None = None

    def _inner_spans(self, anchor: Anchor) -> tuple[dict[int, tuple[int, int]], int]:
        """Spans of a statement inside a top-level def/class, from its own codegen with the
        surrounding indentation restored, found by its text within that def/class."""
        cached = self._inner.get(id(anchor.statement))
        if cached is not None:
            return cached
        result: tuple[dict[int, tuple[int, int]], int] = ({}, 0)
        bounds = self.top_level_bounds().get(id(anchor.top))
        if bounds is not None:
            state = self._codegen(anchor.statement, anchor.indents)
            code = "".join(state.tokens)
            offset = self.text.find(code, bounds[0], bounds[1]) if code else -1
            if offset >= 0 and self.text.find(code, offset + 1, bounds[1]) < 0:
                result = (state.spans, offset)
        self._inner[id(anchor.statement)] = result
        return result

    def _provider_location(self, node: Any) -> Location:
        if not self._provider_ranges:
            from libcst.metadata import MetadataWrapper, PositionProvider

            self._provider_ranges = MetadataWrapper(self.module, unsafe_skip_copy=True).resolve(PositionProvider)
        code_range = self._provider_ranges.get(node)
        if code_range is None:
            return Location(self.display, 1, 1)
        start, end = code_range.start, code_range.end
        return Location(self.display, start.line, start.column + 1, end.line, end.column + 1)

    def top_level_bounds(self) -> dict[int, tuple[int, int]]:
        if self._bounds is None:
            self._bounds = top_level_bounds(self.module, self.text)
        return self._bounds

    def location(self, node: Any, where: Any) -> Location:
        """Location of `node`; `where` is its Anchor, or just the top-level statement."""
        if self._provider_ranges is not None:
            return self._provider_location(node)
        top_statement = where
        try:
            if isinstance(where, Anchor):
                top_statement = where.top
                if where.statement is not where.top:
                    spans, base = self._inner_spans(where)
                    span = spans.get(id(node))
                    if span is not None:
                        return Location(self.display, *self._line_column(base + span[0]), *self._line_column(base + span[1]))
            spans, base = self._statement_spans(top_statement)
        except (AttributeError, TypeError):
            # libcst's codegen internals changed (they are private): use its public provider.
            self._provider_ranges = {}
            return self._provider_location(node)
        span = spans.get(id(node))
        if span is None:
            span, base = self._whole_module().get(id(node)), 0
            if span is None:
                return Location(self.display, 1, 1)
        return Location(self.display, *self._line_column(base + span[0]), *self._line_column(base + span[1]))

    def _line_column(self, offset: int) -> tuple[int, int]:
        # Line starts are found once per file: counting newlines from the start of the file for
        # every node made a file of many findings cost the square of its length.
        if self._line_starts is None:
            starts = [0]
            find = self.text.find
            position = find("\n")
            while position >= 0:
                starts.append(position + 1)
                position = find("\n", position + 1)
            self._line_starts = starts
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def _codegen(self, node: Any, indents: tuple[str, ...] = ()) -> Any:
        global _STATE_CLASS
        if _STATE_CLASS is None:
            _STATE_CLASS = _offset_state_class()
        state = _STATE_CLASS(self.module.default_indent, self.module.default_newline)
        state.indent_tokens.extend(indents)
        node._codegen(state)
        return state

    def _statement_spans(self, statement: Any) -> tuple[dict[int, tuple[int, int]], int]:
        cached = self._statements.get(id(statement))
        if cached is not None:
            return cached
        state = self._codegen(statement)
        code = "".join(state.tokens)
        offset = self._top_level_offset(statement, code)
        if offset is None:
            offset = self.text.find(code) if code else -1
            if offset >= 0 and self.text.find(code, offset + 1) >= 0:
                offset = -1
        if offset < 0:
            # The statement's text is not unique in the file: use whole-module offsets.
            result: tuple[dict[int, tuple[int, int]], int] = ({}, 0)
        else:
            result = (state.spans, offset)
        self._statements[id(statement)] = result
        return result

    # From this many top-level statements on, their offsets are summed up in one pass instead of
    # searching the file for each statement's text (a search per statement is quadratic).
    MANY_STATEMENTS = 64

    def _top_level_offset(self, statement: Any, code: str) -> int | None:
        """The offset of a top-level statement, from the lengths of the module's header and of
        the statements before it (the module's code is exactly those, in order); None when the
        module is small or the sum does not land on the statement's text."""
        body = getattr(self.module, "body", ())
        if len(body) < self.MANY_STATEMENTS or not code:
            return None
        if self._top_offsets is None:
            offsets: dict[int, int] = {}
            position = sum(len(self.module.code_for_node(line)) for line in self.module.header)
            for item in body:
                offsets[id(item)] = position
                position += len(self.module.code_for_node(item))
            self._top_offsets = offsets
        offset = self._top_offsets.get(id(statement))
        if offset is None or not self.text.startswith(code, offset):
            return None
        return offset

    def _whole_module(self) -> dict[int, tuple[int, int]]:
        if self._whole is None:
            self._whole = self._codegen(self.module).spans
        return self._whole
