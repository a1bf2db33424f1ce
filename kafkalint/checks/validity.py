"""Validity checks: keys the client does not know, values it refuses, keys for another role,
deprecated and removed keys, and combinations a client refuses when it is created.

Every verdict comes from the knowledge catalogue for the client's dialect and assumed version;
messages that depend on the version say which one was assumed and why.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterator

from kafkalint.checks import CheckContext, Hit, shown, source_phrase, value_text, where
from kafkalint.checks.registry import check
from kafkalint.knowledge import (
    Effective,
    InvalidValue,
    KeyInfo,
    assumed_version,
    catalogue,
    coerce,
    effective,
    value_problem,
    version_tuple,
)
from kafkalint.knowledge.suggestions import other_client_equivalent, suggest
from kafkalint.model import UNKNOWN, ClientConfig, Dialect, Role, Setting, Severity
from kafkalint.numeric import as_number

# Settings read by serializers, interceptors, login handlers or the framework around the
# client, never by the client itself: applications pass them in the same map on purpose.
PASS_THROUGH_PREFIXES = (
    "schema.registry.",
    "basic.auth.",
    "bearer.auth.",
    "auto.register.schemas",
    "use.latest.version",
    "use.latest.with.metadata",
    "use.schema.id",
    "latest.compatibility.strict",
    "normalize.schemas",
    "key.subject.name.strategy",
    "value.subject.name.strategy",
    "reference.subject.name.strategy",
    "context.name.strategy",
    "specific.avro.",
    "avro.",
    "json.",
    "protobuf.",
    "specific.protobuf.",
    "derive.type",
    "rule.",
    "confluent.",
    "spring.",
    "apicurio.",
    "interceptor.",
    "key.serializer.",
    "value.serializer.",
    "key.deserializer.",
    "value.deserializer.",
    "opentelemetry.",
    # Kafka Streams / Connect pass client settings on with a client prefix.
    "producer.",
    "consumer.",
    "admin.",
    "main.consumer.",
    "restore.consumer.",
    "global.consumer.",
)

# Java only: login callback handlers read their own sasl.oauthbearer.* settings, and internal.*
# keys are defined by the ConfigDefs but left out of the catalogue. librdkafka owns every
# sasl.oauthbearer.* property itself and refuses one it does not know. The Confluent serializers
# configured from the Java client's map also read these (schema-registry
# AbstractKafkaSchemaSerDeConfig, KafkaProtobufSerializerConfig).
_JAVA_PASS_THROUGH_PREFIXES = (
    "sasl.oauthbearer.", "internal.",
    "schema.reflection", "schema.format", "id.compatibility.strict", "latest.cache.", "max.schemas.per.subject",
    "propagate.schema.tags", "use.schema.guid", "key.schema.id.", "value.schema.id.", "validation.rules.",
    "reference.lookup.only", "skip.known.types",
)

# Keys only a Kafka Streams application or a Connect worker/connector has: such a map is not a
# plain client configuration, and its own keys are not in the client catalogues.
_STREAMS_OR_CONNECT_KEYS = {
    "application.id", "processing.guarantee", "default.key.serde", "default.value.serde",
    "num.stream.threads", "state.dir", "config.storage.topic", "offset.storage.topic",
    "status.storage.topic", "key.converter", "value.converter", "connector.class", "tasks.max",
    "plugin.path",
}

# Rules whose error findings mean "this client refuses to start with this configuration".
REFUSAL_RULES = {
    "unknown-config-key",
    "invalid-config-value",
    "removed-config-key",
    "config-constraint-violation",
    "group-protocol-conflict",
    "producer-idempotence-conflict",
    "consumer-without-group-id",
    "sasl-credentials-missing",
}

# Clients that refuse a key they do not know (Java only logs it).
_STRICT_DIALECTS = {Dialect.LIBRDKAFKA, Dialect.KAFKA_PYTHON, Dialect.AIOKAFKA}

_REFUSAL = {
    Dialect.JAVA: "the Java client refuses to start (ConfigException)",
    Dialect.LIBRDKAFKA: "librdkafka refuses to create the client",
    Dialect.KAFKA_PYTHON: "kafka-python refuses to create the client",
    Dialect.AIOKAFKA: "aiokafka refuses to create the client",
}


def is_pass_through(config: ClientConfig, key: str) -> bool:
    if key.startswith(PASS_THROUGH_PREFIXES):
        return True
    if config.dialect is Dialect.JAVA and key.startswith(_JAVA_PASS_THROUGH_PREFIXES):
        return True
    return catalogue(config.dialect).prefix_of(key) is not None


def _version(config: ClientConfig) -> str:
    return assumed_version(config).describe()


def _role_name(config: ClientConfig) -> str:
    return config.role.value if config.role is not Role.UNKNOWN else "client"


def _validated(config: ClientConfig) -> bool:
    """Validity rules judge plain clients of dialects whose catalogue is present."""
    if config.role not in (Role.PRODUCER, Role.CONSUMER, Role.ADMIN, Role.UNKNOWN):
        return False
    if any(key in config.settings for key in _STREAMS_OR_CONNECT_KEYS):
        return False
    return not catalogue(config.dialect).empty


# --- unknown-config-key ------------------------------------------------------------------------


def _key_status(config: ClientConfig, setting: Setting) -> tuple[str, KeyInfo | None]:
    """("known" | "python-only" | "not-yet" | "removed" | "unknown" | "pass-through", info)."""
    cat = catalogue(config.dialect)
    version = assumed_version(config).version
    python_only = cat.python_only_info(setting.written_key or setting.key) or cat.python_only_info(setting.key)
    info = cat.info(setting.key)
    if info is not None:
        if info.exists_in(version):
            if config.dialect in _KEYWORD_DIALECTS and not _scope_fits(config, info):
                return "wrong-role", info
            return "known", info
        if info.removed and version_tuple(version) >= version_tuple(info.removed):
            return "removed", info
        return "not-yet", info
    if python_only is not None:
        return "python-only", python_only
    if is_pass_through(config, setting.key):
        return "pass-through", None
    return "unknown", None


# Clients configured by constructor keywords: a keyword of another client class is refused.
_KEYWORD_DIALECTS = {Dialect.KAFKA_PYTHON, Dialect.AIOKAFKA}


def _scope_fits(config: ClientConfig, info: KeyInfo) -> bool:
    scopes = [scope for scope in info.scopes if scope in ("producer", "consumer", "admin")]
    return not scopes or config.role.value not in ("producer", "consumer", "admin") or config.role.value in scopes


def _unknown_key_hit(config: ClientConfig, setting: Setting, client: str, hint: str, consequence: str, severity: Severity) -> Hit:
    variables = {
        "key": setting.written_key or setting.key,
        "client": client,
        "hint": hint,
        "consequence": consequence,
        "version": _version(config),
    }
    return Hit(setting.key_location, variables, severity=severity)


def _unknown_key_hint(config: ClientConfig, setting: Setting, status: str, info: KeyInfo | None, hints: list[str]) -> str:
    if status == "not-yet" and info is not None:
        return f"; it was added in {info.since}"
    if hints:
        return "; did you mean " + " or ".join(f"'{item}'" for item in hints) + "?"
    other = other_client_equivalent(config.dialect, setting.written_key or setting.key)
    if other is None:
        from kafkalint.knowledge.broker import broker_catalogue

        return "; it is a broker or topic setting" if (setting.written_key or setting.key) in broker_catalogue()["keys"] else ""
    other_dialect, equivalent = other
    hint = f"; it is a {other_dialect.value} setting"
    if equivalent:
        hint += f" - the {config.dialect.value} name is '{equivalent}'"
    return hint


def _application_key(config: ClientConfig, written: str, strict: bool) -> bool:
    """Most likely the application's own setting, kept in the client's file (`topic: orders`,
    `input.topic.name=orders`, `file.path=out.txt`): a key close to no client key (the caller
    has no suggestion). An undotted one is nothing Kafka names; a dotted one counts only for a
    client that ignores what it does not know (the Java client logs it), and only outside the
    namespaces Kafka's own keys use (`sasl.pasword` is a misspelt Kafka key, however far from
    any) and when it is no broker or topic setting (`retention.ms` in a producer file is a
    misplaced Kafka setting, not the application's)."""
    if "." not in written:
        return True
    if strict or written.split(".", 1)[0] in _kafka_namespaces():
        return False
    from kafkalint.knowledge.broker import broker_catalogue

    return written not in broker_catalogue()["keys"]


@lru_cache(maxsize=1)
def _kafka_namespaces() -> frozenset[str]:
    """The first words of every client's dotted keys (`sasl`, `ssl`, `fetch`, `topic`, ...)."""
    from kafkalint.knowledge import catalogue, has_catalogue

    return frozenset(
        key.split(".", 1)[0] for dialect in Dialect if has_catalogue(dialect) for key in catalogue(dialect).keys if "." in key
    )


@check("KL003")
def unknown_config_key(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    if not _validated(config):
        return
    version = assumed_version(config)
    plugins = effective(config, "plugin.library.paths") if config.dialect is Dialect.LIBRDKAFKA else None
    refusal = _REFUSAL[config.dialect]
    for setting in config.settings.values():
        status, info = _key_status(config, setting)
        written = setting.written_key or setting.key
        if status == "python-only" and info is not None:
            accepted_by = info.entry.get("clients")
            client_class = config.client_class
            if accepted_by and client_class and client_class not in accepted_by:
                hint = f"; only {' / '.join(accepted_by)} {'accepts' if len(accepted_by) == 1 else 'accept'} it"
                yield _unknown_key_hit(config, setting, client_class, hint, refusal, Severity.ERROR)
            continue
        if status not in ("unknown", "not-yet", "wrong-role"):
            continue
        strict = config.dialect in _STRICT_DIALECTS
        if status == "wrong-role" and info is not None:
            owners = " and ".join(scope for scope in info.scopes if scope in ("producer", "consumer", "admin"))
            client = config.client_class or f"{config.dialect.value} {_role_name(config)}"
            hint = f"; it is a {config.dialect.value} {owners} setting"
            yield _unknown_key_hit(config, setting, client, hint, refusal, Severity.ERROR)
            continue
        role_name = "client" if setting.shared else _role_name(config)
        # Framework spellings (spring.kafka.properties.x) are suggested for their Kafka part.
        asked = setting.key if written.endswith(setting.key) and written != setting.key else written
        hints = suggest(config.dialect, asked, None if setting.shared else config.role, version.version)
        if status == "unknown" and not hints and config.may_hold_application_keys and _application_key(config, written, strict):
            continue
        severity = Severity.ERROR if strict else Severity.WARNING
        if strict:
            consequence = refusal
            if plugins is not None and plugins.explicit:
                severity = Severity.WARNING
                consequence = "librdkafka refuses it unless a plugin from plugin.library.paths handles it"
        else:
            consequence = "the Java client only logs a warning and ignores it"
        hint = _unknown_key_hint(config, setting, status, info, hints)
        yield _unknown_key_hit(config, setting, f"{config.dialect.value} {role_name}", hint, consequence, severity)


# --- invalid-config-value --------------------------------------------------------------------


def _type_problem(config: ClientConfig, setting: Setting, info: KeyInfo) -> str | None:
    recorded = config.type_problems.get(setting.key)
    if recorded:
        return recorded
    try:
        coerce(info, setting.value)
    except InvalidValue as error:
        return str(error)
    return None


@check("KL004")
def invalid_config_value(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    if not _validated(config):
        return
    version = assumed_version(config)
    for setting in config.settings.values():
        if setting.value is UNKNOWN or setting.value is None:
            continue
        status, info = _key_status(config, setting)
        if info is None or status not in ("known", "python-only"):
            continue
        problem = _problem_for(config, setting, info, version.version)
        if problem is None:
            continue
        written = setting.written_key or setting.key
        value = "****" if setting.secret else setting.raw or value_text(setting.value)
        hint = _other_dialect_hint(config, setting)
        lenient = _PYTHON_LENIENT.get((config.dialect, info.name))
        variables = {
            "key": written,
            "value": value,
            "client": f"{config.dialect.value} {_role_name(config)}",
            "problem": problem,
            "hint": hint,
            "consequence": lenient or _REFUSAL[config.dialect],
            "version": version.describe(),
        }
        yield Hit(setting.location, variables, severity=Severity.WARNING if lenient else None)


def _problem_for(config: ClientConfig, setting: Setting, info: KeyInfo, version: str) -> str | None:
    if config.dialect is Dialect.LIBRDKAFKA and not info.python_only:
        binding = catalogue(config.dialect).python_only_info(info.name)
        if binding is not None and setting.python_type is not None:
            info = binding  # confluent-kafka handles error_cb, delivery.report.only.error, ... itself
    if info.python_only:
        if setting.python_type is None:
            return None  # only Python code can pass the binding's own settings
        if info.type == "boolean" and setting.python_type != "bool":
            return "confluent-kafka requires a Python bool (True or False) here"
        if info.type == "callable" and setting.python_type in ("str", "int", "float", "bool"):
            return "it must be a Python callable"
        return None
    if config.dialect is Dialect.LIBRDKAFKA and info.type == "pointer":
        if catalogue(config.dialect).python_only_info(info.name) is not None:
            return None
        return "librdkafka only accepts it through its dedicated C setter function, not as a configuration value"
    if info.type in ("pointer", "class", "password"):
        return None
    if config.dialect in (Dialect.KAFKA_PYTHON, Dialect.AIOKAFKA):
        # Python clients check only the enumerated settings when they are created.
        if info.allowed_values(version) is None:
            return None
        synonyms = _PYTHON_VALUE_SYNONYMS.get((config.dialect, info.name), {})
        if isinstance(setting.value, str) and setting.value in synonyms:
            return None
        return value_problem(info, setting.value, version)
    problem = _type_problem(config, setting, info)
    if problem is not None:
        return problem
    return value_problem(info, setting.value, version)


# Values a Python client accepts besides its documented ones (kafka_python.json notes).
_PYTHON_VALUE_SYNONYMS = {
    (Dialect.KAFKA_PYTHON, "auto.offset.reset"): {"smallest": "earliest", "largest": "latest"},
}
# Enumerations a Python client does not check at construction: a bad value is a warning, with
# what the client does instead (aiokafka.json notes).
_PYTHON_LENIENT = {
    (Dialect.AIOKAFKA, "auto.offset.reset"): "aiokafka falls back to 'none' with a warning when the consumer starts",
}


def _other_dialect_hint(config: ClientConfig, setting: Setting) -> str:
    """`auto.offset.reset=smallest` in Java: say it is librdkafka's spelling."""
    from kafkalint.knowledge import has_catalogue

    for other in Dialect:
        if other is config.dialect or not has_catalogue(other):
            continue
        info = catalogue(other).info(setting.key)
        if info is None or info.allowed_values(None) is None:
            continue
        try:
            typed = coerce(info, setting.raw or setting.value)
        except InvalidValue:
            continue
        if value_problem(info, typed, None) is None:
            own = catalogue(config.dialect).info(setting.key)
            accepted = own.allowed_values(assumed_version(config).version) if own is not None else None
            choices = f"; {config.dialect.value} accepts {', '.join(str(item) for item in accepted)}" if accepted else ""
            return f" ('{setting.raw or value_text(setting.value)}' is {other.value}'s spelling{choices})"
    return ""


# --- config-for-other-role -------------------------------------------------------------------


@check("KL005")
def config_for_other_role(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    if config.role not in (Role.PRODUCER, Role.CONSUMER, Role.ADMIN) or not config.role_certain:
        return  # a file shared by a producer and a consumer may mix their keys on purpose
    if not _validated(config) or config.dialect in _KEYWORD_DIALECTS:
        return  # kafka-python and aiokafka refuse another role's keyword: unknown-config-key
    for setting in config.settings.values():
        status, info = _key_status(config, setting)
        if info is None or status not in ("known", "python-only"):
            continue
        scopes = [scope for scope in info.scopes if scope in ("producer", "consumer", "admin")]
        if not scopes or config.role.value in scopes:
            continue
        if setting.shared:
            continue
        variables = {
            "key": setting.written_key or setting.key,
            "owners": " and ".join(scopes),
            "client": f"{config.dialect.value} {config.role.value}",
        }
        yield Hit(setting.key_location, variables)


# --- deprecated-config-key / removed-config-key ----------------------------------------------


@check("KL006")
def deprecated_config_key(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    if not _validated(config):
        return
    version = assumed_version(config)
    for setting in config.settings.values():
        status, info = _key_status(config, setting)
        if info is None or status not in ("known", "python-only"):
            continue
        notice = info.deprecation(version.version)
        if notice is None:
            continue
        variables = {
            "key": setting.written_key or setting.key,
            "since": f" since {notice['since']}" if notice.get("since") else "",
            "dialect": config.dialect.value,
            "replacement": f"; use {notice['replacement']} instead" if notice.get("replacement") else "",
            "removal": f"; removed in {info.removed}" if info.removed else "",
            "version": version.describe(),
        }
        yield Hit(setting.key_location, variables)


@check("KL007")
def removed_config_key(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    if not _validated(config):
        return
    for setting in config.settings.values():
        status, info = _key_status(config, setting)
        if status != "removed" or info is None:
            continue
        written = setting.written_key or setting.key
        notice = info.entry.get("deprecated")
        replacement = ""
        if isinstance(notice, dict) and notice.get("replacement"):
            replacement = f"; use {notice['replacement']} instead"
        if config.dialect in (Dialect.KAFKA_PYTHON, Dialect.AIOKAFKA):
            severity, consequence = Severity.ERROR, _REFUSAL[config.dialect]
        elif config.dialect is Dialect.LIBRDKAFKA:
            # librdkafka keeps accepting the few properties it retired, and ignores them.
            severity, consequence = Severity.WARNING, "librdkafka ignores it"
        else:
            severity, consequence = Severity.WARNING, "the Java client only logs a warning and ignores it"
        variables = {
            "key": written,
            "dialect": config.dialect.value,
            "removed": info.removed,
            "replacement": replacement,
            "consequence": consequence,
            "version": _version(config),
        }
        yield Hit(setting.key_location, variables, severity=severity)


# --- group-protocol-conflict -----------------------------------------------------------------


def info_of(config: ClientConfig, key: str) -> dict[str, Any] | None:
    info = catalogue(config.dialect).info(key)
    return info.entry if info is not None else None

_CLASSIC_ONLY = ("session.timeout.ms", "heartbeat.interval.ms", "partition.assignment.strategy")
# First release that refuses them: librdkafka observed with the confluent-kafka wheels (2.8.0
# accepts, 2.10.0 refuses; librdkafka PR #5028); Java ConsumerConfig CONSUMER_PROTOCOL_UNSUPPORTED_CONFIGS
# (present in 4.x sources; earlier 3.x releases only ignore them).
_CLASSIC_ONLY_REFUSED_FROM = {Dialect.JAVA: (4, 0), Dialect.LIBRDKAFKA: (2, 10)}


@check("KL207")
def group_protocol_conflict(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    if config.dialect not in (Dialect.JAVA, Dialect.LIBRDKAFKA):
        return
    protocol = effective(config, "group.protocol")
    if not protocol.known or protocol.value is None:
        return
    version = assumed_version(config)
    info = catalogue(config.dialect).info("group.protocol")
    if info is None or not info.exists_in(version.version):
        return  # a client that predates KIP-848: unknown-config-key says so
    if str(protocol.value).strip().lower() == "consumer" and protocol.explicit:
        for key in _CLASSIC_ONLY:
            eff = effective(config, key)
            if not eff.explicit or eff.value is UNKNOWN:
                continue
            refused_from = _CLASSIC_ONLY_REFUSED_FROM[config.dialect]
            if version_tuple(version.version) < refused_from:
                severity = Severity.WARNING
                consequence = (
                    f"the consumer ignores it (from {'.'.join(map(str, refused_from))} "
                    f"the {config.dialect.value} client refuses to start)"
                )
            else:
                severity = None
                consequence = _REFUSAL[config.dialect]
            decided = "group.remote.assignor replaces it" if key == "partition.assignment.strategy" else "a group config"
            variables = {
                "key": key,
                "conflict": f"is set with group.protocol=consumer (line {protocol.setting.key_location.line}), where the broker decides it ({decided})",
                "consequence": consequence,
                "version": version.describe(),
            }
            yield Hit(where(config, eff), variables, severity=severity)
        return
    if config.dialect is Dialect.JAVA and str(protocol.value).strip().lower() == "classic":
        assignor = effective(config, "group.remote.assignor")
        if assignor.explicit and assignor.known and assignor.value:
            # Refused since 3.9 (KAFKA-15773); 3.7 and 3.8 ignore it (knowledge: classic_refused_since).
            refused_since = (info_of(config, "group.remote.assignor") or {}).get("classic_refused_since")
            ignored = refused_since is not None and version_tuple(version.version) < version_tuple(refused_since)
            variables = {
                "key": "group.remote.assignor",
                "conflict": f"only works with group.protocol=consumer, not {source_phrase(protocol)}",
                "consequence": f"the consumer ignores it (from {refused_since} it refuses to start)" if ignored else _REFUSAL[config.dialect],
                "version": version.describe(),
            }
            yield Hit(where(config, assignor), variables, severity=Severity.WARNING if ignored else None)


# --- eager-rebalance-assignor ----------------------------------------------------------------

_EAGER = {
    Dialect.JAVA: {
        "org.apache.kafka.clients.consumer.RangeAssignor": "RangeAssignor",
        "org.apache.kafka.clients.consumer.RoundRobinAssignor": "RoundRobinAssignor",
        "org.apache.kafka.clients.consumer.StickyAssignor": "StickyAssignor",
        "range": "range",
        "roundrobin": "roundrobin",
    },
    Dialect.LIBRDKAFKA: {"range": "range", "roundrobin": "roundrobin"},
}
_COOPERATIVE_NAME = {
    Dialect.JAVA: "org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
    Dialect.LIBRDKAFKA: "cooperative-sticky",
}


def _assignors(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(item).strip() for item in value if str(item).strip()]
    return [item.strip() for item in str(value).split(",") if item.strip()]


@check("KL208")
def eager_rebalance_assignor(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    if config.dialect not in _EAGER:
        return
    strategy = effective(config, "partition.assignment.strategy")
    if not strategy.explicit or not strategy.known or strategy.value is None:
        return
    protocol = effective(config, "group.protocol")
    if protocol.known and protocol.value is not None and str(protocol.value).strip().lower() == "consumer":
        return  # the broker assigns; group-protocol-conflict covers the leftover setting
    names = _assignors(strategy.value)
    eager = _EAGER[config.dialect]
    if not names or not all(name in eager for name in names):
        return
    yield Hit(
        where(config, strategy),
        {"assignors": ", ".join(eager[name] for name in names), "cooperative": _COOPERATIVE_NAME[config.dialect]},
    )


# --- deprecated-partitioner-class ------------------------------------------------------------


@check("KL107")
def deprecated_partitioner_class(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    if config.dialect is not Dialect.JAVA:
        return
    partitioner = effective(config, "partitioner.class")
    if not partitioner.explicit or not partitioner.known or not partitioner.value:
        return
    name = str(partitioner.value).strip()
    entry = catalogue(config.dialect).classes.get(name)
    if entry is None:
        return
    version = assumed_version(config)
    target = version_tuple(version.version)
    if entry.get("deprecated") and target < version_tuple(entry["deprecated"]):
        return
    short = name.rsplit(".", 1)[-1]
    if entry.get("removed") and target >= version_tuple(entry["removed"]):
        severity = Severity.ERROR
        state = f"was removed in {entry['removed']}: the Java producer refuses to start (ClassNotFoundException)"
    else:
        severity = None
        state = f"is deprecated since {entry['deprecated']}" + (
            f" and removed in {entry['removed']}" if entry.get("removed") else ""
        )
    variables = {
        "partitioner": short,
        "state": state,
        "replacement": entry.get("replacement", ""),
        "version": version.describe(),
    }
    yield Hit(where(config, partitioner), variables, severity=severity)


# --- config-constraint-violation (settings that contradict each other) -----------------------



def _any_explicit(*values: Effective) -> bool:
    return any(value.explicit for value in values)


def _refuse(config: ClientConfig, anchor: Effective, setting: str, requirement: str) -> Hit:
    variables = {
        "setting": setting,
        "requirement": requirement,
        "consequence": _REFUSAL[config.dialect],
        "version": _version(config),
    }
    return Hit(where(config, anchor), variables)


@check("KL008")
def config_constraint_violation(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    if config.dialect is Dialect.LIBRDKAFKA and _validated(config):
        yield from _librdkafka_constraints(config)


def _librdkafka_constraints(config: ClientConfig) -> Iterator[Hit]:
    backoff, backoff_max = effective(config, "reconnect.backoff.ms"), effective(config, "reconnect.backoff.max.ms")
    low, high = as_number(backoff.value), as_number(backoff_max.value)
    if low is not None and high is not None and _any_explicit(backoff, backoff_max) and high < low:
        anchor = backoff_max if backoff_max.explicit else backoff
        yield _refuse(config, anchor, source_phrase(backoff_max), f"must be >= {source_phrase(backoff)}")
    if config.role is Role.PRODUCER:
        yield from _librdkafka_producer_constraints(config)
    if config.role is Role.CONSUMER:
        yield from _librdkafka_consumer_constraints(config)


def _librdkafka_producer_constraints(config: ClientConfig) -> Iterator[Hit]:
    from kafkalint.knowledge import idempotence_conflicts

    timeout, linger = effective(config, "message.timeout.ms"), effective(config, "linger.ms")
    timeout_ms, linger_ms = as_number(timeout.value), as_number(linger.value)
    # Only an explicit message.timeout.ms is held against linger.ms: otherwise librdkafka
    # lowers linger.ms (or keeps the default timeout) on its own.
    if timeout.explicit and timeout_ms is not None and linger_ms is not None:
        if timeout_ms != 0 and timeout_ms <= linger_ms:
            yield _refuse(config, timeout, source_phrase(timeout), f"must be greater than {source_phrase(linger)}")
    idempotence = effective(config, "enable.idempotence")
    transactional = effective(config, "transactional.id")
    if idempotence.value is UNKNOWN or transactional.value is UNKNOWN:
        return
    transactional_set = transactional.explicit and bool(transactional.value)
    idempotent = idempotence.value is True or transactional_set
    if transactional_set and not idempotence.explicit:
        # transactional.id switches idempotence on; KL104 covers an explicit enable.idempotence.
        for eff, complaint in idempotence_conflicts(config):
            yield _refuse(config, eff, f"{eff.key}={shown(eff)}", f"with transactional.id set (which implies idempotence): {complaint}")
    if idempotent:
        queuing = effective(config, "queuing.strategy")
        if queuing.explicit and queuing.known and str(queuing.value).strip().lower() != "fifo":
            yield _refuse(config, queuing, f"queuing.strategy={shown(queuing)}", "with idempotence: it must be fifo")
    gapless = effective(config, "enable.gapless.guarantee")
    if gapless.explicit and gapless.value is True and not idempotent:
        yield _refuse(config, gapless, "enable.gapless.guarantee=true", "requires enable.idempotence=true")
    if transactional_set:
        transaction_timeout = effective(config, "transaction.timeout.ms")
        limit = as_number(transaction_timeout.value)
        if timeout.explicit and timeout_ms is not None and limit is not None and timeout_ms > limit:
            yield _refuse(
                config, timeout, source_phrase(timeout), f"must be <= {source_phrase(transaction_timeout)} for a transactional producer"
            )


def _librdkafka_consumer_constraints(config: ClientConfig) -> Iterator[Hit]:
    fetch_max, message_max = effective(config, "fetch.max.bytes"), effective(config, "message.max.bytes")
    fetch_bytes, message_bytes = as_number(fetch_max.value), as_number(message_max.value)
    # An unset fetch.max.bytes is raised to message.max.bytes; only an explicit one is refused.
    if fetch_max.explicit and fetch_bytes is not None and message_bytes is not None and fetch_bytes < message_bytes:
        yield _refuse(config, fetch_max, source_phrase(fetch_max), f"must be >= {source_phrase(message_max)}")
    receive = effective(config, "receive.message.max.bytes")
    receive_bytes = as_number(receive.value)
    if receive.explicit and receive_bytes is not None and fetch_bytes is not None and receive_bytes < fetch_bytes + 512:
        yield _refuse(config, receive, source_phrase(receive), f"must be >= fetch.max.bytes + 512 ({int(fetch_bytes) + 512})")
    protocol = effective(config, "group.protocol")
    consumer_protocol = protocol.known and protocol.value is not None and str(protocol.value).strip().lower() == "consumer"
    # From 2.10 the KIP-848 consumer has no client-side session timeout to compare with; before,
    # the check ran whatever the protocol (seen with the 2.6.1 and 2.8.0 wheels).
    version = version_tuple(assumed_version(config).version)
    classic = not (consumer_protocol and version >= _CLASSIC_ONLY_REFUSED_FROM[Dialect.LIBRDKAFKA])
    poll, session = effective(config, "max.poll.interval.ms"), effective(config, "session.timeout.ms")
    poll_ms, session_ms = as_number(poll.value), as_number(session.value)
    if classic and poll_ms is not None and session_ms is not None and _any_explicit(poll, session) and poll_ms < session_ms:
        anchor = poll if poll.explicit else session
        yield _refuse(config, anchor, source_phrase(poll), f"must be >= {source_phrase(session)}")
    strategy = effective(config, "partition.assignment.strategy")
    if strategy.explicit and strategy.known and strategy.value is not None:
        names = _assignors(strategy.value)
        kinds = {"cooperative" if name == "cooperative-sticky" else "eager" for name in names if name in ("range", "roundrobin", "cooperative-sticky")}
        if len(kinds) > 1:
            yield _refuse(
                config, strategy, f"partition.assignment.strategy={shown(strategy)}", "mixes eager and cooperative assignors"
            )


def refuses_to_start(findings: list[Any]) -> bool:
    """kafkalint's verdict that the client would refuse to start: an error from a refusal rule."""
    return any(finding.name in REFUSAL_RULES and finding.severity is Severity.ERROR for finding in findings)
