"""Cluster and topic durability checks, written once for every source of broker and topic
settings: server.properties, Strimzi Kafka spec.kafka.config, KafkaTopic spec.

A topic's value is its own setting, else its cluster's (found through the strimzi.io/cluster
label), else the broker default (knowledge/broker.py). A topic whose cluster is not in the
scanned tree has unknown inherited values: those rules stay silent on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from kafkalint.broker_groups import judged_brokers
from kafkalint.checks import CheckContext, Hit
from kafkalint.checks.registry import check
from kafkalint.knowledge.broker import (
    broker_catalogue,
    broker_effective,
    broker_retention_ms,
    policy_items,
    topic_replication_factor,
    topic_retention_ms,
)
from kafkalint.model import UNKNOWN, BrokerConfig, CodeFact, Location, Project, Setting, Severity, TopicSpec

INTERNAL_REPLICATION_KEYS = (
    "default.replication.factor",
    "offsets.topic.replication.factor",
    "transaction.state.log.replication.factor",
)


def subject(target: BrokerConfig | TopicSpec) -> str:
    if target.label:
        return target.label
    if isinstance(target, TopicSpec):
        return f"topic {target.name}"
    return target.name or "broker config"


def hosts_partitions(broker: BrokerConfig) -> bool:
    """False for a KRaft controller-only config (process.roles=controller): it hosts no
    partitions, so replica, in-sync and auto-create settings are judged on the brokers."""
    roles = broker.settings.get("process.roles")
    if roles is None or not isinstance(roles.value, str):
        return True
    return {role.strip().lower() for role in roles.value.split(",") if role.strip()} != {"controller"}


def data_brokers(project: Project) -> list[BrokerConfig]:
    return [broker for broker in judged_brokers(project) if hosts_partitions(broker)]


def cluster_broker_count(broker: BrokerConfig) -> int | None:
    """How many brokers (nodes that host partitions) the cluster has; when only the count of
    all its Kafka nodes is known, that count."""
    return broker.broker_count if broker.broker_count is not None else broker.node_count


def is_development_cluster(broker: BrokerConfig | None) -> bool:
    """A cluster kept at one copy of each record by design: one broker hosting partitions (with
    or without separate KRaft controllers: they hold no partition) that sets an internal
    topic's or the default replication factor to 1 (in its own settings, or through its image's
    documented defaults), or two brokers every one of whose replication factors is 1 (two
    brokers for two listeners or two security set-ups, one copy each). One copy is then the
    design, not an oversight: too-few-brokers reports it once, at info, and the rules that
    would only restate it (each replication factor of 1, min.insync.replicas, the metadata
    quorum) stand down. Two brokers that replicate anything (a factor of 2) are not one."""
    if broker is None:
        return False
    count = cluster_broker_count(broker)
    if count == 1:
        return 1 in _written_replication_factors(broker)
    if count != 2:
        return False
    # Set by the service itself: an image's single-node defaults under two brokers are the
    # image's choice, not the user's.
    own = _written_replication_factors(broker, own_only=True)
    return bool(own) and all(factor == 1 for factor in _written_replication_factors(broker))


def _written_replication_factors(broker: BrokerConfig, own_only: bool = False) -> list[int]:
    """The internal topics' and the default replication factors the broker's settings give
    (its own, or its image's documented defaults unless `own_only`), as far as they are known
    numbers."""
    factors = [
        integer(setting.value) for key in INTERNAL_REPLICATION_KEYS
        if (setting := broker.settings.get(key)) is not None and not (own_only and setting.implied)
    ]
    return [factor for factor in factors if factor is not None]


def is_test_fixture(broker: BrokerConfig) -> bool:
    """A broker config in a test folder (`src/test/resources/server.properties`, a test's
    compose file): a test's cluster, configured for the test as a test's client is."""
    from kafkalint.sources.test_paths import is_test_code

    return is_test_code(broker.anchor.path)


def production_brokers(project: Project) -> list[BrokerConfig]:
    """Brokers that host partitions, development clusters and tests' brokers set aside."""
    return [
        broker for broker in data_brokers(project) if not is_development_cluster(broker) and not is_test_fixture(broker)
    ]


def integer(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def at_setting(setting: Setting | None, fallback: Location) -> Location:
    return setting.key_location if setting is not None else fallback


# --- min.insync.replicas --------------------------------------------------------------------


def _offsets_at_one_copy(broker: BrokerConfig) -> bool:
    """The broker keeps consumer offsets at one copy, on purpose (a single-node config):
    __consumer_offsets takes the broker's min.insync.replicas (the transaction log has its own,
    transaction.state.log.min.isr), so min.insync.replicas=2 would refuse every offset commit
    (NOT_ENOUGH_REPLICAS) and is not what to ask for; the replication factor is the mistake,
    and replication-factor-too-low names it."""
    setting = broker.settings.get("offsets.topic.replication.factor")
    return setting is not None and integer(setting.value) == 1


@check("KL301")
def min_insync_replicas_missing(project: Project, context: CheckContext) -> Iterator[Hit]:
    for broker in production_brokers(project):
        if "min.insync.replicas" not in broker.settings and broker.defaults_known and not _offsets_at_one_copy(broker):
            yield Hit(broker.anchor, {"subject": subject(broker)})
    for topic in project.topics:
        cluster = topic.cluster_config
        if "min.insync.replicas" in topic.settings or cluster is None or "min.insync.replicas" in cluster.settings:
            continue
        if is_development_cluster(cluster) or not cluster.defaults_known:
            continue
        replicas, _ = topic_replication_factor(topic)
        if replicas is not None and replicas < 2:
            continue  # one copy: no in-sync replica count can help; replication-factor-too-low says so
        yield Hit(topic.anchor, {"subject": subject(topic)}, related=(cluster.anchor,))


@dataclass(slots=True, frozen=True)
class InSyncFloor:
    """A broker's or topic's min.insync.replicas and replication factor, each with its source."""

    min_isr: int | None
    min_setting: Setting | None
    min_source: str
    replication_factor: int | None
    rf_source: str
    rf_setting: Setting | None


def in_sync_floor(target: BrokerConfig | TopicSpec) -> InSyncFloor:
    min_value, min_setting, min_source = broker_effective(target, "min.insync.replicas")
    if isinstance(target, TopicSpec):
        rf, rf_source = topic_replication_factor(target)
        return InSyncFloor(integer(min_value), min_setting, min_source, rf, rf_source, None)
    rf_value, rf_setting, rf_source = broker_effective(target, "default.replication.factor")
    return InSyncFloor(
        integer(min_value), min_setting, min_source, integer(rf_value), f"default.replication.factor {rf_source}", rf_setting
    )


def topic_min_isr_cause(topic: TopicSpec) -> str | None:
    """The root cause a topic's own min.insync.replicas setting is: rules on the whole project
    tell their hits on one topic apart by it (the setting's place)."""
    setting = topic.settings.get("min.insync.replicas")
    if setting is None:
        return None
    location = setting.key_location
    return f"min.insync.replicas at {location.path}:{location.line}:{location.column}"


def _min_isr_inherited(topic: TopicSpec) -> bool:
    cluster = topic.cluster_config
    return "min.insync.replicas" not in topic.settings and cluster is not None and "min.insync.replicas" in cluster.settings


def _in_sync_variables(target: BrokerConfig | TopicSpec, floor: InSyncFloor) -> dict[str, Any]:
    return {
        "subject": subject(target),
        "min_isr": floor.min_isr,
        "min_source": floor.min_source,
        "replication_factor": floor.replication_factor,
        "rf_source": floor.rf_source,
    }


@check("KL302")
def min_insync_replicas_too_high(project: Project, context: CheckContext) -> Iterator[Hit]:
    targets: list[BrokerConfig | TopicSpec] = [*data_brokers(project), *project.topics]
    for target in targets:
        floor = in_sync_floor(target)
        min_isr, rf = floor.min_isr, floor.replication_factor
        if min_isr is None or rf is None or min_isr <= 1 or min_isr < rf:
            continue
        if isinstance(target, TopicSpec):
            if floor.min_setting is None and not _min_isr_inherited(target):
                continue
            location = target.replicas_location or at_setting(floor.min_setting, target.anchor)
        else:
            if floor.min_setting is None and floor.rf_setting is None:
                continue
            location = at_setting(floor.min_setting, target.anchor)
        effect = "no acks=all write can succeed" if min_isr > rf else "one broker down stops every acks=all producer"
        yield Hit(location, {**_in_sync_variables(target, floor), "effect": effect})


@check("KL303")
def min_insync_replicas_too_low(project: Project, context: CheckContext) -> Iterator[Hit]:
    fired_clusters: set[int] = set()
    for broker in production_brokers(project):
        floor = in_sync_floor(broker)
        rf = floor.replication_factor
        if floor.min_setting is None or floor.min_isr != 1 or rf is None or rf < 3:
            continue
        fired_clusters.add(id(broker))
        yield Hit(floor.min_setting.key_location, _in_sync_variables(broker, floor))
    for topic in project.topics:
        floor = in_sync_floor(topic)
        rf = floor.replication_factor
        if floor.min_isr != 1 or rf is None or rf < 3:
            continue
        if floor.min_setting is None:
            if not _min_isr_inherited(topic) or id(topic.cluster_config) in fired_clusters:
                continue
        yield Hit(
            at_setting(floor.min_setting, topic.replicas_location or topic.anchor),
            _in_sync_variables(topic, floor),
            cause=topic_min_isr_cause(topic),
        )


# --- replication factors ----------------------------------------------------------------------

@check("KL309")
def topic_replicas_exceed_brokers(project: Project, context: CheckContext) -> Iterator[Hit]:
    facts = broker_catalogue().get("internal_topic_replication", {})
    for broker in data_brokers(project):
        count = broker.broker_count
        if count is None:
            continue
        for key in INTERNAL_REPLICATION_KEYS:
            value, setting, source = broker_effective(broker, key)
            number = integer(value)
            if number is None or number <= count:
                continue
            effect, severity = facts.get(key, "the topic cannot be created"), None
            folder = broker.applications_folder
            if key == TRANSACTION_LOG_REPLICATION and setting is None and folder is not None and not transactions_in_sight(project, folder):
                # Left at its default on a local cluster whose applications are beside it: the
                # log is created only when a first transaction begins.
                effect, severity = f"{effect} (none is in sight)", Severity.INFO
            yield Hit(
                at_setting(setting, broker.anchor),
                {
                    "subject": subject(broker),
                    "key": key,
                    "value": number,
                    "source": source,
                    "brokers": count,
                    "effect": effect,
                },
                related=(broker.broker_count_location,) if broker.broker_count_location else (),
                severity=severity,
            )
    for topic in project.topics:
        cluster = topic.cluster_config
        if cluster is None or cluster.broker_count is None or topic.replicas is None:
            continue
        if topic.replicas <= cluster.broker_count:
            continue
        location = topic.replicas_location or topic.anchor
        yield Hit(
            location,
            {
                "subject": subject(topic),
                "key": "replicas",
                "value": topic.replicas,
                "source": f"set at line {location.line}",
                "brokers": cluster.broker_count,
                "effect": "it cannot be created (InvalidReplicationFactor)",
            },
            related=(cluster.broker_count_location,) if cluster.broker_count_location else (),
        )


TRANSACTION_LOG_REPLICATION = "transaction.state.log.replication.factor"


def transactions_in_sight(project: Project, folder: str) -> bool:
    """Whether anything kafkalint reads in `folder` or below ("": anywhere) runs transactions: a
    client with a transactional.id (whatever its value), a Kafka Streams application with an
    exactly-once guarantee, a Connect worker with exactly-once source support, or code that
    begins transactions. A repository of demos, each with its own compose file, is not one
    application: a local cluster's applications are those in its folder."""
    from kafkalint.knowledge.streams import is_exactly_once

    prefix = folder + "/" if folder else ""
    for client in project.clients:
        if not client.anchor.path.startswith(prefix):
            continue
        if "transactional.id" in client.settings or "exactly.once.source.support" in client.settings:
            return True
        guarantee = client.settings.get("processing.guarantee")
        if guarantee is not None and (guarantee.value is UNKNOWN or is_exactly_once(str(guarantee.value))):
            return True
    return any(
        isinstance(fact, CodeFact) and fact.detail.get("transactional") and fact.location.path.startswith(prefix)
        for fact in project.facts
    )


@check("KL308")
def too_few_brokers(broker: BrokerConfig, context: CheckContext) -> Iterator[Hit]:
    if not hosts_partitions(broker) or is_test_fixture(broker):
        return  # a test's cluster has the brokers its test needs
    minimum = int(context.param("minimum_brokers"))
    if broker.broker_count is None or broker.broker_count >= minimum:
        return
    label = subject(broker)
    if broker.cluster_group is not None and broker.broker_count > 1:
        # How many brokers a cluster has is said once, at its first broker, even when its brokers
        # differ in other settings (a broker-and-controller beside a broker) and are judged apart.
        members = [node for node in context.project.brokers if node.cluster_group == broker.cluster_group and hosts_partitions(node)]
        if len(members) > 1:
            if broker.name != members[0].name:
                return
            from kafkalint.broker_groups import group_label

            label = group_label(members)
    variables = {"subject": label, "brokers": broker.broker_count, "source": broker.broker_count_source, "minimum": minimum}
    if is_development_cluster(broker):
        effect = "a single-broker development cluster, one copy of each record" if broker.broker_count == 1 else (
            "a development cluster, one copy of each record (every replication factor it sets is 1)"
        )
        yield Hit(broker.broker_count_location or broker.anchor, {**variables, "effect": effect}, severity=Severity.INFO)
        return
    if _may_be_development_cluster(broker):
        effect = "one copy of each record, which may be intended for development (the image's own settings are unknown)"
        yield Hit(broker.broker_count_location or broker.anchor, {**variables, "effect": effect}, severity=Severity.INFO)
        return
    yield Hit(broker.broker_count_location or broker.anchor, {**variables, "effect": "replication factor 3 is impossible"})


def _may_be_development_cluster(broker: BrokerConfig) -> bool:
    """One broker of a local cluster (started beside its applications, as a compose file does)
    whose own defaults are unknown (an image whose server.properties, which may well set one
    copy, kafkalint does not know) and that asks for no more than one copy itself: most likely
    a development cluster, but not known to be one."""
    if broker.applications_folder is None or broker.defaults_known or cluster_broker_count(broker) != 1:
        return False
    return all(factor <= 1 for factor in _written_replication_factors(broker))


# --- other durability settings ----------------------------------------------------------------


@check("KL305")
def unclean_leader_election_enabled(project: Project, context: CheckContext) -> Iterator[Hit]:
    targets: list[BrokerConfig | TopicSpec] = [*judged_brokers(project), *project.topics]
    for target in targets:
        setting = target.settings.get("unclean.leader.election.enable")
        if setting is None or setting.value is not True:
            continue
        cluster = target.cluster_config if isinstance(target, TopicSpec) else target
        if is_development_cluster(cluster):
            continue  # one copy of each partition: there is no out-of-sync replica to elect
        yield Hit(setting.key_location, {"subject": subject(target)})


@check("KL310")
def unbounded_retention(project: Project, context: CheckContext) -> Iterator[Hit]:
    for broker in data_brokers(project):
        policy, _, _ = broker_effective(broker, "log.cleanup.policy")
        millis, millis_setting, millis_source = broker_retention_ms(broker)
        size, _, size_source = broker_effective(broker, "log.retention.bytes")
        if "delete" not in policy_items(policy) or integer(millis) != -1 or integer(size) != -1:
            continue
        yield Hit(
            at_setting(millis_setting, broker.anchor),
            {"subject": subject(broker), "time_source": millis_source, "size_source": size_source},
        )
    for topic in project.topics:
        millis, millis_setting, millis_source = topic_retention_ms(topic)
        size, size_setting, size_source = broker_effective(topic, "retention.bytes")
        if millis_setting is None and size_setting is None:
            continue  # limits inherited from the cluster: its own finding covers them
        policy, _, _ = broker_effective(topic, "cleanup.policy")
        if "delete" not in policy_items(policy) or integer(millis) != -1 or integer(size) != -1:
            continue
        yield Hit(
            at_setting(millis_setting or size_setting, topic.anchor),
            {"subject": subject(topic), "time_source": millis_source, "size_source": size_source},
        )


@check("KL306")
def auto_create_topics_enabled(broker: BrokerConfig, context: CheckContext) -> Iterator[Hit]:
    if not hosts_partitions(broker) or is_development_cluster(broker) or is_test_fixture(broker):
        return  # a one-node playground or a test's broker: creating topics on first use is what it is for
    value, setting, source = broker_effective(broker, "auto.create.topics.enable")
    if value is not True:
        return
    # One broker of an image kafkalint does not know, beside its applications: most likely a
    # playground (too-few-brokers says so at info), where creating topics on first use is the point.
    severity = Severity.INFO if _may_be_development_cluster(broker) else None
    yield Hit(at_setting(setting, broker.anchor), {"subject": subject(broker), "source": source}, severity=severity)
