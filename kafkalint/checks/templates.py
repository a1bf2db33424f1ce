"""Parameterised checks: one piece of logic shared by several rule files (kube-linter's templates).

A rule file names a template (`template: resource-lacks-field`) instead of having a check of
its own; its `parameters:` (each with a default, as for any rule) are the template's arguments,
and its `message` uses the variables the template returns. Adding such a rule is one YAML file.

Templates:

`resource-lacks-field`: a Strimzi resource (or the Kafka cluster it belongs to) lacks a field.
  parameters:
    field: a dotted path (`spec.cruiseControl`); or a list of paths, reported together, naming
      those missing; or a mapping kind -> path when the field depends on the resource's kind.
    holder: `resource` (default) or `cluster`: the Kafka named by the resource's
      strimzi.io/cluster label; a resource whose cluster is not in the scanned tree is silent.
    applies_when: a dotted path that must be present on the holder for the rule to apply
      (default `spec`).
  variables: `resource` (`Kafka my-cluster`), `field` (the missing paths, joined by " and no "),
  and with holder `cluster` also `cluster` (`Kafka my-cluster`).

`setting-below-floor`: a numeric setting is below the floor a rule parameter sets (project target).
  parameters:
    of: `brokers` (every broker config that hosts partitions, judged on effective values, its
      default included; the key `replicas` stands for each declared topic's replica count) or
      `connect-workers` (Connect workers' explicit settings only).
    floors: a mapping setting key -> the name of the rule parameter holding its floor, so users
      tune the floor by that parameter.
    holds: a mapping setting key -> what too few copies put at risk (a short noun phrase).
    never_judged: values that hand the decision elsewhere and are never reported (-1).
  One finding per broker, topic or worker, at the first of its settings below the floor (the
  others are related locations).
  variables: `subject` (`Kafka my-cluster`, `connect worker w`), `below` (each setting as
  `key=value (source)`, source `set at line 3` or `broker default`; several in file order,
  grouped by floor: `a=1 (line 3) and b=1 (line 4) are below 3`), `holds` (what each puts at
  risk, joined).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from kafkalint.checks import CheckContext, Hit, and_joined
from kafkalint.model import UNKNOWN, Location, Project, Setting

TemplateCheck = Callable[[Any, CheckContext], Iterable[Hit]]

TEMPLATES: dict[str, TemplateCheck] = {}


def template(name: str) -> Callable[[TemplateCheck], TemplateCheck]:
    """Register the decorated function as the template of this name."""

    def register(function: TemplateCheck) -> TemplateCheck:
        TEMPLATES[name] = function
        return function

    return register


def template_check(name: str) -> TemplateCheck:
    try:
        return TEMPLATES[name]
    except KeyError:
        raise KeyError(f"no check template named {name!r} (known: {', '.join(sorted(TEMPLATES))})") from None


def _path(dotted: str) -> tuple[str, ...]:
    return tuple(part for part in dotted.split(".") if part)


def _fields_for(kind: str, field: Any) -> list[str]:
    if isinstance(field, dict):
        chosen = field.get(kind)
        return [chosen] if isinstance(chosen, str) else []
    if isinstance(field, str):
        return [field]
    return [str(item) for item in field or ()]


@template("resource-lacks-field")
def resource_lacks_field(resource: Any, context: CheckContext) -> Iterator[Hit]:
    from kafkalint.checks.strimzi import cluster_label_location

    holder_kind = context.parameters.get("holder", "resource")
    holder = resource if holder_kind == "resource" else resource.extras.get("kafka")
    if holder is None or holder.spec is None:
        return
    if holder.at(*_path(context.parameters.get("applies_when", "spec"))) is None:
        return
    missing = [field for field in _fields_for(resource.kind, context.param("field")) if holder.at(*_path(field)) is None]
    if not missing:
        return
    variables = {"resource": resource.describe(), "field": " and no ".join(missing)}
    if holder is resource:
        yield Hit(resource.anchor, variables)
    else:
        variables["cluster"] = holder.describe()
        yield Hit(cluster_label_location(resource), variables, related=(holder.anchor,))


@template("setting-below-floor")
def setting_below_floor(project: Project, context: CheckContext) -> Iterator[Hit]:
    """One finding per broker, topic or worker, naming every judged setting of it that is below
    its floor: a quick-start config sets them all to 1 in one go, one mistake (and one fix)."""
    floors = {key: int(context.param(name)) for key, name in context.param("floors").items()}
    holds: dict[str, str] = context.param("holds")
    never_judged = set(context.parameters.get("never_judged", ()))
    found = _broker_values(project, floors) if context.param("of") == "brokers" else _worker_values(project, floors)
    below: dict[int, list[FloorValue]] = {}
    for item in found:
        value, key = item.value, item.key
        if value is None or value in never_judged or value >= floors[key]:
            continue
        below.setdefault(id(item.owner), []).append(item)
    for items in below.values():
        items.sort(key=lambda item: (item.location.line, item.location.column))
        # Reported at the first setting written in the file (a default has its owner's anchor).
        first = next((item for item in items if item.location != item.anchor), items[0])
        related = tuple(dict.fromkeys(
            location for item in items for location in (item.location, *item.related) if location != first.location
        ))
        # Grouped by floor, each group in file order; what is at risk in the same order.
        by_floor: dict[int, list[FloorValue]] = {}
        for item in items:
            by_floor.setdefault(floors[item.key], []).append(item)
        variables = {
            "subject": first.subject,
            "below": _below_phrase(by_floor, several=len(items) > 1),
            "holds": and_joined([holds[item.key] for group in by_floor.values() for item in group]),
        }
        yield Hit(first.location, variables, related=related)


def _below_phrase(by_floor: dict[int, list[FloorValue]], several: bool) -> str:
    """`a=1 (set at line 3) is below 3`; several settings grouped by floor, in file order:
    `a=1 (line 3) and b=1 (line 4) are below 3, and c=1 (line 5) is below 2`."""
    phrases = []
    for floor, group in by_floor.items():
        # In a list, `line 3` says what `set at line 3` says alone.
        settings = [f"{item.key}={item.value} ({item.source.removeprefix('set at ') if several else item.source})" for item in group]
        phrases.append(f"{and_joined(settings)} {'is' if len(settings) == 1 else 'are'} below {floor}")
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + ", and " + phrases[-1]


@dataclass(frozen=True)
class FloorValue:
    """One judged setting of one broker, topic or worker (`owner`): its value (None when not a
    number), where it comes from, where to report it, and the owner's own anchor."""

    owner: Any
    subject: str
    key: str
    value: int | None
    source: str
    location: Location
    anchor: Location
    related: tuple[Location, ...] = ()


