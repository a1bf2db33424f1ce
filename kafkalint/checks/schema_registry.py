"""Schema Registry clients: the Confluent serializers' own settings beside the Kafka ones."""

from __future__ import annotations

from typing import Iterator

from kafkalint.checks import CheckContext, Hit
from kafkalint.checks.registry import check
from kafkalint.knowledge.client_requirements import CONFLUENT_SERIALIZER_PREFIX, production_evidence
from kafkalint.knowledge.schema_registry import is_application_class, reader_of
from kafkalint.model import UNKNOWN, ClientConfig, Role


@check("KL110")
def schema_auto_register_in_production(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    serializers = [
        config.settings[key]
        for key in ("value.serializer", "key.serializer")
        if key in config.settings and str(config.settings[key].value).startswith(CONFLUENT_SERIALIZER_PREFIX)
    ]
    if not serializers:
        return
    evidence = production_evidence(config.profile, config.anchor.path)
    if evidence is None:
        return
    register = config.settings.get("auto.register.schemas")
    if register is not None:
        if register.value is UNKNOWN or str(register.value).strip().lower() != "true":
            return
        yield Hit(register.key_location, {"register": f"auto.register.schemas=true (line {register.location.line})", "evidence": evidence})
        return
    serializer = serializers[0]
    yield Hit(serializer.key_location, {"register": "auto.register.schemas=true (the serializers' default)", "evidence": evidence})


@check("KL211")
def specific_record_read_as_generic(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    if config.role is not Role.CONSUMER or config.value_type is None or not config.all_settings_known:
        return
    if config.serializer_instances or not is_application_class(config.value_type):
        return  # objects handed to the constructor are not configured from these settings
    deserializer = config.settings.get("value.deserializer")
    reader = reader_of(deserializer.value) if deserializer is not None else None
    if reader is None:
        return
    for key, value in reader.specific_when:
        setting = config.settings.get(key)
        if setting is None:
            continue
        if setting.value is UNKNOWN or value is None or str(setting.value).strip().lower() == value:
            return
    key, value = reader.specific_when[0]
    yield Hit(
        deserializer.key_location,
        {
            "client": config.describe(),
            "value_type": config.value_type.rsplit(".", 1)[-1],
            "deserializer": reader.deserializer.rsplit(".", 1)[-1],
            "line": deserializer.location.line,
            "generic": reader.generic_class,
            "setting": key if value is None else f"{key}={value}",
        },
    )
