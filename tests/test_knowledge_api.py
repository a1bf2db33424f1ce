"""The knowledge query API: typed values per client, ranges and allowed values per version,
defaults per role and version, known keys and suggestions."""

from __future__ import annotations

import pytest

from kafkalint.knowledge import (
    InvalidValue,
    catalogue,
    coerce,
    effective,
    is_known_key,
    make_setting,
    value_problem,
)
from kafkalint.knowledge.suggestions import suggest
from kafkalint.model import UNKNOWN, ClientConfig, Dialect, Location, Role, VersionAssumption

HERE = Location("client.properties", 1, 1)


def _info(dialect: Dialect, key: str):
    info = catalogue(dialect).info(key)
    assert info is not None, key
    return info


def _client(dialect: Dialect, role: Role, version: str, **settings) -> ClientConfig:
    config = ClientConfig(role=role, dialect=dialect, anchor=HERE, version=VersionAssumption(dialect, version, "test"))
    for key, value in settings.items():
        setting, _problem = make_setting(dialect, key.replace("_", "."), value, HERE, HERE)
        config.settings[setting.key] = setting
    return config


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12abc", 12), (" 5", 5), ("0x10", 16), ("010", 8), ("+7", 7), ("99999999999", 1215752191), (5.7, 5)],
)
def test_librdkafka_reads_integers_like_strtol(text, expected):
    assert coerce(_info(Dialect.LIBRDKAFKA, "batch.num.messages"), text) == expected


@pytest.mark.parametrize("text", ["abc", "", True])
def test_librdkafka_refuses_integers_without_a_number_prefix(text):
    with pytest.raises(InvalidValue):
        coerce(_info(Dialect.LIBRDKAFKA, "batch.num.messages"), text)


@pytest.mark.parametrize(("text", "expected"), [("t", True), ("TRUE", True), ("0", False), (1, True), ("F", False)])
def test_librdkafka_booleans(text, expected):
    assert coerce(_info(Dialect.LIBRDKAFKA, "enable.idempotence"), text) is expected


@pytest.mark.parametrize("text", ["yes", " true", "2", ""])
def test_librdkafka_refuses_other_booleans(text):
    with pytest.raises(InvalidValue):
        coerce(_info(Dialect.LIBRDKAFKA, "enable.idempotence"), text)


def test_java_is_strict_about_numbers_and_sizes():
    info = _info(Dialect.JAVA, "max.poll.records")
    assert coerce(info, " 200 ") == 200
    for text in ("12abc", "1_000", "5.0", "99999999999"):
        with pytest.raises(InvalidValue):
            coerce(info, text)
    with pytest.raises(InvalidValue):
        coerce(_info(Dialect.JAVA, "enable.idempotence"), "t")


def test_acks_values_differ_between_java_and_librdkafka():
    java = _info(Dialect.JAVA, "acks")
    assert value_problem(java, coerce(java, "2"), "3.7") == "'2' is not one of the accepted values (all, -1, 0, 1)"
    assert value_problem(java, coerce(java, "-1"), "3.7") is None
    librdkafka = _info(Dialect.LIBRDKAFKA, "acks")
    assert value_problem(librdkafka, coerce(librdkafka, "2"), "2.6") is None
    assert value_problem(librdkafka, coerce(librdkafka, "ALL"), "2.6") is None
    assert value_problem(librdkafka, coerce(librdkafka, "1001"), "2.6") == "1001 is outside the allowed range -1..1000"


def test_allowed_values_follow_the_version():
    lookup = _info(Dialect.JAVA, "client.dns.lookup")
    assert value_problem(lookup, "default", "2.8") is None
    assert "not one of the accepted values" in value_problem(lookup, "default", "3.0")
    reset = _info(Dialect.JAVA, "auto.offset.reset")
    assert value_problem(reset, "by_duration:PT1H", "4.0") is None
    assert value_problem(reset, "by_duration:PT1H", "3.9") is not None
    assert value_problem(reset, "smallest", "4.1") is not None


def test_librdkafka_enums_are_case_blind_except_the_ones_checked_at_creation():
    assert value_problem(_info(Dialect.LIBRDKAFKA, "auto.offset.reset"), "EARLIEST", "2.6") is None
    assert value_problem(_info(Dialect.LIBRDKAFKA, "partitioner"), "Murmur2", "2.6") is not None
    strategy = _info(Dialect.LIBRDKAFKA, "partition.assignment.strategy")
    assert value_problem(strategy, "range, roundrobin", "2.6") is None
    assert value_problem(strategy, "Range", "2.6") is not None


def test_defaults_follow_version_and_role():
    assert effective(_client(Dialect.JAVA, Role.PRODUCER, "2.8"), "enable.idempotence").value is False
    assert effective(_client(Dialect.JAVA, Role.PRODUCER, "3.0"), "enable.idempotence").value is True
    assert effective(_client(Dialect.JAVA, Role.PRODUCER, "3.7"), "receive.buffer.bytes").value == 32768
    assert effective(_client(Dialect.JAVA, Role.CONSUMER, "3.7"), "receive.buffer.bytes").value == 65536
    assert effective(_client(Dialect.JAVA, Role.ADMIN, "3.8"), "enable.metrics.push").value is True
    assert effective(_client(Dialect.JAVA, Role.ADMIN, "4.0"), "enable.metrics.push").value is False
    assert effective(_client(Dialect.JAVA, Role.ADMIN, "4.0"), "connections.max.idle.ms").value == 300000


def test_effective_value_reports_explicit_settings_and_unknowns():
    config = _client(Dialect.LIBRDKAFKA, Role.PRODUCER, "2.6", linger_ms="20")
    eff = effective(config, "linger.ms")
    assert (eff.key, eff.value, eff.explicit) == ("queue.buffering.max.ms", 20.0, True)
    config.all_settings_known = False
    assert effective(config, "batch.num.messages").value is UNKNOWN


def test_known_keys_depend_on_the_version():
    assert is_known_key(Dialect.JAVA, "group.protocol", "3.7")
    assert not is_known_key(Dialect.JAVA, "group.protocol", "3.6")
    assert not is_known_key(Dialect.JAVA, "auto.include.jmx.reporter", "4.0")
    assert is_known_key(Dialect.LIBRDKAFKA, "error_cb")
    assert not is_known_key(Dialect.LIBRDKAFKA, "max.poll.record")


@pytest.mark.parametrize(
    ("dialect", "written", "expected"),
    [
        (Dialect.JAVA, "max.poll.record", "max.poll.records"),
        (Dialect.JAVA, "max-poll-records", "max.poll.records"),
        (Dialect.JAVA, "maxPollRecords", "max.poll.records"),
        (Dialect.JAVA, "bootstrap_servers", "bootstrap.servers"),
        (Dialect.JAVA, "enable.idempotency", "enable.idempotence"),
        (Dialect.LIBRDKAFKA, "sasl.mechanism.x", "sasl.mechanisms"),
        (Dialect.KAFKA_PYTHON, "max_poll_record", "max_poll_records"),
    ],
)
def test_suggestions_fix_the_usual_slips(dialect, written, expected):
    assert suggest(dialect, written, Role.CONSUMER)[0] == expected


def test_no_suggestion_for_a_key_that_resembles_nothing():
    assert suggest(Dialect.JAVA, "completely.unrelated.thing") == []
