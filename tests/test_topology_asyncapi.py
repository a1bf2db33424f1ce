"""`kafkalint inventory --format asyncapi`: an AsyncAPI 3.0.0 document that the official parser
(@asyncapi/parser, installed like the SARIF validator) accepts with no error diagnostic."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.clirunner import run_cli
from tests.conftest import ROOT
from tests.tools import asyncapi_validator

needs_parser = pytest.mark.skipif(
    asyncapi_validator.installed() is None,
    reason="@asyncapi/parser is not installed (python -m tests.tools.asyncapi_validator install; .ci/run does it)",
)


def _asyncapi(cwd: Path, *paths: str) -> str:
    outcome = run_cli(cwd, "inventory", *paths, "--format", "asyncapi")
    assert outcome.exit_code == 0, outcome.stderr
    return outcome.stdout


def _errors(text: str) -> list[dict]:
    return [item for item in asyncapi_validator.diagnostics(text) if item["severity"] == asyncapi_validator.ERROR]


def test_services_fixture_document_has_servers_channels_bindings_operations_and_schemas():
    document = yaml.safe_load(_asyncapi(ROOT, "fixtures/services"))
    assert document["asyncapi"] == "3.0.0"
    assert document["servers"] == {"shop-kafka-bootstrap-9093-b961d7": {"host": "shop-kafka-bootstrap:9093", "protocol": "kafka-secure"}}
    orders = document["channels"]["shop-orders-7458f4"]
    assert orders["address"] == "shop.orders"
    assert orders["bindings"]["kafka"] == {
        "topic": "shop.orders", "partitions": 6, "replicas": 3,
        "topicConfiguration": {"retention.ms": 604800000, "cleanup.policy": ["delete"]}, "bindingVersion": "0.5.0",
    }
    message = orders["messages"]["message"]
    assert message["bindings"]["kafka"]["key"] == {"type": "string"}  # the Spring producer's StringSerializer
    assert message["payload"]["schemaFormat"] == "application/vnd.apache.avro;version=1.9.0"
    assert message["payload"]["schema"]["name"] == "ShopOrder"  # ShopOrder.avsc beside shop-orders
    invoices = document["channels"]["shop-invoices-870565"]
    assert invoices["bindings"]["kafka"]["topicConfiguration"] == {"cleanup.policy": ["compact"]}
    assert invoices["messages"]["message"]["payload"]["schema"]["title"] == "Invoice"
    assert "bindings" not in invoices["messages"]["message"]  # librdkafka producer: no clear key serializer
    operations = {(item["action"], item["channel"]["$ref"], item["summary"].split(" at ", 1)[1]): item.get("bindings", {}).get("kafka")
                  for item in document["operations"].values()}
    assert operations == {
        ("receive", "#/channels/shop-orders-7458f4", "fixtures/services/shop-billing/billing.py:5"):
            {"groupId": {"type": "string", "enum": ["shop-billing"]}, "bindingVersion": "0.5.0"},
        ("receive", "#/channels/shop-orders-7458f4", "fixtures/services/shop-shipping/src/main/java/com/acme/shipping/ShippingWorker.java:22"):
            {"groupId": {"type": "string", "enum": ["shop-shipping"]}, "clientId": {"type": "string", "enum": ["shipping-worker"]}, "bindingVersion": "0.5.0"},
        ("send", "#/channels/shop-invoices-870565", "fixtures/services/shop-billing/billing.py:12"): None,
        ("send", "#/channels/shop-orders-7458f4", "fixtures/services/shop-orders/src/main/resources/application.yml:7"):
            {"clientId": {"type": "string", "enum": ["shop-orders"]}, "bindingVersion": "0.5.0"},
    }


def test_unknown_topics_get_a_null_address_not_an_invented_name():
    document = yaml.safe_load(_asyncapi(ROOT, "fixtures/crossfile"))
    unknown = [channel for key, channel in document["channels"].items() if key.startswith("unknown-topic-")]
    assert unknown == [{
        "address": None,
        "title": "topic unknown",
        "description": "The consumer at fixtures/crossfile/tools/ledger-replay.properties:2 uses a topic that is not knowable statically.",
        "messages": {"message": {"name": next(key for key in document["channels"] if key.startswith("unknown-topic-"))}},
    }]
    assert document["channels"]["refunds"]["description"] == "Used by clients in this tree; not declared in it."


@needs_parser
@pytest.mark.parametrize("path", ["fixtures/services", "fixtures/crossfile", "fixtures/polyglot", "fixtures"])
def test_the_official_parser_accepts_the_document(path: str):
    assert _errors(_asyncapi(ROOT, path)) == []


@needs_parser
def test_parser_reports_errors_so_the_check_can_fail():
    assert _errors("asyncapi: 3.0.0\ninfo: {title: x}\noperations: {o: {action: fly}}\n")


@needs_parser
def test_secrets_and_hostile_names_stay_out_and_the_document_still_parses(tmp_path: Path):
    (tmp_path / "consumer.properties").write_text(
        "bootstrap.servers=user:hunter2@evil:9092,good-host:9094\ngroup.id=g\nsecurity.protocol=SASL_SSL\n"
        'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="hunter2-secret";\n',
        encoding="utf-8",
    )
    (tmp_path / "send.py").write_text(
        "from confluent_kafka import Producer\np = Producer({'bootstrap.servers': 'k:9092'})\n"
        "p.produce('a{b}/\"c ø', b'v')\np.flush()\n",
        encoding="utf-8",
    )
    text = _asyncapi(tmp_path, ".")
    assert "hunter2" not in text
    document = yaml.safe_load(text)
    assert sorted(server["host"] for server in document["servers"].values()) == ["good-host:9094", "k:9092"]
    hostile = next(channel for channel in document["channels"].values() if channel["title"] == 'a{b}/"c ø')
    assert hostile["address"] is None
    assert _errors(text) == []


def test_the_inventory_format_list_names_asyncapi(tmp_path: Path):
    outcome = run_cli(tmp_path, "inventory", ".", "--format", "nope")
    assert outcome.exit_code == 2
    assert "choose text, json, mermaid, dot, asyncapi" in outcome.stderr
