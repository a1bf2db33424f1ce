"""Spring Boot `spring.kafka.*` configuration into producer/consumer/admin/streams ClientConfigs.

Relaxed binding (`enable-auto-commit`, `enableAutoCommit`, `ENABLE_AUTO_COMMIT`) is folded to
Spring's kebab-case names, mapped to Kafka keys from `knowledge/data/frameworks.json`, and
Duration/DataSize values (`3s`, `10MB`) are converted when unambiguous. Spring's own defaults
that differ from Kafka's (the listener container turns auto-commit off) become framework
defaults on the ClientConfig, each citing its source.
"""

from __future__ import annotations

import re
from typing import Any

from kafkalint.knowledge import catalogue, make_setting
from kafkalint.knowledge.frameworks import framework_defaults, framework_facts
from kafkalint.model import (
    UNKNOWN,
    ClientConfig,
    Dialect,
    Framework,
    Location,
    ParseProblem,
    Project,
    Role,
    Setting,
)
from kafkalint.sources.read_problems import duplicate_key_problem
from kafkalint.sources.appconfig import (
    application_file_profile,
    flattened,
    known_value,
    normalized_properties_keys,
    properties_documents,
)
from kafkalint.sources.clientfile import RawEntry
from kafkalint.sources.yamltree import Node

