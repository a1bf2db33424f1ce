"""Kafka Connect checks over ConnectorConfig, whichever file the connector came from (Strimzi
KafkaConnector, Connect REST JSON, connector .properties), and the Connect workers a floor
rule (KL752, template setting-below-floor) judges."""

from __future__ import annotations

from typing import Iterator

from kafkalint.checks import CheckContext, Hit
from kafkalint.checks.registry import check
from kafkalint.knowledge.strimzi import connector_facts
from kafkalint.model import ConnectorConfig, Project


def is_sink(connector: ConnectorConfig) -> bool | None:
    """True for a sink connector, False for a source, None when neither can be told."""
    markers = connector_facts()["sink_markers"]["keys"]
    if any(key in connector.settings for key in markers):
        return True
    name = (connector.connector_class or "").rsplit(".", 1)[-1].lower()
    if "sink" in name:
        return True
    if "source" in name:
        return False
    return None


@check("KL703")
def connect_errors_tolerance_without_dlq(project: Project, context: CheckContext) -> Iterator[Hit]:
    for connector in project.connectors:
        tolerance = connector.get("errors.tolerance")
        if tolerance is None or str(tolerance.value).strip().lower() != "all":
            continue
        if is_sink(connector) is not True:
            continue  # source connectors have no dead letter queue; unknown kinds are not judged
        queue = connector.get("errors.deadletterqueue.topic.name")
        if queue is not None and str(queue.value or "").strip():
            continue
        yield Hit(tolerance.key_location, {"connector": connector.name})
