"""Clients that cannot start or connect: a consumer without group.id, SASL without its
credentials, no bootstrap servers, localhost in production, a producer whose memory pool cannot
hold one batch. Facts in knowledge/client_requirements.py."""

from __future__ import annotations

from typing import Iterator

from kafkalint.checks import CheckContext, Hit, source_phrase, where
from kafkalint.checks.registry import check
from kafkalint.knowledge import assumed_version, effective, version_tuple
from kafkalint.knowledge.client_requirements import (
    AIOKAFKA_CREDENTIAL_KEYS,
    AIOKAFKA_MECHANISMS_NEEDING_PASSWORD,
    AIOKAFKA_TLS_PROTOCOLS,
    GROUP_CALLS,
    LIBRDKAFKA_MECHANISMS_NEEDING_PASSWORD,
    SASL_CREDENTIALS_REFUSAL,
    LOCAL_HOSTS,
    SASL_PROTOCOLS,
    bootstrap_hosts,
    production_evidence,
)
from kafkalint.model import UNKNOWN, ClientConfig, Dialect, Role
from kafkalint.numeric import as_number


def whole_configuration(config: ClientConfig) -> bool:
    """The settings are everything the client is built with: a configuration handed to a client
    constructor in code, with nothing merged in from elsewhere. A file may be completed on a
    command line (`kcat -F`, `--command-config`) or by another file, so it never is."""
    return config.client_class is not None and config.all_settings_known


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@check("KL010")
def consumer_without_group_id(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    if not whole_configuration(config):
        return
    group = effective(config, "group.id")
    if group.value is UNKNOWN or not _missing(group.value):
        return
    location = group.setting.key_location if group.setting is not None else config.anchor
    yield Hit(location, {"client": config.describe()})


@check("KL016")
def group_call_without_group_id(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    needs_group = GROUP_CALLS.get(config.dialect)
    if needs_group is None or config.role is not Role.CONSUMER or not config.all_settings_known:
        return
    call = next((item for item in config.calls if item.method in needs_group.methods), None)
    if call is None:
        return
    group = effective(config, "group.id")
    if group.value is not None:
        return  # set (even empty: that is a group in these clients), or unknown
    if needs_group.since is not None and version_tuple(assumed_version(config).version) < version_tuple(needs_group.since):
        return
    yield Hit(call.location, {"client": config.describe(), "line": config.anchor.line, "call": f"{call.method}()", "error": needs_group.raises})


@check("KL011")
def sasl_credentials_missing(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    if not whole_configuration(config):
        return
    protocol = effective(config, "security.protocol")
    if not isinstance(protocol.value, str) or protocol.value.lower() not in SASL_PROTOCOLS:
        return
    if config.dialect is Dialect.AIOKAFKA:
        mechanism = effective(config, "sasl.mechanism")
        if mechanism.value not in AIOKAFKA_MECHANISMS_NEEDING_PASSWORD:
            return  # aiokafka checks SCRAM only at authentication
        keys, empty_refused = AIOKAFKA_CREDENTIAL_KEYS, False
    else:
        mechanism = effective(config, "sasl.mechanisms")
        if not isinstance(mechanism.value, str) or mechanism.value not in LIBRDKAFKA_MECHANISMS_NEEDING_PASSWORD:
            return
        keys, empty_refused = ("sasl.username", "sasl.password"), True
    missing = []
    for key in keys:
        credential = effective(config, key)
        if credential.value is UNKNOWN:
            continue
        if credential.value is None or (empty_refused and _missing(credential.value)):
            missing.append(key if credential.setting is None else f"{key} (empty)")
    if not missing:
        return
    variables = {"mechanism": source_phrase(mechanism), "missing": " and ".join(missing), "refusal": SASL_CREDENTIALS_REFUSAL[config.dialect]}
    yield Hit(where(config, mechanism), variables, cause="sasl credentials")


@check("KL109")
def buffer_memory_below_batch_size(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    memory = effective(config, "buffer.memory")
    batch = effective(config, "batch.size")
    if not (memory.known_key and batch.known_key) or not (memory.explicit or batch.explicit):
        return
    memory_bytes, batch_bytes = as_number(memory.value), as_number(batch.value)
    if memory_bytes is None or batch_bytes is None or memory_bytes >= batch_bytes:
        return
    location = where(config, memory) if memory.explicit else where(config, batch)
    yield Hit(location, {"memory": source_phrase(memory), "batch": source_phrase(batch)})


@check("KL012")
def client_without_bootstrap_servers(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    if not whole_configuration(config):
        return
    servers = effective(config, "bootstrap.servers")
    if servers.value is UNKNOWN or not _missing(servers.value if not isinstance(servers.value, list) else ",".join(map(str, servers.value))):
        return
    yield Hit(config.anchor, {"client": config.describe()})


@check("KL013")
def bootstrap_localhost_in_production(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    servers = effective(config, "bootstrap.servers")
    if servers.setting is None:
        return
    hosts = bootstrap_hosts(servers.value)
    if not hosts or not all(host in LOCAL_HOSTS for host in hosts):
        return
    evidence = production_evidence(config.profile, config.anchor.path)
    if evidence is None:
        return
    yield Hit(servers.setting.key_location, {"servers": source_phrase(servers), "evidence": evidence})


# What each key bounds, per role: the calls that give up when it runs out.
_BLOCKING_TIMEOUTS = {
    "max.block.ms": "the first send to each topic (it must fetch the topic's metadata) and initTransactions()",
    "default.api.timeout.ms": "commitSync(), committed(), position() and the other calls without a timeout argument",
}


@check("KL014")
def blocking_timeout_too_low(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    floor = context.param("floor_ms")
    for key, calls in _BLOCKING_TIMEOUTS.items():
        timeout = effective(config, key)
        if not timeout.known_key or timeout.setting is None:
            continue
        milliseconds = as_number(timeout.value)
        if milliseconds is None or milliseconds >= floor:
            continue
        yield Hit(where(config, timeout), {"timeout": source_phrase(timeout), "calls": calls, "floor": floor})


@check("KL015")
def aiokafka_tls_without_ssl_context(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    if not whole_configuration(config):
        return
    protocol = effective(config, "security.protocol")
    if not isinstance(protocol.value, str) or protocol.value not in AIOKAFKA_TLS_PROTOCOLS:
        return
    ssl_context = effective(config, "ssl.context")
    if ssl_context.value is UNKNOWN or ssl_context.setting is not None and ssl_context.value is not None:
        return
    yield Hit(where(config, protocol), {"protocol": source_phrase(protocol)})
