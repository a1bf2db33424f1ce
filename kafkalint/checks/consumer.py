"""Consumer checks: auto-commit, poll budget, heartbeat/session ratio."""

from __future__ import annotations

from typing import Iterator

from kafkalint.checks import CheckContext, Hit, brief_source, source_phrase, where
from kafkalint.numeric import as_number
from kafkalint.checks.registry import check
from kafkalint.knowledge import effective, group_membership
from kafkalint.model import UNKNOWN, ClientConfig, Dialect, GroupMembership, Severity


@check("KL201")
def auto_commit(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    membership = group_membership(config)
    if membership is GroupMembership.NO_GROUP:
        return  # outside a consumer group nothing is committed
    commit = effective(config, "enable.auto.commit")
    if commit.value is not True:
        return
    if config.dialect is Dialect.LIBRDKAFKA:
        store = effective(config, "enable.auto.offset.store")
        if store.value is UNKNOWN or store.value is False:
            return  # auto-commit of offsets the application stores itself: at-least-once
    if membership is GroupMembership.UNKNOWN:
        # No group.id in sight, and settings kafkalint cannot see (`**conf`): without a group
        # nothing is committed, so this may not apply.
        yield Hit(
            where(config, commit),
            {"source": brief_source(commit), "condition": " (if the consumer joins a group: no group.id is in sight)"},
            severity=Severity.INFO,
        )
        return
    yield Hit(where(config, commit), {"source": brief_source(commit), "condition": ""})


@check("KL202")
def max_poll_records(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    records = effective(config, "max.poll.records")
    if not records.known_key or config.dialect is Dialect.LIBRDKAFKA:
        return  # librdkafka has no max.poll.records
    interval = effective(config, "max.poll.interval.ms")
    record_count, interval_ms = as_number(records.value), as_number(interval.value)
    if record_count is None or record_count <= 0:
        return
    ceiling = context.param("ceiling")
    floor = context.param("per_record_floor_ms")
    if record_count > ceiling:
        yield Hit(where(config, records), {"records": source_phrase(records), "excess": f"is above {ceiling}"})
        return
    if interval_ms is None:
        return
    budget = interval_ms / record_count
    if budget < floor and (records.explicit or interval.explicit):
        location = where(config, records) if records.explicit else where(config, interval)
        yield Hit(
            location,
            {
                "records": source_phrase(records),
                "excess": f"leaves {budget:.0f} ms per record of {source_phrase(interval)}, under {floor} ms",
            },
        )


@check("KL203")
def heartbeat_session_ratio(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    protocol = effective(config, "group.protocol")
    if protocol.value is UNKNOWN:
        return
    if protocol.known_key and str(protocol.value).lower() == "consumer":
        return  # the broker drives heartbeats under the consumer group protocol
    heartbeat = effective(config, "heartbeat.interval.ms")
    session = effective(config, "session.timeout.ms")
    heartbeat_ms, session_ms = as_number(heartbeat.value), as_number(session.value)
    if heartbeat_ms is None or session_ms is None:
        return
    if not (heartbeat.explicit or session.explicit):
        return
    if heartbeat_ms * 3 <= session_ms:
        return
    location = where(config, heartbeat) if heartbeat.explicit else where(config, session)
    yield Hit(location, {"heartbeat": source_phrase(heartbeat), "session": source_phrase(session)})
