"""Producer and KafkaTemplate sends: the topic each send names, whether its result is awaited
in a loop or dropped, and transactions. Mixed into FileAnalysis (analysis.py)."""

from __future__ import annotations

import re

from kafkalint.model import CodeFact
from kafkalint.sources.jvm import grammar
from kafkalint.sources.jvm.grammar import JAVA, Call, Node
from kafkalint.sources.jvm.templates import TEMPLATE_TOPIC, module_of
from kafkalint.sources.jvm.walk_state import RECORD_CLASS, Context

# Calls that make a loop wait on purpose: Thread.sleep, TimeUnit.SECONDS.sleep, Kotlin's delay.
_PACING = re.compile(rb"\bThread\s*\.\s*sleep\s*\(|\bTimeUnit\s*\.\s*\w+\s*\.\s*sleep\s*\(|\bdelay\s*\(")

_TRANSACTION_CALLS = {"beginTransaction", "commitTransaction", "sendOffsetsToTransaction", "initTransactions"}


class SendTracking:
    def _producer_call(self, receiver: str, kind: str, call: Call, context: Context) -> None:
        if call.name in _TRANSACTION_CALLS:
            self.transactional.add(receiver)
        if call.name != "send" or not call.arguments:
            return
        record = self.clients.get(receiver)
        first = call.arguments[0]
        topic: tuple[str, Node, bool] | None = None
        if kind == "producer":
            name = grammar.dotted_name(first)
            if name is not None:
                topic = self.records.get(name)
            else:
                inner = grammar.call_of(first, self.language)
                if inner is not None and inner.constructs and inner.name == RECORD_CLASS[0]:
                    topic = self._record_topic(inner)
        if kind == "template":
            topic = self._template_topic(call)
            if topic is not None:
                # The template's producer is configured elsewhere (application.yml, a factory
                # bean): sources/jvm/templates.py gives the topic to it after every file is read.
                self.facts.append(
                    CodeFact(TEMPLATE_TOPIC, self._location(topic[1]), {"topic": topic[0], "keyed": topic[2], "module": module_of(self.display)})
                )
        if record is not None and topic is not None:
            record.config.topics.append((topic[0], self._location(topic[1])))
            if topic[2]:
                record.config.extras["keyed"] = True
        parent = call.node.parent
        awaited = parent is not None and self._awaits(parent, call.node)
        if awaited and context.loops:
            loop = context.loops[-1]
            # A loop that sleeps is paced on purpose (a generator sending one record every few
            # seconds): waiting for each send costs it nothing.
            paced = bool(_PACING.search(self.data[loop.node.start_byte : loop.node.end_byte]))
            self._fact("jvm-send-awaited-in-loop", call.node, client=receiver, loop_line=loop.line, paced=paced)
        if kind == "producer" and len(call.arguments) == 1 and call.trailing_lambda is None and self._result_dropped(call.node):
            self._fact("jvm-send-result-dropped", call.node, client=receiver)

    def _template_topic(self, call: Call) -> tuple[str, Node, bool] | None:
        """`template.send("orders", key, value)`, `template.send(record)`."""
        first = call.arguments[0]
        name = grammar.dotted_name(first)
        if name is not None and name in self.records:
            return self.records[name]
        inner = grammar.call_of(first, self.language)
        if inner is not None and inner.constructs and inner.name == RECORD_CLASS[0]:
            return self._record_topic(inner)
        topic = self.values.value(first)
        if not isinstance(topic, str) or len(call.arguments) < 2:
            return None
        # send(topic, data) | send(topic, key, data) | send(topic, partition, key, data) | ...
        keyed = len(call.arguments) == 3 and grammar.text(call.arguments[1]) != "null"
        return topic, first, keyed

    def _awaits(self, parent: Node, send: Node) -> bool:
        """`producer.send(r).get()` (the future awaited on the spot)."""
        if self.language == JAVA:
            outer = parent if parent.type == "method_invocation" and grammar.field(parent, "object") == send else None
        else:
            outer = parent.parent if parent.type == "navigation_expression" and parent.named_children[0] == send else None
        if outer is None:
            return False
        call = grammar.call_of(outer, self.language)
        return call is not None and call.name in ("get", "join")

    def _result_dropped(self, node: Node) -> bool:
        parent = node.parent
        if self.language == JAVA:
            return parent is not None and parent.type == "expression_statement"
        # Kotlin: a statement of a block, not the last expression of a lambda (its value).
        return parent is not None and parent.type in ("block", "statements") and parent.parent is not None and parent.parent.type != "lambda_literal"

    def _record_topic(self, call: Call) -> tuple[str, Node, bool] | None:
        if not call.arguments:
            return None
        topic = self.values.value(call.arguments[0])
        if not isinstance(topic, str):
            return None
        keyed = False
        if len(call.arguments) == 3:
            key = call.arguments[1]
            keyed = grammar.text(key) != "null"
        return topic, call.arguments[0], keyed
