"""Producer checks: ordering under retries, idempotence conflicts, delivery timeout."""

from __future__ import annotations

from typing import Any, Iterator

from kafkalint.checks import CheckContext, Hit, shown, source_phrase, where
from kafkalint.checks.registry import check
from kafkalint.knowledge import IDEMPOTENCE_MAX_IN_FLIGHT, Effective, effective, version_tuple
from kafkalint.model import UNKNOWN, ClientConfig, Dialect, Severity
from kafkalint.numeric import as_number




def _unknown(*values: Effective) -> bool:
    return any(value.value is UNKNOWN for value in values)


def idempotence_conflicts(config: ClientConfig) -> list[tuple[Effective, str]]:
    """Explicit settings that contradict idempotence, each with the client's own complaint.

    Every client treats only *explicit* values as conflicts: with idempotence on, an unset
    acks becomes all, unset retries stay positive and an unset in-flight limit drops to 5.
    """
    conflicts: list[tuple[Effective, str]] = []
    acks = effective(config, "acks")
    retries = effective(config, "retries")
    in_flight = effective(config, "max.in.flight.requests.per.connection")
    if acks.explicit and acks.known and acks.value != "all":
        conflicts.append((acks, "acks must be all"))
    if retries.explicit and as_number(retries.value) == 0:
        conflicts.append((retries, "retries must be greater than 0"))
    if in_flight.explicit and (as_number(in_flight.value) or 0) > IDEMPOTENCE_MAX_IN_FLIGHT:
        conflicts.append((in_flight, f"max.in.flight.requests.per.connection must be at most {IDEMPOTENCE_MAX_IN_FLIGHT}"))
    return conflicts


def idempotence_state(config: ClientConfig) -> tuple[Any, str]:
    """(True / False / UNKNOWN, why) for whether the producer actually runs idempotent."""
    idempotence = effective(config, "enable.idempotence")
    if idempotence.value is UNKNOWN:
        return UNKNOWN, "enable.idempotence cannot be known statically"
    if idempotence.value is not True:
        return False, source_phrase(idempotence)
    if idempotence.explicit:
        return True, source_phrase(idempotence)
    # On by default (Java 3.0+): the Java client silently turns it off when another setting
    # contradicts it instead of refusing to start.
    conflicts = idempotence_conflicts(config)
    if conflicts:
        reasons = ", ".join(source_phrase(eff) for eff, _ in conflicts)
        return False, f"turned off by {reasons}"
    acks = effective(config, "acks")
    retries = effective(config, "retries")
    in_flight = effective(config, "max.in.flight.requests.per.connection")
    if _unknown(acks, retries, in_flight):
        return UNKNOWN, "settings idempotence depends on cannot be known statically"
    return True, source_phrase(idempotence)


def effective_in_flight(config: ClientConfig, idempotent: bool) -> Effective:
    in_flight = effective(config, "max.in.flight.requests.per.connection")
    if idempotent and not in_flight.explicit and (as_number(in_flight.value) or 0) > IDEMPOTENCE_MAX_IN_FLIGHT:
        # librdkafka lowers its default 1000000 to 5 when idempotence is on.
        return Effective(in_flight.key, IDEMPOTENCE_MAX_IN_FLIGHT, None, in_flight.version)
    return in_flight


@check("KL103")
def retries_break_ordering(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    idempotent, why = idempotence_state(config)
    if idempotent is UNKNOWN or idempotent is True:
        return
    acks = effective(config, "acks")
    if acks.value is UNKNOWN or acks.value == "0":
        return  # with acks=0 nothing is ever retried: KL101 is the finding that matters
    retries = effective(config, "retries")
    in_flight = effective_in_flight(config, False)
    retry_count, in_flight_count = as_number(retries.value), as_number(in_flight.value)
    if retry_count is None or in_flight_count is None:
        return
    if retry_count <= 0 or in_flight_count <= 1:
        return
    idempotence = effective(config, "enable.idempotence")
    location = where(config, idempotence) if idempotence.explicit else where(config, in_flight)
    yield Hit(
        location,
        {"in_flight": source_phrase(in_flight), "idempotence": why},
    )


@check("KL104")
def idempotence_conflict(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    idempotence = effective(config, "enable.idempotence")
    if idempotence.value is UNKNOWN:
        return
    if idempotence.explicit and idempotence.value is True:
        for eff, complaint in idempotence_conflicts(config):
            yield Hit(
                where(config, eff),
                {
                    "setting": f"{eff.key}={shown(eff)}",
                    "conflict": f"contradicts enable.idempotence=true (line {idempotence.setting.key_location.line}): {complaint}",
                    "consequence": f"the {config.dialect.value} producer refuses to start",
                },
            )
        return
    transactional = effective(config, "transactional.id")
    if idempotence.explicit and idempotence.value is False and transactional.explicit and transactional.known and transactional.value:
        yield Hit(
            where(config, idempotence),
            {
                "setting": "enable.idempotence=false",
                "conflict": f"with transactional.id set (line {transactional.setting.key_location.line}): transactions need idempotence",
                "consequence": f"the {config.dialect.value} producer refuses to start",
            },
        )
        return
    if config.dialect is not Dialect.JAVA or idempotence.explicit or idempotence.value is not True:
        return
    if version_tuple(idempotence.version.version) < (3, 0):
        return
    for eff, _complaint in idempotence_conflicts(config):
        yield Hit(
            where(config, eff),
            {
                "setting": f"{eff.key}={shown(eff)}",
                "conflict": f"silently turns off the default idempotence of Java {idempotence.version.version}",
                "consequence": f"retries may duplicate records (assuming {idempotence.version.describe()})",
            },
            severity=Severity.WARNING,
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
