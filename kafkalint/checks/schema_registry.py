"""Schema Registry clients: the Confluent serializers' own settings beside the Kafka ones."""

from __future__ import annotations

from typing import Iterator

from kafkalint.checks import CheckContext, Hit
from kafkalint.checks.registry import check
from kafkalint.knowledge.client_requirements import CONFLUENT_SERIALIZER_PREFIX, production_evidence
from kafkalint.model import UNKNOWN, ClientConfig


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
