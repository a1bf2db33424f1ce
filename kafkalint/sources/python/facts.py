"""What the Python source saw in code, as typed facts with locations; rules judge them.

Each fact class has a `kind` (the name a rule's `applies_to.kinds` selects it by) and a
`location`. Facts describe code neutrally: a commit call and whether it waits for the broker,
a poll loop and the calls in it, a client's lifetime from construction to close. They never
say whether that is a problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from kafkalint.model import Dialect, Location, Role


@dataclass(slots=True, frozen=True)
class ClientRef:
    """A client as facts name it: the variable holding it (else its class) and what it is."""

    name: str
    class_name: str
    library: str  # "confluent-kafka", "kafka-python", "aiokafka"
    role: Role
    dialect: Dialect
    asynchronous: bool = False
    raises_on_error_message: bool = False  # DeserializingConsumer raises instead of returning error events


@dataclass(slots=True, frozen=True)
class LoopSpan:
    """A `for`/`while` loop: where it starts, and what it iterates when the source knows."""

    line: int
    column: int
    polled_client: str | None = None  # the consumer whose poll()/consume()/iteration drives the loop
    per_record: bool = False  # one iteration per record (`for msg in consumer`, `for m in consume()`)


@dataclass(slots=True, frozen=True)
class CommitCall:
    """A consumer's commit() call."""

    kind: ClassVar[str] = "python-commit-call"
    location: Location
    client: ClientRef
    synchronous: bool  # waits for the coordinator (confluent asynchronous=False, kafka-python, aiokafka)
    record_loop: LoopSpan | None  # the innermost enclosing loop that runs once per record
    once_per_batch: bool  # under an `if` inside that loop whose test does not read the record


@dataclass(slots=True, frozen=True)
class BlockingCall:
    """A call in a poll loop that blocks its thread (sleep, synchronous HTTP, subprocess,
    input), made directly or through a function of the same module that makes it."""

    kind: ClassVar[str] = "python-blocking-call"
    location: Location  # the call in the code being walked (the helper's call when indirect)
    call: str  # the blocking call itself, e.g. "time.sleep()"
    call_line: int  # where the blocking call itself is
    poll_loop: LoopSpan  # the innermost enclosing loop that polls a consumer


@dataclass(slots=True, frozen=True)
class RecordCall:
    """A call in a poll loop that passes a record (or a value derived from it) to code."""

    location: Location
    callee: str  # e.g. "process", "self.handle"
    guarded: bool  # inside a try with an except handler, within the poll loop
    callee_handles_errors: bool  # a module function whose body is wrapped in try/except


@dataclass(slots=True, frozen=True)
class PollLoop:
    """A loop that polls a consumer, with the calls that process its records."""

    kind: ClassVar[str] = "python-poll-loop"
    location: Location
    loop: LoopSpan
    record_calls: tuple[RecordCall, ...]


@dataclass(slots=True, frozen=True)
class RecordReadBeforeErrorCheck:
    """The first value()/key() read of a polled record made before any error() call on it."""

    kind: ClassVar[str] = "python-record-read"
    location: Location
    record: str  # the variable holding the record
    method: str  # "value" or "key"
    client: ClientRef | None


@dataclass(slots=True, frozen=True)
class ProduceCall:
    """A producer's produce()/send()/send_and_wait() call."""

    location: Location
    method: str
    loop: LoopSpan | None  # the innermost enclosing loop
    served_in_loop: bool  # poll()/flush() of the same producer runs in an enclosing loop, or in a loop of another function
    result_dropped: bool  # the call is a statement of its own: its return value is unused


@dataclass(slots=True, frozen=True)
class FlushCall:
    """A producer's flush() call."""

    location: Location
    loop: LoopSpan | None  # the innermost enclosing loop
    once_per_batch: bool  # under an `if` inside that loop whose test does not read the record
    loop_produces: bool  # the same producer produces in that loop itself


@dataclass(slots=True, frozen=True)
class ProducerCalls:
    """Everything a file does with one producer, at its construction."""

    kind: ClassVar[str] = "python-producer-calls"
    location: Location  # the construction
    client: ClientRef
    produces: tuple[ProduceCall, ...]
    flushes: tuple[FlushCall, ...]


@dataclass(slots=True, frozen=True)
class CloseCall:
    """A close() (aiokafka: stop()) of a client."""

    line: int
    on_every_path: bool  # in a finally block, a shutdown method (close/stop/__exit__...), or registered as a callback


@dataclass(slots=True, frozen=True)
class ClientLifetime:
    """One client construction and what the file does with the client afterwards."""

    kind: ClassVar[str] = "python-client-lifetime"
    location: Location  # the construction
    client: ClientRef
    created_in_loop: LoopSpan | None  # the innermost loop around the construction
    loop_breaks_out: bool  # that loop's own body contains `break` (a connection retry)
    bound: bool  # assigned to a name or attribute
    used: bool  # one of its methods is called
    context_managed: bool  # `with`/`async with` (or contextlib.closing)
    escapes: bool  # returned, stored elsewhere or passed to code the file does not walk
    held_by_public_attribute: bool  # `self.consumer` (not `self._consumer`): its owner may close it
    close_method: str  # "close" or "stop"
    closes: tuple[CloseCall, ...]
