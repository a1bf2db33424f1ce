"""The KL50x checks on fact objects built by hand: each decides its rule from typed facts and
returns exactly the variables its rule file declares."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from kafkalint.checks import CheckContext
from kafkalint.checks import python_code as checks
from kafkalint.checks.registry import check_for
from kafkalint.model import Dialect, Location, Project, Role
from kafkalint.sources.python.facts import (
    BlockingCall,
    ClientLifetime,
    ClientRef,
    CloseCall,
    CommitCall,
    FlushCall,
    LoopSpan,
    PollLoop,
    ProduceCall,
    ProducerCalls,
    RecordCall,
    RecordReadBeforeErrorCheck,
)

RULES = Path(__file__).resolve().parent.parent / "rules"
CONTEXT = CheckContext(Project(), None, {})

CONSUMER = ClientRef("consumer", "Consumer", "confluent-kafka", Role.CONSUMER, Dialect.LIBRDKAFKA)
PRODUCER = ClientRef("producer", "Producer", "confluent-kafka", Role.PRODUCER, Dialect.LIBRDKAFKA)
KP_PRODUCER = ClientRef("producer", "KafkaProducer", "kafka-python", Role.PRODUCER, Dialect.KAFKA_PYTHON)
POLL_LOOP = LoopSpan(4, 1, polled_client="consumer", per_record=True)
PLAIN_LOOP = LoopSpan(3, 1)


def at(line: int, column: int = 5) -> Location:
    return Location("app.py", line, column)


def hits(code: str, fact) -> list[tuple[int, int, dict]]:
    return [(hit.location.line, hit.location.column, hit.variables) for hit in check_for(code)(fact, CONTEXT)]


def declared_variables(code: str) -> tuple[set[str], set[str]]:
    """(variables the rule file declares, variables its message template uses)."""
    (path,) = RULES.glob(f"{code}-*.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return set(data["variables"]), set(re.findall(r"\$\{([^}]+)\}", data["message"]))


@pytest.mark.parametrize("code", [f"KL50{n}" for n in range(1, 10)] + ["KL510"])
def test_each_rule_declares_the_variables_its_message_uses_and_has_a_registered_check(code):
    declared, used = declared_variables(code)
    assert used == declared
    assert check_for(code) is not None and check_for(code).__module__ == "kafkalint.checks.python_code"


def _assert_variables(code: str, found: list[tuple[int, int, dict]]) -> None:
    declared, _ = declared_variables(code)
    assert found and all(set(variables) == declared for _, _, variables in found)


# --- KL501 -----------------------------------------------------------------------------------


def test_kl501_fires_on_a_synchronous_commit_per_record():
    fact = CommitCall(at(6), CONSUMER, synchronous=True, record_loop=POLL_LOOP, once_per_batch=False)
    assert hits("KL501", fact) == [(6, 5, {"client": "consumer", "loop_line": 4})]
    _assert_variables("KL501", hits("KL501", fact))


@pytest.mark.parametrize(
    "synchronous, loop, once_per_batch",
    [(False, POLL_LOOP, False), (True, None, False), (True, POLL_LOOP, True)],
    ids=["asynchronous", "outside-a-record-loop", "once-per-batch"],
)
def test_kl501_is_silent_on_other_commits(synchronous, loop, once_per_batch):
    assert hits("KL501", CommitCall(at(6), CONSUMER, synchronous, loop, once_per_batch)) == []


# --- KL502 -----------------------------------------------------------------------------------


def test_kl502_names_the_blocking_call_and_where_it_is():
    found = hits("KL502", BlockingCall(at(9), "time.sleep()", 2, POLL_LOOP))
    assert found == [(9, 5, {"call": "time.sleep()", "call_line": 2, "loop_line": 4, "client": "consumer"})]
    _assert_variables("KL502", found)


# --- KL503 -----------------------------------------------------------------------------------


def test_kl503_fires_for_a_plain_confluent_consumer_only():
    fact = RecordReadBeforeErrorCheck(at(7, 11), "msg", "value", CONSUMER)
    assert hits("KL503", fact) == [(7, 11, {"record": "msg", "method": "value"})]
    _assert_variables("KL503", hits("KL503", fact))
    deserializing = ClientRef("c", "DeserializingConsumer", "confluent-kafka", Role.CONSUMER, Dialect.LIBRDKAFKA, raises_on_error_message=True)
    kafka_python = ClientRef("c", "KafkaConsumer", "kafka-python", Role.CONSUMER, Dialect.KAFKA_PYTHON)
    for client in (deserializing, kafka_python, None):
        assert hits("KL503", RecordReadBeforeErrorCheck(at(7), "msg", "value", client)) == []


# --- KL504 -----------------------------------------------------------------------------------


def test_kl504_reports_the_first_unguarded_record_call_of_a_loop_once():
    calls = (
        RecordCall(at(8), "json.loads", guarded=True, callee_handles_errors=False),
        RecordCall(at(9), "handle", guarded=False, callee_handles_errors=True),
        RecordCall(at(10), "process", guarded=False, callee_handles_errors=False),
        RecordCall(at(11), "store", guarded=False, callee_handles_errors=False),
    )
    found = hits("KL504", PollLoop(at(4, 1), POLL_LOOP, calls))
    assert found == [(10, 5, {"callee": "process", "loop_line": 4, "client": "consumer", "guard": "no try/except"})]
    _assert_variables("KL504", found)
    assert hits("KL504", PollLoop(at(4, 1), POLL_LOOP, calls[:2])) == []


def test_kl504_names_the_try_in_the_loop_that_catches_none_of_the_processing_errors():
    call = RecordCall(at(9), "process", guarded=False, callee_handles_errors=False, narrow_try_line=6)
    [(_, _, variables)] = hits("KL504", PollLoop(at(4, 1), POLL_LOOP, (call,)))
    assert variables["guard"] == "only a try (line 6) missing its errors"


# --- KL505, KL506, KL507 ---------------------------------------------------------------------


def _producer_calls(client=PRODUCER, produces=(), flushes=()) -> ProducerCalls:
    return ProducerCalls(at(2, 12), client, tuple(produces), tuple(flushes))


def test_kl505_reports_one_unserved_produce_per_loop_of_a_confluent_producer():
    produces = [
        ProduceCall(at(4), "produce", PLAIN_LOOP, served_in_loop=False, result_dropped=True),
        ProduceCall(at(5), "produce", PLAIN_LOOP, served_in_loop=False, result_dropped=True),
        ProduceCall(at(9), "produce", LoopSpan(8, 1), served_in_loop=True, result_dropped=True),
        ProduceCall(at(12), "produce", None, served_in_loop=False, result_dropped=True),
    ]
    found = hits("KL505", _producer_calls(produces=produces))
    assert found == [(4, 5, {"client": "producer", "loop_line": 3})]
    _assert_variables("KL505", found)
    asynchronous = ClientRef("p", "AIOProducer", "confluent-kafka", Role.PRODUCER, Dialect.LIBRDKAFKA, asynchronous=True)
    assert hits("KL505", _producer_calls(asynchronous, produces)) == []
    assert hits("KL505", _producer_calls(KP_PRODUCER, [ProduceCall(at(4), "send", PLAIN_LOOP, False, False)])) == []


def test_kl506_reports_a_flush_per_record_or_per_produce():
    flushes = [
        FlushCall(at(5), PLAIN_LOOP, once_per_batch=False, loop_produces=True),
        FlushCall(at(7), POLL_LOOP, once_per_batch=False, loop_produces=False),
        FlushCall(at(9), PLAIN_LOOP, once_per_batch=True, loop_produces=True),
        FlushCall(at(11), PLAIN_LOOP, once_per_batch=False, loop_produces=False),
        FlushCall(at(13), None, once_per_batch=False, loop_produces=False),
    ]
    found = hits("KL506", _producer_calls(flushes=flushes))
    assert found == [(5, 5, {"client": "producer", "loop_line": 3}), (7, 5, {"client": "producer", "loop_line": 4})]
    _assert_variables("KL506", found)


def test_kl507_reports_dropped_send_futures_of_kafka_python_and_aiokafka():
    produces = [
        ProduceCall(at(3, 1), "send", None, served_in_loop=False, result_dropped=True),
        ProduceCall(at(4, 1), "send", None, served_in_loop=False, result_dropped=False),
        ProduceCall(at(5, 1), "send_and_wait", None, served_in_loop=False, result_dropped=True),
    ]
    found = hits("KL507", _producer_calls(KP_PRODUCER, produces))
    assert found == [(3, 1, {"client": "producer", "library": "kafka-python"})]
    _assert_variables("KL507", found)
    assert hits("KL507", _producer_calls(PRODUCER, [ProduceCall(at(3), "send", None, False, True)])) == []


# --- KL508, KL509, KL510 ---------------------------------------------------------------------


def _lifetime(client=CONSUMER, **changes) -> ClientLifetime:
    values = dict(
        created_in_loop=None,
        loop_breaks_out=False,
        bound=True,
        used=True,
        context_managed=False,
        escapes=False,
        held_by_public_attribute=False,
        close_method="close",
        closes=(),
    )
    values.update(changes)
    return ClientLifetime(at(3, 12), client, **values)


def test_kl508_reports_a_client_built_per_iteration_but_not_in_a_retry_loop():
    found = hits("KL508", _lifetime(PRODUCER, created_in_loop=PLAIN_LOOP))
    assert found == [(3, 12, {"client_class": "Producer", "loop_line": 3})]
    _assert_variables("KL508", found)
    assert hits("KL508", _lifetime(PRODUCER, created_in_loop=PLAIN_LOOP, loop_breaks_out=True)) == []
    assert hits("KL508", _lifetime(PRODUCER)) == []


def test_kl509_reports_a_used_consumer_this_file_never_closes():
    found = hits("KL509", _lifetime())
    assert found == [(3, 12, {"client": "consumer", "close": "close()"})]
    _assert_variables("KL509", found)
    assert hits("KL510", _lifetime()) == []


@pytest.mark.parametrize(
    "changes",
    [
        {"used": False},
        {"bound": False},
        {"escapes": True},
        {"context_managed": True},
        {"held_by_public_attribute": True},
        {"closes": (CloseCall(9, on_every_path=True),)},
    ],
    ids=lambda changes: next(iter(changes)),
)
def test_kl509_stays_silent_when_closing_is_not_this_files_job_or_done(changes):
    assert hits("KL509", _lifetime(**changes)) == []


def test_kl509_and_kl510_never_judge_a_producer():
    assert hits("KL509", _lifetime(PRODUCER)) == []
    assert hits("KL510", _lifetime(PRODUCER, closes=(CloseCall(9, False),))) == []


def test_kl510_reports_a_consumer_closed_only_on_the_normal_path():
    aiokafka = ClientRef("consumer", "AIOKafkaConsumer", "aiokafka", Role.CONSUMER, Dialect.AIOKAFKA, asynchronous=True)
    found = hits("KL510", _lifetime(aiokafka, close_method="stop", closes=(CloseCall(9, False), CloseCall(12, False))))
    assert found == [(3, 12, {"client": "consumer", "close": "stop()", "close_line": 9})]
    _assert_variables("KL510", found)
    assert hits("KL509", _lifetime(aiokafka, closes=(CloseCall(9, False),))) == []
    assert hits("KL510", _lifetime(closes=(CloseCall(9, False), CloseCall(12, True)))) == []


def test_the_checks_are_the_registered_functions():
    assert check_for("KL501") is checks.commit_per_record
    assert check_for("KL510") is checks.consumer_close_skipped_on_error


_SENDS_AND_FORGETS = (
    "from aiokafka import AIOKafkaProducer\n\n"
    "async def send_all(values):\n"
    "    producer = AIOKafkaProducer(bootstrap_servers='localhost:9092', acks='all')\n"
    "    await producer.start()\n"
    "    try:\n"
    "        for value in values:\n"
    "            producer.send('orders', value)\n"
    "    finally:\n"
    "        await producer.stop()\n"
)


def test_code_rules_do_not_judge_what_a_test_does_on_purpose(tmp_path):
    """aiokafka's own tests gave 28 KL504/KL507/KL510 findings: sends whose result a test does
    not need, assertions in a poll loop that should stop it. Code facts found in test code are
    left to the rules that say they apply there, as clients configured there are."""
    from tests.conftest import lint_files

    app = lint_files(tmp_path / "app", {"app/send.py": _SENDS_AND_FORGETS}, select=["KL507"])
    assert [(f.code, f.location.path, f.location.line) for f in app.findings] == [("KL507", "app/send.py", 8)]
    in_tests = lint_files(tmp_path / "tests", {"tests/test_send.py": _SENDS_AND_FORGETS}, select=["KL507"])
    assert in_tests.findings == []


def test_a_removed_poll_overload_in_a_java_test_is_still_reported(tmp_path):
    """poll(long) is gone in kafka-clients 4.0: a test calling it stops compiling too."""
    from tests.conftest import lint_files

    java = (
        "import java.util.List;\n"
        "import org.apache.kafka.clients.consumer.KafkaConsumer;\n\n"
        "class ReplayTest {\n"
        "    void replay(KafkaConsumer<String, String> consumer) {\n"
        "        consumer.subscribe(List.of(\"orders\"));\n"
        "        consumer.poll(100);\n"
        "    }\n"
        "}\n"
    )
    result = lint_files(tmp_path, {"src/test/java/ReplayTest.java": java}, select=["KL521"])
    assert [(f.code, f.location.line) for f in result.findings] == [("KL521", 7)]


def test_a_client_a_test_builds_to_see_it_refused_is_no_client(tmp_path):
    """aiokafka's tests build producers with acks=122 or security_protocol='SOME' inside
    `with self.assertRaises(ValueError)` / `with pytest.raises(...)`: the invalid value is the
    point of the test (five KL004 errors). Such a construction is not a client; the same one
    outside the block is still judged."""
    from tests.conftest import lint_files

    test = (
        "import unittest\n"
        "import pytest\n"
        "from aiokafka import AIOKafkaProducer\n\n"
        "class ProducerTest(unittest.TestCase):\n"
        "    def test_acks(self):\n"
        "        with self.assertRaises(ValueError):\n"
        "            AIOKafkaProducer(acks=122)\n\n"
        "def test_protocol():\n"
        "    with pytest.raises(ValueError, match='protocol'):\n"
        "        AIOKafkaProducer(security_protocol='SOME')\n\n"
        "def test_compression():\n"
        "    producer = AIOKafkaProducer(compression_type='my_custom')\n"
    )
    result = lint_files(tmp_path, {"tests/test_producer.py": test}, select=["KL004"])
    assert [(f.code, f.location.line) for f in result.findings] == [("KL004", 15)]
    assert [client.anchor.line for client in result.project.clients] == [15]
