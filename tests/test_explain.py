"""`kafkalint explain FILE`: effective configuration, where each value comes from, which rules read it."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from kafkalint.catalogue import load_catalogue
from kafkalint.explain import rules_reading
from kafkalint.model import ClientConfig, Dialect, Location, Role
from tests.clirunner import run_cli
from tests.conftest import write_files


def _keys(report: dict, client_index: int = 0) -> dict[str, dict]:
    return {item["key"]: item for item in report["clients"][client_index]["keys"]}


def declared_readers(key: str, role: str, dialect: str) -> list[str]:
    """Client rules of the built-in catalogue whose `reads:` list names the key, as explain must list them."""
    every_key = {"KL003", "KL004", "KL005", "KL006", "KL007"}
    return [
        rule.code for rule in load_catalogue().rules
        if rule.target == "client" and rule.code not in every_key
        and (not rule.roles or role in rule.roles) and (not rule.dialects or dialect in rule.dialects)
        and key in (getattr(rule, "reads", ()) or ())
    ]


def _rule(code: str, reads: tuple[str, ...], roles: tuple[str, ...] = (), dialects: tuple[str, ...] = (), prose: str = ""):
    return SimpleNamespace(code=code, reads=reads, roles=roles, dialects=dialects, target="client",
                           summary=prose, message=prose, rationale=prose, fix=prose, condition=None)


def test_rules_reading_a_key_come_from_their_reads_list_not_their_prose():
    producer = ClientConfig(Role.PRODUCER, Dialect.JAVA, Location("producer.properties", 1, 1))
    rules = [
        _rule("KL101", ("acks", "enable.idempotence")),
        _rule("KL102", ("acks",), roles=("consumer",)),  # another role: not this client's rule
        _rule("KL103", ("acks",), dialects=("librdkafka",)),  # another client library
        _rule("KL104", (), prose="acks=all with enable.idempotence"),  # names the key in prose only
        _rule("KL105", ("request.required.acks",)),  # reads the key under an alias
        _rule("KL003", ("acks",)),  # judges every key: its findings are shown instead
    ]
    assert rules_reading(["acks"], rules, producer) == ["KL101"]
    assert rules_reading(["acks", "request.required.acks"], rules, producer) == ["KL101", "KL105"]
    assert rules_reading(["linger.ms"], rules, producer) == []


def test_properties_explicit_default_and_detected_version(tmp_path):
    write_files(
        tmp_path,
        {
            "producer.properties": "bootstrap.servers=broker:9092\nacks=1\nssl.key.password=hunter2\n",
            "pom.xml": (
                "<project><dependencies><dependency><groupId>org.apache.kafka</groupId>"
                "<artifactId>kafka-clients</artifactId><version>2.8.1</version></dependency></dependencies></project>"
            ),
        },
    )
    outcome = run_cli(tmp_path, "explain", "producer.properties", "--format", "json", "--all")
    assert outcome.exit_code == 0, outcome.stderr
    report = json.loads(outcome.stdout)
    client = report["clients"][0]
    assert (client["dialect"], client["role"]) == ("java", "producer")
    assert client["version"] == {"client": "java", "version": "2.8", "reason": "detected in pom.xml: kafka-clients 2.8.1"}
    keys = _keys(report)
    assert keys["acks"]["value"] == "1" and keys["acks"]["source"] == "explicit at line 2"
    assert keys["acks"]["rules"] == declared_readers("acks", "producer", "java")
    assert keys["acks"]["findings"] == ["KL102 producer-acks-leader-only"]
    assert keys["enable.idempotence"] == {
        "key": "enable.idempotence",
        "written_key": "enable.idempotence",
        "value": "false",
        "source": "default for java 2.8 (detected in pom.xml: kafka-clients 2.8.1)",
        "explicit": False,
        "line": None,
        "rules": declared_readers("enable.idempotence", "producer", "java"),
        "findings": [],
    }
    assert keys["ssl.key.password"]["value"] == "****"
    assert "hunter2" not in outcome.stdout


def test_yaml_alias_is_explained_and_target_overrides(tmp_path):
    write_files(tmp_path, {"producer.yaml": "bootstrap.servers: broker:9092\nlinger.ms: 20\nbatch.num.messages: 500\n"})
    outcome = run_cli(tmp_path, "explain", "producer.yaml", "--format", "json", "--target", "librdkafka=1.4", "--all")
    report = json.loads(outcome.stdout)
    client = report["clients"][0]
    assert client["dialect"] == "librdkafka"
    assert client["version"]["reason"] == "--target / settings"
    keys = _keys(report)
    assert keys["queue.buffering.max.ms"]["source"] == "explicit at line 2, written as linger.ms (alias of queue.buffering.max.ms)"
    assert keys["queue.buffering.max.ms"]["written_key"] == "linger.ms"
    assert keys["enable.idempotence"]["source"] == "default for librdkafka 1.4 (--target / settings)"


def test_json_with_sections_and_text_output(tmp_path):
    write_files(
        tmp_path,
        {
            "clients.json": json.dumps(
                {
                    "bootstrap.servers": "broker:9092",
                    "producer": {"acks": "all", "key.serializer": "org.apache.kafka.common.serialization.StringSerializer"},
                    "consumer": {"group.id": "billing", "max.poll.record": 10},
                },
                indent=2,
            )
        },
    )
    outcome = run_cli(tmp_path, "explain", "clients.json")
    assert outcome.exit_code == 0
    lines = outcome.stdout.splitlines()
    assert lines[0] == "clients.json:3: java producer producer"
    assert lines[1] == "  assuming java 4.1 (newest release line)"
    consumer_line = next(line for line in lines if line.startswith("  max.poll.record "))
    assert "not a key java 4.1 (newest release line) knows" in consumer_line
    assert "KL003 unknown-config-key" in consumer_line


def test_a_file_without_clients_says_so(tmp_path):
    write_files(tmp_path, {"notes.yaml": "title: hello\n"})
    outcome = run_cli(tmp_path, "explain", "notes.yaml")
    assert outcome.exit_code == 0
    assert outcome.stdout == "notes.yaml: no Kafka client, cluster or topic configuration found\n"


def test_missing_file_and_bad_format_are_usage_errors(tmp_path):
    assert run_cli(tmp_path, "explain", "nope.properties").exit_code == 2
    write_files(tmp_path, {"producer.properties": "acks=all\n"})
    assert run_cli(tmp_path, "explain", "producer.properties", "--format", "xml").exit_code == 2


def test_explain_a_folder_shows_every_file_that_configures_a_client(tmp_path):
    write_files(tmp_path, {
        "conf/producer.properties": "bootstrap.servers=b:9092\nacks=0\n",
        "conf/team/consumer.yaml": "bootstrap.servers: b:9092\ngroup.id: billing\n",
        "conf/notes.yaml": "title: not kafka\n",
    })
    outcome = run_cli(tmp_path, "explain", "conf", "--format", "json")
    assert outcome.exit_code == 0, outcome.stderr
    report = json.loads(outcome.stdout)
    assert report["directory"] == "conf"
    assert [item["file"] for item in report["files"]] == ["conf/producer.properties", "conf/team/consumer.yaml"]
    [producer] = report["files"][0]["clients"]
    acks = next(key for key in producer["keys"] if key["key"] == "acks")
    assert (acks["value"], acks["line"]) == ("0", 2)
    text = run_cli(tmp_path, "explain", "conf").stdout
    assert text.startswith("conf/producer.properties:1: java producer\n")
    assert "conf/team/consumer.yaml:1: java consumer" in text


def test_explain_a_folder_without_clients_says_so(tmp_path):
    write_files(tmp_path, {"docs/notes.yaml": "title: not kafka\n"})
    outcome = run_cli(tmp_path, "explain", "docs")
    assert (outcome.exit_code, outcome.stdout) == (0, "docs: no Kafka client, cluster or topic configuration found\n")


# --- clusters and topics ------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def _copy_fixtures(tmp_path, names: dict[str, str]) -> None:
    write_files(tmp_path, {target: (ROOT / "fixtures" / source).read_text(encoding="utf-8") for target, source in names.items()})


def _by_key(holder: dict) -> dict[str, dict]:
    return {item["key"]: item for item in holder["keys"]}


def test_strimzi_kafka_with_node_pools_shows_brokers_pools_kraft_and_each_setting_s_origin(tmp_path):
    _copy_fixtures(tmp_path, {"strimzi/kafka-cluster.yaml": "strimzi/bad/kafka-cluster.yaml",
                              "strimzi/topics-and-users.yaml": "strimzi/bad/topics-and-users.yaml"})
    outcome = run_cli(tmp_path, "explain", "strimzi/kafka-cluster.yaml", "--format", "json")
    assert outcome.exit_code == 0, outcome.stderr
    report = json.loads(outcome.stdout)
    assert (report["clients"], report["topics"]) == ([], [])
    [cluster] = report["clusters"]
    assert (cluster["label"], cluster["kind"], cluster["anchor"]["line"]) == ("Kafka payments", "Strimzi Kafka", 31)
    assert cluster["version"] == {"kafka": "4.3.1", "source": "spec.kafka.version at line 34"}
    assert cluster["metadata"] == {"mode": "KRaft", "source": "kafka.strimzi.io/v1 runs KRaft only"}
    assert cluster["brokers"] == {"count": 2, "source": "node pool brokers, replicas at line 22", "line": 22,
                                  "findings": ["KL308 too-few-brokers"]}
    assert cluster["nodes"] == {"count": 3, "source": "node pools controller 1, brokers 2"}
    assert [(pool["name"], pool["roles"], pool["replicas"], pool["line"]) for pool in cluster["node_pools"]] == [
        ("controller", ["controller"], 1, 10), ("brokers", ["broker"], 2, 22)]
    assert cluster["metadata_quorum"] == {"count": 1, "what": "KRaft controller (node pool controller)", "line": 10}
    assert cluster["development_cluster"] == {"development": False, "reason": "2 brokers, and default.replication.factor=2"}
    assert cluster["retention"] == {"ms": 604800000, "source": "Kafka default: log.retention.hours=168"}
    keys = _by_key(cluster)
    assert (keys["default.replication.factor"]["value"], keys["default.replication.factor"]["source"]) == ("2", "set at line 50")
    assert keys["default.replication.factor"]["explicit"] is True and keys["default.replication.factor"]["line"] == 50
    assert keys["default.replication.factor"]["findings"] == ["KL304 replication-factor-too-low"]
    assert keys["unclean.leader.election.enable"]["findings"] == ["KL305 unclean-leader-election-enabled"]
    assert "KL305" in keys["unclean.leader.election.enable"]["rules"]
    assert keys["advertised.listeners"]["source"] == "set at line 53; ignored: Strimzi manages it (spec.kafka.listeners)"
    assert keys["min.insync.replicas"] == {
        "key": "min.insync.replicas", "written_key": "min.insync.replicas", "value": "1", "source": "Kafka default",
        "explicit": False, "line": None, "rules": keys["min.insync.replicas"]["rules"], "findings": [],
        "reference": keys["min.insync.replicas"]["reference"],
    }
    assert {"KL301", "KL303"} <= set(keys["min.insync.replicas"]["rules"])
    assert keys["min.insync.replicas"]["reference"].startswith("Apache Kafka documentation, Broker Configs")
    assert (keys["offsets.topic.replication.factor"]["value"], keys["offsets.topic.replication.factor"]["source"]) == ("3", "Kafka default")
    # Kafka 4.3.1 no longer has the ZooKeeper-era keys: they are not listed as defaults.
    assert "inter.broker.protocol.version" not in keys and "zookeeper.connect" not in keys
    whole = [(item["line"], item["code"]) for item in cluster["findings"]]
    assert (10, "KL311") in whole and (13, "KL307") in whole and (31, "KL301") in whole and (54, "KL701") in whole
    assert (50, "KL304") not in whole and (22, "KL308") not in whole  # shown on their key and on the broker count


def test_kafkatopic_inherits_its_cluster_s_settings_from_another_file(tmp_path):
    _copy_fixtures(tmp_path, {"strimzi/kafka-cluster.yaml": "strimzi/bad/kafka-cluster.yaml",
                              "strimzi/topics-and-users.yaml": "strimzi/bad/topics-and-users.yaml"})
    outcome = run_cli(tmp_path, "explain", "strimzi/topics-and-users.yaml", "--format", "json")
    assert outcome.exit_code == 0, outcome.stderr
    [topic] = json.loads(outcome.stdout)["topics"]
    assert (topic["label"], topic["anchor"]["line"]) == ("KafkaTopic payments", 4)
    assert topic["cluster"]["name"] == "payments" and topic["cluster"]["found"] is True
    assert topic["cluster"]["location"]["path"] == "strimzi/kafka-cluster.yaml"
    assert topic["partitions"] == {"value": 12, "source": "set at line 8", "line": 8}
    assert topic["replicas"] == {"value": 3, "source": "set at line 9", "line": 9, "findings": ["KL309 topic-replicas-exceed-brokers"]}
    keys = _by_key(topic)
    assert (keys["retention.ms"]["value"], keys["retention.ms"]["source"], keys["retention.ms"]["findings"]) == (
        "-1", "set at line 11", ["KL310 unbounded-retention"])
    assert (keys["min.insync.replicas"]["value"], keys["min.insync.replicas"]["source"]) == (
        "1", "inherited from min.insync.replicas of cluster payments (Kafka default: the cluster does not set it)")
    assert (keys["unclean.leader.election.enable"]["value"], keys["unclean.leader.election.enable"]["source"]) == (
        "true", "inherited from unclean.leader.election.enable of cluster payments (set at strimzi/kafka-cluster.yaml:51)")
    assert "reference" not in keys["unclean.leader.election.enable"]
    assert (keys["cleanup.policy"]["value"], keys["cleanup.policy"]["source"]) == (
        "delete", "inherited from log.cleanup.policy of cluster payments (Kafka default: the cluster does not set it)")
    assert [(item["line"], item["code"]) for item in topic["findings"]] == [(4, "KL301")]
    text = run_cli(tmp_path, "explain", "strimzi/topics-and-users.yaml").stdout.splitlines()
    assert text[:3] == [
        "strimzi/topics-and-users.yaml:4: KafkaTopic payments (cluster payments)",
        "  partitions: 12 (set at line 8)",
        "  replicas: 3 (set at line 9)  [findings: KL309 topic-replicas-exceed-brokers]",
    ]


def test_topic_defaults_come_from_the_cluster_or_stay_unknown_when_it_is_not_scanned(tmp_path):
    write_files(tmp_path, {"kafka.yaml": (
        "apiVersion: kafka.strimzi.io/v1\nkind: KafkaNodePool\nmetadata:\n  name: dual\n  labels:\n"
        "    strimzi.io/cluster: dev\nspec:\n  replicas: 1\n  roles: [controller, broker]\n"
        "  storage:\n    type: persistent-claim\n    size: 10Gi\n"
        "---\n"
        "apiVersion: kafka.strimzi.io/v1\nkind: Kafka\nmetadata:\n  name: dev\nspec:\n  kafka:\n"
        "    config:\n      default.replication.factor: 1\n      min.insync.replicas: 1\n      num.partitions: 6\n"
        "      log.retention.minutes: 90\n"
        "---\n"
        "apiVersion: kafka.strimzi.io/v1\nkind: KafkaTopic\nmetadata:\n  name: orders\n  labels:\n"
        "    strimzi.io/cluster: dev\nspec:\n  config:\n    cleanup.policy: compact\n"
        "---\n"
        "apiVersion: kafka.strimzi.io/v1\nkind: KafkaTopic\nmetadata:\n  name: lost\n  labels:\n"
        "    strimzi.io/cluster: elsewhere\nspec:\n  partitions: 3\n"
    )})
    report = json.loads(run_cli(tmp_path, "explain", "kafka.yaml", "--format", "json").stdout)
    [cluster] = report["clusters"]
    assert cluster["development_cluster"] == {
        "development": True, "reason": "one broker, and default.replication.factor=1 (set at line 21)"}
    assert cluster["brokers"]["source"] == "node pool dual, replicas at line 8"
    assert cluster["retention"] == {"ms": 5400000, "source": "log.retention.minutes=90 at line 24"}
    orders, lost = report["topics"]
    assert orders["partitions"] == {"value": 6, "source": "num.partitions of cluster dev (set at kafka.yaml:23)", "line": None}
    assert orders["replicas"]["value"] == 1
    assert orders["replicas"]["source"] == "default.replication.factor of cluster dev (set at kafka.yaml:21)"
    keys = _by_key(orders)
    assert (keys["cleanup.policy"]["value"], keys["cleanup.policy"]["source"]) == ("compact", "set at line 34")
    assert (keys["retention.ms"]["value"], keys["retention.ms"]["source"]) == (
        "5400000", "inherited from the time retention of cluster dev (log.retention.minutes=90 at line 24 in kafka.yaml)")
    assert (keys["min.insync.replicas"]["value"], keys["min.insync.replicas"]["source"]) == (
        "1", "inherited from min.insync.replicas of cluster dev (set at kafka.yaml:22)")
    assert lost["cluster"] == {"name": "elsewhere", "found": False, "location": None,
                               "unresolved": "cluster elsewhere is not in the scanned files"}
    assert lost["replicas"]["value"] is None
    lost_keys = _by_key(lost)
    assert (lost_keys["min.insync.replicas"]["value"], lost_keys["min.insync.replicas"]["source"]) == (
        "(unknown)", "not set here, and cluster elsewhere is not in the scanned files (Kafka default: 1)")
    text = run_cli(tmp_path, "explain", "kafka.yaml").stdout
    assert "kafka.yaml:39: KafkaTopic lost (cluster elsewhere is not in the scanned files)\n" in text
    assert "  development cluster: yes (one broker, and default.replication.factor=1 (set at line 21))\n" in text


def test_compose_broker_shows_the_container_variable_behind_each_setting(tmp_path):
    _copy_fixtures(tmp_path, {"docker-compose.yml": "frameworks/compose/docker-compose.yml"})
    outcome = run_cli(tmp_path, "explain", "docker-compose.yml", "--format", "json")
    assert outcome.exit_code == 0, outcome.stderr
    report = json.loads(outcome.stdout)
    [cluster] = report["clusters"]
    assert (cluster["label"], cluster["kind"], cluster["anchor"]["line"]) == (
        "service kafka", "compose Kafka service, image bitnami/kafka:3.7", 3)
    assert cluster["metadata"] == {"mode": "KRaft", "source": "process.roles at line 9"}
    assert cluster["brokers"] == {"count": 1, "source": "broker services in this compose file: kafka", "line": 3, "findings": []}
    # bitnami/kafka starts from the Kafka distribution's server.properties: internal topics at 1.
    image = "image default: the bitnami/kafka:3.7 image's own server.properties"
    assert cluster["development_cluster"] == {
        "development": True, "reason": f"one broker, and offsets.topic.replication.factor=1 ({image})"}
    keys = _by_key(cluster)
    auto_create = keys["auto.create.topics.enable"]
    assert (auto_create["value"], auto_create["source"], auto_create["written_key"]) == (
        "true", "set at line 13 as KAFKA_CFG_AUTO_CREATE_TOPICS_ENABLE", "KAFKA_CFG_AUTO_CREATE_TOPICS_ENABLE")
    assert auto_create["findings"] == []  # a development cluster: KL306 stands down
    assert (keys["offsets.topic.replication.factor"]["value"], keys["offsets.topic.replication.factor"]["source"]) == ("1", image)
    assert (keys["default.replication.factor"]["value"], keys["default.replication.factor"]["source"]) == ("1", "Kafka default")
    assert "inter.broker.protocol.version" not in keys  # read by a Strimzi-only rule, not a default that matters here
    whole = [(item["line"], item["code"], item["severity"]) for item in cluster["findings"]]
    assert whole == [(3, "KL308", "info")]
    # The Connect worker of the same file is still explained as a client.
    assert [client["role"] for client in report["clients"]] == ["connect"]


def test_compose_apache_kafka_without_variables_is_a_development_cluster_through_its_image_defaults(tmp_path):
    write_files(tmp_path, {"docker-compose.yml": "services:\n  broker:\n    image: apache/kafka:3.8.0\n    ports: ['9092:9092']\n"})
    report = json.loads(run_cli(tmp_path, "explain", "docker-compose.yml", "--format", "json").stdout)
    [cluster] = report["clusters"]
    image = "image default: the apache/kafka:3.8.0 image's own server.properties"
    assert cluster["development_cluster"] == {
        "development": True, "reason": f"one broker, and offsets.topic.replication.factor=1 ({image})"}
    keys = _by_key(cluster)
    assert (keys["offsets.topic.replication.factor"]["value"], keys["offsets.topic.replication.factor"]["source"]) == ("1", image)
    assert (keys["default.replication.factor"]["value"], keys["default.replication.factor"]["source"]) == ("1", "Kafka default")
    assert cluster["metadata"] == {"mode": "KRaft", "source": f"process.roles ({image})"}
    assert [(item["line"], item["code"], item["severity"]) for item in cluster["findings"] if item["code"] == "KL308"] == [(2, "KL308", "info")]


def test_server_properties_settings_defaults_all_and_masked_secrets(tmp_path):
    write_files(tmp_path, {"broker/server.properties": (
        "process.roles=broker\nnode.id=2\nmin.insync.replicas=2\nlog.retention.hours=24\n"
        "listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule "
        "required username=\"admin\" password=\"PLANTED7\";\n"
    )})
    outcome = run_cli(tmp_path, "explain", "broker/server.properties", "--format", "json")
    assert outcome.exit_code == 0, outcome.stderr
    [cluster] = json.loads(outcome.stdout)["clusters"]
    assert (cluster["kind"], cluster["brokers"]["count"]) == ("broker configuration file", None)
    assert cluster["brokers"]["source"] == "a broker configuration file describes one broker, not its cluster"
    assert cluster["development_cluster"] == {"development": False, "reason": "the number of brokers is not known"}
    assert cluster["retention"] == {"ms": 86400000, "source": "log.retention.hours=24 at line 4"}
    keys = _by_key(cluster)
    assert (keys["min.insync.replicas"]["value"], keys["min.insync.replicas"]["source"]) == ("2", "set at line 3")
    assert keys["min.insync.replicas"]["findings"] == ["KL302 min-insync-replicas-too-high"]
    assert keys["listener.name.sasl_plaintext.plain.sasl.jaas.config"]["value"] == "****"
    assert "num.partitions" not in keys and "zookeeper.connect" not in keys  # no rule reads them
    # Findings at the file's anchor (line 1, where the first key also is) are about the broker.
    assert keys["process.roles"]["findings"] == []
    assert {item["code"] for item in cluster["findings"]} >= {"KL304", "KL306"}
    everything = json.loads(run_cli(tmp_path, "explain", "broker/server.properties", "--format", "json", "--all").stdout)
    all_keys = _by_key(everything["clusters"][0])
    assert (all_keys["num.partitions"]["value"], all_keys["num.partitions"]["source"]) == ("1", "Kafka default")
    assert (all_keys["zookeeper.connect"]["value"], all_keys["zookeeper.connect"]["source"]) == (
        "(none)", "not set; no Kafka default (removed in Kafka 4.0)")
    assert all_keys["authorizer.class.name"]["value"] == "(empty)"
    for output_format in ("text", "json"):
        shown = run_cli(tmp_path, "explain", "broker", "--format", output_format, "--all").stdout
        assert "PLANTED7" not in shown and "broker/server.properties" in shown


def test_explain_a_folder_lists_files_with_clusters_topics_and_clients(tmp_path):
    _copy_fixtures(tmp_path, {"deploy/strimzi/kafka-cluster.yaml": "strimzi/bad/kafka-cluster.yaml",
                              "deploy/strimzi/topics-and-users.yaml": "strimzi/bad/topics-and-users.yaml",
                              "deploy/docker-compose.yml": "frameworks/compose/docker-compose.yml"})
    write_files(tmp_path, {"deploy/notes.yaml": "title: not kafka\n"})
    report = json.loads(run_cli(tmp_path, "explain", "deploy", "--format", "json").stdout)
    assert [item["file"] for item in report["files"]] == [
        "deploy/docker-compose.yml", "deploy/strimzi/kafka-cluster.yaml", "deploy/strimzi/topics-and-users.yaml"]
    text = run_cli(tmp_path, "explain", "deploy").stdout
    blocks = [line for line in text.splitlines() if line and not line.startswith(" ")]
    assert blocks == [
        "deploy/docker-compose.yml:3: service kafka (compose Kafka service, image bitnami/kafka:3.7)",
        "deploy/docker-compose.yml:15: java connect connect worker connect",
        "deploy/strimzi/kafka-cluster.yaml:31: Kafka payments (Strimzi Kafka)",
        "deploy/strimzi/topics-and-users.yaml:4: KafkaTopic payments (cluster payments)",
    ]
    assert "  brokers: 2 (node pool brokers, replicas at line 22)  [findings: KL308 too-few-brokers]\n" in text
    assert "  Kafka 4.3.1 (spec.kafka.version at line 34); KRaft (kafka.strimzi.io/v1 runs KRaft only)\n" in text


def test_the_readme_s_cluster_example_is_what_explain_prints(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- explain-cluster-example:", 1)[1].split("```text\n", 1)[1].split("\n  ...\n", 1)[0]
    shown = block.splitlines()
    assert len(shown) == 9
    # The fixture alone (not the whole repository as context): the lines shown are about it only.
    _copy_fixtures(tmp_path, {"fixtures/strimzi/bad/kafka-cluster.yaml": "strimzi/bad/kafka-cluster.yaml"})
    outcome = run_cli(tmp_path, "explain", "fixtures/strimzi/bad/kafka-cluster.yaml")
    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout.splitlines()[:9] == shown


def test_escape_sequences_in_a_cluster_and_topic_are_shown_escaped(tmp_path):
    write_files(tmp_path, {"kafka.yaml": (
        "apiVersion: kafka.strimzi.io/v1\nkind: Kafka\nmetadata:\n  name: \"red\\e[31m\"\nspec:\n  kafka:\n"
        "    config:\n      log.cleanup.policy: \"delete\\e[2J\"\n"
        "---\n"
        "apiVersion: kafka.strimzi.io/v1\nkind: KafkaTopic\nmetadata:\n  name: orders\n  labels:\n"
        "    strimzi.io/cluster: \"red\\e[31m\"\nspec:\n  partitions: 1\n"
    )})
    text = run_cli(tmp_path, "explain", "kafka.yaml").stdout
    assert "\x1b" not in text
    assert "kafka.yaml:4: Kafka red\\x1b[31m (Strimzi Kafka)" in text
    assert "kafka.yaml:13: KafkaTopic orders (cluster red\\x1b[31m)" in text
    assert "delete\\x1b[2J" in text


def test_node_pools_in_a_file_of_their_own_point_at_their_kafka(tmp_path):
    fixture = (ROOT / "fixtures/strimzi/bad/kafka-cluster.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    write_files(tmp_path, {"pools.yaml": "".join(fixture[:27]), "kafka.yaml": "".join(fixture[27:])})
    report = json.loads(run_cli(tmp_path, "explain", "pools.yaml", "--format", "json").stdout)
    assert (report["clusters"], report["topics"], report["clients"]) == ([], [], [])
    controller, brokers = report["node_pools"]
    assert (brokers["name"], brokers["roles"], brokers["replicas"], brokers["replicas_line"]) == ("brokers", ["broker"], 2, 22)
    assert brokers["cluster"]["name"] == "payments" and brokers["cluster"]["location"]["path"] == "kafka.yaml"
    assert [(item["line"], item["code"]) for item in brokers["findings"]] == [(22, "KL308")]
    assert [(item["line"], item["code"]) for item in controller["findings"]] == [(10, "KL311"), (13, "KL307")]
    text = run_cli(tmp_path, "explain", "pools.yaml").stdout.splitlines()
    assert text[:2] == [
        "pools.yaml:6: KafkaNodePool controller of Kafka payments (kafka.yaml:4: explain that file for the cluster)",
        "  roles: controller; replicas: 1 (line 10)",
    ]
    cluster = json.loads(run_cli(tmp_path, "explain", "kafka.yaml", "--format", "json").stdout)["clusters"][0]
    assert cluster["brokers"]["count"] == 2 and cluster["node_pools"][1]["path"] == "pools.yaml"


def test_identical_compose_broker_services_say_where_they_are_judged_together(tmp_path):
    service = ("  kafka{n}:\n    image: confluentinc/cp-kafka:7.6.0\n    environment:\n      KAFKA_BROKER_ID: {n}\n"
               "      KAFKA_ZOOKEEPER_CONNECT: zk:2181\n      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: 3\n")
    write_files(tmp_path, {"stack.yml": "services:\n" + "".join(service.format(n=n) for n in (1, 2, 3))})
    clusters = json.loads(run_cli(tmp_path, "explain", "stack.yml", "--format", "json").stdout)["clusters"]
    assert [cluster["name"] for cluster in clusters] == ["kafka1", "kafka2", "kafka3"]
    group = "cluster of services kafka1, kafka2, kafka3, judged once at service kafka1 (line 2)"
    assert [cluster["judged_as"] for cluster in clusters] == [group, group, group]
    assert [cluster["metadata"]["mode"] for cluster in clusters] == ["ZooKeeper"] * 3
    assert clusters[0]["brokers"] == {"count": 3, "source": "broker services in this compose file: kafka1, kafka2, kafka3",
                                      "line": 2, "findings": []}
    assert "KL301" in {item["code"] for item in clusters[0]["findings"]}
    assert clusters[1]["findings"] == [] and clusters[2]["findings"] == []


def test_a_topic_whose_cluster_name_is_ambiguous_says_so_instead_of_missing(tmp_path):
    kafka = "apiVersion: kafka.strimzi.io/v1\nkind: Kafka\nmetadata:\n  name: my-cluster\nspec:\n  kafka:\n    config: {}\n"
    write_files(tmp_path, {
        ".kafkalint.toml": "",  # the project root: its whole tree is the context, as for `check`
        "prod/kafka.yaml": kafka, "test/kafka.yaml": kafka,
        "topics/orders.yaml": ("apiVersion: kafka.strimzi.io/v1\nkind: KafkaTopic\nmetadata:\n  name: orders\n  labels:\n"
                               "    strimzi.io/cluster: my-cluster\nspec:\n  partitions: 3\n"),
    })
    [topic] = json.loads(run_cli(tmp_path, "explain", "topics/orders.yaml", "--format", "json").stdout)["topics"]
    unresolved = "cluster my-cluster is ambiguous: 2 Kafka resources of that name (prod/kafka.yaml, test/kafka.yaml)"
    assert topic["cluster"] == {"name": "my-cluster", "found": False, "location": None, "unresolved": unresolved}
    assert _by_key(topic)["min.insync.replicas"]["source"] == f"not set here, and {unresolved} (Kafka default: 1)"
    assert run_cli(tmp_path, "explain", "topics/orders.yaml").stdout.startswith(
        f"topics/orders.yaml:4: KafkaTopic orders ({unresolved})\n")


def test_a_broker_properties_fragment_leaves_what_it_does_not_set_unknown(tmp_path):
    write_files(tmp_path, {"kafka-broker.properties": "auto.create.topics.enable=false\nmin.insync.replicas=2\n"})
    report = json.loads(run_cli(tmp_path, "explain", "kafka-broker.properties", "--format", "json").stdout)
    [cluster] = report["clusters"]
    assert cluster["defaults_known"] is False
    assert cluster["defaults_unknown"].startswith("a fragment of a broker configuration")
    assert cluster["retention"] == {"ms": None, "source": "not set here; its defaults are not known"}
    keys = _by_key(cluster)
    assert (keys["min.insync.replicas"]["value"], keys["min.insync.replicas"]["source"]) == ("2", "set at line 2")
    assert keys["default.replication.factor"] == {
        "key": "default.replication.factor", "written_key": "default.replication.factor", "value": "(unknown)",
        "source": "not set here; its defaults are not known", "explicit": False, "line": None,
        "rules": keys["default.replication.factor"]["rules"], "findings": [],
    }
    text = run_cli(tmp_path, "explain", "kafka-broker.properties").stdout
    assert "  time retention: unknown (not set here; its defaults are not known)\n" in text
    assert "  defaults not known: a fragment of a broker configuration" in text
