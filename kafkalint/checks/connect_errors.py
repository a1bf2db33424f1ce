"""Kafka Connect error handling beyond KL703: the dead letter queue topic itself (one of the
connector's own input topics, too few replicas) and tolerated failures that leave no trace."""

from __future__ import annotations

import re
from typing import Iterator

from kafkalint.checks import CheckContext, Hit, value_text
from kafkalint.checks.connector import is_sink
from kafkalint.checks.registry import check
from kafkalint.model import UNKNOWN, ConnectorConfig, Project, Setting

_DLQ_TOPIC = "errors.deadletterqueue.topic.name"
_DLQ_REPLICATION = "errors.deadletterqueue.topic.replication.factor"


def _known_text(setting: Setting | None) -> str | None:
    """The setting's value as stripped text; None when unset, empty or not knowable."""
    if setting is None or setting.value is UNKNOWN or setting.value is None:
        return None
    text = value_text(setting.value).strip()
    return text or None


def _dead_letter_topic(connector: ConnectorConfig) -> str | None:
    return _known_text(connector.get(_DLQ_TOPIC))


def _is_true(setting: Setting | None) -> bool:
    text = _known_text(setting)
    return text is not None and text.lower() == "true"


def _input_topic_match(connector: ConnectorConfig, topic: str) -> Setting | None:
    """The `topics` or `topics.regex` setting that makes the connector consume `topic`."""
    topics = connector.get("topics")
    listed = _known_text(topics)
    if listed is not None and topic in (name.strip() for name in listed.split(",")):
        return topics
    regex = connector.get("topics.regex")
    pattern = _known_text(regex)
    if pattern is not None:
        try:
            # Connect tests the DLQ topic with Pattern.matcher(topic).matches(): a whole match.
            if re.fullmatch(pattern, topic):
                return regex
        except re.error:
            return None  # a Java-only construct: not judged
    return None


@check("KL711")
def dead_letter_topic_is_input(project: Project, context: CheckContext) -> Iterator[Hit]:
    for connector in project.connectors:
        topic = _dead_letter_topic(connector)
        if topic is None:
            continue
        consumed = _input_topic_match(connector, topic)
        if consumed is None:
            continue
        dead_letter = connector.get(_DLQ_TOPIC)
        yield Hit(
            dead_letter.key_location,
            {"connector": connector.name, "topic": topic, "input_key": consumed.key, "input_line": consumed.key_location.line},
            related=(consumed.key_location,),
        )


@check("KL712")
def dead_letter_topic_under_replicated(project: Project, context: CheckContext) -> Iterator[Hit]:
    minimum = int(context.param("minimum"))
    for connector in project.connectors:
        if _dead_letter_topic(connector) is None:
            continue  # no dead letter queue: the replication factor is never used
        replication = connector.get(_DLQ_REPLICATION)
        text = _known_text(replication)
        if text is None:
            continue  # the default (3), or not knowable
        try:
            value = int(text)
        except ValueError:
            continue  # KL004's business
        if value == -1 or value >= minimum:
            continue  # -1: the broker's default.replication.factor decides
        yield Hit(replication.key_location, {"connector": connector.name, "value": value, "minimum": minimum})


@check("KL713")
def tolerated_errors_leave_no_trace(project: Project, context: CheckContext) -> Iterator[Hit]:
    for connector in project.connectors:
        tolerance = connector.get("errors.tolerance")
        text = _known_text(tolerance)
        if text is None or text.lower() != "all":
            continue
        if _dead_letter_topic(connector) is not None:
            continue  # failed records are kept in the dead letter queue
        if is_sink(connector) is True:
            continue  # a sink without a dead letter queue is KL703's finding
        log = connector.get("errors.log.enable")
        if log is not None and log.value is UNKNOWN:
            continue
        if _is_true(log):
            continue
        yield Hit(tolerance.key_location, {"connector": connector.name})
