"""Quarkus Kafka Streams configuration (`quarkus.kafka-streams.*` for the extension,
`kafka-streams.*` passed to Kafka Streams as written) into a ClientConfig of role streams,
one per profile, as the Spring source gives one for `spring.kafka.streams.*`."""

from __future__ import annotations

import re

from kafkalint.model import ClientConfig, Dialect, Framework, Project, Role, Setting
from kafkalint.sources.appconfig import known_value
from kafkalint.sources.clientfile import RawEntry

_PROFILE_PREFIX = re.compile(r"^%([A-Za-z0-9_\-,]+)\.(.+)$")
_EXTENSION = "quarkus.kafka-streams."
_PASS_THROUGH = "kafka-streams."
# Extension properties that are Kafka Streams keys under another spelling.
_EXTENSION_KEYS = {"application-id": "application.id", "bootstrap-servers": "bootstrap.servers"}


def is_streams_key(key: str) -> bool:
    bare = _PROFILE_PREFIX.sub(r"\2", key)
    return bare.startswith((_EXTENSION, _PASS_THROUGH))


def _streams_key(key: str) -> str | None:
    if key.startswith(_EXTENSION):
        return _EXTENSION_KEYS.get(key[len(_EXTENSION):])
    if key.startswith(_PASS_THROUGH):
        return key[len(_PASS_THROUGH):]
    return None


def read_streams_entries(entries: list[RawEntry], file_profile: str | None, project: Project) -> bool:
    """Add one streams client per profile that configures Kafka Streams; True when any did."""
    by_profile: dict[str | None, list[tuple[str, RawEntry]]] = {}
    for entry in entries:
        match = _PROFILE_PREFIX.match(entry.key)
        key, profile = (match.group(2), match.group(1)) if match else (entry.key, file_profile)
        streams_key = _streams_key(key)
        if streams_key is not None:
            by_profile.setdefault(profile, []).append((streams_key, entry))
    for profile, keyed in by_profile.items():
        anchor = keyed[0][1].key_location
        name = "quarkus kafka-streams" + (f" (profile {profile})" if profile else "")
        config = ClientConfig(
            role=Role.STREAMS, dialect=Dialect.JAVA, anchor=anchor, name=name, origin="quarkus",
            profile=profile, framework=Framework.QUARKUS,
        )
        config.role_certain = True  # the Kafka Streams extension's own configuration
        for key, entry in keyed:
            config.settings[key] = Setting(
                key, entry.raw, known_value(entry), entry.value_location, entry.key_location, entry.key
            )
        project.clients.append(config)
    return bool(by_profile)
