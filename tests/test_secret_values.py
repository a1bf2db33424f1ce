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
