"""One redaction policy for every command and format: no planted secret is ever printed.

Secrets are planted as `PLANTED<n>`; each test asserts the word never appears in the output of
`check` (every format), `explain` (text and JSON) or `inventory` (tables and JSON), and that
what is not secret (the finding, the user name of a URL) still shows.
"""

from __future__ import annotations

import re

import pytest

from kafkalint.redaction import is_secret_key, mask_urls, redact_line
from tests.clirunner import run_cli

FORMATS = ["text", "json", "sarif", "github", "junit", "gitlab"]
PLANTED = re.compile(r"PLANTED\d+")


def _outputs(tmp_path, *commands: tuple[str, ...]) -> dict[str, str]:
    outputs = {}
    for command in commands:
        outcome = run_cli(tmp_path, *command)
        assert outcome.exit_code in (0, 1), (command, outcome.stderr)
        outputs[" ".join(command)] = outcome.stdout + outcome.stderr
    return outputs


def _check_everywhere(tmp_path, explained: str) -> dict[str, str]:
    commands = [("check", "--format", output_format, ".") for output_format in FORMATS]
    commands += [("explain", explained), ("explain", "--format", "json", explained)]
    commands += [("inventory", "."), ("inventory", "--format", "json", ".")]
    return _outputs(tmp_path, *commands)


def _leaks(outputs: dict[str, str]) -> dict[str, list[str]]:
    return {command: PLANTED.findall(text) for command, text in outputs.items() if PLANTED.search(text)}


@pytest.mark.parametrize("key", ["sasl.passwrod", "ssl.keystore.pasword", "sasl.pasword", "ssl.truststore.passowrd"])
def test_a_misspelt_secret_key_is_still_masked_everywhere(tmp_path, key):
    (tmp_path / "producer.properties").write_text(f"bootstrap.servers=b:9092\nacks=all\n{key}=PLANTED1\n", encoding="utf-8")
    outputs = _check_everywhere(tmp_path, "producer.properties")
    assert _leaks(outputs) == {}
    text = outputs["check --format text ."]
    assert f"producer.properties:3:1: KL003 [warning] '{key}'" in text
    assert f"    {key}=****" in text


def test_url_userinfo_is_masked_but_the_user_and_host_stay(tmp_path):
    (tmp_path / "producer.properties").write_text(
        "bootstrap.servers=b:9092\nacks=all\nsasl.oauthbearer.token.endpoint.url=http://app:PLANTED2@idp:8080/token\n"
        "schema.registry.url=https://reader:PLANTED3@registry:8081\n",
        encoding="utf-8",
    )
    outputs = _check_everywhere(tmp_path, "producer.properties")
    assert _leaks(outputs) == {}
    # oauth-token-endpoint-over-http (KL413) shows the line: the password in the URL is masked
    assert "    sasl.oauthbearer.token.endpoint.url=http://app:****@idp:8080/token" in outputs["check --format text ."]
    assert "https://reader:****@registry:8081" in outputs["explain producer.properties"]


BASIC_AUTH_FORMS = {
    "producer.properties": "bootstrap.servers=b:9092\nacks=all\nbasic.auth.user.info=reader:PLANTED4\n",
    "producer.yaml": "bootstrap.servers: b:9092\nacks: all\nbasic.auth.user.info: reader:PLANTED4\n",
    "producer.json": '{"bootstrap.servers": "b:9092", "acks": "all", "basic.auth.user.info": "reader:PLANTED4"}\n',
    "app.py": (
        "from confluent_kafka import Producer\n"
        'p = Producer({"bootstrap.servers": "b:9092", "acks": "all", "basic.auth.user.info": "reader:PLANTED4"})\n'
    ),
    "application.yaml": (
        "spring:\n  kafka:\n    bootstrap-servers: b:9092\n    producer:\n      acks: all\n"
        "    properties:\n      basic.auth.user.info: reader:PLANTED4\n"
    ),
}


@pytest.mark.parametrize("name", sorted(BASIC_AUTH_FORMS))
def test_basic_auth_user_info_is_masked_in_every_dialect_and_form(tmp_path, name):
    (tmp_path / name).write_text(BASIC_AUTH_FORMS[name], encoding="utf-8")
    outputs = _check_everywhere(tmp_path, name)
    assert _leaks(outputs) == {}
    assert "no Kafka client" not in outputs[f"explain {name}"]


@pytest.mark.parametrize("key", ["ssl.keystore.key", "basic.auth.user.info", "sasl.password"])
def test_the_first_value_of_a_duplicated_secret_key_is_masked_in_the_duplicate_finding(tmp_path, key):
    (tmp_path / "producer.properties").write_text(
        f"bootstrap.servers=b:9092\nacks=all\n{key}=PLANTED5\n{key}=PLANTED6\n", encoding="utf-8"
    )
    outputs = _check_everywhere(tmp_path, "producer.properties")
    assert _leaks(outputs) == {}
    text = outputs["check --format text ."]
    assert f"producer.properties:3:1: KL002 [warning] '{key}' is set again at line 4" in text
    assert f"    {key}=****" in text


