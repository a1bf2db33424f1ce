"""MirrorMaker 2 dedicated-mode files (connect-mirror-maker.properties) are their own kind:
recognised by content, never judged as a client configuration, resolved per flow and per target
cluster as MirrorMakerConfig resolves them (knowledge/data/mirror_maker.json)."""

from __future__ import annotations

from kafkalint.model import Role

SAMPLE = """\
clusters = primary, backup
primary.bootstrap.servers = primary-1:9092
backup.bootstrap.servers = backup-1:9092
primary->backup.enabled = true
primary->backup.topics = orders.*
"""


def _codes(result) -> list[str]:
    return [f"{f.code} {f.location.line} {f.message}" for f in result.findings]


def test_a_mirror_maker_file_is_recognised_by_content_and_is_no_client(lint):
    result = lint({"mm2/replication.properties": SAMPLE + "sync.topic.acls.enabled = false\nprimary.security.protocol = SSL\n"})
    assert result.project.clients == []
    assert _codes(result) == []  # no unknown-key finding on cluster- or flow-prefixed keys
    [mirror_maker] = result.project.mirror_makers
    assert mirror_maker.clusters == ("primary", "backup")
    assert mirror_maker.describe() == "MirrorMaker 2 replication"


def test_a_clusters_key_without_keys_of_its_aliases_is_not_mirror_maker(lint):
    result = lint({"app.properties": "clusters = eu, us\nbootstrap.servers = broker:9092\nacks = all\n"})
    assert result.project.mirror_makers == []
    assert [client.role for client in result.project.clients] == [Role.PRODUCER]


def test_flows_run_when_enabled_or_for_heartbeats_and_connector_keys_are_resolved_per_flow(lint):
    result = lint({"mm2.properties": SAMPLE + "replication.factor = 3\nprimary->backup.replication.factor = 2\nbackup.replication.factor = 1\n"})
    [mirror_maker] = result.project.mirror_makers
    flows = {(flow.source, flow.target): (flow.enabled, flow.heartbeats) for flow in mirror_maker.flows}
    # heartbeats are on by default, so backup->primary runs a herder although it does not replicate
    assert flows == {("primary", "backup"): (True, True), ("backup", "primary"): (False, True)}
    forward_flow, backward_flow = mirror_maker.flows
    forward = mirror_maker.connector_setting(forward_flow, "replication.factor")
    backward = mirror_maker.connector_setting(backward_flow, "replication.factor")
    assert (forward.raw, forward.key_location.line) == ("2", 7)  # the flow's own key wins
    assert (backward.raw, backward.key_location.line) == ("3", 6)  # a cluster prefix is no connector setting


def test_heartbeats_off_leaves_only_enabled_flows(lint):
    result = lint({"mm2.properties": SAMPLE + "emit.heartbeats.enabled = false\n"})
    [mirror_maker] = result.project.mirror_makers
    assert [(flow.source, flow.target) for flow in mirror_maker.flows] == [("primary", "backup")]
    assert set(mirror_maker.worker_settings) == {"backup"}


def test_worker_settings_take_the_shared_storage_keys_over_the_clusters_own(lint):
    text = SAMPLE + (
        "emit.heartbeats.enabled = false\n"
        "backup.offset.storage.replication.factor = 1\n"
        "offset.storage.replication.factor = 3\n"
        "security.protocol = SSL\n"
        "backup.security.protocol = SASL_SSL\n"
    )
    result = lint({"mm2.properties": text})
    [mirror_maker] = result.project.mirror_makers
    worker = mirror_maker.worker_settings["backup"]
    assert worker["offset.storage.replication.factor"].key_location.line == 8  # MirrorMakerConfig.workerConfig
    assert worker["security.protocol"].raw == "SASL_SSL"  # the cluster's own client key wins over the shared one
    assert worker["bootstrap.servers"].raw == "backup-1:9092"
    assert [f.code for f in result.findings] == []  # the overridden 1 is never used


def test_a_target_clusters_producer_keys_become_its_workers_producer_but_consumer_keys_do_not(lint):
    text = SAMPLE + "backup.producer.acks = 1\nbackup.consumer.enable.auto.commit = true\nprimary.consumer.auto.offset.reset = latest\n"
    result = lint({"mm2.properties": text})
    clients = [(client.role, client.name) for client in result.project.clients]
    assert clients == [(Role.PRODUCER, "MirrorMaker 2 mm2 cluster backup producer")]
    assert [(f.code, f.location.line) for f in result.findings] == [("KL102", 6)]


def test_a_disabled_flows_topics_are_not_judged_but_its_heartbeats_are(lint):
    text = """\
clusters = primary, backup
primary.bootstrap.servers = primary-1:9092
backup.bootstrap.servers = backup-1:9092
backup->primary.enabled = false
backup->primary.replication.factor = 1
backup->primary.heartbeats.topic.replication.factor = 1
"""
    result = lint({"mm2.properties": text})
    assert [(f.code, f.location.line) for f in result.findings] == [("KL714", 6)]


def test_a_shared_key_used_by_several_flows_is_reported_once(lint):
    text = SAMPLE + "backup->primary.enabled = true\ncheckpoints.topic.replication.factor = 1\n"
    result = lint({"mm2.properties": text})
    assert [(f.code, f.location.line) for f in result.findings] == [("KL714", 7)]


def test_secrets_in_a_mirror_maker_file_are_judged_and_never_printed(lint):
    text = SAMPLE + 'backup.sasl.jaas.config = org.apache.kafka.common.security.plain.PlainLoginModule required username="mm2" password="s3cr3t-value";\n'
    result = lint({"mm2.properties": text})
    assert [f.code for f in result.findings] == ["KL401"]
    assert all("s3cr3t-value" not in f.message and "s3cr3t-value" not in f.snippet for f in result.findings)


def test_many_aliases_and_flow_keys_are_read_in_bounded_time(lint):
    import time

    from kafkalint.sources.mirror_maker import MAX_CLUSTERS

    aliases = [f"c{index}" for index in range(MAX_CLUSTERS)]
    lines = ["clusters = " + ", ".join(aliases)]
    lines += [f"{alias}.bootstrap.servers = {alias}:9092" for alias in aliases]
    lines += [f"{source}->{target}.enabled = true" for source in aliases for target in aliases if source != target]
    lines += [f"{source}->{target}.replication.factor = 3" for source in aliases[:30] for target in aliases[:30] if source != target]
    lines += ["replication.factor = 1"]
    started = time.perf_counter()
    result = lint({"mm2.properties": "\n".join(lines) + "\n"})
    assert time.perf_counter() - started < 30  # ~1 s on an idle machine
    [mirror_maker] = result.project.mirror_makers
    assert len(mirror_maker.flows) == MAX_CLUSTERS * (MAX_CLUSTERS - 1)
    # the shared replication.factor=1 is used by the flows that do not override it: one finding
    assert [(f.code, f.location.line) for f in result.findings] == [("KL714", len(lines))]


def test_more_aliases_than_the_cap_is_not_read_as_mirror_maker(lint):
    from kafkalint.sources.mirror_maker import MAX_CLUSTERS

    aliases = [f"c{index}" for index in range(MAX_CLUSTERS + 1)]
    text = "clusters = " + ",".join(aliases) + "\n" + "".join(f"{alias}.bootstrap.servers = {alias}:9092\n" for alias in aliases)
    result = lint({"mm2.properties": text})
    assert result.project.mirror_makers == [] and result.project.clients == []
