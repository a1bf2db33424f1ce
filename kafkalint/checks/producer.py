"""Producer checks: ordering under retries, idempotence conflicts, delivery timeout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from kafkalint.checks import CheckContext, Hit, brief_source, shown, source_phrase, where
from kafkalint.checks.registry import check
from kafkalint.knowledge import Effective, effective, idempotence_conflicts, version_tuple
from kafkalint.model import UNKNOWN, ClientConfig, Dialect, Severity
from kafkalint.numeric import as_number




def _unknown(*values: Effective) -> bool:
    return any(value.value is UNKNOWN for value in values)


@dataclass(slots=True, frozen=True)
class IdempotenceState:
    """Whether the producer runs idempotent (True / False / UNKNOWN), why, and which setting decided it."""

    enabled: Any
    why: str
    cause: str | None = None


def idempotence_state(config: ClientConfig) -> IdempotenceState:
    idempotence = effective(config, "enable.idempotence")
    if idempotence.value is UNKNOWN:
        return IdempotenceState(UNKNOWN, "enable.idempotence cannot be known statically")
    if idempotence.value is not True:
        return IdempotenceState(False, source_phrase(idempotence), idempotence.implied_from or "enable.idempotence")
    if idempotence.explicit or idempotence.implied_by:
        return IdempotenceState(True, source_phrase(idempotence))
    acks = effective(config, "acks")
    retries = effective(config, "retries")
    in_flight = effective(config, "max.in.flight.requests.per.connection")
    if _unknown(acks, retries, in_flight):
        return IdempotenceState(UNKNOWN, "settings idempotence depends on cannot be known statically")
    return IdempotenceState(True, source_phrase(idempotence))


def _requested(idempotence: Effective) -> bool:
    """Idempotence the user asked for (explicitly, or through transactional.id): conflicts refuse to start."""
    return idempotence.value is True and (idempotence.explicit or bool(idempotence.implied_by))


@check("KL102")
def acks_leader_only(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    acks = effective(config, "acks")
    if acks.value != "1":
        return
    state = idempotence_state(config)
    also = ""
    if state.cause == "acks":
        also = "; idempotence is off too, so retries may reorder"
    elif _old_client_defaults(config, acks) and _reordering(config, state) is not None:
        # One mistake: a client old enough to default to acks=1 and no idempotence (Java before
        # 3.0); retries-break-ordering stands down for this finding.
        also = f"; idempotence is off too ({brief_source(effective(config, 'enable.idempotence'))}), so retries may reorder"
    yield Hit(where(config, acks), {"acks": source_phrase(acks), "also": also}, cause="acks")


def _old_client_defaults(config: ClientConfig, acks: Effective) -> bool:
    """acks=1 and idempotence off both because the client version defaults to them."""
    if acks.explicit or acks.value != "1":
        return False
    idempotence = effective(config, "enable.idempotence")
    return idempotence.value is False and not idempotence.explicit and not idempotence.implied_by


@check("KL103")
def retries_break_ordering(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    state = idempotence_state(config)
    found = _reordering(config, state)
    if found is None:
        return
    location, variables = found
    acks = effective(config, "acks")
    # With acks=1 and idempotence both the version's defaults, producer-acks-leader-only reports
    # the two in one finding and this one stands down for it.
    yield Hit(location, variables, cause="acks" if _old_client_defaults(config, acks) else state.cause)


def _reordering(config: ClientConfig, state: IdempotenceState) -> tuple[Any, dict[str, str]] | None:
    """Where and how retries may reorder records (idempotence off, retries on, more than one
    request in flight), or None."""
    if state.enabled is UNKNOWN or state.enabled is True:
        return None
    acks = effective(config, "acks")
    if acks.value is UNKNOWN or acks.value == "0":
        return None  # with acks=0 no error comes back, so nothing is retried
    retries = effective(config, "retries")
    in_flight = effective(config, "max.in.flight.requests.per.connection")
    retry_count, in_flight_count = as_number(retries.value), as_number(in_flight.value)
    if retry_count is None or in_flight_count is None:
        return None
    if retry_count <= 0 or in_flight_count <= 1:
        return None
    idempotence = effective(config, "enable.idempotence")
    location = where(config, idempotence) if idempotence.explicit else where(config, in_flight)
    count = shown(in_flight) + (f" (line {in_flight.setting.location.line})" if in_flight.explicit else "")
    return location, {"in_flight": count, "idempotence": brief_source(idempotence)}


@check("KL104")
def idempotence_conflict(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    idempotence = effective(config, "enable.idempotence")
    if idempotence.value is UNKNOWN:
        return
    if _requested(idempotence):
        if not idempotence.explicit and config.dialect is Dialect.LIBRDKAFKA:
            return  # librdkafka's transactional conflicts are config-constraint-violation's finding
        requested_by = source_phrase(idempotence) if idempotence.explicit else f"idempotence ({idempotence.implied_by})"
        for eff, complaint in idempotence_conflicts(config):
            yield Hit(
                where(config, eff),
                {
                    "setting": f"{eff.key}={shown(eff)}",
                    "conflict": f"contradicts {requested_by}: {complaint}",
                    "consequence": "the producer refuses to start",
                },
                cause="enable.idempotence",
            )
        return
    transactional = effective(config, "transactional.id")
    if idempotence.explicit and idempotence.value is False and transactional.explicit and transactional.known and transactional.value:
        yield Hit(
            where(config, idempotence),
            {
                "setting": "enable.idempotence=false",
                "conflict": f"with transactional.id (line {transactional.setting.key_location.line})",
                "consequence": "the producer refuses to start",
            },
            cause="enable.idempotence",
        )
        return
    if idempotence.explicit or not idempotence.implied_by.startswith("turned off"):
        return
    if config.dialect is Dialect.JAVA and version_tuple(idempotence.version.version) < (3, 0):
        return
    for eff, _complaint in idempotence_conflicts(config):
        yield Hit(
            where(config, eff),
            {
                "setting": source_phrase(eff),
                "conflict": f"turns off the default idempotence of {idempotence.version.dialect.value} {idempotence.version.version}",
                "consequence": "retries may reorder and duplicate records",
            },
            severity=Severity.WARNING,
            cause=eff.key,
        )


@check("KL105")
def delivery_timeout_too_small(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    delivery = effective(config, "delivery.timeout.ms")
    linger = effective(config, "linger.ms")
    request = effective(config, "request.timeout.ms")
    values = [as_number(delivery.value), as_number(linger.value), as_number(request.value)]
    if any(value is None for value in values):
        return
    if not (delivery.explicit or linger.explicit or request.explicit):
        return
    total = values[1] + values[2]
    if values[0] == 0 and config.dialect is Dialect.LIBRDKAFKA:
        return  # librdkafka: 0 means no delivery timeout at all
    if values[0] >= total:
        return
    if config.dialect is Dialect.JAVA:
        if delivery.explicit:
            consequence = "the Java producer refuses to start (ConfigException)"
        else:
            return  # Java raises its default delivery.timeout.ms to fit; nothing breaks
        severity = None
    else:
        consequence = "records can expire before one request round-trip completes"
        severity = Severity.WARNING if values[0] > values[1] else None
    yield Hit(
        where(config, delivery) if delivery.explicit else where(config, linger if linger.explicit else request),
        {
            "delivery": source_phrase(delivery),
            "linger": source_phrase(linger),
            "request": source_phrase(request),
            "total": int(total),
            "consequence": consequence,
        },
        severity=severity,
    )