def test_every_value_on_a_python_line_holding_a_secret_is_masked_but_the_finding_s_own(tmp_path):
    (tmp_path / "app.py").write_text(
        "from confluent_kafka import Producer\n"
        'p = Producer({"bootstrap.servers": "b:9092", "acks": 0, "sasl.password": "PLANTED7", '
        '"basic.auth.user.info": "reader:PLANTED8", "ssl.keystore.key": "PLANTED9"})\n',
        encoding="utf-8",
    )
    outputs = _check_everywhere(tmp_path, "app.py")
    assert _leaks(outputs) == {}
    text = outputs["check --format text ."]
    assert "app.py:2:46: KL101 [error]" in text
    assert '"acks": 0, "sasl.password": ****, "basic.auth.user.info": ****, "ssl.keystore.key": ****' in text


def test_kafka_python_keyword_secrets_next_to_each_other_are_masked(tmp_path):
    (tmp_path / "app.py").write_text(
        "from kafka import KafkaProducer\n"
        'p = KafkaProducer(bootstrap_servers="b:9092", acks=0, sasl_plain_password="PLANTED10", ssl_password="PLANTED11")\n',
        encoding="utf-8",
    )
    assert _leaks(_check_everywhere(tmp_path, "app.py")) == {}


def test_a_message_that_would_quote_a_secret_value_is_masked(tmp_path):
    # KL004 quotes invalid values; a secret key's value must not come out through it either.
    (tmp_path / "producer.properties").write_text(
        "bootstrap.servers=b:9092\nacks=all\nsasl.password=PLANTED12\nsasl.mechanism=PLANTED12\n", encoding="utf-8"
    )
    outputs = _outputs(tmp_path, *[("check", "--format", output_format, ".") for output_format in FORMATS])
    assert _leaks(outputs) == {}


def test_a_secret_on_a_very_long_line_is_masked_in_the_snippet_window(tmp_path):
    padding = ", ".join(f'"k{index}": "v{index}"' for index in range(200))
    (tmp_path / "producer.json").write_text(
        '{"bootstrap.servers": "b:9092", ' + padding + ', "sasl.password": "PLANTED13", "acks": "0"}\n', encoding="utf-8"
    )
    outputs = _outputs(tmp_path, ("check", "--format", "json", "."), ("check", "."))
    assert _leaks(outputs) == {}
    assert all(len(line) < 1000 for line in outputs["check ."].splitlines())


# --- the policy itself --------------------------------------------------------------------------


@pytest.mark.parametrize("key", [
    "sasl.password", "ssl.key.password", "sasl.jaas.config", "basic.auth.user.info", "basic_auth_user_info",
    "sasl.passwrod", "ssl.keystore.pasword", "sasl_plain_password", "ssl.keystore.key", "clientSecret",
    "sasl.oauthbearer.client.secret", "schema.registry.basic.auth.user.info", "api.key", "apiKey", "db.pwd",
    "client.secert", "sasl.oauthbearer.config",
])
def test_secret_keys_by_name_and_near_miss(key):
    assert is_secret_key(key)


@pytest.mark.parametrize("key", [
    "acks", "ssl.keystore.location", "ssl.keystore.type", "sasl.mechanism", "sasl.username", "key.serializer",
    "sasl.login.callback.handler.class", "bootstrap.servers", "compression.type", "ssl.endpoint.identification.algorithm",
    "sasl.oauthbearer.token.endpoint.url", "client.id", "group.id", "passive", "process.roles",
    "socket.options", "socket.send.buffer.bytes", "ssl.secure.random.implementation", "session.timeout.ms",
])
def test_ordinary_keys_are_not_secret(key):
    assert not is_secret_key(key)


def test_url_masking_keeps_urls_without_credentials():
    assert mask_urls("http://registry:8081, https://u:p@h/x, git+ssh://tok@h") == "http://registry:8081, https://u:****@h/x, git+ssh://****@h"


def test_redacting_a_line_masks_spans_a_source_located_and_every_other_value_on_it():
    assert redact_line('f(hunter2, "other", 1)', [(3, 10)]) == 'f(****, "****", 1)'
    assert redact_line('f(x, "other", 1)', []) == 'f(x, "other", 1)'



def test_a_giant_line_holding_a_secret_gets_no_snippet(tmp_path):
    strings = ", ".join(['""'] * 20_000)  # 80 KB on one line: one mask span per string
    (tmp_path / "producer.json").write_text(
        '{"bootstrap.servers": "b:9092", "sasl.password": "PLANTED14", "acks": "0", "x": [' + strings + ']}\n',
        encoding="utf-8",
    )
    outcome = run_cli(tmp_path, "check", "--format", "json", ".")
    import json

    findings = json.loads(outcome.stdout)["findings"]
    assert {finding["code"] for finding in findings} >= {"KL101", "KL401"}
    assert {finding["source"] for finding in findings} == {""}
    assert "PLANTED14" not in outcome.stdout


def test_masking_a_hostile_line_takes_linear_time():
    import time

    from kafkalint.redaction import masked_characters

    # A key could start at every one of these characters and run 200 on: 17 s before.
    line = "a." * 100_000 + "=x"
    started = time.perf_counter()
    masked_characters(line, [(1, 3)])
    assert time.perf_counter() - started < 2
