"""Kafka Streams checks: a Streams application's own settings (processing.guarantee,
state.dir, replication.factor, commit.interval.ms under exactly-once), whichever file the
application is configured in (a plain file with application.id, Spring
`spring.kafka.streams.*`, Quarkus `kafka-streams.*`, `new KafkaStreams(...)` in Java)."""

from __future__ import annotations

from typing import Iterator

from kafkalint.checks import CheckContext, Hit, value_text
from kafkalint.checks.registry import check
from kafkalint.knowledge import assumed_version, version_line, version_tuple
from kafkalint.knowledge.streams import (
    is_exactly_once,
    processing_guarantee,
    startup_timeout_check,
    streams_facts,
    unwritten_transaction_timeout,
)
from kafkalint.model import UNKNOWN, ClientConfig, Role, Setting

# Profiles meant for a developer's machine or a test run, where throw-away state is the point.
_THROWAWAY_PROFILES = {"dev", "test"}


def is_streams_application(config: ClientConfig) -> bool:
    """A Streams application: so declared, or configured with application.id (a key only
    Kafka Streams reads)."""
    return config.role is Role.STREAMS or "application.id" in config.settings


def written_streams_setting(config: ClientConfig, key: str) -> Setting | None:
    """A Streams setting as written, its value possibly UNKNOWN: among the client's settings, or
    kept apart by a source that keeps Streams' own keys apart from its embedded clients'
    (`streams_settings`)."""
    if not is_streams_application(config):
        return None
    return (config.streams_settings or {}).get(key) or config.settings.get(key)


def streams_setting(config: ClientConfig, key: str) -> Setting | None:
    """A Streams setting with its location, when its value is known."""
    setting = written_streams_setting(config, key)
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


# The keys the exactly-once commit check weighs against each other.
_EXACTLY_ONCE_KEYS = ("processing.guarantee", "commit.interval.ms", "producer.transaction.timeout.ms", "transaction.timeout.ms")


def _same_file_profiles(config: ClientConfig, context: CheckContext) -> list[ClientConfig]:
    """The other Streams configurations of the same file under another profile (Quarkus writes
    `%prod.kafka-streams.*` beside `kafka-streams.*`; each is its own client)."""
    by_file = context.memo.get("clients_by_file")
    if by_file is None:  # once per evaluation: scanning every client for each was quadratic
        by_file = context.memo["clients_by_file"] = {}
        for client in context.project.clients:
            by_file.setdefault(client.anchor.path, []).append(client)
    return [
        other for other in by_file.get(config.anchor.path, ())
        if other is not config and other.profile != config.profile
        and other.framework is config.framework and is_streams_application(other)
    ]


def _exactly_once_view(config: ClientConfig, context: CheckContext) -> dict[str, Setting] | None:
    """The settings that apply to the client's profile: a profile inherits what its file sets
    without one. None when the verdict depends on a profile this client does not stand for (the
    profile-less configuration, when a profile of the same file rewrites one of the keys)."""
    view = {key: setting for key in _EXACTLY_ONCE_KEYS if (setting := written_streams_setting(config, key)) is not None}
    siblings = _same_file_profiles(config, context)
    if config.profile is None:
        if any(written_streams_setting(other, key) is not None for other in siblings for key in _EXACTLY_ONCE_KEYS):
            return None
        return view
    for base in (other for other in siblings if other.profile is None):
        for key in _EXACTLY_ONCE_KEYS:
            inherited = written_streams_setting(base, key)
            if key not in view and inherited is not None:
                view[key] = inherited
    return view


def _milliseconds(setting: Setting | None) -> int | None:
    if setting is None:
        return None
    try:
        return int(_text(setting).removesuffix("L"))
    except ValueError:
        return None


@check("KL762")
def commit_interval_exceeds_transaction_timeout(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    view = _exactly_once_view(config, context)
    if view is None or "processing.guarantee" not in view or "commit.interval.ms" not in view:
        return
    if any(setting.value is UNKNOWN for setting in view.values()):
        return  # a value set elsewhere (a placeholder, code): the verdict is not sure
    guarantee = _text(view["processing.guarantee"])
    if not is_exactly_once(guarantee):
        return
    version = assumed_version(config)
    release = version_tuple(version.version)
    facts = processing_guarantee(guarantee) or {}
    if release < version_tuple(facts["since"]) or ("removed" in facts and release >= version_tuple(facts["removed"])):
        return  # Streams refuses the guarantee itself (processing-guarantee-removed owns that)
    commit_interval = _milliseconds(view["commit.interval.ms"])
    if commit_interval is None:
        return
    prefixed, unprefixed = view.get("producer.transaction.timeout.ms"), view.get("transaction.timeout.ms")
    if (prefixed is not None and _milliseconds(prefixed) is None) or (unprefixed is not None and _milliseconds(unprefixed) is None):
        return  # a timeout is written but cannot be read: the verdict is not sure
    written = prefixed if prefixed is not None else unprefixed
    unwritten = unwritten_transaction_timeout(version.version)
    startup = startup_timeout_check(version.version)
    if startup is not None:
        checked = _milliseconds(prefixed) if prefixed is not None else int(startup["otherwise"])
        if checked < commit_interval:
            if prefixed is not None:
                source = f"{prefixed.key} at line {prefixed.key_location.line}"
            elif unprefixed is not None:
                source = f"Kafka Streams' default; its start-up check ignores transaction.timeout.ms at line {unprefixed.key_location.line}"
            else:
                source = unwritten.why
            consequence = f"Kafka Streams {version_line(version.version)} refuses to start (checked since 3.0)"
            yield Hit(view["commit.interval.ms"].key_location, {
                "commit_interval": commit_interval, "timeout": checked, "timeout_source": source, "consequence": consequence,
            })
            return
    timeout = _milliseconds(written) if written is not None else unwritten.value
    if timeout is None or timeout >= commit_interval:
        return
    source = (
        f"{written.key} at line {written.key_location.line}" if written is not None
        else f"{unwritten.why}, {version.describe()}"
    )
    yield Hit(view["commit.interval.ms"].key_location, {
        "commit_interval": commit_interval, "timeout": timeout, "timeout_source": source,
        "consequence": "transactions time out and are aborted (producer fenced, tasks migrated)",
    })
