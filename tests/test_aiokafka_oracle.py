"""Differential test: kafkalint's start-up refusals for aiokafka against the real aiokafka.

Each case is a client construction in Python code. kafkalint judges it (the rules that say the
client refuses to start: KL011 SASL credentials, KL015 TLS without ssl_context); the same
keyword arguments are handed to the real AIOKafkaProducer / AIOKafkaConsumer (created inside a
running event loop, never started: nothing connects). kafkalint reports an error exactly when
aiokafka raises ValueError.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import lint_files

aiokafka = pytest.importorskip("aiokafka")

pytestmark = pytest.mark.slow

REFUSAL_RULES = ["KL011", "KL015"]

# (client class, keyword arguments): literals only, so both sides see the same configuration.
CASES: list[tuple[str, dict[str, Any]]] = [
    ("AIOKafkaProducer", {"security_protocol": "SASL_PLAINTEXT"}),
    ("AIOKafkaProducer", {"security_protocol": "SASL_PLAINTEXT", "sasl_plain_username": "svc"}),
    ("AIOKafkaProducer", {"security_protocol": "SASL_PLAINTEXT", "sasl_plain_password": "pw"}),
    ("AIOKafkaProducer", {"security_protocol": "SASL_PLAINTEXT", "sasl_plain_username": "svc", "sasl_plain_password": "pw"}),
    ("AIOKafkaProducer", {"security_protocol": "SASL_PLAINTEXT", "sasl_plain_username": "", "sasl_plain_password": ""}),
    ("AIOKafkaProducer", {"security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "SCRAM-SHA-256"}),
    ("AIOKafkaProducer", {"security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "PLAIN", "sasl_plain_username": "svc"}),
    ("AIOKafkaConsumer", {"security_protocol": "SASL_PLAINTEXT", "group_id": "g"}),
    ("AIOKafkaConsumer", {"security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "OAUTHBEARER", "group_id": "g"}),
    ("AIOKafkaConsumer", {"security_protocol": "SSL", "group_id": "g"}),
    ("AIOKafkaConsumer", {"security_protocol": "SASL_SSL", "sasl_plain_username": "svc", "sasl_plain_password": "pw"}),
    ("AIOKafkaProducer", {"security_protocol": "SSL", "ssl_context": None}),
    ("AIOKafkaProducer", {"security_protocol": "PLAINTEXT"}),
    ("AIOKafkaProducer", {"sasl_plain_username": "svc"}),
]


def _refused_by_aiokafka(client_class: str, kwargs: dict[str, Any]) -> bool:
    async def build() -> bool:
        try:
            client = getattr(aiokafka, client_class)(bootstrap_servers="broker.example:9092", **kwargs)
        except ValueError:
            return True
        del client  # created, never started: no connection is made
        return False

    return asyncio.run(build())


def _refused_by_kafkalint(tmp_path: Path, client_class: str, kwargs: dict[str, Any]) -> list[str]:
    arguments = ", ".join(f"{key}={value!r}" for key, value in kwargs.items())
    code = f"from aiokafka import {client_class}\n\nclient = {client_class}(bootstrap_servers='broker.example:9092', {arguments})\n"
    result = lint_files(tmp_path, {"client.py": code}, select=REFUSAL_RULES)
    return [finding.code for finding in result.findings if finding.severity.value == "error"]


@pytest.mark.parametrize(("client_class", "kwargs"), CASES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(CASES)])
def test_kafkalint_reports_a_refusal_exactly_when_aiokafka_refuses(tmp_path, client_class, kwargs):
    refused = _refused_by_aiokafka(client_class, kwargs)
    codes = _refused_by_kafkalint(tmp_path, client_class, kwargs)
    assert bool(codes) == refused, (codes, refused)


def test_the_cases_hold_both_verdicts():
    verdicts = {_refused_by_aiokafka(client_class, kwargs) for client_class, kwargs in CASES}
    assert verdicts == {True, False}
