"""What plaintext-secret takes for a secret value, and what it leaves alone."""

from __future__ import annotations

COMPOSE_BROKER_WITH_CREDENTIAL_FILES = """\
services:
  broker:
    image: confluentinc/cp-kafka:7.6.0
    environment:
      KAFKA_SSL_KEYSTORE_FILENAME: broker.keystore.jks
      KAFKA_SSL_KEYSTORE_CREDENTIALS: broker_keystore_creds
      KAFKA_SSL_KEY_CREDENTIALS: broker_sslkey_creds
      KAFKA_SSL_TRUSTSTORE_CREDENTIALS: broker_truststore_creds
      CONFLUENT_METRICS_REPORTER_SASL_JAAS_CONFIG: org.apache.kafka.common.security.plain.PlainLoginModule required username="client" password="client-secret";
"""


def test_confluent_image_credentials_variables_name_files_and_a_metrics_jaas_line_is_a_secret(lint):
    result = lint({"docker-compose.yml": COMPOSE_BROKER_WITH_CREDENTIAL_FILES}, select=["KL401"])
    assert [(f.location.line, f.location.column) for f in result.findings] == [(9, 7)]
    assert "CONFLUENT_METRICS_REPORTER_SASL_JAAS_CONFIG holds an inline password" in result.findings[0].message
    assert "client-secret" not in result.findings[0].message + result.findings[0].snippet


def test_a_templated_jaas_variable_is_not_judged(lint):
    compose = COMPOSE_BROKER_WITH_CREDENTIAL_FILES.replace('password="client-secret"', 'password="${METRICS_PASSWORD}"')
    assert lint({"docker-compose.yml": compose}, select=["KL401"]).findings == []


def test_stand_ins_are_recognised_as_such():
    from kafkalint.sources.placeholders import is_stand_in

    for text in ("<password>", "<my-kafka-api-key", "{API Secret or Password}", "CCLOUD_API_KEY", "_ADMIN_PASS_", "TOKEN", "changeme", "****"):
        assert is_stand_in(text), text
    for text in ("hunter2", "broker-secret", "111111", "client-secret", "S3cret!", "<a<b", "<!--x"):
        assert not is_stand_in(text), text


def test_a_flag_or_a_provider_name_under_a_token_or_credentials_key_is_no_secret(tmp_path):
    """cp-all-in-one's OAuth broker: `...refresh.token.enabled: 'true'` and
    `...http.auth.credentials.provider: OAUTHBEARER` were KL401 findings, and their values
    were then masked in every other message (`enable.auto.commit=****`, `sasl.mechanism=****`)."""
    from tests.conftest import lint_files

    compose = (
        "services:\n"
        "  broker:\n"
        "    image: confluentinc/cp-server:7.8.0\n"
        "    environment:\n"
        "      KAFKA_BROKER_ID: 1\n"
        "      KAFKA_ZOOKEEPER_CONNECT: zookeeper:2181\n"
        "      KAFKA_CONFLUENT_OIDC_IDP_REFRESH_TOKEN_ENABLED: 'true'\n"
        "      KAFKA_KAFKA_REST_CONFLUENT_METADATA_HTTP_AUTH_CREDENTIALS_PROVIDER: OAUTHBEARER\n"
        "      KAFKA_CONFLUENT_TELEMETRY_EXPORTER_C3PLUSPLUS_API_SECRET: dummy\n"
    )
    consumer = "group.id=console\nsasl.mechanism=OAUTHBEARER\nsecurity.protocol=SASL_SSL\n"
    result = lint_files(tmp_path, {"docker-compose.yml": compose, "consumer.properties": consumer}, select=["KL401", "KL201"])
    assert [(f.code, f.location.path) for f in result.findings] == [("KL201", "consumer.properties")]
    assert "enable.auto.commit=true (java" in result.findings[0].message


def test_a_literal_true_is_never_a_masked_text(tmp_path):
    from kafkalint.model import Location, Project, Setting
    from kafkalint.redaction import redact_text, secret_texts
    from kafkalint.model import BrokerConfig

    broker = BrokerConfig(Location("server.properties", 1, 1))
    broker.settings["x.password.enabled"] = Setting(
        "x.password.enabled", "true", True, Location("server.properties", 1, 20), Location("server.properties", 1, 1), secret=True
    )
    project = Project()
    project.brokers.append(broker)
    assert secret_texts(project) == frozenset()
    assert redact_text("enable.auto.commit=true", secret_texts(project)) == "enable.auto.commit=true"