PREFIX = "spring.kafka."
_ROLES = {"producer": Role.PRODUCER, "consumer": Role.CONSUMER, "admin": Role.ADMIN, "streams": Role.STREAMS}
_DURATION = re.compile(r"^\s*(\d+)\s*(ns|us|ms|s|m|h|d)?\s*$", re.IGNORECASE)
_ISO_DURATION = re.compile(r"^\s*PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?\s*$", re.IGNORECASE)
_DATASIZE = re.compile(r"^\s*(\d+)\s*(B|KB|MB|GB|TB)?\s*$", re.IGNORECASE)
_DURATION_MS = {"ns": 1e-6, "us": 1e-3, "ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}
_DATASIZE_BYTES = {"b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3, "tb": 1024**4}


def relaxed(segment: str) -> str:
    """Spring's canonical kebab-case form of one relaxed-binding name segment."""
    segment = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", segment)
    return segment.replace("_", "-").lower()


def canonical_spring_key(key: str) -> str | None:
    """`spring.kafka.producer.keySerializer` -> `producer.key-serializer` (pass-through map keys kept)."""
    if not key.lower().startswith(PREFIX):
        return None
    rest = key[len(PREFIX):]
    parts = rest.split(".")
    out: list[str] = []
    for index, part in enumerate(parts):
        folded = relaxed(part)
        out.append(folded)
        if folded == "properties":
            out.extend(parts[index + 1 :])  # map keys are Kafka keys: keep them verbatim
            break
    return ".".join(out)


def duration_ms(value: Any) -> Any:
    if value is UNKNOWN or isinstance(value, bool):
        return UNKNOWN
    if isinstance(value, int):
        return value
    text = str(value)
    match = _DURATION.match(text)
    if match:
        amount = int(match.group(1)) * _DURATION_MS[(match.group(2) or "ms").lower()]
        return int(amount) if float(amount).is_integer() else UNKNOWN
    match = _ISO_DURATION.match(text)
    if match and any(match.groups()):
        hours, minutes, seconds = (int(group or 0) for group in match.groups())
        return ((hours * 60 + minutes) * 60 + seconds) * 1000
    return UNKNOWN


def datasize_bytes(value: Any) -> Any:
    if value is UNKNOWN or isinstance(value, bool):
        return UNKNOWN
    if isinstance(value, int):
        return value
    match = _DATASIZE.match(str(value))
    if match:
        return int(match.group(1)) * _DATASIZE_BYTES[(match.group(2) or "b").lower()]
    return UNKNOWN


def enum_value(value: Any) -> Any:
    if value is UNKNOWN:
        return UNKNOWN
    return str(value).strip().lower().replace("-", "_")


_CONVERTERS = {"duration": duration_ms, "datasize": datasize_bytes, "enum": enum_value}


def _mapping(section: str) -> dict[str, Any]:
    spring = framework_facts()["spring"]
    return {**spring["common"], **spring.get(section, {})}


def _kafka_key(section: str, name: str) -> tuple[str | None, str | None]:
    """(Kafka key, unit) for a Spring property of a section; (None, None) when Spring has none."""
    target = _mapping(section).get(name)
    if target is None:
        return None, None
    if isinstance(target, dict):
        return target["key"], target.get("unit")
    return target, None


class _Document:
    """The Kafka clients one Spring document (file or `---` section) configures."""

    def __init__(self, display: str, profile: str | None) -> None:
        self.display = display
        self.profile = profile
        self.common: list[tuple[str, RawEntry, str | None]] = []
        self.sections: dict[str, list[tuple[str, RawEntry, str | None]]] = {}
        self.anchors: dict[str, Location] = {}
        self.default_topic: RawEntry | None = None
        self.template_transaction_prefix: RawEntry | None = None
        self.ack_mode: RawEntry | None = None
        self.unknown: list[tuple[RawEntry, str]] = []

    def add(self, key: str, entry: RawEntry) -> None:
        parts = key.split(".")
        head = parts[0]
        if head in _ROLES:
            self.anchors.setdefault(head, entry.key_location)
            rest = ".".join(parts[1:])
            if rest.startswith("properties."):
                self.sections.setdefault(head, []).append((rest[len("properties."):], entry, None))
                return
            kafka_key, unit = _kafka_key(head, rest)
            if kafka_key is None:
                dotted = rest.replace("-", ".")
                if catalogue(Dialect.JAVA).is_known(dotted) or catalogue(Dialect.JAVA).is_known(rest):
                    self.unknown.append((entry, f"{PREFIX}{head}.properties.{dotted}"))
                return
            self.sections.setdefault(head, []).append((kafka_key, entry, unit))
            return
        if key.startswith("properties."):
            self.common.append((key[len("properties."):], entry, None))
            return
        if key == "template.default-topic":
            self.default_topic = entry
            self.anchors.setdefault("producer", entry.key_location)
            return
        if key == "template.transaction-id-prefix":
            self.template_transaction_prefix = entry
            self.anchors.setdefault("producer", entry.key_location)
            return
        if head == "listener":
            self.anchors.setdefault("consumer", entry.key_location)
            if key == "listener.ack-mode":
                self.ack_mode = entry
            return
        kafka_key, unit = _kafka_key("common", key)
        if kafka_key is not None:
            self.common.append((kafka_key, entry, unit))

    def clients(self, project: Project) -> list[ClientConfig]:
        built: list[ClientConfig] = []
        for section, role in _ROLES.items():
            if section not in self.anchors:
                continue
            entries = list(self.common) + self.sections.get(section, [])
            if section == "producer" and self.template_transaction_prefix is not None:
                entries.append(("transactional.id", self.template_transaction_prefix, None))
            built.append(self._client(section, role, entries, project))
        return built

    def _client(self, section: str, role: Role, entries: list[tuple[str, RawEntry, str | None]], project: Project) -> ClientConfig:
        name = f"spring {section}" + (f" (profile {self.profile})" if self.profile else "")
        config = ClientConfig(
            role=role, dialect=Dialect.JAVA, anchor=self.anchors[section], name=name, origin="spring", profile=self.profile,
            framework=Framework.SPRING,
        )
        config.role_certain = True  # spring.kafka.producer / consumer / admin
        for kafka_key, entry, unit in entries:
            value = known_value(entry)
            if unit is not None and value is not UNKNOWN:
                value = _CONVERTERS[unit](value)
            setting, problem = make_setting(Dialect.JAVA, kafka_key, value, entry.value_location, entry.key_location, entry.raw)
            setting.written_key = entry.key
            # spring.kafka.properties.*, spring.kafka.ssl.*, ...: given to every Spring client.
            setting.shared = any(entry is common_entry for _, common_entry, _ in self.common)
            if problem is not None:
                config.type_problems[setting.key] = problem
            previous = config.settings.get(setting.key)
            if previous is not None and previous.key_location.path == setting.key_location.path and _same_scope(previous, entry):
                project.problems.append(duplicate_key_problem(previous.written_key, previous.key_location, entry.key_location))
            config.settings[setting.key] = setting
        defaults = {}
        for key, fact in framework_defaults("spring", section).items():
            if key not in config.settings:
                defaults[key] = (fact["value"], fact.get("why", f"Spring Boot default ({fact['source']})"))
        config.extras["framework_defaults"] = defaults
        config.extras["framework"] = "spring"
        if section == "producer" and self.default_topic is not None:
            topic = known_value(self.default_topic)
            if topic is not UNKNOWN and topic:
                config.topics.append((str(topic), self.default_topic.value_location))
        if section == "consumer" and self.ack_mode is not None:
            config.extras["ack_mode"] = Setting(
                "ack-mode", self.ack_mode.raw, known_value(self.ack_mode), self.ack_mode.value_location,
                self.ack_mode.key_location, self.ack_mode.key,
            )
        return config


def _same_scope(previous: Setting, entry: RawEntry) -> bool:
    # A section key overriding a common one (`spring.kafka.producer.bootstrap-servers` over
    # `spring.kafka.bootstrap-servers`) is how Spring is meant to be used, not a duplicate.
    return canonical_spring_key(previous.written_key) == canonical_spring_key(entry.key)


def _document_profile(entries: list[RawEntry], file_profile: str | None) -> str | None:
    for entry in entries:
        key = entry.key.lower()
        if key in ("spring.config.activate.on-profile", "spring.profiles") and isinstance(entry.value, str):
            return entry.value.strip() or file_profile
    return file_profile


def _read_entries(documents: list[list[RawEntry]], display: str, file_profile: str | None, project: Project) -> bool:
    found = False
    for entries in documents:
        spring_entries = [(canonical_spring_key(entry.key), entry) for entry in entries]
        spring_entries = [(key, entry) for key, entry in spring_entries if key is not None]
        if not spring_entries:
            continue
        found = True
        document = _Document(display, _document_profile(entries, file_profile))
        for key, entry in spring_entries:
            document.add(key, entry)
        for entry, suggestion in document.unknown:
            project.problems.append(
                ParseProblem(
                    "spring-kafka-unknown-property", "", entry.key_location,
                    {"property": entry.key, "suggestion": suggestion},
                )
            )
        project.clients.extend(document.clients(project))
    return found


def _spring_file(display: str) -> tuple[bool, str | None]:
    return application_file_profile(display)


def read_spring_properties(entries: list[RawEntry], text: str, display: str, project: Project) -> bool:
    # Spring configuration by content: any file with spring.kafka.* keys (a file loaded with
    # spring.config.import or @PropertySource need not be named application*).
    _is_application, profile = _spring_file(display)
    if not any(entry.key.lower().startswith(PREFIX) for entry in entries):
        return False
    documents = properties_documents(normalized_properties_keys(entries), text)
    return _read_entries(documents, display, profile, project)


def read_spring_documents(documents: list[Node], text: str, display: str, project: Project) -> bool:
    _is_application, profile = _spring_file(display)
    flat = [flattened(document) for document in documents if document.is_map]
    if not any(entry.key.lower().startswith(PREFIX) for entries in flat for entry in entries):
        return False
    return _read_entries(flat, display, profile, project)
