"""The Python source on small snippets, without the CLI or any rule: the typed facts it
states about poll loops, calls and client lifetimes."""

from __future__ import annotations

import textwrap

from kafkalint.model import Dialect, Project, Role
from kafkalint.sources.python import read_python
from kafkalint.sources.python.facts import (
    BlockingCall,
    ClientLifetime,
    CommitCall,
    LoopSpan,
    PollLoop,
    ProducerCalls,
    RecordReadBeforeErrorCheck,
)


def _facts(code: str, kind: type) -> list:
    project = Project()
    read_python(textwrap.dedent(code), "app.py", project)
    return [fact for fact in project.facts if isinstance(fact, kind)]


def test_facts_name_no_rule_and_carry_a_location():
    code = """\
        from confluent_kafka import Consumer
        consumer = Consumer({"group.id": "g"})
        while True:
            msg = consumer.poll(1.0)
            consumer.commit(asynchronous=False)
        """
    project = Project()
    read_python(textwrap.dedent(code), "app.py", project)
    assert {type(fact).__name__ for fact in project.facts} == {"CommitCall", "PollLoop", "ClientLifetime"}
    assert all(fact.kind.startswith("python-") and fact.location.path == "app.py" for fact in project.facts)


# --- commits ---------------------------------------------------------------------------------


def test_a_commit_per_consumed_record_is_synchronous_in_a_record_loop():
    code = """\
        from confluent_kafka import Consumer
        consumer = Consumer({"group.id": "g"})
        while True:
            for message in consumer.consume(num_messages=10):
                consumer.commit(message=message, asynchronous=False)
        """
    (commit,) = _facts(code, CommitCall)
    assert (commit.location.line, commit.location.column) == (5, 9)
    assert commit.client.name == "consumer" and commit.client.role is Role.CONSUMER
    assert commit.synchronous and not commit.once_per_batch
    assert commit.record_loop == LoopSpan(4, 5, polled_client=None, per_record=True)


def test_a_confluent_commit_without_asynchronous_false_does_not_wait():
    code = """\
        from confluent_kafka import Consumer
        consumer = Consumer({"group.id": "g"})
        while True:
            msg = consumer.poll(1.0)
            consumer.commit(msg)
        """
    (commit,) = _facts(code, CommitCall)
    assert not commit.synchronous
    assert commit.record_loop == LoopSpan(3, 1, polled_client="consumer", per_record=True)


def test_a_commit_under_a_counter_test_runs_once_per_batch():
    code = """\
        from kafka import KafkaConsumer
        consumer = KafkaConsumer("t", group_id="g")
        count = 0
        for record in consumer:
            count += 1
            if count % 100 == 0:
                consumer.commit()
        """
    (commit,) = _facts(code, CommitCall)
    assert commit.synchronous and commit.once_per_batch and commit.record_loop.line == 4


def test_a_commit_outside_any_record_loop_has_none():
    code = """\
        from kafka import KafkaConsumer
        consumer = KafkaConsumer("t", group_id="g")
        consumer.commit()
        """
    (commit,) = _facts(code, CommitCall)
    assert commit.record_loop is None


# --- poll loops ------------------------------------------------------------------------------


def test_a_poll_loop_lists_the_calls_that_process_its_records_and_their_guards():
    code = """\
        import json
        from confluent_kafka import Consumer

        def handle(value):
            try:
                return json.loads(value)
            except ValueError:
                return None

        consumer = Consumer({"group.id": "g"})
        while True:
            msg = consumer.poll(1.0)
            print(msg)
            payload = json.loads(msg.value())
            handle(payload)
            try:
                json.loads(payload)
            except ValueError:
                pass
        """
    (loop,) = _facts(code, PollLoop)
    assert loop.loop == LoopSpan(11, 1, polled_client="consumer", per_record=True)
    calls = [(call.callee, call.location.line, call.guarded, call.callee_handles_errors) for call in loop.record_calls]
    assert calls == [("json.loads", 14, False, False), ("handle", 15, False, True), ("json.loads", 17, True, False)]


def test_a_loop_that_polls_nothing_is_no_poll_loop():
    assert _facts("from kafka import KafkaConsumer\nfor i in range(3):\n    print(i)\n", PollLoop) == []


def test_a_sleep_in_a_helper_is_a_blocking_call_at_the_helpers_call():
    code = """\
        from time import sleep
        from kafka import KafkaConsumer

        def throttle():
            sleep(2)

        consumer = KafkaConsumer("orders", group_id="billing")
        for record in consumer:
            throttle()
        sleep(1)
        """
    (blocking,) = _facts(code, BlockingCall)
    assert (blocking.location.line, blocking.location.column) == (9, 5)
    assert (blocking.call, blocking.call_line) == ("time.sleep()", 5)
    assert blocking.poll_loop == LoopSpan(8, 1, polled_client="consumer", per_record=True)


