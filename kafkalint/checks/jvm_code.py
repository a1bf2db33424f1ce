"""Checks for Java and Kotlin client code: each reads one neutral fact the JVM source recorded
(sources/jvm/analysis.py) and decides whether it is a problem and how sure that is.
"""

from __future__ import annotations

from collections.abc import Iterator

from kafkalint.checks import CheckContext, Hit
from kafkalint.checks.registry import check
from kafkalint.knowledge import version_tuple
from kafkalint.knowledge.versions import version_at
from kafkalint.model import CodeFact, Dialect, Severity

# KIP-266 deprecated KafkaConsumer.poll(long) in 2.0; KAFKA-15908 removed it in 4.0.
POLL_DURATION_SINCE = (2, 0)
POLL_LONG_REMOVED_IN = (4, 0)


@check("KL520")
def commit_per_record(fact: CodeFact, context: CheckContext) -> Iterator[Hit]:
    yield Hit(fact.location, {"client": fact.detail["client"], "loop_line": fact.detail["loop_line"]})


@check("KL521")
def poll_long_timeout(fact: CodeFact, context: CheckContext) -> Iterator[Hit]:
    assumed = version_at(context.project, Dialect.JAVA, fact.location.path)
    status = "deprecated since kafka-clients 2.0 and removed in 4.0"
    severity = None
    if assumed is not None:
        version = version_tuple(assumed.version)[:2]
        if version < POLL_DURATION_SINCE:
            return  # poll(Duration) does not exist yet in this client
        if version >= POLL_LONG_REMOVED_IN:
            status = f"removed in kafka-clients 4.0, and this project uses {assumed.describe()}"
            severity = Severity.ERROR
    yield Hit(
        fact.location,
        {"client": fact.detail["client"], "timeout": fact.detail["timeout"], "status": status},
        severity=severity,
    )


@check("KL522")
def send_awaited_in_loop(fact: CodeFact, context: CheckContext) -> Iterator[Hit]:
    if fact.detail.get("paced"):
        return  # the loop sleeps between records: no throughput to lose
    yield Hit(fact.location, {"client": fact.detail["client"], "loop_line": fact.detail["loop_line"]})


@check("KL523")
def send_result_dropped(fact: CodeFact, context: CheckContext) -> Iterator[Hit]:
    if fact.detail.get("transactional"):
        return  # a failed send makes commitTransaction() throw: the failure is not lost
    yield Hit(fact.location, {"client": fact.detail["client"]})


@check("KL524")
def client_created_in_loop(fact: CodeFact, context: CheckContext) -> Iterator[Hit]:
    yield Hit(fact.location, {"client_class": fact.detail["client_class"], "loop_line": fact.detail["loop_line"]})
