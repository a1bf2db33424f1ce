"""Quarkus Kafka Streams configuration becomes a streams client per profile, with locations."""

from __future__ import annotations

from kafkalint.model import Framework, Project, Role
from kafkalint.sources import read_text_as

TEXT = """\
quarkus.kafka-streams.application-id=temperature-aggregator
quarkus.kafka-streams.topics=weather-stations
kafka-streams.commit.interval.ms=1000
%test.kafka-streams.state.dir=target/stores
"""


def _clients(text: str, display: str = "src/main/resources/application.properties"):
    project = Project()
    read_text_as(text, display, "properties", project)
    return project.clients


def test_quarkus_streams_keys_make_one_streams_client_per_profile():
    clients = {client.profile: client for client in _clients(TEXT)}
    assert set(clients) == {None, "test"}
    main = clients[None]
    assert main.role is Role.STREAMS and main.framework is Framework.QUARKUS
    assert main.settings["application.id"].value == "temperature-aggregator"
    assert main.settings["commit.interval.ms"].key_location.line == 3
    assert "topics" not in main.settings  # an extension property, not a Streams key
    assert clients["test"].settings["state.dir"].key_location.line == 4


def test_streams_keys_outside_an_application_file_are_not_read_as_quarkus():
    assert [client for client in _clients(TEXT, "config/other.properties") if client.role is Role.STREAMS] == []
