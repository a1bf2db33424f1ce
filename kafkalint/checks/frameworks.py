"""Framework checks: SmallRye failure strategies, Spring listener settings."""

from __future__ import annotations

from collections.abc import Iterator

from kafkalint.checks import CheckContext, Hit
from kafkalint.model import UNKNOWN, ClientConfig


def failure_strategy_ignore(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    strategy = config.extras.get("failure_strategy")
    if strategy is None or strategy.value is UNKNOWN:
        return
    if str(strategy.value).strip().lower() != "ignore":
        return
    yield Hit(strategy.key_location, {"channel": config.extras.get("channel", config.name)})
