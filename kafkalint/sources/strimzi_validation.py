"""Schema checks of Strimzi resources: kafkalint's own schemas (strimzi_schemas/) and, when the
scanned tree vendors them, the Strimzi CRDs' openAPIV3Schema.

Kubernetes drops (or, with strict field validation, rejects) a field its CRD does not define,
so a misspelled `spec.kafka.confg` is a setting that silently never applies. jsonschema is
imported here only, and this module only when a Strimzi file was found.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

from kafkalint.model import Location, ParseProblem, Project
from kafkalint.sources.yamltree import Node

SCHEMAS = Path(__file__).parent / "strimzi_schemas"
RULE = "strimzi-schema-violation"

# Fields other rules report with a better explanation than "unknown field".
_LEFT_TO_OTHER_RULES = {("Kafka", ("spec",), "zookeeper")}

# v1beta2 fields that v1 moved elsewhere: a hint instead of a bare "unknown field".
_MOVED_IN_V1 = {
    ("Kafka", ("spec", "kafka"), "replicas"): "v1 takes the broker count from KafkaNodePool spec.replicas",
    ("Kafka", ("spec", "kafka"), "storage"): "v1 takes storage from KafkaNodePool spec.storage",
    ("Kafka", ("spec", "kafka"), "resources"): "v1 takes resources from KafkaNodePool spec.resources",
    ("Kafka", ("spec",), "jmxTrans"): "JmxTrans support was removed from Strimzi",
    ("KafkaConnector", ("spec",), "pause"): "v1 uses spec.state: paused",
    ("KafkaMirrorMaker2", ("spec",), "clusters"): "v1 uses spec.target and spec.mirrors[].source",
    ("KafkaMirrorMaker2", ("spec",), "connectCluster"): "v1 uses spec.target",
    ("KafkaConnect", ("spec",), "externalConfiguration"): "v1 uses spec.template volumes and config providers",
}


def _pointer_parts(pointer: str) -> list[str]:
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.strip("/").split("/") if part]


def _at_pointer(schema: dict[str, Any], pointer: str) -> dict[str, Any]:
    node: Any = schema
    for part in _pointer_parts(pointer):
        node = node[part]
    return node


@lru_cache(maxsize=None)
def own_schema(kind: str, version: str) -> dict[str, Any] | None:
    """kafkalint's schema for a kind and API version (v1, or v1 widened to v1beta2)."""
    path = SCHEMAS / f"{kind.lower()}.json"
    if version not in ("v1", "v1beta2") or not path.is_file():
        return None
    schema = json.loads(path.read_text(encoding="utf-8"))
    if version == "v1beta2":
        legacy = json.loads((SCHEMAS / "v1beta2.json").read_text(encoding="utf-8")).get(kind, {})
        schema = copy.deepcopy(schema)
        for pointer, fields in legacy.get("add", {}).items():
            _at_pointer(schema, pointer).update(fields)
        for pointer, names in legacy.get("drop_required", {}).items():
            target = _at_pointer(schema, pointer)
            target["required"] = [name for name in target.get("required", []) if name not in names]
    return schema


@lru_cache(maxsize=None)
def _own_validator(kind: str, version: str) -> Any:
    import jsonschema

    schema = own_schema(kind, version)
    return None if schema is None else jsonschema.Draft202012Validator(schema)


def crd_to_json_schema(node: Any) -> Any:
    """An openAPIV3Schema as JSON Schema with Kubernetes' semantics: objects with declared
    properties take no others (unless x-kubernetes-preserve-unknown-fields), int-or-string
    and nullable become type lists."""
    if not isinstance(node, dict):
        return node
    converted: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            converted[key] = {name: crd_to_json_schema(child) for name, child in value.items()}
        elif key in ("items", "additionalProperties", "not") and isinstance(value, dict):
            converted[key] = crd_to_json_schema(value)
        elif key in ("oneOf", "anyOf", "allOf") and isinstance(value, list):
            converted[key] = [crd_to_json_schema(child) for child in value]
        elif key.startswith("x-kubernetes") or key in ("description", "nullable", "example", "externalDocs", "format"):
            continue
        else:
            converted[key] = value
    if node.get("x-kubernetes-int-or-string"):
        converted["type"] = ["integer", "string"]
    if node.get("nullable") and isinstance(converted.get("type"), str):
        converted["type"] = [converted["type"], "null"]
    if (
        converted.get("type") == "object"
        and "properties" in converted
        and "additionalProperties" not in converted
        and not node.get("x-kubernetes-preserve-unknown-fields")
    ):
        converted["additionalProperties"] = False
    return converted


