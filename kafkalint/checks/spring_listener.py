"""Spring Kafka listener container settings (spring.kafka.listener.*) that cost throughput or
hide mistakes, judged on the Spring consumer client the Spring source builds."""

from __future__ import annotations

from typing import Iterator

from kafkalint.checks import CheckContext, Hit, value_text
from kafkalint.checks.registry import check
from kafkalint.model import UNKNOWN, ClientConfig, Setting


def _ack_mode(config: ClientConfig) -> Setting | None:
    setting = config.extras.get("ack_mode")
    if not isinstance(setting, Setting) or setting.value is UNKNOWN:
        return None
    return setting


@check("KL756")
def listener_ack_mode_record(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    mode = _ack_mode(config)
    if mode is None or value_text(mode.value).strip().lower().replace("-", "_") != "record":
        return
    auto_commit = config.settings.get("enable.auto.commit")
    if auto_commit is not None and (auto_commit.value is UNKNOWN or value_text(auto_commit.value).strip().lower() == "true"):
        return  # the container ignores its AckMode when the consumer auto-commits (KL201's business)
    yield Hit(mode.key_location, {"value": value_text(mode.value).strip()})
