"""Kafka Connect files: connector configs (REST JSON or .properties) and worker configs.

A connector becomes the same ConnectorConfig a Strimzi KafkaConnector gives, so the connector
rules are written once. A worker config (connect-distributed.properties, CONNECT_* variables of
a Connect container) becomes a ClientConfig with role connect.
"""

from __future__ import annotations

from typing import Any

from kafkalint.knowledge import looks_secret
from kafkalint.knowledge.frameworks import framework_facts
from kafkalint.model import (
    UNKNOWN,
    ClientConfig,
    ConnectorConfig,
    Dialect,
    Framework,
    Location,
    Project,
    Role,
    Setting,
)
from kafkalint.sources.read_problems import duplicate_key_problem
from kafkalint.sources.appconfig import has_placeholder
from kafkalint.sources.clientfile import RawEntry
from kafkalint.sources.yamltree import Node, scalar_text

_WORKER_FILE_PREFIXES = ("connect-distributed", "connect-standalone")


def _setting(entry: RawEntry) -> Setting:
    value: Any = entry.value
    if isinstance(value, str) and has_placeholder(value):
        value = UNKNOWN
    return Setting(
        key=entry.key, raw=entry.raw, value=value, location=entry.value_location,
        key_location=entry.key_location, written_key=entry.key, secret=looks_secret(entry.key),
    )


def settings_from_entries(entries: list[RawEntry], project: Project) -> dict[str, Setting]:
    settings: dict[str, Setting] = {}
    for entry in entries:
        previous = settings.get(entry.key)
        if previous is not None:
            project.problems.append(duplicate_key_problem(entry.key, previous.key_location, entry.key_location))
        settings[entry.key] = _setting(entry)
    return settings


def _stem(display: str) -> str:
    name = display.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0]


def is_worker(keys: set[str], display: str) -> bool:
    markers = set(framework_facts()["connect_worker"]["marker_keys"])
    return bool(keys & markers) or _stem(display).startswith(_WORKER_FILE_PREFIXES)


def worker_client(settings: dict[str, Setting], anchor: Location, name: str, origin: str) -> ClientConfig:
    """A Connect worker as a ClientConfig: the connection settings every client shares
    (bootstrap, security) are its settings, so the client rules judge those; the worker's own
    keys (group.id, *.storage.*, converters) are kept whole in `worker_settings`."""
    from kafkalint.knowledge import catalogue

    java = catalogue(Dialect.JAVA)
    config = ClientConfig(
        role=Role.CONNECT, dialect=Dialect.JAVA, anchor=anchor, name=name, origin=origin, framework=Framework.CONNECT
    )
    for key, setting in settings.items():
        info = java.info(key)
        if info is not None and {"producer", "consumer", "admin"} <= set(info.scopes):
            config.settings[info.name] = setting
    config.worker_settings = settings
    return config


def connector_from_settings(name: str, anchor: Location, settings: dict[str, Setting], origin: str) -> ConnectorConfig:
    connector_class = settings.get("connector.class")
    class_name = None
    if connector_class is not None and connector_class.value is not UNKNOWN:
        class_name = str(connector_class.value)
    return ConnectorConfig(name=name, anchor=anchor, connector_class=class_name, settings=settings, origin=origin)


def read_connect_properties(entries: list[RawEntry], text: str, display: str, project: Project) -> bool:
    keys = {entry.key for entry in entries}
    if "connector.class" in keys:
        settings = settings_from_entries(entries, project)
        name_setting = settings.get("name")
        name = str(name_setting.value) if name_setting is not None and name_setting.value is not UNKNOWN else _stem(display)
        project.connectors.append(connector_from_settings(name, Location(display, 1, 1), settings, "connect-properties"))
        return True
    if is_worker(keys, display) and ("group.id" in keys or keys & set(framework_facts()["connect_worker"]["marker_keys"])):
        project.clients.append(worker_client(settings_from_entries(entries, project), Location(display, 1, 1), f"connect worker {_stem(display)}", "connect"))
        return True
    return False


def _map_entries(node: Node) -> list[RawEntry]:
    entries = []
    for key, child in node.items():
        if child.is_map or child.is_list:
            continue
        entries.append(RawEntry(key, child.value if not isinstance(child.value, bool) else scalar_text(child),
                                scalar_text(child), child.key_location or child.location, child.location))
    return entries


def read_connect_documents(documents: list[Node], text: str, display: str, project: Project) -> bool:
    """Connect REST bodies: `{"name": ..., "config": {...}}` (POST /connectors) or a flat config
    map with connector.class (PUT /connectors/<name>/config)."""
    found = False
    for document in documents:
        if not document.is_map or document.get("apiVersion") is not None or document.get("kind") is not None:
            continue
        config = document.get("config")
        if config is not None and config.is_map and config.get("connector.class") is not None:
            name_node = document.get("name")
            name = str(name_node.value) if name_node is not None and not name_node.is_map else _stem(display)
            anchor = (name_node.key_location if name_node is not None and name_node.key_location else document.location)
            settings = settings_from_entries(_map_entries(config), project)
            project.connectors.append(connector_from_settings(name, Location(display, anchor.line, anchor.column), settings, "connect-rest"))
            found = True
        elif document.get("connector.class") is not None:
            settings = settings_from_entries(_map_entries(document), project)
            name_setting = settings.get("name")
            name = str(name_setting.value) if name_setting is not None and name_setting.value is not UNKNOWN else _stem(display)
            project.connectors.append(
                connector_from_settings(name, Location(display, document.location.line, document.location.column), settings, "connect-rest")
            )
            found = True
    return found