def _crd_validator(schema: dict[str, Any]) -> Any:
    import jsonschema

    return jsonschema.Draft7Validator(crd_to_json_schema(schema))


# --- locating errors --------------------------------------------------------------------------


def _node_at(root: Node, path: Iterable[Any]) -> Node | None:
    node: Node | None = root
    for part in path:
        if node is None:
            return None
        if isinstance(part, int):
            node = node.value[part] if node.is_list and 0 <= part < len(node.value) else None
        else:
            node = node.get(str(part))
    return node


def _display_path(path: Iterable[Any]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _where(node: Node | None, fallback: Location) -> Location:
    if node is None:
        return fallback
    return node.key_location or node.location


def _shown(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "a map" if isinstance(value, dict) else "a list"
    return json.dumps(value) if isinstance(value, str) else repr(value).lower() if isinstance(value, bool) else repr(value)


_LACKS_REQUIRED = " lacks the required field "


def _messages(error: Any, resource: Any, root: Node) -> Iterator[tuple[str, Location]]:
    if isinstance(error.instance, str) and ("{{" in error.instance or "${" in error.instance):
        return  # a template or envsubst placeholder: its type is only known once rendered
    path = list(error.absolute_path)
    node = _node_at(root, path)
    where = _display_path(path)
    fallback = resource.anchor
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        for name in error.instance:
            if name in allowed:
                continue
            structural = tuple(str(part) for part in path if not isinstance(part, int))
            if (resource.kind, structural, name) in _LEFT_TO_OTHER_RULES:
                continue
            child = node.get(name) if node is not None else None
            moved = _MOVED_IN_V1.get((resource.kind, structural, name)) if resource.version == "v1" else None
            close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
            hint = f" ({moved})" if moved else (f" (did you mean '{close[0]}'?)" if close else "")
            prefix = f"{where}." if path else ""
            yield (
                f"{resource.describe()}: {prefix}{name} is not a field of {resource.api_version} {resource.kind}{hint}; "
                "Kubernetes drops or rejects it, so the setting never applies",
                _where(child, fallback),
            )
        return
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        present = list(error.instance) if isinstance(error.instance, dict) else []
        if difflib.get_close_matches(missing, present, n=1, cutoff=0.6):
            return  # a misspelling of it is reported as an unknown field already
        yield (f"{resource.describe()}: {where}{_LACKS_REQUIRED}{missing}", _where(node, fallback))
        return
    if error.validator in ("enum", "const"):
        choices = error.validator_value if error.validator == "enum" else [error.validator_value]
        yield (
            f"{resource.describe()}: {where} is {_shown(error.instance)}, not one of {', '.join(str(item) for item in choices)}",
            _where(node, fallback),
        )
        return
    if error.validator == "type":
        expected = error.validator_value
        expected_text = " or ".join(expected) if isinstance(expected, list) else expected
        yield (
            f"{resource.describe()}: {where} is {_shown(error.instance)}, but must be {'an' if expected_text[0] in 'aeiou' else 'a'} {expected_text}",
            _where(node, fallback),
        )
        return
    if error.validator in ("oneOf", "anyOf", "allOf") and error.context:
        yield from _messages(min(error.context, key=lambda item: len(list(item.absolute_path))), resource, root)
        return
    yield (f"{resource.describe()}: {where}: {error.message}", _where(node, fallback))


def _errors(validator: Any, resource: Any) -> Iterator[tuple[str, Location]]:
    instance = resource.node.plain()
    errors = sorted(validator.iter_errors(instance), key=lambda error: [str(part) for part in error.absolute_path])
    for error in errors:
        yield from _messages(error, resource, resource.node)


_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")

def _reserved_ports() -> dict[int, str]:
    """Ports the Strimzi Kafka pods use themselves (knowledge/data/strimzi.json)."""
    from kafkalint.knowledge.strimzi import strimzi_facts

    ports = strimzi_facts()["listener_reserved_ports"]
    return {int(port): use for port, use in ports.items() if port.isdigit()}


def _operator_checks(resource: Any) -> Iterator[tuple[str, Location]]:
    """What the API server or the operator rejects beyond the CRD schema."""
    name_node = resource.at("metadata", "name")
    name = resource.name
    if name_node is not None and name and "{{" not in name and "${" not in name:
        if len(name) > 253 or not _DNS_SUBDOMAIN.fullmatch(name):
            hint = " (a topic name with '_', '.' or capitals goes in spec.topicName)" if resource.kind == "KafkaTopic" else ""
            yield (
                f"{resource.describe()}: metadata.name '{name}' is not a valid Kubernetes name (lowercase letters, "
                f"digits, '-' and '.'){hint}; the API server rejects it",
                _where(name_node, resource.anchor),
            )
    if resource.kind != "Kafka":
        return
    listeners = resource.at("spec", "kafka", "listeners")
    seen_names: dict[str, int] = {}
    seen_ports: dict[Any, int] = {}
    for index, listener in enumerate(listeners.value if listeners is not None and listeners.is_list else []):
        if not listener.is_map:
            continue
        for field, seen in (("name", seen_names), ("port", seen_ports)):
            node = listener.get(field)
            if node is None or node.is_map or node.is_list:
                continue
            value = node.value
            if value in seen:
                yield (
                    f"{resource.describe()}: spec.kafka.listeners[{index}].{field} {value} repeats listener "
                    f"{seen[value]}'s; the operator rejects the Kafka resource",
                    _where(node, resource.anchor),
                )
            else:
                seen[value] = index
        port = listener.get("port")
        reserved = _reserved_ports()
        if port is not None and isinstance(port.value, int) and port.value in reserved:
            yield (
                f"{resource.describe()}: spec.kafka.listeners[{index}].port {port.value} is taken by Strimzi's "
                f"{reserved[port.value]}; the operator rejects the Kafka resource",
                _where(port, resource.anchor),
            )


# Where the reader keeps what own_errors found (resource.extras): with the resource, in the parse
# cache, so that an unchanged file is not validated again, nor jsonschema imported for it.
OWN_ERRORS = "own_schema_errors"


def own_errors(resource: Any) -> list[tuple[str, Location]]:
    """What kafkalint's own schema and the operator's own rules say of one resource: read off the
    resource alone, when it is read. A missing required field is included; validate_resources
    leaves those out for a kustomize patch (a patch holds only the fields it changes, and
    which files are patches is known only once the whole tree is read)."""
    found: list[tuple[str, Location]] = []
    validator = _own_validator(resource.kind, resource.version)
    if validator is not None:
        found.extend(_errors(validator, resource))
    found.extend(_operator_checks(resource))
    return found


def validate_resources(resources: list[Any], crds: list[Any], project: Project) -> None:
    """Append a strimzi-schema-violation problem per distinct place a resource breaks a schema."""
    by_kind: dict[str, list[Any]] = {}
    for crd in crds:
        by_kind.setdefault(crd.crd_kind, []).append(crd)
    for resource in resources:
        seen: set[tuple[int, int, str]] = set()
        own = resource.extras.get(OWN_ERRORS)
        if own is None:
            own = own_errors(resource)
        if resource.extras.get("patch"):
            own = [(message, location) for message, location in own if _LACKS_REQUIRED not in message]
        found: list[tuple[str, Location]] = list(own)
        for crd in by_kind.get(resource.kind, []):
            served, schema = crd.versions.get(resource.version, (False, None))
            if not served or schema is None:
                continue
            for message, location in _errors(_cached_crd_validator(crd), resource):
                found.append((f"{message} (CRD {crd.path})", location))
        for message, location in found:
            # One problem per place, except that an object lacking several required fields gets
            # one per field (all at the object): the user should not fix them one run at a time.
            missing = message.split(" (CRD ", 1)[0] if _LACKS_REQUIRED in message else ""
            key = (location.line, location.column, missing)
            if key in seen:
                continue
            seen.add(key)
            project.problems.append(ParseProblem(RULE, message, location))


def _cached_crd_validator(crd: Any) -> Any:
    """One compiled validator per CRD and served version, kept on the CRD object."""
    if not crd.validators:
        for name, (served, schema) in crd.versions.items():
            if served and schema:
                crd.validators[name] = _crd_validator(schema)
    return _CRDVersionValidator(crd.validators)


class _CRDVersionValidator:
    """Validates an instance against the CRD schema of the instance's own API version."""

    def __init__(self, validators: dict[str, Any]) -> None:
        self.validators = validators

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        api_version = str(instance.get("apiVersion", "")) if isinstance(instance, dict) else ""
        version = api_version.split("/", 1)[-1]
        validator = self.validators.get(version)
        if validator is not None:
            yield from validator.iter_errors(instance)
