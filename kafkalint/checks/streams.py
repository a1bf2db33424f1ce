"""Kafka Streams checks: a Streams application's own settings (processing.guarantee,
state.dir, replication.factor), whichever file the application is configured in (a plain
file with application.id, Spring `spring.kafka.streams.*`, Quarkus `kafka-streams.*`)."""

from __future__ import annotations

from typing import Iterator

from kafkalint.checks import CheckContext, Hit, value_text
from kafkalint.checks.registry import check
from kafkalint.knowledge import assumed_version, version_tuple
from kafkalint.knowledge.streams import processing_guarantee, streams_facts
from kafkalint.model import UNKNOWN, ClientConfig, Role, Setting

# Profiles meant for a developer's machine or a test run, where throw-away state is the point.
_THROWAWAY_PROFILES = {"dev", "test"}


def is_streams_application(config: ClientConfig) -> bool:
    """A Streams application: so declared, or configured with application.id (a key only
    Kafka Streams reads)."""
    return config.role is Role.STREAMS or "application.id" in config.settings


def streams_setting(config: ClientConfig, key: str) -> Setting | None:
    """A Streams setting with its location: among the client's settings, or kept apart by a
    source that keeps Streams' own keys apart from its embedded clients' (`streams_settings`)."""
    if not is_streams_application(config):
        return None
    setting = (config.streams_settings or {}).get(key) or config.settings.get(key)
    if setting is None or setting.value is UNKNOWN:
        return None
    return setting


def _text(setting: Setting) -> str:
    return value_text(setting.value).strip()


@check("KL760")
def processing_guarantee_removed(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    setting = streams_setting(config, "processing.guarantee")
    if setting is None:
        return
    facts = processing_guarantee(_text(setting))
    if facts is None or "removed" not in facts:
        return
    version = assumed_version(config)
    release = version_tuple(version.version)
    if release < version_tuple(facts["deprecated"]):
        return  # the replacement does not exist yet in this client: nothing better to use
    removed = release >= version_tuple(facts["removed"])
    status = (
        f"refused since Kafka Streams {facts['removed']} (the application does not start)"
        if removed
        else f"deprecated since Kafka Streams {facts['deprecated']} and refused from {facts['removed']}"
    )
    yield Hit(
        setting.key_location,
        {"value": _text(setting), "status": status, "version": version.describe(), "replacement": facts["replacement"]},
    )


def _temporary_prefix(path: str) -> str | None:
    normalized = path.rstrip("/") + "/"
    for prefix in streams_facts()["state_dir"]["temporary_prefixes"]:
        if normalized.startswith(prefix):
            return prefix.rstrip("/")
    return None


@check("KL761")
def state_dir_temporary(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    if config.profile is not None and config.profile.lower() in _THROWAWAY_PROFILES:
        return
    setting = streams_setting(config, "state.dir")
    if setting is None:
        return
    prefix = _temporary_prefix(_text(setting))
    if prefix is None:
        return
    yield Hit(setting.key_location, {"path": _text(setting), "directory": prefix})


@check("KL312")
def streams_internal_topic_replication(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    setting = streams_setting(config, "replication.factor")
    if setting is None:
        return
    try:
        value = int(_text(setting))
    except ValueError:
        return
    minimum = int(context.param("minimum"))
    if value == -1 or value >= minimum:
        return  # -1: the broker's default.replication.factor decides
    yield Hit(setting.key_location, {"value": value, "minimum": minimum})
