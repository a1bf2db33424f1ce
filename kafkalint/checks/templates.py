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
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator

from kafkalint.checks import CheckContext, Hit

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
