"""MirrorMaker 2 (Strimzi KafkaMirrorMaker2): the topics MirrorMaker creates on the target
cluster (mirrored topics, offset syncs, checkpoints, heartbeats) with too few replicas."""

from __future__ import annotations

from typing import Any, Iterator

from kafkalint.checks import CheckContext, Hit, value_text
from kafkalint.checks.registry import check
from kafkalint.model import UNKNOWN

# connector section of a mirror -> replication keys it reads, and what each topic holds.
_SECTIONS = {
    "sourceConnector": {
        "replication.factor": "the mirrored topics",
        "offset-syncs.topic.replication.factor": "the offset syncs that translate consumer offsets",
    },
    "checkpointConnector": {"checkpoints.topic.replication.factor": "the consumer group checkpoints"},
    "heartbeatConnector": {"heartbeats.topic.replication.factor": "the heartbeats"},
}


@check("KL714")
def mirror_maker_topic_replication(resource: Any, context: CheckContext) -> Iterator[Hit]:
    from kafkalint.sources.strimzi import config_settings

    minimum = int(context.param("minimum"))
    mirrors = resource.at("spec", "mirrors")
    if mirrors is None or not mirrors.is_list:
        return
    for mirror in mirrors.value:
        if not mirror.is_map:
            continue
        for section, keys in _SECTIONS.items():
            connector = mirror.get(section)
            if connector is None or not connector.is_map:
                continue
            settings = config_settings(connector.get("config"))
            for key, holds in keys.items():
                setting = settings.get(key)
                if setting is None or setting.value is UNKNOWN:
                    continue
                try:
                    value = int(value_text(setting.value).strip())
                except ValueError:
                    continue
                if value == -1 or value >= minimum:
                    continue  # -1: the target broker's default.replication.factor decides
                yield Hit(setting.key_location, {
                    "resource": resource.describe(), "key": key, "value": value, "minimum": minimum, "holds": holds,
                })
