"""Cluster and topic durability checks, written once for every source of broker and topic
settings: server.properties, Strimzi Kafka spec.kafka.config, KafkaTopic spec.

A topic's value is its own setting, else its cluster's (found through the strimzi.io/cluster
label), else the broker default (knowledge/broker.py). A topic whose cluster is not in the
scanned tree has unknown inherited values: those rules stay silent on it.
"""

from __future__ import annotations

from typing import Any, Iterator

from kafkalint.checks import CheckContext, Hit, value_text
from kafkalint.knowledge.broker import (
    broker_catalogue,
    broker_effective,
    broker_retention_ms,
    policy_items,
    topic_replication_factor,
    topic_retention_ms,
)
from kafkalint.model import BrokerConfig, Location, Project, Setting, TopicSpec

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
    return [broker for broker in project.brokers if hosts_partitions(broker)]


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


def min_insync_replicas_missing(project: Project, context: CheckContext) -> Iterator[Hit]:
    for broker in data_brokers(project):
        if "min.insync.replicas" not in broker.settings:
            yield Hit(
                broker.anchor,
                message=(
                    f"{subject(broker)} does not set min.insync.replicas, so it is the broker default 1: "
                    "an acks=all producer is acknowledged as soon as the leader alone has the record, "
                    "and losing that broker loses acknowledged writes"
                ),
            )
    for topic in project.topics:
        cluster = topic.cluster_config
        if "min.insync.replicas" in topic.settings or cluster is None or "min.insync.replicas" in cluster.settings:
            continue
        replicas, _ = topic_replication_factor(topic)
        if replicas is not None and replicas < 2:
            continue  # one copy: no in-sync replica count can help; replication-factor-too-low says so
        yield Hit(
            topic.anchor,
            message=(
                f"{subject(topic)} sets no min.insync.replicas and its cluster {subject(cluster)} sets none either "
                "(broker default 1): acks=all producers to it wait for one copy only"
            ),
            related=(cluster.anchor,),
        )


def _min_and_rf(target: BrokerConfig | TopicSpec) -> tuple[int | None, Setting | None, str, int | None, str, Setting | None]:
    """(min.insync.replicas, its own setting, origin, replication factor, origin, rf setting)."""
    min_value, min_setting, min_origin = broker_effective(target, "min.insync.replicas")
    if isinstance(target, TopicSpec):
        rf, rf_origin = topic_replication_factor(target)
        return integer(min_value), min_setting, min_origin, rf, rf_origin, None
    rf_value, rf_setting, rf_origin = broker_effective(target, "default.replication.factor")
    return integer(min_value), min_setting, min_origin, integer(rf_value), f"default.replication.factor {rf_origin}", rf_setting


def _min_isr_inherited(topic: TopicSpec) -> bool:
    cluster = topic.cluster_config
    return "min.insync.replicas" not in topic.settings and cluster is not None and "min.insync.replicas" in cluster.settings


def min_insync_replicas_too_high(project: Project, context: CheckContext) -> Iterator[Hit]:
    targets: list[BrokerConfig | TopicSpec] = [*data_brokers(project), *project.topics]
    for target in targets:
        min_isr, min_setting, min_origin, rf, rf_origin, rf_setting = _min_and_rf(target)
        if min_isr is None or rf is None or min_isr <= 1 or min_isr < rf:
            continue
        if isinstance(target, TopicSpec):
            if min_setting is None and not _min_isr_inherited(target):
                continue
            location = target.replicas_location or at_setting(min_setting, target.anchor)
        else:
            if min_setting is None and rf_setting is None:
                continue
            location = at_setting(min_setting, target.anchor)
        consequence = (
            "no acks=all write can ever succeed" if min_isr > rf else "one broker down and every acks=all producer of it stops"
        )
        what = "its topics" if isinstance(target, BrokerConfig) else "the topic"
        yield Hit(
            location,
            message=(
                f"{subject(target)}: min.insync.replicas={min_isr} ({min_origin}) is not below the replication factor "
                f"{rf} ({rf_origin}): {consequence} of {what} (NotEnoughReplicas)"
            ),
        )


