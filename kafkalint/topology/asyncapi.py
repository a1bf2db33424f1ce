"""`kafkalint inventory --format asyncapi`: the Kafka surface of a tree as an AsyncAPI 3.0.0
document, built only from what the sources proved.

- servers: every `host:port` of a bootstrap.servers value the clients set, with protocol
  `kafka-secure` when that client's security.protocol is SSL or SASL_SSL, else `kafka`. A value
  that is not plain `host:port` (a placeholder, anything with `@`) is left out: no credential
  can ride along.
- channels: one per known topic (address = the topic name), with the Kafka channel binding
  (partitions, replicas, retention.ms, cleanup.policy) where every declaration in the tree
  agrees. A client whose topic is not knowable statically gets a channel of its own with a null
  address (AsyncAPI's "unknown or dynamic"), described as such — never an invented name.
- operations: one per client and topic, `send` for a producer and `receive` for a consumer,
  with the Kafka operation binding (groupId, clientId) when written literally.
- messages: one per channel; its Kafka message binding has a key schema when every producer of
  the topic uses the same well-known key serializer. An Avro (`.avsc`) or JSON Schema
  (`*.schema.json`) file in a service's folder is embedded as the payload of a topic it clearly
  names (file `Order.avsc` or `orders.schema.json` for topic `orders`); other schema files are
  listed under components.schemas, not guessed onto a topic.
Secret values (shown as **** by the inventory) are never written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from kafkalint.hashing import sha256
from kafkalint.model import UNKNOWN, Project
from kafkalint.topology.graph import service_of

ASYNCAPI_VERSION = "3.0.0"
BINDING_VERSION = "0.5.0"
AVRO_FORMAT = "application/vnd.apache.avro;version=1.9.0"
JSON_SCHEMA_FORMAT = "application/schema+json;version=draft-07"
_HOST_PORT = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]*:\d{1,5}")
_KAFKA_TOPIC = re.compile(r"[A-Za-z0-9._\-]{1,249}")
_SECURE = {"SSL", "SASL_SSL"}
_SCHEMA_FILE_LIMIT = 256 * 1024
_SCHEMA_FILES_PER_SERVICE = 200

# Key serializers whose wire format is a well-known schema.
_KEY_SCHEMAS = {
    "StringSerializer": {"type": "string"},
    "IntegerSerializer": {"type": "integer", "format": "int32"},
    "LongSerializer": {"type": "integer", "format": "int64"},
    "ShortSerializer": {"type": "integer"},
    "DoubleSerializer": {"type": "number", "format": "double"},
    "FloatSerializer": {"type": "number", "format": "float"},
    "UUIDSerializer": {"type": "string", "format": "uuid"},
    "ByteArraySerializer": {"type": "string", "format": "binary"},
    "BytesSerializer": {"type": "string", "format": "binary"},
}


def component_key(text: str, prefix: str = "") -> str:
    """A component key AsyncAPI accepts (`^[A-Za-z0-9_\\-]+$`), unique per input text."""
    cleaned = re.sub(r"[^A-Za-z0-9_\-]+", "-", text).strip("-")[:60] or "x"
    if cleaned != text or not text:
        cleaned = f"{cleaned}-{sha256(text.encode('utf-8')).hexdigest()[:6]}"
    return f"{prefix}{cleaned}"


def _short_hash(*parts: Any) -> str:
    return sha256(":".join(str(part) for part in parts).encode("utf-8")).hexdigest()[:6]


def _literal(setting: Any) -> str | None:
    if setting is None or setting.secret or setting.value is UNKNOWN:
        return None
    value = setting.value
    return value if isinstance(value, str) else None


def _servers(project: Project) -> dict[str, Any]:
    found: dict[str, set[str]] = {}
    for client in project.clients:
        # librdkafka's canonical name for bootstrap.servers is its alias metadata.broker.list.
        setting = client.settings.get("bootstrap.servers") or client.settings.get("metadata.broker.list")
        if setting is None or setting.secret or setting.value is UNKNOWN:
            continue
        hosts = setting.value if isinstance(setting.value, list) else str(setting.value).split(",")
        protocol_setting = client.settings.get("security.protocol")
        protocol_value = _literal(protocol_setting)
        secure = protocol_value is not None and protocol_value.upper() in _SECURE
        for host in hosts:
            host = str(host).strip()
            if _HOST_PORT.fullmatch(host):
                found.setdefault(host, set()).add("kafka-secure" if secure else "kafka")
    servers: dict[str, Any] = {}
    for host in sorted(found):
        for protocol in sorted(found[host]):
            key = component_key(host if len(found[host]) == 1 else f"{host}-{protocol}")
            servers[key] = {"host": host, "protocol": protocol}
    return servers


def _agreed(values: list[Any]) -> Any:
    distinct = {json.dumps(value, sort_keys=True, default=str) for value in values}
    return values[0] if len(distinct) == 1 and values[0] is not None else None


def _channel_binding(name: str, project: Project) -> dict[str, Any] | None:
    specs = [spec for spec in project.topics if spec.name == name]
    if not specs:
        return None
    binding: dict[str, Any] = {"topic": name}
    partitions = _agreed([spec.partitions for spec in specs])
    replicas = _agreed([spec.replicas for spec in specs])
    if isinstance(partitions, int) and partitions > 0:
        binding["partitions"] = partitions
    if isinstance(replicas, int) and replicas > 0:
        binding["replicas"] = replicas
    configuration: dict[str, Any] = {}
    retention = _agreed([spec.settings["retention.ms"].value if "retention.ms" in spec.settings else None for spec in specs])
    if isinstance(retention, int) and not isinstance(retention, bool) and retention >= -1:
        configuration["retention.ms"] = retention
    policy = _agreed([spec.settings["cleanup.policy"].value if "cleanup.policy" in spec.settings else None for spec in specs])
    if policy is not None and policy is not UNKNOWN:
        items = policy if isinstance(policy, list) else str(policy).split(",")
        items = [str(item).strip() for item in items]
        if items and all(item in ("delete", "compact") for item in items):
            configuration["cleanup.policy"] = items
    if configuration:
        binding["topicConfiguration"] = configuration
    binding["bindingVersion"] = BINDING_VERSION
    return binding


def _key_schema(client_entry: dict[str, Any]) -> dict[str, Any] | None:
    serializer = client_entry.get("key_serializer")
    if not serializer or not isinstance(serializer.get("value"), str):
        return None
    return _KEY_SCHEMAS.get(serializer["value"].rsplit(".", 1)[-1])


def _normalised(text: str) -> str:
    word = re.sub(r"[^a-z0-9]", "", text.lower())
    return word[:-1] if word.endswith("s") else word


def _schema_files(services: list[str]) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, schemaFormat, schema) for every readable .avsc / *.schema.json in the services'
    folders: data files parsed as JSON, never executed; unreadable ones are skipped."""
    found: list[tuple[str, str, dict[str, Any]]] = []
    for service in sorted(set(services)):
        root = Path(service)
        if not root.is_dir():
            continue
        candidates = sorted([*root.rglob("*.avsc"), *root.rglob("*.schema.json")])[:_SCHEMA_FILES_PER_SERVICE]
        for path in candidates:
            try:
                if path.is_symlink() or not path.is_file() or path.stat().st_size > _SCHEMA_FILE_LIMIT:
                    continue
                schema = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError, UnicodeDecodeError, RecursionError):
                continue
            if not isinstance(schema, dict) or "$ref" in json.dumps(schema):
                continue  # an external reference cannot be resolved from here
            schema_format = AVRO_FORMAT if path.suffix == ".avsc" else JSON_SCHEMA_FORMAT
            found.append((path.as_posix(), schema_format, schema))
    return found


