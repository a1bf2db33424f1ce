"""The state one walk over a Java or Kotlin file keeps beside its names and values: the loops
around the node being walked and the clients the file builds."""

from __future__ import annotations

from dataclasses import dataclass

from kafkalint.model import ClientConfig
from kafkalint.sources.jvm.grammar import Node

# `new ProducerRecord<>(topic, key, value)`: the record class and its package.
RECORD_CLASS = ("ProducerRecord", "org.apache.kafka.clients.producer")


@dataclass(slots=True, frozen=True)
class Loop:
    """A loop the walk is inside of: where it is and what it iterates."""

    node: Node
    line: int
    over_records: bool  # iterates the records of a poll
    polls: bool  # its body calls poll() on a consumer


@dataclass(slots=True, frozen=True)
class Context:
    """Where the walk stands: the loops and conditionals around the current node."""

    loops: tuple[Loop, ...] = ()
    conditional_depth: tuple[int, ...] = ()  # conditionals entered inside each loop
    in_function: bool = False
    # Inside the lambda of assertThrows(...) and its kin: what is built here is built to be
    # refused (a test of an invalid configuration), not a client.
    expects_error: bool = False

    def record_loop(self) -> tuple[Loop, bool] | None:
        """(innermost record loop, whether a conditional stands between it and here)."""
        for index in range(len(self.loops) - 1, -1, -1):
            if self.loops[index].over_records:
                guarded = any(depth > 0 for depth in self.conditional_depth[index:])
                return self.loops[index], guarded
        return None


# Test assertions whose lambda is expected to throw: JUnit 5 (assertThrows, assertThrowsExactly),
# AssertJ (assertThatThrownBy, assertThatExceptionOfType(...).isThrownBy, catchThrowable,
# catchThrowableOfType, catchException), kotlin.test (assertFailsWith), Kotest (shouldThrow,
# shouldThrowExactly, shouldThrowAny), and JUnit 4.13 / TestNG (assertThrows, expectThrows).
EXPECTS_ERROR_CALLS = frozenset({
    "assertThrows", "assertThrowsExactly", "assertThatThrownBy", "isThrownBy", "catchThrowable",
    "catchThrowableOfType", "catchException", "assertFailsWith", "shouldThrow", "shouldThrowExactly",
    "shouldThrowAny", "expectThrows",
})


@dataclass(slots=True)
class ClientRecord:
    """A client constructed in code and the variable holding it."""

    config: ClientConfig
    variable: str | None
