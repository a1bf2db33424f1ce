"""Which configuration key a Java config-class constant names (`ProducerConfig.ACKS_CONFIG`
is `acks`), from data/java_config_constants.json, generated from the apache/kafka sources
cited there. A constant not listed is not guessed: the setting it names stays unknown.
"""

from __future__ import annotations

import json
from functools import lru_cache

from kafkalint.knowledge import DATA


@lru_cache(maxsize=1)
def _table() -> dict:
    with (DATA / "java_config_constants.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def _classes() -> dict[str, dict[str, str]]:
    return _table()["classes"]


def config_classes() -> frozenset[str]:
    return frozenset(_classes())


def key_of_constant(class_name: str, constant: str) -> str | None:
    """`ProducerConfig`, `ACKS_CONFIG` -> `acks`; None for a constant the table does not hold."""
    return _classes().get(class_name, {}).get(constant)


def _values() -> dict[str, dict[str, dict[str, str]]]:
    return _table()["values"]


def value_of_constant(class_name: str, constant: str) -> str | None:
    """`StreamsConfig`, `EXACTLY_ONCE_V2` -> `exactly_once_v2`: a constant naming a configuration
    value; None for one the table does not hold."""
    return _values()["constants"].get(class_name, {}).get(constant)


def key_prefix_of_function(class_name: str, function: str) -> str | None:
    """`StreamsConfig`, `producerPrefix` -> `producer.`: the prefix such a static function puts
    before the key it is given; None for any other function."""
    return _values()["key_prefix_functions"].get(class_name, {}).get(function)
