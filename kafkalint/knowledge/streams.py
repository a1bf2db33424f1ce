"""Kafka Streams facts (processing guarantees per version, state directory, internal topic
replication, exactly-once commit interval and transaction timeout) as data from `data/streams.json`, each citing its source."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kafkalint.knowledge import DATA


@lru_cache(maxsize=1)
def streams_facts() -> dict[str, Any]:
    with (DATA / "streams.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def processing_guarantee(value: str) -> dict[str, Any] | None:
    """The facts of one processing.guarantee value; None for a value Streams never had."""
    return streams_facts()["processing_guarantees"].get(value)


def is_exactly_once(value: str) -> bool:
    """processing.guarantee names one of the exactly-once modes (transactional producers)."""
    facts = processing_guarantee(value)
    return bool(facts and facts.get("exactly_once"))


@dataclass(slots=True, frozen=True)
class TransactionTimeout:
    """The transaction.timeout.ms a Kafka Streams producer runs with under exactly-once, and why."""

    value: int
    why: str  # "Kafka Streams' exactly-once default", "the producer's transaction.timeout.ms default"


def unwritten_transaction_timeout(version: str) -> TransactionTimeout:
    """What Kafka Streams' producers use under exactly-once when no transaction.timeout.ms is
    written: Streams' own default from 2.6 (KAFKA-9809), the producer's default before."""
    from kafkalint.knowledge import catalogue, version_tuple
    from kafkalint.model import Dialect

    release = version_tuple(version)
    for step in streams_facts()["exactly_once_commit"]["producer_transaction_timeout"]:
        if "since" in step and release < version_tuple(step["since"]):
            continue
        if "until" in step and release >= version_tuple(step["until"]):
            continue
        if step["value"] is not None:
            return TransactionTimeout(int(step["value"]), step["meaning"])
        info = catalogue(Dialect.JAVA).info("transaction.timeout.ms")
        if info is None:
            break
        return TransactionTimeout(int(info.default(version, None)), step["meaning"])
    raise LookupError(f"no transaction timeout fact for Kafka Streams {version}")


def startup_timeout_check(version: str) -> dict[str, Any] | None:
    """How StreamsConfig compares commit.interval.ms with the transaction timeout at start-up
    (KAFKA-12499, 3.0+): the key it reads and the value it assumes otherwise; None before 3.0."""
    from kafkalint.knowledge import version_tuple

    facts = streams_facts()["exactly_once_commit"]["startup_check"]
    return facts if version_tuple(version) >= version_tuple(facts["since"]) else None
