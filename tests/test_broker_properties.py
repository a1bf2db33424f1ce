"""server.properties gets the same cluster rules as a Strimzi Kafka resource, from the same
knowledge of broker defaults (knowledge/data/broker.json)."""

from __future__ import annotations

from kafkalint.knowledge.broker import broker_default, broker_retention_ms, topic_retention_ms
from kafkalint.model import BrokerConfig, Location, Setting, TopicSpec

CLUSTER_RULES = [
    "min-insync-replicas-missing", "min-insync-replicas-too-high", "min-insync-replicas-too-low",
    "replication-factor-too-low", "unclean-leader-election-enabled", "auto-create-topics-enabled",
    "unbounded-retention", "too-few-brokers", "topic-replicas-exceed-brokers",
]

PRODUCTION = """\
process.roles=broker
node.id=4
controller.quorum.bootstrap.servers=controller-0:9093
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
auto.create.topics.enable=false
"""

QUICKSTART = """\
# Kafka quickstart config/server.properties (single node)
process.roles=broker,controller
node.id=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
log.retention.hours=168
"""


def _found(result):
    return [(f.location.line, f.name) for f in result.findings]


def test_production_broker_config_is_clean(lint):
    assert _found(lint({"server.properties": PRODUCTION}, select=CLUSTER_RULES)) == []


def test_quickstart_single_node_config_gets_the_single_copy_findings(lint):
    result = lint({"server.properties": QUICKSTART}, select=CLUSTER_RULES)
    assert _found(result) == [
        # No min-insync-replicas-missing: with consumer offsets at one copy, min.insync.replicas=2
        # would refuse every offset commit; the replication factors are the finding.
        (1, "auto-create-topics-enabled"),  # broker default true
        # One finding for the four settings a quick start leaves at 1 (the default
        # default.replication.factor included), at the first one written.
        (4, "replication-factor-too-low"),
    ]
    [finding] = [f for f in result.findings if f.name == "replication-factor-too-low"]
    assert finding.message == (
        "server.properties: default.replication.factor=1 (broker default), offsets.topic.replication.factor=1 (line 4) "
        "and transaction.state.log.replication.factor=1 (line 5) are below 3, and transaction.state.log.min.isr=1 "
        "(line 6) is below 2, risking topics created without a replication factor, consumer group offsets, "
        "transaction state and transaction commits"
    )
    assert [(location.line, location.column) for location in finding.related] == [(1, 1), (5, 1), (6, 1)]


def test_unclean_election_and_equal_min_isr_point_at_their_keys(lint):
    config = PRODUCTION.replace("min.insync.replicas=2", "min.insync.replicas=3") + "unclean.leader.election.enable=true\n"
    result = lint({"server.properties": config}, select=CLUSTER_RULES)
    assert _found(result) == [(5, "min-insync-replicas-too-high"), (10, "unclean-leader-election-enabled")]
    assert result.findings[0].location.column == 1


def test_broker_retention_follows_ms_then_minutes_then_hours():
    anchor = Location("server.properties")

    def broker(**values: int) -> BrokerConfig:
        settings = {
            key.replace("_", "."): Setting(key.replace("_", "."), str(value), value, anchor, anchor)
            for key, value in values.items()
        }
        return BrokerConfig(anchor=anchor, settings=settings)

    assert broker_retention_ms(broker())[0] == 168 * 3_600_000
    assert broker_retention_ms(broker(log_retention_hours=-1))[0] == -1
    assert broker_retention_ms(broker(log_retention_minutes=5, log_retention_hours=-1))[0] == 300_000
    assert broker_retention_ms(broker(log_retention_ms=1000, log_retention_minutes=5))[0] == 1000
    topic = TopicSpec(name="t", anchor=anchor, cluster_config=broker(log_retention_hours=-1))
    assert topic_retention_ms(topic)[0] == -1
    assert topic_retention_ms(TopicSpec(name="t", anchor=anchor))[0] == broker_default("retention.ms") == 604_800_000


def test_broker_defaults_match_the_kafka_documentation():
    # kafka.apache.org/documentation/#brokerconfigs (3.x and 4.x)
    assert broker_default("min.insync.replicas") == 1
    assert broker_default("default.replication.factor") == 1
    assert broker_default("offsets.topic.replication.factor") == 3
    assert broker_default("transaction.state.log.replication.factor") == 3
    assert broker_default("transaction.state.log.min.isr") == 2
    assert broker_default("unclean.leader.election.enable") is False
    assert broker_default("auto.create.topics.enable") is True
    assert broker_default("log.retention.bytes") == -1


def test_controller_only_config_is_judged_on_election_only(lint):
    # A KRaft controller hosts no partitions: replica and auto-create settings belong to brokers.
    controller = "process.roles=controller\nnode.id=1\ncontroller.quorum.bootstrap.servers=c:9093\n"
    assert _found(lint({"controller.properties": controller}, select=CLUSTER_RULES)) == []
    result = lint({"controller.properties": controller + "unclean.leader.election.enable=true\n"}, select=CLUSTER_RULES)
    assert _found(result) == [(4, "unclean-leader-election-enabled")]


def test_a_fragment_of_broker_settings_is_judged_only_on_what_it_sets(lint):
    """An embedded test broker's overrides (`spring.kafka.embedded.broker.properties.location`)
    say nothing about min.insync.replicas or the replication factor the broker runs with."""
    fragment = lint({"src/test/resources/kafka-broker.properties": "auto.create.topics.enable=false\n"})
    assert [broker.defaults_known for broker in fragment.project.brokers] == [False]
    assert fragment.findings == []
    stated = lint({"overrides.properties": "auto.create.topics.enable=false\nunclean.leader.election.enable=true\n"})
    assert [(finding.code, finding.location.line) for finding in stated.findings] == [("KL305", 2)]


def test_settings_below_different_floors_are_grouped_and_what_each_risks_follows_them(lint):
    """transaction.state.log.min.isr (floor 2) written between two replication factors (floor 3):
    the message groups by floor, and names what is at risk in the order it names the settings."""
    config = (
        "process.roles=broker\n"
        "default.replication.factor=3\n"
        "offsets.topic.replication.factor=1\n"
        "transaction.state.log.min.isr=1\n"
        "transaction.state.log.replication.factor=2\n"
    )
    result = lint({"server.properties": config}, select=["KL304"])
    [finding] = result.findings
    assert (finding.location.line, finding.message) == (3, (
        "server.properties: offsets.topic.replication.factor=1 (line 3) and transaction.state.log.replication.factor=2 "
        "(line 5) are below 3, and transaction.state.log.min.isr=1 (line 4) is below 2, risking consumer group offsets, "
        "transaction state and transaction commits"
    ))
    assert [location.line for location in finding.related] == [4, 5]


def test_min_insync_replicas_is_still_asked_of_a_broker_whose_transaction_log_alone_has_one_copy(lint):
    """The transaction log takes transaction.state.log.min.isr, not min.insync.replicas: a
    broker with offsets at three copies is still asked for min.insync.replicas."""
    config = "process.roles=broker\noffsets.topic.replication.factor=3\ntransaction.state.log.replication.factor=1\n"
    result = lint({"server.properties": config}, select=["KL301"])
    assert [(f.location.line, f.code) for f in result.findings] == [(1, "KL301")]
    one_copy = "process.roles=broker\noffsets.topic.replication.factor=1\n"
    assert lint({"server.properties": one_copy}, select=["KL301"]).findings == []
