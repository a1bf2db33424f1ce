"""Positions of the few libcst nodes a file reports, without resolving the whole module.

libcst's PositionProvider regenerates the code of the entire module (and MetadataWrapper
deep-copies it first), which costs about twice the parse itself. Findings are rare, so
positions are computed per top-level statement on demand: that statement alone is regenerated
with libcst's own position-tracking codegen state, and its offset in the file is found by
searching the (lossless) regenerated text in the source.
"""

from __future__ import annotations

from typing import Any

from kafkalint.model import Location


class PositionIndex:
    """Answers `location(node, top_statement)` for one parsed file, caching per statement."""

    def __init__(self, module: Any, text: str, display: str) -> None:
        self.module = module
        self.text = text
        self.display = display
        self._ranges: dict[int, tuple[dict[Any, Any], int]] = {}
        self._fallback: dict[Any, Any] | None = None

    def location(self, node: Any, top_statement: Any) -> Location:
        ranges, line_offset = self._statement_ranges(top_statement)
        code_range = ranges.get(node)
        if code_range is None:
            code_range = self._whole_module().get(node)
            line_offset = 0
            if code_range is None:
                return Location(self.display, 1, 1)
        start, end = code_range.start, code_range.end
        return Location(
            self.display,
            start.line + line_offset,
            start.column + 1,
            end.line + line_offset,
            end.column + 1,
        )

    def _statement_ranges(self, statement: Any) -> tuple[dict[Any, Any], int]:
        cached = self._ranges.get(id(statement))
        if cached is not None:
            return cached
        from libcst.metadata.position_provider import PositionProvider, PositionProvidingCodegenState

        provider = PositionProvider()
        state = PositionProvidingCodegenState(
            default_indent=self.module.default_indent,
            default_newline=self.module.default_newline,
            provider=provider,
        )
        statement._codegen(state)
        code = "".join(state.tokens)
        offset = self.text.find(code) if code else -1
        if offset < 0 or self.text.find(code, offset + 1) >= 0:
            # The statement's text is not unique in the file: fall back to the exact answer.
            result: tuple[dict[Any, Any], int] = ({}, 0)
        else:
            result = (provider._computed, self.text.count("\n", 0, offset))
        self._ranges[id(statement)] = result
        return result

    def _whole_module(self) -> dict[Any, Any]:
        if self._fallback is None:
            from libcst.metadata import MetadataWrapper, PositionProvider

            wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
            self._fallback = dict(wrapper.resolve(PositionProvider))
        return self._fallback
