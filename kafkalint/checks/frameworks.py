"""Framework checks: SmallRye failure strategies, Spring listener settings, Connect workers."""

from __future__ import annotations

from collections.abc import Iterator

from kafkalint.checks import CheckContext, Hit
from kafkalint.checks.registry import check
from kafkalint.knowledge.frameworks import framework_facts
from kafkalint.model import UNKNOWN, ClientConfig, Location, Project, Role, Setting


def failure_strategy_ignore(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    strategy = config.extras.get("failure_strategy")
    if strategy is None or strategy.value is UNKNOWN:
        return
    if str(strategy.value).strip().lower() != "ignore":
        return
    yield Hit(strategy.key_location, {"channel": config.extras.get("channel", config.name)})


def _worker_settings(project: Project) -> Iterator[tuple[str, Location, dict[str, Setting]]]:
    """(which worker, where, its settings) for Connect workers from files, containers and KafkaConnect."""
    for client in project.clients:
        if client.role is Role.CONNECT and client.extras.get("connect_worker"):
            yield client.name, client.anchor, client.extras.get("worker_settings", client.settings)
    for resource in project.resources:
        if getattr(resource, "kind", None) != "KafkaConnect" or resource.spec is None:
            continue
        from kafkalint.sources.strimzi import config_settings

        yield f"KafkaConnect {resource.name}", resource.anchor, config_settings(resource.spec.get("config"))


@check("KL752")
def connect_internal_topic_replication(project: Project, context: CheckContext) -> Iterator[Hit]:
    minimum = int(context.param("minimum"))
    internal = framework_facts()["connect_worker"]["internal_topics"]
    for worker, anchor, settings in _worker_settings(project):
        for key in internal:
            setting = settings.get(key)
            if setting is None or setting.value is UNKNOWN:
                continue  # the default (3) or not knowable
            try:
                factor = int(str(setting.value).strip())
            except ValueError:
                continue
            if factor == -1 or factor >= minimum:
                continue  # -1: the broker's default.replication.factor decides
            yield Hit(setting.key_location, {"worker": worker, "key": key, "factor": factor, "minimum": minimum}, related=(anchor,))
