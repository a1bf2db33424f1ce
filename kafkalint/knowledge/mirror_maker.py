"""MirrorMaker 2 dedicated-mode facts (data/mirror_maker.json): how a connect-mirror-maker
configuration is recognised and resolved per flow and per target cluster, and the replication
factors of the topics it creates, each citing its source."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from kafkalint.knowledge import DATA


@lru_cache(maxsize=1)
def mirror_maker_facts() -> dict[str, Any]:
    with (DATA / "mirror_maker.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def topic_replication_keys() -> dict[str, dict[str, Any]]:
    """Replication key -> its default, the connector (or worker) that creates the topic with it,
    and what the topic holds."""
    return mirror_maker_facts()["topic_replication"]
