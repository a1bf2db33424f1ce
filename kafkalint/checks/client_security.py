"""Client-side transport security: secrets sent unencrypted, hostname verification off, legacy
TLS, token endpoints and Schema Registry over http, deserializers that trust every class.
Facts in knowledge/client_requirements.py."""

from __future__ import annotations

from typing import Any, Iterator

from kafkalint.checks import CheckContext, Hit, source_phrase, where
from kafkalint.checks.registry import check
from kafkalint.knowledge import Effective, effective
from kafkalint.knowledge.client_requirements import (
    HOSTNAME_VERIFICATION_OFF,
    LEGACY_TLS_PROTOCOLS,
    LOCAL_HOSTS,
    MECHANISMS_SENDING_SECRET,
    TLS_PROTOCOLS,
    bootstrap_hosts,
    url_host,
)
from kafkalint.model import UNKNOWN, ClientConfig, Setting
from kafkalint.sources.strimzi import StrimziResource, key_location
from kafkalint.sources.yamltree import Node, scalar_text


def _protocol(config: ClientConfig) -> Effective:
    return effective(config, "security.protocol")


def _lower(value: Any) -> str | None:
    return value.lower() if isinstance(value, str) else None


def only_local_brokers(config: ClientConfig) -> bool:
    """Every bootstrap host is this machine: nothing the client sends crosses a network."""
    hosts = bootstrap_hosts(effective(config, "bootstrap.servers").value)
    return bool(hosts) and all(host in LOCAL_HOSTS for host in hosts)


def uses_tls(config: ClientConfig) -> bool:
    return _lower(_protocol(config).value) in TLS_PROTOCOLS


@check("KL410")
def sasl_secret_in_clear(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    protocol = _protocol(config)
    if not protocol.explicit or _lower(protocol.value) != "sasl_plaintext":
        return
    mechanism = effective(config, "sasl.mechanism")
    if not isinstance(mechanism.value, str) or mechanism.value.upper() not in MECHANISMS_SENDING_SECRET:
        return
    if only_local_brokers(config):
        return
    yield Hit(
        where(config, protocol),
        {"protocol": source_phrase(protocol), "mechanism": source_phrase(mechanism), "secret": MECHANISMS_SENDING_SECRET[mechanism.value.upper()]},
        cause="sasl credentials",
    )


@check("KL411")
def hostname_verification_disabled(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    off = HOSTNAME_VERIFICATION_OFF.get(config.dialect)
    algorithm = effective(config, "ssl.endpoint.identification.algorithm")
    if off is None or not algorithm.explicit or not isinstance(algorithm.value, str):
        return
    if algorithm.value.strip().lower() != off or not uses_tls(config):
        return
    shown_value = '""' if off == "" else off
    yield Hit(where(config, algorithm), {"algorithm": f"ssl.endpoint.identification.algorithm={shown_value} (line {algorithm.setting.location.line})"})


@check("KL412")
def legacy_tls_protocol(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    for key in ("ssl.protocol", "ssl.enabled.protocols"):
        setting = config.get(key)
        if setting is None or setting.value is UNKNOWN:
            continue
        values = setting.value if isinstance(setting.value, (list, tuple)) else str(setting.value).split(",")
        legacy = [str(item).strip() for item in values if str(item).strip().lower() in LEGACY_TLS_PROTOCOLS]
        if legacy:
            yield Hit(setting.key_location, {"key": setting.written_key or key, "protocols": ", ".join(legacy), "line": setting.location.line})


def _plain_http(setting: Setting | None) -> str | None:
    """The http:// URL (first of a list) a setting holds when it leaves this machine, else None."""
    if setting is None or not isinstance(setting.value, (str, list, tuple)):
        return None
    urls = setting.value if isinstance(setting.value, (list, tuple)) else str(setting.value).split(",")
    for url in (str(item).strip() for item in urls):
        if url.lower().startswith("http://") and url_host(url) not in LOCAL_HOSTS:
            return url
    return None


@check("KL413")
def oauth_token_endpoint_over_http(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    setting = config.get("sasl.oauthbearer.token.endpoint.url")
    url = _plain_http(setting)
    if setting is not None and url is not None:
        yield Hit(setting.key_location, {"url": url, "line": setting.location.line})


@check("KL414")
def schema_registry_over_http_with_tls(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    setting = config.get("schema.registry.url")
    url = _plain_http(setting)
    if setting is None or url is None or not uses_tls(config):
        return
    yield Hit(setting.key_location, {"url": url, "line": setting.location.line, "protocol": source_phrase(_protocol(config))})


@check("KL415")
def spring_json_trusts_every_package(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    setting = config.get("spring.json.trusted.packages")
    if setting is None or setting.value is UNKNOWN:
        return
    values = setting.value if isinstance(setting.value, (list, tuple)) else str(setting.value).split(",")
    if any(str(item).strip() == "*" for item in values):
        yield Hit(setting.key_location, {"line": setting.location.line})


_STORE_KEYS = ("ssl.keystore.location", "ssl.truststore.location", "ssl.key.location", "ssl.ca.location", "ssl.certificate.location")
_TEMPORARY_DIRECTORIES = ("/tmp/", "/var/tmp/")


@check("KL416")
def tls_store_in_temporary_directory(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    for key in _STORE_KEYS:
        setting = config.get(key)
        if setting is None or not isinstance(setting.value, str):
            continue
        if setting.value.strip().startswith(_TEMPORARY_DIRECTORIES):
            yield Hit(setting.key_location, {"key": setting.written_key or key, "path": setting.value.strip(), "line": setting.location.line})


# Where Strimzi resources hold Kafka client configuration, and the object whose `tls` says TLS is used.
_STRIMZI_CLIENT_CONFIGS: dict[str, tuple[tuple[str, ...], ...]] = {
    "KafkaConnect": (("config",),),
    "KafkaBridge": (("producer", "config"), ("consumer", "config"), ("adminClient", "config")),
}


def _strimzi_client_sections(resource: StrimziResource) -> Iterator[tuple[Node, Node]]:
    """(owner, config) pairs: the object with the `tls` field and its client config map."""
    spec = resource.spec
    if spec is None:
        return
    for path in _STRIMZI_CLIENT_CONFIGS.get(resource.kind, ()):
        config = spec.path(*path)
        if config is not None and config.is_map:
            yield spec, config
    if resource.kind == "KafkaMirrorMaker2":
        owners: list[Node] = []
        clusters = spec.get("clusters")
        if clusters is not None and clusters.is_list:
            owners.extend(item for item in clusters.value if item.is_map)
        target = spec.get("target")
        if target is not None and target.is_map:
            owners.append(target)
        mirrors = spec.get("mirrors")
        if mirrors is not None and mirrors.is_list:
            for mirror in mirrors.value:
                source = mirror.get("source") if mirror.is_map else None
                if source is not None and source.is_map:
                    owners.append(source)
        for owner in owners:
            config = owner.get("config")
            if config is not None and config.is_map:
                yield owner, config


@check("KL417")
def strimzi_client_hostname_verification_disabled(resource: StrimziResource, context: CheckContext) -> Iterator[Hit]:
    for owner, config in _strimzi_client_sections(resource):
        if owner.get("tls") is None:
            continue  # no TLS to the cluster: the setting has nothing to turn off
        for key, node in config.items():
            if not key.endswith("ssl.endpoint.identification.algorithm") or node.is_map or node.is_list:
                continue
            if scalar_text(node).strip() == "":
                yield Hit(key_location(node), {"resource": resource.describe(), "key": key})
