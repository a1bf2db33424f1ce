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

    for text in ("<password>", "<my-kafka-api-key", "{API Secret or Password}", "CCLOUD_API_KEY", "_ADMIN_PASS_", "TOKEN", "changeme", "****", "password", "Secret", "api-key"):
        assert is_stand_in(text), text
    for text in ("hunter2", "broker-secret", "111111", "client-secret", "S3cret!", "<a<b", "<!--x", "password1", "letmein"):
        assert not is_stand_in(text), text


def _cp_server_broker(*environment: str) -> str:
    """A compose file of one cp-server broker whose environment ends with these lines (from line 7)."""
    lines = ["services:", "  broker:", "    image: confluentinc/cp-server:7.8.0", "    environment:",
             "      KAFKA_BROKER_ID: 1", "      KAFKA_ZOOKEEPER_CONNECT: zookeeper:2181"]
    return "\n".join([*lines, *(f"      {line}" for line in environment)]) + "\n"


def test_a_flag_or_a_provider_name_under_a_token_or_credentials_key_is_no_secret(tmp_path):
    """cp-all-in-one's OAuth broker: `...refresh.token.enabled: 'true'` and
    `...http.auth.credentials.provider: OAUTHBEARER` were KL401 findings, and their values
    were then masked in every other message (`enable.auto.commit=****`, `sasl.mechanism=****`)."""
    from tests.conftest import lint_files

    compose = _cp_server_broker(
        "KAFKA_CONFLUENT_OIDC_IDP_REFRESH_TOKEN_ENABLED: 'true'",
        "KAFKA_KAFKA_REST_CONFLUENT_METADATA_HTTP_AUTH_CREDENTIALS_PROVIDER: OAUTHBEARER",
        "KAFKA_CONFLUENT_TELEMETRY_EXPORTER_C3PLUSPLUS_API_SECRET: dummy",
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


def test_a_user_info_of_the_words_username_and_password_is_a_template(tmp_path):
    """julie's example: `basic.auth.user.info=username:password` was an "inline password"
    warning; the same line with a real-looking password still is one."""
    from tests.conftest import lint_files

    template = "bootstrap.servers=broker:9092\ngroup.id=orders\nenable.auto.commit=false\nbasic.auth.user.info=username:password\n"
    result = lint_files(tmp_path, {"client.properties": template}, select=["KL401"])
    assert result.findings == []
    literal = template.replace("username:password", "professor:hunter2")
    result = lint_files(tmp_path, {"client.properties": literal}, select=["KL401"])
    assert [(f.code, f.location.line) for f in result.findings] == [("KL401", 4)]
    assert "basic.auth.user.info holds an inline password" in result.findings[0].message


def test_a_listener_named_token_makes_none_of_its_settings_secret(tmp_path):
    """julie's RBAC compose names listeners TOKEN and TOKENE: their `security.protocol` (SSL)
    was "a literal secret", and `sasl.enabled.mechanisms` (OAUTHBEARER) was masked in every
    message, down to another file's `sasl.mechanism=****`. The listener's keystore password is
    still a secret."""
    from tests.conftest import lint_files

    compose = _cp_server_broker(
        "KAFKA_LISTENER_NAME_TOKEN_SECURITY_PROTOCOL: SSL",
        "KAFKA_LISTENER_NAME_TOKEN_SASL_ENABLED_MECHANISMS: OAUTHBEARER",
        "KAFKA_LISTENER_NAME_TOKEN_SSL_KEYSTORE_PASSWORD: hunter2",
    )
    client = "sasl.mechanism=OAUTHBEARER\nsecurity.protocol=SASL_PLAINTEXT\ngroup.id=fry\nenable.auto.commit=false\n"
    result = lint_files(tmp_path, {"docker-compose.yml": compose, "fry.properties": client}, select=["KL401", "KL410"])
    assert [(f.code, f.location.path, f.location.line) for f in result.findings] == [
        ("KL401", "docker-compose.yml", 9), ("KL410", "fry.properties", 2),
    ]
    assert "listener.name.token.ssl.keystore.password holds a literal secret" in result.findings[0].message
    assert "sasl.mechanism=OAUTHBEARER" in result.findings[1].message


def test_the_listener_name_is_left_out_of_the_secret_judgement():
    from kafkalint.knowledge import looks_secret
    from kafkalint.redaction import is_secret_key

    for key in ("listener.name.token.security.protocol", "KAFKA_LISTENER_NAME_SECRETS_SSL_KEYSTORE_LOCATION",
                "listener.name.token.sasl.enabled.mechanisms", "sasl.enabled.mechanisms"):
        assert not is_secret_key(key), key
    for key in ("listener.name.token.ssl.keystore.password", "KAFKA_LISTENER_NAME_INTERNAL_SSL_KEY_PASSWORD",
                "listener.name.sasl_ssl.plain.sasl.jaas.config"):
        assert is_secret_key(key), key
    assert not looks_secret("listener.name.token.security.protocol")
    assert looks_secret("listener.name.token.ssl.truststore.password")
    assert looks_secret("listener.name.external.sasl.jaas.config")


def test_a_secret_is_masked_where_it_stands_as_a_value_not_inside_a_longer_word():
    from kafkalint.redaction import redact_text

    secrets = frozenset({"confluent", "!S3cret"})
    assert redact_text("confluent.metadata.server.ssl.key.password holds a literal secret", secrets) == (
        "confluent.metadata.server.ssl.key.password holds a literal secret"
    )
    assert redact_text("io.confluent.kafka and confluentinc/cp-server", secrets) == "io.confluent.kafka and confluentinc/cp-server"
    assert redact_text("password=confluent (line 3)", secrets) == "password=**** (line 3)"
    assert redact_text('password="confluent"; user confluent.', secrets) == 'password="****"; user ****.'
    assert redact_text("token=x!S3cret and !S3cretive", secrets) == "token=x**** and !S3cretive"
    assert redact_text("sasl://user:confluent@host", secrets) == "sasl://user:****@host"


def test_a_password_software_ships_as_its_published_default_is_no_secret(tmp_path):
    """kineticedge's tiered-storage demo gives the broker MinIO's default minioadmin (4 KL401
    warnings); the JDK truststore's changeit is the same kind of value. Any other stays one."""
    from tests.conftest import lint_files

    client = (
        "bootstrap.servers=broker:9093\ngroup.id=orders\nenable.auto.commit=false\nsecurity.protocol=SSL\n"
        "ssl.truststore.location=/etc/ssl/cacerts\nssl.truststore.password=changeit\n"
    )
    broker = "rsm.config.storage.aws.access.key.id=minioadmin\nrsm.config.storage.aws.secret.access.key=minioadmin\n"
    result = lint_files(tmp_path, {"client.properties": client, "server.properties": broker}, select=["KL401"])
    assert result.findings == []
    result = lint_files(tmp_path, {"client.properties": client.replace("changeit", "changeit2")}, select=["KL401"])
    assert [(f.code, f.location.path, f.location.line) for f in result.findings] == [("KL401", "client.properties", 6)]
