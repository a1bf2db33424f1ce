"""Checks run directly on model objects: exact variables and locations, no files, no CLI.

Each family (validity, producer, consumer, secrets, frameworks, read problems) is exercised on
ClientConfig/Setting objects built here, so a check is tested apart from every source.
"""

from __future__ import annotations

from typing import Any

from kafkalint.checks import CheckContext
from kafkalint.checks.consumer import auto_commit, heartbeat_session_ratio, max_poll_records
from kafkalint.checks.frameworks import failure_strategy_ignore
from kafkalint.checks.producer import delivery_timeout_too_small, idempotence_conflict, retries_break_ordering
from kafkalint.checks.registry import check_for
from kafkalint.checks.secrets import plaintext_secret
from kafkalint.checks.validity import config_for_other_role, invalid_config_value, unknown_config_key
from kafkalint.model import (
    UNKNOWN,
    ClientConfig,
    Dialect,
    Location,
    Project,
    Role,
    Setting,
    Severity,
    VersionAssumption,
)
from kafkalint.sources.read_problems import duplicate_key_problem, parse_problem

PATH = "client.properties"


def setting(key: str, value: Any, line: int, **fields: Any) -> Setting:
    raw = fields.pop("raw", str(value))
    return Setting(
        key=key, raw=raw, value=value,
        location=Location(PATH, line, len(key) + 2), key_location=Location(PATH, line, 1),
        written_key=fields.pop("written_key", key), **fields,
    )


def client(role: Role, dialect: Dialect, *settings: Setting, version: str = "3.6", **fields: Any) -> ClientConfig:
    return ClientConfig(
        role=role, dialect=dialect, anchor=Location(PATH, 1, 1), settings={item.key: item for item in settings},
        version=VersionAssumption(dialect, version, "test"), **fields,
    )


def hits(check, target: Any, **parameters: Any) -> list[tuple[int, int, dict[str, Any], Severity | None]]:
    project = Project(clients=[target] if isinstance(target, ClientConfig) else [])
    found = check(target, CheckContext(project, None, parameters))
    return [(hit.location.line, hit.location.column, hit.variables, hit.severity) for hit in found]


# --- producer ----------------------------------------------------------------------------------


def test_retries_with_idempotence_off_report_at_the_idempotence_setting():
    config = client(
        Role.PRODUCER, Dialect.JAVA,
        setting("enable.idempotence", False, 2), setting("max.in.flight.requests.per.connection", 5, 3),
    )
    assert hits(retries_break_ordering, config) == [(2, 1, {
        "in_flight": "5 (line 3)",
        "idempotence": "line 2",
    }, None)]


def test_acks_one_with_explicit_idempotence_is_refused_at_the_acks_line():
    config = client(Role.PRODUCER, Dialect.JAVA, setting("enable.idempotence", True, 1), setting("acks", "1", 2))
    assert hits(idempotence_conflict, config) == [(2, 1, {
        "setting": "acks=1",
        "conflict": "contradicts enable.idempotence=true (line 1): acks must be all",
        "consequence": "the producer refuses to start",
    }, None)]


def test_acks_one_silently_drops_java_default_idempotence_as_a_warning():
    config = client(Role.PRODUCER, Dialect.JAVA, setting("acks", "1", 4))
    [(line, _, variables, severity)] = hits(idempotence_conflict, config)
    assert (line, severity) == (4, Severity.WARNING)
    assert variables["setting"] == "acks=1 (line 4)"
    assert variables["conflict"] == "turns off the default idempotence of java 3.6"
    assert variables["consequence"] == "retries may reorder and duplicate records"


