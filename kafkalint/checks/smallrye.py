"""SmallRye Kafka connector (Quarkus Messaging) channel attributes that lose records or
offsets: commit-strategy=ignore without auto-commit, fail-on-deserialization-failure=false,
waitForWriteCompletion=false."""

from __future__ import annotations

from typing import Iterator

from kafkalint.checks import CheckContext, Hit, value_text
from kafkalint.checks.registry import check
from kafkalint.model import UNKNOWN, ClientConfig, Setting


def _attribute(config: ClientConfig, name: str) -> Setting | None:
    """A channel attribute the source kept (extras named with `_` for `-` and `.`), when known."""
    setting = config.extras.get(name.replace("-", "_").replace(".", "_"))
    if not isinstance(setting, Setting) or setting.value is UNKNOWN:
        return None
    return setting


def _text(setting: Setting) -> str:
    return value_text(setting.value).strip().lower()


def _auto_commit(config: ClientConfig) -> bool | None:
    """The channel's effective enable.auto.commit: written, else the connector's default
    (false); None when it cannot be known."""
    setting = config.settings.get("enable.auto.commit")
    if setting is not None:
        if setting.value is UNKNOWN:
            return None
        return _text(setting) == "true"
    default = config.extras.get("framework_defaults", {}).get("enable.auto.commit")
    if default is None:
        return None
    return bool(default[0])


@check("KL753")
def commit_strategy_ignore(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    strategy = _attribute(config, "commit-strategy")
    if strategy is None or _text(strategy) != "ignore":
        return
    if _auto_commit(config) is not False:
        return  # with auto-commit the Kafka consumer commits: ignore is the matching strategy
    yield Hit(strategy.key_location, {"channel": config.channel or config.name})


@check("KL754")
def deserialization_failure_forwarded_as_null(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    flag = _attribute(config, "fail-on-deserialization-failure")
    if flag is None or _text(flag) != "false":
        return
    strategy = _attribute(config, "failure-strategy")
    if strategy is not None and _text(strategy) == "dead-letter-queue":
        return  # the failed record goes to the dead letter queue
    if config.extras.get("failure_strategy") is not None and strategy is None:
        return  # a failure strategy that cannot be known
    if strategy is None and not config.all_settings_known:
        return  # unset here, it may come from the application's Map bean (microprofile-config.properties)
    handlers = ("key-deserialization-failure-handler", "value-deserialization-failure-handler")
    if any(config.extras.get(name.replace("-", "_")) is not None for name in handlers):
        return  # a handler decides (the flag only applies without one)
    yield Hit(flag.key_location, {"channel": config.channel or config.name})


@check("KL755")
def write_completion_not_awaited(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    flag = _attribute(config, "waitForWriteCompletion")
    if flag is None or _text(flag) != "false":
        return
    yield Hit(flag.key_location, {"channel": config.channel or config.name})
