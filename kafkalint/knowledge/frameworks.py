"""What frameworks (Spring Boot, SmallRye/Quarkus, container images, Kafka Connect) do to the
clients they build: property names, defaults that replace Kafka's, as data from `data/frameworks.json`."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from kafkalint.knowledge import DATA


@lru_cache(maxsize=1)
def framework_facts() -> dict[str, Any]:
    with (DATA / "frameworks.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def framework_defaults(framework: str, role: str) -> dict[str, dict[str, Any]]:
    """Kafka key -> {value, source, why} the framework applies when the key is not set."""
    return framework_facts()[framework].get("defaults", {}).get(role, {})