def document(project: Project, data: dict[str, Any], title: str = "Kafka surface") -> dict[str, Any]:
    """The AsyncAPI document of a project and its inventory (kafkalint.inventory.inventory)."""
    clients = sorted(project.clients, key=lambda client: (client.anchor.path, client.anchor.line, client.anchor.column))
    flow = [(entry, client) for entry, client in zip(data["clients"], clients)
            if entry["role"] in ("producer", "consumer") and entry["location"] is not None]
    schemas = _schema_files([service_of(entry["location"]["path"]) for entry, _ in flow])
    schema_by_topic: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for item in schemas:
        stem = Path(item[0]).name.removesuffix(".avsc").removesuffix(".schema.json")
        schema_by_topic.setdefault(_normalised(stem), []).append(item)

    channels: dict[str, Any] = {}
    channel_keys: dict[str, str] = {}
    used_schemas: set[str] = set()
    for topic in data["topics"]:
        name = topic["name"]
        key = component_key(name)
        channel_keys[name] = key
        legal = bool(_KAFKA_TOPIC.fullmatch(name))
        # A name Kafka would refuse (or one with `{`, which AsyncAPI reads as a parameter) is
        # kept as the title with a null address rather than passed off as a topic address.
        channel: dict[str, Any] = {"address": name if legal else None, "title": name}
        if not topic["declared"]:
            channel["description"] = "Used by clients in this tree; not declared in it."
        binding = _channel_binding(name, project) if legal else None
        if binding is not None:
            channel["bindings"] = {"kafka": binding}
        message: dict[str, Any] = {"name": key}
        producers = [entry for entry in data["clients"] if entry["role"] == "producer" and any(item["name"] == name for item in entry["topics"])]
        key_schemas = [_key_schema(entry) for entry in producers]
        if key_schemas and key_schemas[0] is not None and all(item == key_schemas[0] for item in key_schemas):
            message["bindings"] = {"kafka": {"key": dict(key_schemas[0]), "bindingVersion": BINDING_VERSION}}
        matches = schema_by_topic.get(_normalised(name), [])
        if len(matches) == 1:
            path, schema_format, schema = matches[0]
            message["payload"] = {"schemaFormat": schema_format, "schema": schema}
            message["description"] = f"Payload schema from {path}."
            used_schemas.add(path)
        channel["messages"] = {"message": message}
        channels[key] = channel

    operations: dict[str, Any] = {}
    for entry, client in flow:
        where = entry["location"]
        service = service_of(where["path"])
        action = "send" if entry["role"] == "producer" else "receive"
        items = entry["topics"] or [None]
        for item in items:
            if item is None:
                key = f"unknown-topic-{_short_hash(where['path'], where['line'])}"
                channels[key] = {
                    "address": None,
                    "title": "topic unknown",
                    "description": f"The {entry['role']} at {where['path']}:{where['line']} uses a topic that is not knowable statically.",
                    "messages": {"message": {"name": key}},
                }
                channel_key = key
            else:
                channel_key = channel_keys[item["name"]]
            readable = re.sub(r"[^A-Za-z0-9_\-]+", "-", f"{action}-{service.rsplit('/', 1)[-1]}-{item['name'] if item else 'unknown'}")[:60]
            operation_key = f"{readable}-{_short_hash(where['path'], where['line'], where['column'], channel_key)}"
            operation: dict[str, Any] = {
                "action": action,
                "channel": {"$ref": f"#/channels/{channel_key}"},
                "summary": f"{entry['role']} ({entry['origin']}, {entry['dialect']}) at {where['path']}:{where['line']}",
                "messages": [{"$ref": f"#/channels/{channel_key}/messages/message"}],
            }
            binding: dict[str, Any] = {}
            group = _literal(client.settings.get("group.id")) if entry["role"] == "consumer" else None
            if group:
                binding["groupId"] = {"type": "string", "enum": [group]}
            client_id = _literal(client.settings.get("client.id"))
            if client_id:
                binding["clientId"] = {"type": "string", "enum": [client_id]}
            if binding:
                binding["bindingVersion"] = BINDING_VERSION
                operation["bindings"] = {"kafka": binding}
            operations[operation_key] = operation

    document: dict[str, Any] = {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": title,
            "version": "0.0.0",
            "description": "Generated by `kafkalint inventory --format asyncapi` from the Kafka configuration and client code of this tree.",
        },
    }
    servers = _servers(project)
    if servers:
        document["servers"] = servers
    document["channels"] = {key: channels[key] for key in sorted(channels)}
    document["operations"] = {key: operations[key] for key in sorted(operations)}
    spare = [item for item in schemas if item[0] not in used_schemas]
    if spare:
        document["components"] = {"schemas": {
            component_key(path): {"schemaFormat": schema_format, "schema": schema} for path, schema_format, schema in spare
        }}
    return document


def render(document: dict[str, Any]) -> str:
    import yaml

    class _NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    return yaml.dump(document, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, default_flow_style=False, width=120)
