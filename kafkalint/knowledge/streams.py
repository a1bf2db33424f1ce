"""Kafka Streams facts (processing guarantees per version, state directory, internal topic
replication) as data from `data/streams.json`, each citing its source."""

from __future__ import annotations

import json
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
