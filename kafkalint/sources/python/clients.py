"""Client lifetimes: where each client is built, what the code calls on it (commit, produce,
poll, flush, close, subscribe), and, once the whole file is walked, one ClientLifetime fact per
client and one ProducerCalls fact per producer."""

from __future__ import annotations

import libcst as cst

from kafkalint.model import UNKNOWN, Role
from kafkalint.sources.python.blocks import breaks_out
from kafkalint.sources.python.calls import CLOSE_METHODS
from kafkalint.sources.python.client_classes import AIOKAFKA, CONFLUENT, ClientClass
from kafkalint.sources.python.configs import static_value
from kafkalint.sources.python.facts import (
    ClientLifetime,
    ClientRef,
    CloseCall,
    CommitCall,
    FlushCall,
    ProduceCall,
    ProducerCalls,
)
from kafkalint.sources.python.syntax import argument
from kafkalint.sources.python.walk_state import CallEvent, ClientRecord, Context

# Methods a close() in them runs on shutdown, whatever happened before.
_LIFECYCLE_METHODS = {"close", "stop", "shutdown", "__exit__", "__aexit__", "__del__", "cleanup", "aclose", "teardown"}


class ClientTracking:
    """Client constructions, method calls and lifetime facts; mixed into ModuleAnalysis."""

    def _construction(self, call: cst.Call, cls: ClientClass, context: Context) -> None:
        if id(call) in self.constructions:
            return
        if context.expects_error:
            return  # a test builds it to see it refused (an invalid value on purpose): no client
        record = ClientRecord(cls, call, context.top, loop=context.loops[-1] if context.loops else None)
        record.function, record.class_name = context.function, context.class_name
        self.constructions[id(call)] = record
        self.clients.append(record)
        record.values = self._configuration(call, cls, context, record)

    def _client_method(self, client: ClientRecord, method: str, call: cst.Call, context: Context, dropped: bool) -> None:
        cls = client.cls
        client.used = True
        client.methods.add(method)
        client.calls.append((method, call, context.top))
        event = CallEvent(
            call, context.top, context.loops, context.function, method=method, dropped=dropped, repeated=id(call) in self.repeated_calls
        )
        if method in CLOSE_METHODS and (method == "close" or cls.library == AIOKAFKA):
            managed = context.in_finally or (context.method_name in _LIFECYCLE_METHODS)
            client.closes.append((event, managed))
        elif cls.role is Role.CONSUMER:
            if method == "commit":
                self._commit(client, call, context)
            elif method == "subscribe":
                self._subscribed(client, call, context)
        elif cls.role is Role.PRODUCER:
            if method in ("begin_transaction", "commit_transaction", "abort_transaction"):
                client.transactions.append(event)
            elif method in ("produce", "send", "send_and_wait"):
                client.produces.append(event)
                self._record_topic(client, call, context)
            elif method in ("poll", "flush"):
                client.serves.append(event)
                if method == "flush":
                    event.batched = self._innermost_batched(context)
                    client.flushes.append(event)

    def _commit(self, client: ClientRecord, call: cst.Call, context: Context) -> None:
        found = context.record_loop()
        batched = found is not None and self._batched(context, found[0], found[1])
        self._add_fact(
            CommitCall(
                self._location(call, context.top),
                self._client_ref(client),
                synchronous=_synchronous_commit(client.cls, call),
                record_loop=self._loop_span(found[1]) if found is not None else None,
                once_per_batch=batched,
            )
        )

    def _subscribed(self, client: ClientRecord, call: cst.Call, context: Context) -> None:
        topics = argument(call, 0, "topics")
        value = static_value(topics, context.scope) if topics is not None else UNKNOWN
        if isinstance(value, str):
            value = [value]
        if topics is None or not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            client.topics_unknown = True
            return
        for topic in value:
            client.topics.append((topic, topics, context.top))

    def _record_topic(self, client: ClientRecord, call: cst.Call, context: Context) -> None:
        topic = argument(call, 0, "topic")
        if topic is not None:
            value = static_value(topic, context.scope)
            if isinstance(value, str):
                client.topics.append((value, topic, context.top))
        key = argument(call, 2, "key")
        if key is not None and not (isinstance(key, cst.Name) and key.value == "None"):
            client.keyed = True

    def _client_ref(self, client: ClientRecord) -> ClientRef:
        cls = client.cls
        return ClientRef(
            self._client_name(client), cls.name, cls.library, cls.role, cls.dialect, cls.asynchronous, cls.raises_on_error_message
        )

    # --- once the file is walked ------------------------------------------------------------

    def _add_lifetime_facts(self) -> None:
        for client in self.clients:
            self._add_fact(self._lifetime(client))
            if client.cls.role is Role.PRODUCER:
                self._add_fact(self._producer_calls(client))

    def _lifetime(self, client: ClientRecord) -> ClientLifetime:
        loop = client.loop
        attribute = client.variable.split(".", 1)[1] if client.variable.startswith("self.") else None
        return ClientLifetime(
            self._location(client.call, client.top),
            self._client_ref(client),
            created_in_loop=self._loop_span(loop) if loop is not None else None,
            loop_breaks_out=loop is not None and breaks_out(loop.node),
            bound=client.bound,
            used=client.used,
            context_managed=client.context_managed,
            escapes=client.escapes,
            held_by_public_attribute=attribute is not None and not attribute.startswith("_"),
            close_method="stop" if client.cls.library == AIOKAFKA else "close",
            closes=tuple(CloseCall(self._line(event.node, event.top), managed) for event, managed in client.closes),
        )

    def _producer_calls(self, client: ClientRecord) -> ProducerCalls:
        produces = tuple(
            ProduceCall(
                self._location(event.node, event.top),
                event.method,
                self._loop_span(event.loops[-1]) if event.loops else None,
                served_in_loop=_served_in_loop(event, client.serves),
                result_dropped=event.dropped,
            )
            for event in client.produces
        )
        flushes = tuple(
            FlushCall(
                self._location(event.node, event.top),
                self._loop_span(event.loops[-1]) if event.loops else None,
                once_per_batch=event.batched or _transaction_in_loop(event, client.transactions),
                loop_produces=bool(event.loops)
                and any(p.loops and p.loops[-1] is event.loops[-1] and not p.repeated for p in client.produces),
            )
            for event in client.flushes
        )
        return ProducerCalls(self._location(client.call, client.top), self._client_ref(client), produces, flushes)


def _synchronous_commit(cls: ClientClass, call: cst.Call) -> bool:
    if cls.library == CONFLUENT:
        value = argument(call, None, "asynchronous")
        return isinstance(value, cst.Name) and value.value == "False"
    return True  # kafka-python commit() and aiokafka `await commit()` wait for the broker


def _transaction_in_loop(flush: CallEvent, transactions: list[CallEvent]) -> bool:
    """A flush in a loop that also begins or commits a transaction runs once per transaction."""
    return bool(flush.loops) and any(event.loops and event.loops[-1] is flush.loops[-1] for event in transactions)


def _served_in_loop(produce: CallEvent, serves: list[CallEvent]) -> bool:
    """A poll()/flush() in a loop around the produce, or in a loop of another function
    (a background thread serving delivery reports)."""
    loops = set(map(id, produce.loops))
    return any(
        loops & set(map(id, serve.loops)) or (serve.loops and serve.function is not produce.function) for serve in serves
    )
