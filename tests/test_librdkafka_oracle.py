"""Differential test: kafkalint's "this client refuses to start" against real librdkafka.

Several hundred librdkafka configurations - valid ones, unknown keys, out-of-range values,
wrong types, idempotence and other cross-setting conflicts - are built from the knowledge
catalogue, judged by kafkalint (every rule, the refusal verdict of checks.validity) and handed
to confluent_kafka.Producer / Consumer in a subprocess. The verdicts must agree, except for
the cases in ALLOWED_DISAGREEMENTS, each with its reason. KAFKALINT_ORACLE_INSTALLS names more
confluent-kafka installs to compare with (slow: older releases close consumers slowly); with
2.6.1, 2.8.0 and 2.10.0 the verdicts agreed as well when this was written.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kafkalint.catalogue import load_catalogue
from kafkalint.checks.validity import PASS_THROUGH_PREFIXES, refuses_to_start
from kafkalint.engine import evaluate
from kafkalint.knowledge import catalogue
from kafkalint.model import Dialect, Location, Project, Role, VersionAssumption
from kafkalint.settings import Settings
from kafkalint.sources.clientfile import RawEntry, build_client

confluent_kafka = pytest.importorskip("confluent_kafka")

pytestmark = pytest.mark.slow

CONSTRUCT = Path(__file__).parent / "tools" / "librdkafka_construct.py"
MINIMUM_CASES = 200

# Keys the generator leaves alone, and why: their verdict depends on the machine, not the config.
SKIPPED_KEYS = {
    "plugin.library.paths": "loads a shared library from disk",
    "builtin.features": "accepted values depend on how the wheel was built",
    "security.protocol": "sasl_*/ssl verdicts depend on credentials and the wheel's SASL build",
    "sasl.mechanisms": "only checked once SASL is in use",
    "group.id": "an empty group.id aborts the interpreter in confluent-kafka 2.16 (not an exception)",
    "group.protocol.type": "undocumented side effects on the assignor checks",
    "broker.version.fallback": "free-form version string",
    "offset.store.path": "file-system path",
    "test.mock.num.brokers": "starts an in-process mock cluster",
    "test.mock.broker.rtt": "mock cluster only",
    "client.id": "free-form",
    "metadata.broker.list": "would make the client connect",
}
_SKIPPED_PREFIXES = ("ssl", "sasl.", "https.", "test.", "enable.ssl", "enable.sasl")

# Cases where kafkalint's verdict differs from librdkafka's on purpose.
ALLOWED_DISAGREEMENTS = {
    "pass-through:schema.registry.url": (
        "schema.registry.* belongs to the serializers: applications keep it in the same map and remove it "
        "before creating the client, so kafkalint never reports it (librdkafka would refuse it if it got it)"
    ),
}

# Other confluent-kafka installs to compare with as well (`pip install --target DIR
# confluent-kafka==2.8.0`), separated by the path separator: version-dependent knowledge.
OTHER_INSTALLS = [item for item in os.environ.get("KAFKALINT_ORACLE_INSTALLS", "").split(os.pathsep) if item]


def _generated_key(name: str, entry: dict[str, Any]) -> bool:
    if name in SKIPPED_KEYS or name.startswith(_SKIPPED_PREFIXES):
        return False
    if entry.get("type") in ("pointer", "password") or entry.get("removed"):
        return False
    if entry.get("type") == "string" and "values" not in entry:
        return False
    return True


def _role_for(entry: dict[str, Any], rng: random.Random) -> str:
    scopes = [scope for scope in entry.get("scopes", []) if scope in ("producer", "consumer")]
    return rng.choice(scopes) if scopes else "producer"


def _valid_values(name: str, entry: dict[str, Any], rng: random.Random) -> list[Any]:
    kind = entry["type"]
    if kind == "boolean":
        return [True, False, "true", "false", "t", "0", 1]
    if kind in ("int", "double"):
        low, high = entry.get("min", 0), entry.get("max", 1_000_000)
        picks = {low, high, entry.get("default") if isinstance(entry.get("default"), (int, float)) else low}
        picks.add(rng.randint(int(low), int(min(high, low + 100_000))))
        picks.add(f"{rng.randint(int(low), int(min(high, low + 1000)))}")
        return sorted(picks, key=str)
    values = entry.get("values") or []
    if kind == "list":
        return [",".join(rng.sample(values, k=min(2, len(values))))] if values else []
    picked = [rng.choice(values)] if values else []
    if values:
        picked.append(str(rng.choice(values)).upper())  # librdkafka compares most enums case-blind
    return picked


def _invalid_values(entry: dict[str, Any]) -> list[Any]:
    kind = entry["type"]
    if kind == "boolean":
        return ["yes", "2", "", " true"]
    if kind in ("int", "double"):
        bad: list[Any] = ["abc", ""]
        if kind == "int":
            bad.append(True)
        low, high = entry.get("min"), entry.get("max")
        if low is not None and low > -(2**31):
            bad.append(low - 1)
        if high is not None and high < 2**31 - 1:
            bad.append(high + 1)
        return bad
    if entry.get("values"):
        return ["bogus-value"]
    return []


def _cases() -> list[dict[str, Any]]:
    rng = random.Random(20261125)
    keys = catalogue(Dialect.LIBRDKAFKA).keys
    generated = {name: entry for name, entry in keys.items() if _generated_key(name, entry)}
    cases: list[dict[str, Any]] = []

    def add(case_id: str, role: str, conf: dict[str, Any], group: bool = True) -> None:
        if role == "consumer" and group:
            conf = {"group.id": "oracle", **conf}
        cases.append({"id": case_id, "role": role, "conf": conf})

    for name, entry in sorted(generated.items()):
        role = _role_for(entry, rng)
        for value in _valid_values(name, entry, rng):
            add(f"valid:{name}={value!r}", role, {name: value})
        for value in _invalid_values(entry):
            add(f"invalid:{name}={value!r}", role, {name: value})
    # A few keys at once, some meant for the other role (librdkafka only warns about those).
    names = sorted(generated)
    for index in range(40):
        role = "producer" if index % 2 else "consumer"
        conf: dict[str, Any] = {}
        for name in rng.sample(names, 3):
            values = _valid_values(name, generated[name], rng)
            if values:
                conf[name] = rng.choice(values)
        add(f"mixed:{index}", role, conf)
    # Numbers and booleans the way C parses them: a number prefix is enough.
    for value in ("12abc", " 5", "0x10", 5.7, "010"):
        add(f"strtol:batch.num.messages={value!r}", "producer", {"batch.num.messages": value})
    # Unknown keys: the usual slips on real keys.
    for name in sorted(rng.sample(sorted(keys), 30)):
        for typo in (name[:-1], name + "s", name.replace(".", "_", 1)):
            if typo in keys or catalogue(Dialect.LIBRDKAFKA).is_known(typo) or typo.startswith(PASS_THROUGH_PREFIXES):
                continue
            add(f"unknown:{typo}", _role_for(keys[name], rng), {typo: "1"})
    add("unknown:max.poll.record", "consumer", {"max.poll.record": 200})
    add("unknown:sasl.oauthbearer.clientid", "producer", {"sasl.oauthbearer.clientid": "app"})
    add("pass-through:schema.registry.url", "producer", {"schema.registry.url": "http://registry:8081"})
    # Idempotence and transactions.
    for conflict in ({"acks": "1"}, {"acks": 0}, {"retries": 0}, {"max.in.flight": 6}, {"queuing.strategy": "lifo"}):
        add(f"idempotence:{conflict}", "producer", {"enable.idempotence": True, **conflict})
        add(f"transactional:{conflict}", "producer", {"transactional.id": "tx", **conflict})
    add("idempotence:ok", "producer", {"enable.idempotence": "true", "acks": "all", "max.in.flight.requests.per.connection": 5})
    add("transactional:idempotence-off", "producer", {"transactional.id": "tx", "enable.idempotence": False})
    add("transactional:timeout", "producer", {"transactional.id": "tx", "message.timeout.ms": 120000, "transaction.timeout.ms": 60000})
    add("gapless:no-idempotence", "producer", {"enable.gapless.guarantee": True})
    add("gapless:ok", "producer", {"enable.gapless.guarantee": True, "enable.idempotence": True})
    # Settings that contradict each other.
    add("constraint:linger", "producer", {"linger.ms": 1000, "message.timeout.ms": 1000})
    add("constraint:linger-infinite", "producer", {"linger.ms": 1000, "message.timeout.ms": 0})
    add("constraint:backoff", "consumer", {"reconnect.backoff.ms": 5000, "reconnect.backoff.max.ms": 1000})
    add("constraint:fetch", "consumer", {"fetch.max.bytes": 1000, "message.max.bytes": 100000})
    add("constraint:receive", "consumer", {"receive.message.max.bytes": 1000000})
    add("constraint:poll", "consumer", {"max.poll.interval.ms": 10000})
    add("constraint:poll-consumer-protocol", "consumer", {"group.protocol": "consumer", "max.poll.interval.ms": 10000})
    add("constraint:mixed-assignors", "consumer", {"partition.assignment.strategy": "range,cooperative-sticky"})
    add("constraint:assignor-case", "consumer", {"partition.assignment.strategy": "Range"})
    for key, value in (("session.timeout.ms", 45000), ("heartbeat.interval.ms", 3000), ("partition.assignment.strategy", "range")):
        add(f"group-protocol:{key}", "consumer", {"group.protocol": "consumer", key: value})
    add("group-protocol:remote-assignor", "consumer", {"group.protocol": "consumer", "group.remote.assignor": "uniform"})
    add("pointer:dr_cb", "producer", {"dr_cb": "callback"})
    # Required keys: a consumer without group.id (an empty one aborts the interpreter, see SKIPPED_KEYS).
    add("required:consumer-without-group-id", "consumer", {}, group=False)
    add("required:consumer-without-group-id-other-keys", "consumer", {"enable.auto.commit": False, "auto.offset.reset": "earliest"}, group=False)
    add("required:consumer-with-group-id", "consumer", {"enable.auto.commit": False})
    add("required:producer-without-anything", "producer", {})
    # SASL credentials: PLAIN and SCRAM need both sasl.username and sasl.password, OAUTHBEARER neither.
    for protocol in ("SASL_SSL", "sasl_plaintext"):
        for mechanism in ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"):
            for role in ("producer", "consumer"):
                sasl = {"security.protocol": protocol, "sasl.mechanism": mechanism}
                add(f"credentials:{protocol}-{mechanism}-{role}-none", role, sasl)
                add(f"credentials:{protocol}-{mechanism}-{role}-username-only", role, {**sasl, "sasl.username": "app"})
                add(f"credentials:{protocol}-{mechanism}-{role}-password-only", role, {**sasl, "sasl.password": "pw"})
                add(f"credentials:{protocol}-{mechanism}-{role}-both", role, {**sasl, "sasl.username": "app", "sasl.password": "pw"})
    add("credentials:empty", "producer", {"security.protocol": "SASL_SSL", "sasl.mechanisms": "PLAIN", "sasl.username": "", "sasl.password": ""})
    add("credentials:empty-password", "producer", {"security.protocol": "SASL_SSL", "sasl.mechanisms": "PLAIN", "sasl.username": "app", "sasl.password": ""})
    add("credentials:oauthbearer", "producer", {"security.protocol": "SASL_SSL", "sasl.mechanism": "OAUTHBEARER"})
    add("credentials:plaintext-protocol", "producer", {"security.protocol": "PLAINTEXT", "sasl.mechanism": "PLAIN"})
    add("credentials:ssl-protocol", "consumer", {"security.protocol": "SSL", "sasl.mechanism": "SCRAM-SHA-256", "sasl.username": "app"})
    add("credentials:no-protocol", "producer", {"sasl.mechanism": "PLAIN", "sasl.username": "app"})
    return cases


def _kafkalint_refuses(case: dict[str, Any], rules: list[Any], version: str) -> tuple[bool, list[str]]:
    project = Project()
    location = Location("oracle.py", 1, 1)
    entries = [RawEntry(key, value, str(value), location, location) for key, value in case["conf"].items()]
    role = Role.CONSUMER if case["role"] == "consumer" else Role.PRODUCER
    client = build_client(entries, "oracle.py", location, project, role=role, dialect=Dialect.LIBRDKAFKA, origin="python")
    client.version = VersionAssumption(Dialect.LIBRDKAFKA, version, "confluent-kafka under test")
    client.client_class = "Consumer" if role is Role.CONSUMER else "Producer"  # the whole configuration, as constructed
    project.clients.append(client)
    findings = evaluate(project, rules, Settings())
    return refuses_to_start(findings), [f"{finding.code} {finding.message}" for finding in findings if finding.severity.value == "error"]


def _librdkafka_refuses(cases: list[dict[str, Any]], install: str | None) -> tuple[str, list[dict[str, Any]]]:
    payload = json.dumps([{"role": case["role"], "conf": case["conf"]} for case in cases])
    env = dict(os.environ, PYTHONPATH=install) if install else None
    completed = subprocess.run(
        [sys.executable, str(CONSTRUCT)], input=payload, capture_output=True, text=True, timeout=300, check=True, env=env
    )
    answer = json.loads(completed.stdout)
    return answer["libversion"], answer["results"]


@pytest.mark.parametrize("install", [None, *OTHER_INSTALLS])
def test_kafkalint_and_librdkafka_agree_on_which_configurations_refuse_to_start(install):
    cases = _cases()
    assert len(cases) >= MINIMUM_CASES, len(cases)
    rules = load_catalogue().rules
    version, actual = _librdkafka_refuses(cases, install)
    agreed, disagreements, allowed = 0, [], []
    for case, truth in zip(cases, actual):
        verdict, errors = _kafkalint_refuses(case, rules, version)
        if verdict == truth["refused"]:
            agreed += 1
        elif case["id"] in ALLOWED_DISAGREEMENTS:
            allowed.append(case["id"])
        else:
            disagreements.append(f"{case['id']} {case['role']} {case['conf']}: librdkafka {truth['error'] or 'accepts it'}; kafkalint {errors or 'accepts it'}")
    rate = agreed / len(cases)
    print(f"librdkafka {version}: {agreed}/{len(cases)} agree ({rate:.1%}), {len(allowed)} allowed disagreements")
    assert not disagreements, "\n".join(disagreements)
    assert sorted(allowed) == sorted(ALLOWED_DISAGREEMENTS), "an allowed disagreement no longer happens: drop it"


def test_the_generated_set_covers_every_category():
    prefixes = {case["id"].split(":", 1)[0] for case in _cases()}
    assert {"valid", "invalid", "unknown", "idempotence", "transactional", "constraint", "group-protocol", "strtol", "required", "credentials"} <= prefixes