def min_insync_replicas_too_low(project: Project, context: CheckContext) -> Iterator[Hit]:
    fired_clusters: set[int] = set()
    for broker in data_brokers(project):
        min_isr, min_setting, _, rf, rf_origin, _ = _min_and_rf(broker)
        if min_setting is None or min_isr != 1 or rf is None or rf < 3:
            continue
        fired_clusters.add(id(broker))
        yield Hit(
            min_setting.key_location,
            message=(
                f"{subject(broker)}: min.insync.replicas=1 with replication factor {rf} ({rf_origin}): acks=all "
                "is acknowledged by the leader alone whenever the followers lag, so one broker failure can lose "
                "acknowledged records; use 2"
            ),
        )
    for topic in project.topics:
        min_isr, min_setting, min_origin, rf, rf_origin, _ = _min_and_rf(topic)
        if min_isr != 1 or rf is None or rf < 3:
            continue
        if min_setting is None:
            if not _min_isr_inherited(topic) or id(topic.cluster_config) in fired_clusters:
                continue
        yield Hit(
            at_setting(min_setting, topic.replicas_location or topic.anchor),
            message=(
                f"{subject(topic)}: min.insync.replicas=1 ({min_origin}) with replication factor {rf} ({rf_origin}): "
                "acks=all is acknowledged by the leader alone whenever the followers lag; use 2"
            ),
        )


# --- replication factors ----------------------------------------------------------------------


def replication_factor_too_low(project: Project, context: CheckContext) -> Iterator[Hit]:
    minimum = int(context.param("minimum_replication_factor"))
    minimum_isr = int(context.param("minimum_transaction_min_isr"))
    for broker in data_brokers(project):
        for key in INTERNAL_REPLICATION_KEYS:
            value, setting, origin = broker_effective(broker, key)
            number = integer(value)
            if number is None or number >= minimum:
                continue
            yield Hit(
                at_setting(setting, broker.anchor),
                message=(
                    f"{subject(broker)}: {key}={number} ({origin}) is below {minimum}: "
                    f"{_replication_consequence(key, number)}"
                ),
            )
        value, setting, origin = broker_effective(broker, "transaction.state.log.min.isr")
        number = integer(value)
        if number is not None and number < minimum_isr:
            yield Hit(
                at_setting(setting, broker.anchor),
                message=(
                    f"{subject(broker)}: transaction.state.log.min.isr={number} ({origin}) is below {minimum_isr}: "
                    "a transaction commit is durable on one broker only"
                ),
            )
    for topic in project.topics:
        if topic.replicas is None or topic.replicas >= minimum:
            continue
        yield Hit(
            topic.replicas_location or topic.anchor,
            message=(
                f"{subject(topic)}: replicas={topic.replicas} is below {minimum}: "
                f"{_replication_consequence('replicas', topic.replicas)}"
            ),
        )


def _replication_consequence(key: str, number: int) -> str:
    copies = "a single copy" if number == 1 else f"{number} copies"
    if key == "offsets.topic.replication.factor":
        return f"consumer group offsets are kept in {copies}; losing it resets or stalls every group"
    if key == "transaction.state.log.replication.factor":
        return f"transaction state is kept in {copies}; losing it blocks transactional producers"
    if key == "default.replication.factor":
        return f"topics created without a replication factor get {copies}; a broker failure makes them unavailable or loses data"
    return f"the data is kept in {copies}; a broker failure makes it unavailable or loses it"


def topic_replicas_exceed_brokers(project: Project, context: CheckContext) -> Iterator[Hit]:
    facts = broker_catalogue().get("internal_topic_replication", {})
    for broker in data_brokers(project):
        count = broker.broker_count
        if count is None:
            continue
        for key in INTERNAL_REPLICATION_KEYS:
            value, setting, origin = broker_effective(broker, key)
            number = integer(value)
            if number is None or number <= count:
                continue
            yield Hit(
                at_setting(setting, broker.anchor),
                message=(
                    f"{subject(broker)}: {key}={number} ({origin}) with only {count} broker"
                    f"{'s' if count != 1 else ''}: {facts.get(key, 'the topic cannot be created')}"
                ),
                related=(broker.broker_count_location,) if broker.broker_count_location else (),
            )
    for topic in project.topics:
        cluster = topic.cluster_config
        if cluster is None or cluster.broker_count is None or topic.replicas is None:
            continue
        if topic.replicas <= cluster.broker_count:
            continue
        yield Hit(
            topic.replicas_location or topic.anchor,
            message=(
                f"{subject(topic)}: replicas={topic.replicas} but cluster {cluster.name} has {cluster.broker_count} "
                "broker(s): the topic cannot be created (InvalidReplicationFactor)"
            ),
            related=(cluster.broker_count_location,) if cluster.broker_count_location else (),
        )