def test_only_the_first_read_of_a_record_before_its_error_check_is_stated():
    code = """\
        from confluent_kafka import Consumer
        consumer = Consumer({"group.id": "g"})
        while True:
            msg = consumer.poll(1.0)
            print(msg.key(), msg.value())
            other = consumer.poll(1.0)
            if other.error():
                continue
            print(other.value())
        """
    (read,) = _facts(code, RecordReadBeforeErrorCheck)
    assert (read.location.line, read.record, read.method) == (5, "msg", "key")
    assert read.client.dialect is Dialect.LIBRDKAFKA and not read.client.raises_on_error_message


# --- producers -------------------------------------------------------------------------------


def test_producer_calls_say_where_produce_and_flush_run_and_what_serves_them():
    code = """\
        from confluent_kafka import Producer
        producer = Producer({"bootstrap.servers": "b"})
        for line in ["a", "b"]:
            producer.produce("t", value=line)
            producer.flush()
        for batch in [["a"]]:
            for line in batch:
                producer.produce("t", value=line)
            if batch:
                producer.flush()
        producer.produce("t", value="last")
        """
    (calls,) = _facts(code, ProducerCalls)
    assert calls.client.name == "producer" and calls.client.library == "confluent-kafka"
    produces = [(p.location.line, p.method, p.loop.line if p.loop else None, p.served_in_loop) for p in calls.produces]
    assert produces == [(4, "produce", 3, True), (8, "produce", 7, True), (11, "produce", None, False)]
    flushes = [(f.location.line, f.loop.line, f.once_per_batch, f.loop_produces) for f in calls.flushes]
    assert flushes == [(5, 3, False, True), (10, 6, True, False)]


def test_a_send_whose_future_is_unused_is_a_dropped_result():
    code = """\
        from kafka import KafkaProducer
        producer = KafkaProducer()
        producer.send("t", b"1")
        future = producer.send("t", b"2")
        """
    (calls,) = _facts(code, ProducerCalls)
    assert [(p.location.line, p.result_dropped) for p in calls.produces] == [(3, True), (4, False)]


# --- client lifetimes ------------------------------------------------------------------------


def test_a_client_built_in_a_retry_loop_that_breaks_out():
    code = """\
        from kafka import KafkaConsumer
        while True:
            try:
                consumer = KafkaConsumer("t", group_id="g")
                break
            except Exception:
                pass
        """
    (lifetime,) = _facts(code, ClientLifetime)
    assert lifetime.created_in_loop.line == 2 and lifetime.loop_breaks_out
    assert lifetime.bound and not lifetime.used and lifetime.closes == ()


def test_closes_say_whether_they_run_on_every_path():
    code = """\
        from aiokafka import AIOKafkaConsumer

        async def main():
            consumer = AIOKafkaConsumer("t", group_id="g")
            await consumer.start()
            await consumer.getone()
            await consumer.stop()
            try:
                pass
            finally:
                await consumer.stop()
        """
    (lifetime,) = _facts(code, ClientLifetime)
    assert lifetime.close_method == "stop" and lifetime.used and not lifetime.escapes
    assert [(close.line, close.on_every_path) for close in lifetime.closes] == [(7, False), (11, True)]


def test_a_public_attribute_and_a_context_manager_are_stated():
    code = """\
        from confluent_kafka import Consumer

        class Worker:
            def __init__(self, conf):
                self.consumer = Consumer(conf)
                self._private = Consumer(conf)

        with Consumer({}) as managed:
            managed.poll(1.0)
        """
    lifetimes = {fact.client.name: fact for fact in _facts(code, ClientLifetime)}
    assert lifetimes["self.consumer"].held_by_public_attribute
    assert not lifetimes["self._private"].held_by_public_attribute
    assert lifetimes["managed"].context_managed


def test_a_helper_that_wraps_its_body_in_try_is_parsed_not_blanked():
    from kafkalint.sources.python.relevance import blank_unrelated_definitions

    helper = "def handle(value):\n    try:\n        return int(value)\n    except ValueError:\n        return None\n\n\n"
    unrelated = "def total(rows):\n    return sum(rows)\n\n\n"
    code = "from confluent_kafka import Consumer\n\n\n" + helper + unrelated + "consumer = Consumer({})\n"
    reduced, blanked = blank_unrelated_definitions(code)
    assert blanked == 1 and "def handle" in reduced and "def total" not in reduced
