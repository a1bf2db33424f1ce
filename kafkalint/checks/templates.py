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
  variables: `subject` (`Kafka my-cluster`, `connect worker w`), `key`, `value`, `source`
  (`set at line 3`, `broker default`), `minimum`, `holds`.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator

from kafkalint.checks import CheckContext, Hit
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
    floors = {key: int(context.param(name)) for key, name in context.param("floors").items()}
    holds: dict[str, str] = context.param("holds")
    never_judged = set(context.parameters.get("never_judged", ()))
    found = _broker_values(project, floors) if context.param("of") == "brokers" else _worker_values(project, floors)
    for subject, key, value, source, location, related in found:
        if value is None or value in never_judged or value >= floors[key]:
            continue
        variables = {"subject": subject, "key": key, "value": value, "source": source, "minimum": floors[key], "holds": holds[key]}
        yield Hit(location, variables, related=related)


# (subject, key, value, where it comes from, where to report, related locations)
FloorValue = tuple[str, str, "int | None", str, Location, tuple[Location, ...]]


def _broker_values(project: Project, floors: dict[str, int]) -> Iterator[FloorValue]:
    from kafkalint.checks.cluster import at_setting, integer, is_development_cluster, production_brokers, subject
    from kafkalint.knowledge.broker import broker_effective

    for broker in production_brokers(project):
        for key in floors:
            if key == "replicas":
                continue
            value, setting, source = broker_effective(broker, key)
            yield subject(broker), key, integer(value), source, at_setting(setting, broker.anchor), ()
    if "replicas" in floors:
        for topic in project.topics:
            if topic.replicas is not None and not is_development_cluster(topic.cluster_config):
                location = topic.replicas_location or topic.anchor
                yield subject(topic), "replicas", topic.replicas, f"set at line {location.line}", location, ()


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
            yield worker, key, integer(setting.value), f"set at line {setting.key_location.line}", setting.key_location, (anchor,)
