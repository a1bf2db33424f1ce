"""Which expressions are the records of a poll, and which loops iterate them or poll: the
loop facts (a commit per record, a client built in a poll loop) hang on these answers.
Mixed into FileAnalysis (analysis.py)."""

from __future__ import annotations

from kafkalint.sources.jvm import grammar
from kafkalint.sources.jvm.grammar import Node
from kafkalint.sources.jvm.values import VALUE_DEPTH
from kafkalint.sources.jvm.walk_state import Loop


class RecordLoops:
    def _loop(self, node: Node) -> Loop:
        _variable, iterable = grammar.loop_iterable(node, self.language)
        over_records = iterable is not None and self._is_records(iterable)
        return Loop(node, self._line(node), over_records, self._polls_inside(node))

    def _is_records(self, node: Node, depth: int = 0) -> bool:
        """Is this expression the records of a poll: `consumer.poll(...)`, a variable holding
        them, `records.records(topic)`?"""
        if depth > VALUE_DEPTH:
            return False
        name = grammar.dotted_name(node)
        if name is not None:
            return self.variable_types.get(name) == "records"
        call = grammar.call_of(node, self.language)
        if call is None or call.receiver is None:
            return False
        if call.name == "poll":
            return self._role_of(call.receiver) == "consumer"
        if call.name == "records":
            return self._is_records(call.receiver, depth + 1)
        return False

    def _iterates_records(self, node: Node) -> bool:
        """A lambda passed to `records.forEach(...)`."""
        parent = node.parent
        while parent is not None and parent.type in ("argument_list", "value_argument", "value_arguments", "annotated_lambda"):
            parent = parent.parent
        if parent is None:
            return False
        call = grammar.call_of(parent, self.language)
        return call is not None and call.name == "forEach" and call.receiver is not None and self._is_records(call.receiver)

    def _polls_inside(self, node: Node) -> bool:
        if b"poll" not in self.data[node.start_byte : node.end_byte]:
            return False  # most loops: decided on the bytes, no walk
        stack = list(node.named_children)
        while stack:
            item = stack.pop()
            if item.type in grammar.LOOP_TYPES:
                continue  # a poll in a nested loop is that loop's (a reconnect loop around a poll loop)
            if item.type in grammar.FUNCTION_TYPES and item.type not in ("lambda_expression", "lambda_literal"):
                continue
            call = grammar.call_of(item, self.language)
            if call is not None and call.name == "poll" and call.receiver is not None and self._role_of(call.receiver) == "consumer":
                return True
            stack.extend(item.named_children)
        return False

    def _role_of(self, node: Node) -> str | None:
        name = grammar.dotted_name(node)
        if name is None:
            return None
        return self.variable_types.get(name)
