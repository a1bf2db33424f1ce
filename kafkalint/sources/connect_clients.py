"""The Kafka clients a Connect worker builds for its connectors, as ClientConfigs.

A connector's `producer.override.*` / `consumer.override.*` keys and a worker's `producer.*` /
`consumer.*` keys (a MirrorMaker 2 target cluster's `<alias>.producer.*`) configure the Java
producer of source tasks (and of sink dead letter queues) and the Java consumer of sink tasks. Each such group becomes a ClientConfig of that role
(framework connect), its settings at the exact keys written, so the producer and consumer rules
judge them like any other client. Connect supplies further settings of its own and the worker's
(acks=all and enable.auto.commit=false among them), so keys not written there are unknown here
(`all_settings_known = False`): only what is written is judged.

Runs after every file is read (a project resolver), since workers and connectors come from
properties, JSON and Strimzi files alike.
"""

from __future__ import annotations

from typing import Any, Iterator

from kafkalint.knowledge import make_setting
from kafkalint.model import ClientConfig, Dialect, Framework, Location, Project, Role, Setting

_CONNECTOR_PREFIXES = {"producer.override.": Role.PRODUCER, "consumer.override.": Role.CONSUMER}
_WORKER_PREFIXES = {"producer.": Role.PRODUCER, "consumer.": Role.CONSUMER}
_MIRROR_MAKER_PREFIXES = {"producer.": Role.PRODUCER}


def connect_workers(project: Project) -> Iterator[tuple[str, Location, dict[str, Setting]]]:
    """(which worker, where, its settings) for Connect workers from files, containers and KafkaConnect."""
    for client in project.clients:
        if client.role is Role.CONNECT and client.worker_settings is not None:
            yield client.name, client.anchor, client.worker_settings
    for resource in project.resources:
        if getattr(resource, "kind", None) != "KafkaConnect" or resource.spec is None:
            continue
        from kafkalint.sources.strimzi import config_settings

        yield f"KafkaConnect {resource.name}", resource.anchor, config_settings(resource.spec.get("config"))


def _clients(owner: str, settings: dict[str, Setting], prefixes: dict[str, Role]) -> Iterator[ClientConfig]:
    for prefix, role in prefixes.items():
        written = [(key[len(prefix):], setting) for key, setting in settings.items() if key.startswith(prefix)]
        if not written:
            continue
        config = ClientConfig(
            role=role, dialect=Dialect.JAVA, anchor=written[0][1].key_location,
            name=f"{owner} {role.value}", origin="connect", framework=Framework.CONNECT,
        )
        config.role_certain = True  # the prefix says which client reads the key
        config.all_settings_known = False  # Connect's and the worker's own settings apply too
        for key, original in written:
            value: Any = original.value
            setting, problem = make_setting(Dialect.JAVA, key, value, original.location, original.key_location, original.raw)
            setting.written_key = original.written_key or original.key
            setting.secret = setting.secret or original.secret
            if problem is not None:
                config.type_problems[setting.key] = problem
            config.settings[setting.key] = setting
        yield config


def resolve_connect_clients(project: Project, settings: Any = None) -> None:
    """Add the producer and consumer each connector and worker configures, and the producer of
    each MirrorMaker 2 target cluster's workers (its `<alias>.producer.*` keys). MirrorMaker 2's
    consumers are not added: it forces enable.auto.commit=false and defaults auto.offset.reset
    after the user's keys (knowledge/data/mirror_maker.json, client_mapping)."""
    found: list[ClientConfig] = []
    for connector in project.connectors:
        found.extend(_clients(f"connector {connector.name}", connector.settings, _CONNECTOR_PREFIXES))
    for name, _anchor, worker_settings in connect_workers(project):
        found.extend(_clients(name, worker_settings, _WORKER_PREFIXES))
    for mirror_maker in project.mirror_makers:
        for target, target_settings in mirror_maker.worker_settings.items():
            found.extend(_clients(f"{mirror_maker.describe()} cluster {target}", target_settings, _MIRROR_MAKER_PREFIXES))
    project.clients.extend(found)
