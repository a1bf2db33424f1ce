"""Checks of Python client code (KL501-KL510): each reads the typed facts the Python source
states (sources/python/facts.py) and decides its own rule; the rule file words the message."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kafkalint.checks import CheckContext, Hit
from kafkalint.checks.registry import check
from kafkalint.knowledge import group_membership
from kafkalint.model import GroupMembership, Role
from kafkalint.sources.python.client_classes import AIOKAFKA, CONFLUENT, KAFKA_PYTHON

if TYPE_CHECKING:  # annotations only: a run without Python code never builds the fact classes
    from kafkalint.sources.python.facts import (
        BlockingCall,
        ClientLifetime,
        CommitCall,
        PollLoop,
        ProducerCalls,
        RecordReadBeforeErrorCheck,
    )

# Libraries whose send() reports a failed delivery only through the future it returns.
_FUTURE_ONLY_LIBRARIES = (KAFKA_PYTHON, AIOKAFKA)


@check("KL501")
def commit_per_record(fact: CommitCall, context: CheckContext) -> Iterator[Hit]:
    if fact.synchronous and fact.record_loop is not None and not fact.once_per_batch:
        yield Hit(fact.location, {"client": fact.client.name, "loop_line": fact.record_loop.line})


@check("KL502")
def blocking_call_in_poll_loop(fact: BlockingCall, context: CheckContext) -> Iterator[Hit]:
    loop = fact.poll_loop
    yield Hit(fact.location, {"call": fact.call, "call_line": fact.call_line, "loop_line": loop.line, "client": loop.polled_client})


@check("KL503")
def record_read_before_error_check(fact: RecordReadBeforeErrorCheck, context: CheckContext) -> Iterator[Hit]:
    client = fact.client
    if client is None or client.library != CONFLUENT or client.raises_on_error_message:
        return  # only confluent-kafka's plain Consumer returns error events as messages
    yield Hit(fact.location, {"record": fact.record, "method": fact.method})


@check("KL504")
def record_processing_unguarded(fact: PollLoop, context: CheckContext) -> Iterator[Hit]:
    for call in fact.record_calls:
        if not call.guarded and not call.callee_handles_errors:
            guard = "no try/except" if call.narrow_try_line is None else f"only a try (line {call.narrow_try_line}) missing its errors"
            yield Hit(call.location, {"callee": call.callee, "loop_line": fact.loop.line, "client": fact.loop.polled_client, "guard": guard})
            return  # one finding per loop: the first call an exception escapes from


@check("KL505")
def producer_never_polled(fact: ProducerCalls, context: CheckContext) -> Iterator[Hit]:
    client = fact.client
    if client.library != CONFLUENT or client.asynchronous:
        return  # only confluent-kafka's synchronous Producer serves delivery reports in poll()
    reported = set()
    for produce in fact.produces:
        loop = produce.loop
        if produce.method != "produce" or loop is None or produce.served_in_loop or loop in reported:
            continue
        reported.add(loop)
        yield Hit(produce.location, {"client": client.name, "loop_line": loop.line})


@check("KL506")
def flush_per_record(fact: ProducerCalls, context: CheckContext) -> Iterator[Hit]:
    for flush in fact.flushes:
        loop = flush.loop
        if loop is not None and not flush.once_per_batch and (flush.loop_produces or loop.per_record):
            yield Hit(flush.location, {"client": fact.client.name, "loop_line": loop.line})


@check("KL507")
def send_result_dropped(fact: ProducerCalls, context: CheckContext) -> Iterator[Hit]:
    if fact.client.library not in _FUTURE_ONLY_LIBRARIES:
        return
    for produce in fact.produces:
        if produce.method == "send" and produce.result_dropped:
            yield Hit(produce.location, {"client": fact.client.name, "library": fact.client.library})


@check("KL508")
def client_created_in_loop(fact: ClientLifetime, context: CheckContext) -> Iterator[Hit]:
    loop = fact.created_in_loop
    if loop is not None and not fact.loop_breaks_out:  # a loop that breaks out is a connection retry
        yield Hit(fact.location, {"client_class": fact.client.class_name, "loop_line": loop.line})


def _consumer_close_is_ours(fact: ClientLifetime) -> bool:
    """Is closing this consumer this file's job? Not when the file never uses it, hands it
    on, or lets a `with` block close it."""
    return (
        fact.client.role is Role.CONSUMER
        and fact.bound
        and fact.used
        and not fact.context_managed
        and not fact.escapes
    )


def _in_group(fact: ClientLifetime, context: CheckContext) -> bool:
    """Leaving the group is what close() is for here: not for a consumer outside any group."""
    by_anchor = context.memo.get("clients_by_anchor")
    if by_anchor is None:  # once per evaluation, not a scan of every client per fact
        by_anchor = context.memo["clients_by_anchor"] = {}
        for config in context.project.clients:
            by_anchor.setdefault(config.anchor, config)
    config = by_anchor.get(fact.location)
    return config is None or group_membership(config) is not GroupMembership.NO_GROUP


@check("KL509")
def consumer_never_closed(fact: ClientLifetime, context: CheckContext) -> Iterator[Hit]:
    if _consumer_close_is_ours(fact) and not fact.closes and not fact.held_by_public_attribute and _in_group(fact, context):
        yield Hit(fact.location, {"client": fact.client.name, "close": f"{fact.close_method}()"})


@check("KL510")
def consumer_close_skipped_on_error(fact: ClientLifetime, context: CheckContext) -> Iterator[Hit]:
    if _consumer_close_is_ours(fact) and fact.closes and not any(close.on_every_path for close in fact.closes) and _in_group(fact, context):
        yield Hit(
            fact.location,
            {"client": fact.client.name, "close": f"{fact.close_method}()", "close_line": fact.closes[0].line},
        )