def test_delivery_timeout_below_linger_plus_request_is_refused_by_java():
    config = client(
        Role.PRODUCER, Dialect.JAVA,
        setting("delivery.timeout.ms", 20000, 1), setting("linger.ms", 100, 2), setting("request.timeout.ms", 30000, 3),
    )
    assert hits(delivery_timeout_too_small, config) == [(1, 1, {
        "delivery": "delivery.timeout.ms=20000 (line 1)",
        "linger": "linger.ms=100 (line 2)",
        "request": "request.timeout.ms=30000 (line 3)",
        "total": 30100,
        "consequence": "the Java producer refuses to start (ConfigException)",
    }, None)]


# --- consumer ----------------------------------------------------------------------------------


def test_default_auto_commit_reports_at_the_anchor_with_the_client_default():
    config = client(Role.CONSUMER, Dialect.JAVA, setting("group.id", "billing", 3))
    assert hits(auto_commit, config) == [(1, 1, {"source": "java 3.6 default", "condition": ""}, None)]


def test_librdkafka_auto_commit_with_stored_offsets_is_silent():
    config = client(Role.CONSUMER, Dialect.LIBRDKAFKA, setting("enable.auto.offset.store", False, 2), version="2.6.1")
    assert hits(auto_commit, config) == []


def test_max_poll_records_above_the_ceiling():
    config = client(Role.CONSUMER, Dialect.JAVA, setting("max.poll.records", 5000, 6))
    assert hits(max_poll_records, config, ceiling=1000, per_record_floor_ms=100) == [(6, 1, {
        "records": "max.poll.records=5000 (line 6)", "excess": "is above 1000",
    }, None)]


def test_heartbeat_over_a_third_of_the_session():
    config = client(
        Role.CONSUMER, Dialect.JAVA, setting("session.timeout.ms", 10000, 7), setting("heartbeat.interval.ms", 6000, 8),
    )
    assert hits(heartbeat_session_ratio, config) == [(8, 1, {
        "heartbeat": "heartbeat.interval.ms=6000 (line 8)", "session": "session.timeout.ms=10000 (line 7)",
    }, None)]


# --- validity: typed facts instead of where a value came from ----------------------------------


def test_a_consumer_key_in_a_producer_is_reported_only_when_the_role_is_certain():
    group = setting("group.id", "billing", 3)
    certain = client(Role.PRODUCER, Dialect.JAVA, group, role_certain=True)
    assert hits(config_for_other_role, certain) == [(3, 1, {
        "key": "group.id", "owners": "consumer", "client": "java producer",
    }, None)]
    assert hits(config_for_other_role, client(Role.PRODUCER, Dialect.JAVA, group)) == []


def test_a_shared_setting_is_never_another_roles_key():
    shared = setting("group.id", "billing", 3, shared=True)
    assert hits(config_for_other_role, client(Role.PRODUCER, Dialect.JAVA, shared, role_certain=True)) == []


def test_an_undotted_unknown_key_is_the_applications_own_only_where_the_map_may_hold_such_keys():
    topic = setting("topic", "orders", 4)
    assert hits(unknown_config_key, client(Role.PRODUCER, Dialect.JAVA, topic, may_hold_application_keys=True)) == []
    assert hits(unknown_config_key, client(Role.PRODUCER, Dialect.JAVA, topic)) == [(4, 1, {
        "key": "topic", "client": "java producer", "hint": "",
        "consequence": "the Java client only logs a warning and ignores it", "version": "java 3.6 (test)",
    }, Severity.WARNING)]


def test_a_python_only_key_outside_its_client_class_is_refused():
    serializer = setting("key.serializer", UNKNOWN, 5, python_type="expression")
    config = client(Role.PRODUCER, Dialect.LIBRDKAFKA, serializer, version="2.6.1", client_class="Producer")
    assert hits(unknown_config_key, config) == [(5, 1, {
        "key": "key.serializer", "client": "Producer", "hint": "; only SerializingProducer accepts it",
        "consequence": "librdkafka refuses to create the client", "version": "librdkafka 2.6.1 (test)",
    }, Severity.ERROR)]