def too_few_brokers(broker: BrokerConfig, context: CheckContext) -> Iterator[Hit]:
    if not hosts_partitions(broker):
        return
    minimum = int(context.param("minimum_brokers"))
    if broker.broker_count is None or broker.broker_count >= minimum:
        return
    pools = broker.extras.get("broker_pools")
    source = f"broker-role node pool{'s' if pools and len(pools) > 1 else ''} {', '.join(pools)}" if pools else "spec.kafka.replicas"
    yield Hit(
        broker.broker_count_location or broker.anchor,
        message=(
            f"{subject(broker)} has {broker.broker_count} broker{'s' if broker.broker_count != 1 else ''} ({source}): "
            f"with fewer than {minimum}, a replication factor of 3 is impossible and one broker down leaves "
            "acks=all producers or whole partitions unavailable"
        ),
    )


# --- other durability settings ----------------------------------------------------------------


def unclean_leader_election_enabled(project: Project, context: CheckContext) -> Iterator[Hit]:
    targets: list[BrokerConfig | TopicSpec] = [*project.brokers, *project.topics]
    for target in targets:
        setting = target.settings.get("unclean.leader.election.enable")
        if setting is None or setting.value is not True:
            continue
        yield Hit(
            setting.key_location,
            message=(
                f"{subject(target)}: unclean.leader.election.enable=true lets an out-of-sync replica become leader: "
                "records acknowledged to acks=all producers are silently truncated away"
            ),
        )


def unbounded_retention(project: Project, context: CheckContext) -> Iterator[Hit]:
    for broker in data_brokers(project):
        policy, _, _ = broker_effective(broker, "log.cleanup.policy")
        millis, millis_setting, millis_origin = broker_retention_ms(broker)
        size, _, size_origin = broker_effective(broker, "log.retention.bytes")
        if "delete" not in policy_items(policy) or integer(millis) != -1 or integer(size) != -1:
            continue
        yield Hit(
            at_setting(millis_setting, broker.anchor),
            message=(
                f"{subject(broker)}: log.cleanup.policy=delete with no time limit ({millis_origin}) and no size limit "
                f"(log.retention.bytes=-1, {size_origin}): topics grow until the disks are full"
            ),
        )
    for topic in project.topics:
        millis, millis_setting, millis_origin = topic_retention_ms(topic)
        size, size_setting, size_origin = broker_effective(topic, "retention.bytes")
        if millis_setting is None and size_setting is None:
            continue  # limits inherited from the cluster: its own finding covers them
        policy, _, _ = broker_effective(topic, "cleanup.policy")
        if "delete" not in policy_items(policy) or integer(millis) != -1 or integer(size) != -1:
            continue
        yield Hit(
            at_setting(millis_setting or size_setting, topic.anchor),
            message=(
                f"{subject(topic)}: cleanup.policy={value_text(policy)} with retention.ms=-1 ({millis_origin}) "
                f"and retention.bytes=-1 ({size_origin}): the topic grows until the disks are full"
            ),
        )


def auto_create_topics_enabled(broker: BrokerConfig, context: CheckContext) -> Iterator[Hit]:
    if not hosts_partitions(broker):
        return
    value, setting, origin = broker_effective(broker, "auto.create.topics.enable")
    if value is not True:
        return
    yield Hit(
        at_setting(setting, broker.anchor),
        message=(
            f"{subject(broker)}: auto.create.topics.enable=true ({origin}): a producer or consumer naming a "
            "missing topic (a typo, an old name) creates it with num.partitions and default.replication.factor, "
            "outside any KafkaTopic or review"
        ),
    )