def _broker_values(project: Project, floors: dict[str, int]) -> Iterator[FloorValue]:
    from kafkalint.checks.cluster import (
        at_setting,
        cluster_broker_count,
        integer,
        is_development_cluster,
        production_brokers,
        subject,
    )
    from kafkalint.knowledge.broker import broker_effective
    from kafkalint.sources.test_paths import is_test_code

    for broker in production_brokers(project):
        for key in floors:
            if key == "replicas":
                continue
            value, setting, source = broker_effective(broker, key)
            yield FloorValue(broker, subject(broker), key, integer(value), source, at_setting(setting, broker.anchor), broker.anchor)
    if "replicas" in floors:
        for topic in project.topics:
            if topic.replicas is None or is_development_cluster(topic.cluster_config) or is_test_code(topic.anchor.path):
                continue
            brokers = cluster_broker_count(topic.cluster_config) if topic.cluster_config is not None else None
            if brokers is not None and topic.replicas >= brokers:
                continue  # as many copies as the cluster has brokers: too-few-brokers names the limit
            location = topic.replicas_location or topic.anchor
            yield FloorValue(topic, subject(topic), "replicas", topic.replicas, f"set at line {location.line}", location, topic.anchor)


def _single_broker_hosts(project: Project) -> set[tuple[str, str]]:
    """(file, node name) of the broker of every one-broker cluster described node by node
    (the broker service of a compose file)."""
    return {
        (broker.anchor.path, broker.name)
        for broker in project.brokers
        if broker.cluster_group is not None and broker.broker_count == 1 and broker.name
    }


def _on_single_broker(anchor: Location, settings: dict[str, Setting], hosts: set[tuple[str, str]]) -> bool:
    """A worker whose every bootstrap server is a service of a one-broker compose cluster in its
    own file: a replication factor above 1 cannot even be created there, so 1 is the only value,
    and too-few-brokers already reports the cluster."""
    bootstrap = settings.get("bootstrap.servers")
    if bootstrap is None or not isinstance(bootstrap.value, str) or not bootstrap.value.strip():
        return False
    servers = [server.strip() for server in bootstrap.value.split(",") if server.strip()]
    names = {server.split("://")[-1].rsplit(":", 1)[0] for server in servers}
    return all((anchor.path, name) in hosts for name in names)


def _worker_values(project: Project, floors: dict[str, int]) -> Iterator[FloorValue]:
    from kafkalint.checks.cluster import integer
    from kafkalint.sources.connect_clients import connect_workers

    single_broker_hosts = _single_broker_hosts(project)
    for worker, anchor, settings in connect_workers(project):
        if single_broker_hosts and _on_single_broker(anchor, settings, single_broker_hosts):
            continue
        for key in floors:
            setting: Setting | None = settings.get(key)
            if setting is None or setting.value is UNKNOWN:
                continue  # the default, or not knowable
            location = setting.key_location
            yield FloorValue(anchor, worker, key, integer(setting.value), f"set at line {location.line}", location, anchor, (anchor,))