def test_a_callback_written_as_a_python_string_is_invalid_but_not_in_a_file():
    in_code = setting("error_cb", "print", 2, python_type="str")
    [(line, _, variables, _)] = hits(invalid_config_value, client(Role.PRODUCER, Dialect.LIBRDKAFKA, in_code, version="2.6.1"))
    assert (line, variables["key"], variables["problem"]) == (2, "error_cb", "it must be a Python callable")
    in_file = setting("error_cb", "print", 2)
    assert hits(invalid_config_value, client(Role.PRODUCER, Dialect.LIBRDKAFKA, in_file, version="2.6.1")) == []


def test_a_python_bool_setting_given_an_int_is_invalid():
    flag = setting("delivery.report.only.error", 1, 3, python_type="int")
    [(_, _, variables, _)] = hits(invalid_config_value, client(Role.PRODUCER, Dialect.LIBRDKAFKA, flag, version="2.6.1"))
    assert variables["problem"] == "confluent-kafka requires a Python bool (True or False) here"


# --- secrets and frameworks --------------------------------------------------------------------


def test_a_literal_password_and_an_inline_jaas_password():
    project = Project(clients=[client(
        Role.PRODUCER, Dialect.JAVA,
        setting("sasl.jaas.config", 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";', 4, secret=True),
        setting("ssl.truststore.password", "truststore-s3cret", 5, secret=True),
    )])
    found = [(hit.location.line, hit.variables) for hit in plaintext_secret(project, CheckContext(project, None, {}))]
    assert found == [
        (4, {"key": "sasl.jaas.config", "secret": "an inline password"}),
        (5, {"key": "ssl.truststore.password", "secret": "a literal secret"}),
    ]


def test_failure_strategy_ignore_names_the_channel():
    strategy = setting("failure-strategy", "ignore", 8)
    config = client(Role.CONSUMER, Dialect.JAVA, channel="orders", failure_strategy=strategy)
    assert hits(failure_strategy_ignore, config) == [(8, 1, {"channel": "orders"}, None)]


# --- problems the sources record ---------------------------------------------------------------


def test_read_problems_carry_the_variables_their_rules_declare():
    from kafkalint.catalogue import load_catalogue

    catalogue = load_catalogue()
    duplicate = duplicate_key_problem("acks", Location(PATH, 2, 1), Location(PATH, 4, 1))
    unreadable = parse_problem("producer.yaml", "invalid YAML", 3, 1)
    for problem in (duplicate, unreadable):
        rule = catalogue.by_name(problem.rule)
        assert set(problem.variables) == set(rule.variables), rule.code
    assert duplicate.variables == {"key": "acks", "line": 4} and duplicate.location.line == 2


def test_every_family_here_is_registered_under_its_rule_code():
    assert check_for("KL003") is unknown_config_key
    assert check_for("KL103") is retries_break_ordering
    assert check_for("KL201") is auto_commit
    assert check_for("KL401") is plaintext_secret
    assert check_for("KL750") is failure_strategy_ignore


def test_a_client_built_from_python_code_records_each_literals_type():
    from kafkalint.sources.clientfile import RawEntry, build_client

    where = Location("app.py", 3, 5)
    entries = [RawEntry("delivery.report.only.error", "true", "'true'", where, where),
               RawEntry("enable.idempotence", True, "True", where, where),
               RawEntry("error_cb", UNKNOWN, "", where, where)]
    code = build_client(entries, "app.py", where, Project(), role=Role.PRODUCER, dialect=Dialect.LIBRDKAFKA, origin="python")
    assert {key: item.python_type for key, item in code.settings.items()} == {
        "delivery.report.only.error": "str", "enable.idempotence": "bool", "error_cb": "expression"}
    in_file = build_client(entries, "p.properties", where, Project(), role=Role.PRODUCER, dialect=Dialect.LIBRDKAFKA)
    assert {item.python_type for item in in_file.settings.values()} == {None}
