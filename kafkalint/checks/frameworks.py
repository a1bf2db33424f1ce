"""Framework checks: SmallRye failure strategies, Spring listener settings."""

from __future__ import annotations

from collections.abc import Iterator

from kafkalint.checks import CheckContext, Hit
from kafkalint.checks.registry import check
from kafkalint.model import UNKNOWN, ClientConfig


@check("KL750")
def failure_strategy_ignore(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    strategy = config.failure_strategy
    if strategy is None or strategy.value is UNKNOWN:
        return
    if str(strategy.value).strip().lower() != "ignore":
        return
    yield Hit(strategy.key_location, {"channel": config.channel or config.name})
