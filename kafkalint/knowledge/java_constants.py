"""Which configuration key a Java config-class constant names (`ProducerConfig.ACKS_CONFIG`
is `acks`), from data/java_config_constants.json, generated from the apache/kafka sources
cited there. A constant not listed is not guessed: the setting it names stays unknown.
"""

from __future__ import annotations

import json
from functools import lru_cache

from kafkalint.knowledge import DATA


@lru_cache(maxsize=1)
def _classes() -> dict[str, dict[str, str]]:
    with (DATA / "java_config_constants.json").open(encoding="utf-8") as handle:
        return json.load(handle)["classes"]


def config_classes() -> frozenset[str]:
    return frozenset(_classes())


def key_of_constant(class_name: str, constant: str) -> str | None:
    """`ProducerConfig`, `ACKS_CONFIG` -> `acks`; None for a constant the table does not hold."""
    return _classes().get(class_name, {}).get(constant)
