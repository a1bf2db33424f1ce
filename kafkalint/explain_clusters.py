"""The cluster and topic half of `kafkalint explain`: what the model resolved for each cluster
(Strimzi Kafka with its node pools, compose broker service, server.properties) and each declared
topic (Strimzi KafkaTopic) of a file.

Everything shown is read from the model the engine built and from the knowledge base: the broker
count and how it was found, KRaft or ZooKeeper, whether the cluster is a development cluster and
why (the rules' own test), and every broker or topic setting a rule reads with its value and where
it comes from (a line of the file, the container image's own defaults, the Kafka default, or, for
a topic, its cluster). Nothing is parsed again here; secret values are masked.
"""

from __future__ import annotations

from typing import Any

from kafkalint.explained_key import ExplainedKey, key_lines, shown_value
from kafkalint.model import (
    UNKNOWN,
    BrokerConfig,
    Finding,
    Location,
    Project,
    Setting,
    TopicSpec,
)

# How explain names where a value comes from when nothing in the file sets it.
KAFKA_DEFAULT = "Kafka default"


# --- which rules read a key -------------------------------------------------------------------


def _rule_applies(rule: Any, resource_kind: str, strimzi: bool) -> bool:
    """Rules over brokers or topics: project-wide rules, broker rules for a cluster, and rules on
    Strimzi resources of the holder's kind when the holder is a Strimzi resource."""
    if rule.target == "project":
        return True
    if rule.target == "broker":
        return resource_kind == "Kafka"
    if rule.target == "resource":
        return strimzi and (not rule.kinds or resource_kind in rule.kinds)
    return False


def holder_rules_reading(key: str, rules: list[Any], resource_kind: str, strimzi: bool) -> list[str]:
    """Codes of the rules (for a cluster: resource_kind "Kafka", for a topic "KafkaTopic") whose
    declared `reads:` list names the key."""
    return [
        rule.code for rule in rules
        if _rule_applies(rule, resource_kind, strimzi) and key in (getattr(rule, "reads", ()) or ())
    ]


# --- findings ---------------------------------------------------------------------------------


def _span_holds(span: Location, location: Location) -> bool:
    """Whether a finding's location lies inside a resource's span (its last line counts only
    when the span ends inside it, not at the start of the next document)."""
    if location.path != span.path or location.line < span.line:
        return False
    end_line = span.end_line if span.end_line is not None else span.line
    if span.end_column is not None and span.end_column <= 1:
        return location.line < end_line
    return location.line <= end_line


def _on_setting(setting: Setting, finding: Finding) -> bool:
    return any(_same_place(finding.location, place) for place in (setting.key_location, setting.location))


def _same_place(left: Location, right: Location) -> bool:
    return (left.path, left.line, left.column) == (right.path, right.line, right.column)


def _findings_at(setting: Setting, findings: list[Finding], anchor: Location) -> list[str]:
    """Findings on the setting; one at the holder's anchor (where a properties file's first key
    also is) is about the whole cluster or topic, as for clients."""
    return [f"{finding.code} {finding.name}" for finding in findings
            if _on_setting(setting, finding) and not _same_place(finding.location, anchor)]


def _findings_at_place(place: Location | None, findings: list[Finding]) -> list[str]:
    """Findings pointing exactly at one place (a broker count, a topic's replicas)."""
    if place is None:
        return []
    return [f"{finding.code} {finding.name}" for finding in findings if _same_place(finding.location, place)]


def _whole_findings(findings: list[Finding], anchor: Location, spans: list[Location],
                    elsewhere: list[Setting], rows: list[Location | None]) -> list[dict[str, Any]]:
    """Findings about the cluster or topic as a whole: at its anchor or elsewhere inside its
    resources, but not on one of its settings or rows (broker count, replicas), where they are
    shown instead."""
    whole = []
    for finding in findings:
        at = finding.location
        if _same_place(at, anchor):
            whole.append(finding)
            continue
        if any(_on_setting(setting, finding) for setting in elsewhere):
            continue
        if any(row is not None and _same_place(at, row) for row in rows):
            continue
        if any(_span_holds(span, at) for span in spans):
            whole.append(finding)
    return [{"code": finding.code, "name": finding.name, "severity": finding.severity.value,
             "line": finding.location.line, "message": finding.message} for finding in whole]


# --- one setting ------------------------------------------------------------------------------


def _is_secret(setting: Setting) -> bool:
    from kafkalint.redaction import is_secret_key

    return setting.secret or is_secret_key(setting.written_key or setting.key)


def _written_as(setting: Setting, project: Project) -> str:
    """The text at the key's span when it is not the canonical key: the container variable a
    compose file sets (`KAFKA_CFG_AUTO_CREATE_TOPICS_ENABLE`)."""
    at = setting.key_location
    if at.end_column is None or (at.end_line is not None and at.end_line != at.line):
        return ""
    text = next((source.text for source in project.files if source.path == at.path and source.text), None)
    if text is None:
        return ""
    lines = text.splitlines()
    if not 0 < at.line <= len(lines):
        return ""
    written = lines[at.line - 1][at.column - 1:at.end_column - 1].strip().strip("\"'")
    return written if written and written != setting.key else ""


def _explicit_source(setting: Setting, holder: BrokerConfig | TopicSpec, written: str) -> str:
    """Where a value written for (or implied for) a cluster or topic comes from; `written`: the
    container variable that set it, if any."""
    if setting.implied:
        return f"image default: {setting.implied}"
    source = f"set at line {setting.key_location.line}"
    if written:
        source += f" as {written}"
    if setting.value is UNKNOWN:
        source += "; value not knowable statically"
    if isinstance(holder, BrokerConfig) and holder.origin == "strimzi":
        from kafkalint.knowledge.strimzi import (
            kafka_config_forbidden_prefix,
            kafka_config_managed_by,
        )

        prefix = kafka_config_forbidden_prefix(setting.key)
        if prefix is not None:
            source += f"; ignored: Strimzi manages it ({kafka_config_managed_by(prefix)})"
    return source


def _catalogue_entry(key: str) -> dict[str, Any]:
    from kafkalint.knowledge.broker import broker_catalogue

    return broker_catalogue()["keys"].get(key, {})


def _reference(key: str) -> str:
    from kafkalint.knowledge.broker import broker_catalogue

    catalogue = broker_catalogue()
    return catalogue["sources"].get(_catalogue_entry(key).get("source", ""), "")


def _explained_setting(setting: Setting, holder: BrokerConfig | TopicSpec, project: Project, rules: list[str],
                       findings: list[Finding]) -> dict[str, Any]:
    # A compose file sets a container variable (KAFKA_CFG_...), not the key itself.
    written = _written_as(setting, project) if holder.origin == "compose" and not setting.implied else ""
    return ExplainedKey(
        setting.key, shown_value(setting.value, _is_secret(setting)), _explicit_source(setting, holder, written),
        True, setting.key_location.line, written or setting.written_key, rules, _findings_at(setting, findings, holder.anchor),
    ).to_dict()


def _unset_key(key: str, value: Any, source: str, rules: list[str], kafka_default: bool) -> dict[str, Any]:
    """A key the file does not set; `kafka_default`: its value is Kafka's own default, whose
    source in the knowledge base is then cited."""
    text = "(unknown)" if value is UNKNOWN else "(empty)" if value == "" else shown_value(value, False)
    item = ExplainedKey(key, text, source, False, None, "", rules, []).to_dict()
    if kafka_default:
        item["reference"] = _reference(key)
    return item


# --- clusters ---------------------------------------------------------------------------------


def _strimzi_resource(broker: BrokerConfig) -> Any:
    return broker.extras.get("resource") if broker.origin == "strimzi" else None


def _kafka_version(broker: BrokerConfig) -> dict[str, Any]:
    from kafkalint.sources.strimzi import key_location, text_of

    resource = _strimzi_resource(broker)
    node = resource.at("spec", "kafka", "version") if resource is not None else None
    if node is not None and text_of(node):
        return {"kafka": text_of(node), "source": f"spec.kafka.version at line {key_location(node).line}"}
    if resource is not None:
        return {"kafka": None, "source": "spec.kafka.version not set: the Strimzi operator's default Kafka version"}
    return {"kafka": None, "source": "not stated in the file"}


def _setting_where(setting: Setting) -> str:
    if setting.implied:
        return f"(image default: {setting.implied})"
    return f"at line {setting.key_location.line}"


def _metadata_mode(broker: BrokerConfig) -> dict[str, Any]:
    """KRaft or ZooKeeper, and what says so."""
    resource = _strimzi_resource(broker)
    if resource is not None:
        kraft = broker.extras.get("kraft")
        if kraft is None:
            return {"mode": None, "source": "the resource does not say (no KRaft annotation, version or spec.zookeeper)"}
        if kraft is False:
            return {"mode": "ZooKeeper", "source": "spec.zookeeper, without the strimzi.io/kraft annotation"}
        from kafkalint.knowledge import version_tuple
        from kafkalint.sources.strimzi import text_of

        if resource.version == "v1":
            why = "kafka.strimzi.io/v1 runs KRaft only"
        elif resource.annotations.get("strimzi.io/kraft", "").strip().lower() == "enabled":
            why = "annotation strimzi.io/kraft: enabled"
        elif version_tuple(text_of(resource.at("spec", "kafka", "version")) or "0") >= (4, 0):
            why = "Kafka 4.0 and later run KRaft only"
        else:
            why = "the resource says so"
        return {"mode": "KRaft", "source": why}
    roles = broker.settings.get("process.roles")
    if roles is not None:
        return {"mode": "KRaft", "source": f"process.roles {_setting_where(roles)}"}
    zookeeper = broker.settings.get("zookeeper.connect")
    if zookeeper is not None:
        return {"mode": "ZooKeeper", "source": f"zookeeper.connect {_setting_where(zookeeper)}"}
    return {"mode": None, "source": "neither process.roles nor zookeeper.connect is set here"}


def _node_pools(broker: BrokerConfig) -> list[dict[str, Any]]:
    from kafkalint.sources.strimzi import integer_of, key_location, pool_roles

    resource = _strimzi_resource(broker)
    pools = resource.extras.get("pools", []) if resource is not None else []
    listed = []
    for pool in pools:
        replicas = pool.at("spec", "replicas")
        listed.append({
            "name": pool.name, "roles": sorted(pool_roles(pool)), "replicas": integer_of(replicas),
            "path": pool.path, "line": key_location(replicas).line if replicas is not None else pool.anchor.line,
        })
    return listed


def _compose_services(broker: BrokerConfig, project: Project) -> tuple[list[str], list[str]]:
    """(broker services, all Kafka services) of the compose file the broker service is in."""
    from kafkalint.checks.cluster import hosts_partitions

    same_file = [other for other in project.brokers if other.origin == "compose" and other.anchor.path == broker.anchor.path]
    return [other.name for other in same_file if hosts_partitions(other)], [other.name for other in same_file]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _broker_count(broker: BrokerConfig, project: Project, pools: list[dict[str, Any]]) -> dict[str, Any]:
    """The cluster's broker and node counts as the model resolved them, and how."""
    from kafkalint.checks.cluster import hosts_partitions

    count, line = broker.broker_count, broker.broker_count_location.line if broker.broker_count_location else None
    resource = _strimzi_resource(broker)
    if resource is not None:
        from kafkalint.sources.strimzi import uses_node_pools

        broker_pools = broker.extras.get("broker_pools")
        if broker_pools:
            where = f"node pool {broker_pools[0]}, replicas at line {line}" if len(broker_pools) == 1 else (
                f"node pools {', '.join(broker_pools)}, replicas added up")
        elif uses_node_pools(resource):
            where = ("no node pool with the broker role belongs to this cluster in the scanned files" if not pools
                     else "a broker node pool's replicas are not a number")
        elif count is not None:
            where = f"spec.kafka.replicas at line {line}"
        else:
            where = "spec.kafka.replicas is not set"
        nodes = ", ".join(f"{pool['name']} {pool['replicas']}" for pool in pools)
        node_source = f"node pools {nodes}" if pools and broker.node_count is not None else where
    elif broker.origin == "compose":
        brokers, services = _compose_services(broker, project)
        where = f"broker services in this compose file: {', '.join(brokers) or 'none'}"
        node_source = f"Kafka services in this compose file: {', '.join(services)}"
        if not hosts_partitions(broker):
            where = "this service is a KRaft controller only; " + where
    else:
        where = "a broker configuration file describes one broker, not its cluster"
        node_source = where
    return {
        "brokers": {"count": count, "source": where, "line": line},
        "nodes": {"count": broker.node_count, "source": node_source},
    }


def _judged_as(broker: BrokerConfig, project: Project) -> str | None:
    """For a compose broker service the rules judge together with identical services of its file
    (kafkalint/broker_groups.py): the group and the service its findings are reported at."""
    if broker.origin != "compose":
        return None
    from kafkalint.broker_groups import judged_brokers

    judged = judged_brokers(project)
    if any(item is broker for item in judged):
        return None  # judged on its own
    # A group is judged through a copy of its first service, labelled with the group.
    groups = [item for item in judged if item.anchor.path == broker.anchor.path
              and not any(item is other for other in project.brokers)]
    chosen = [group for group in groups if group.anchor == broker.anchor] or groups
    return "; ".join(f"{group.label}, judged once at service {group.name} (line {group.anchor.line})" for group in chosen) or None


def _metadata_quorum(broker: BrokerConfig) -> dict[str, Any] | None:
    resource = _strimzi_resource(broker)
    quorum = resource.extras.get("controllers") if resource is not None else None
    if quorum is None:
        return None
    voters, where, what = quorum
    return {"count": voters, "what": what, "line": where.line}


def _development(broker: BrokerConfig) -> dict[str, Any]:
    """Whether the rules treat the cluster as a development cluster kept at one copy by design
    (checks/cluster.py decides; the reason restates its test), and why."""
    from kafkalint.checks.cluster import (
        INTERNAL_REPLICATION_KEYS,
        cluster_broker_count,
        integer,
        is_development_cluster,
    )

    ones = [key for key in INTERNAL_REPLICATION_KEYS
            if key in broker.settings and integer(broker.settings[key].value) == 1]
    count = cluster_broker_count(broker)
    if is_development_cluster(broker):
        key = ones[0]
        setting = broker.settings[key]
        where = f"image default: {setting.implied}" if setting.implied else f"set at line {setting.key_location.line}"
        if count == 1:
            return {"development": True, "reason": f"one broker, and {key}=1 ({where})"}
        return {"development": True, "reason": f"{_plural(count, 'broker')}, and every replication factor set is 1: {key}=1 ({where})"}
    if count is None:
        reason = "the number of brokers is not known"
    elif count == 2:
        above = [(key, value) for key in INTERNAL_REPLICATION_KEYS
                 if key in broker.settings and (value := integer(broker.settings[key].value)) is not None and value > 1]
        reason = f"2 brokers, and {above[0][0]}={above[0][1]}" if above else "2 brokers, and no replication factor of 1 is set"
    elif count != 1:
        reason = _plural(count, "broker")
    else:
        reason = "one broker, but no replication factor of 1 is set (" + ", ".join(INTERNAL_REPLICATION_KEYS) + ")"
    return {"development": False, "reason": reason}


def defaults_unknown_reason(broker: BrokerConfig) -> str:
    """Why what a broker runs with beyond its written settings is not known (defaults_known is
    False): an image kafkalint does not know, a mounted config file, or a properties fragment."""
    if broker.origin == "compose":
        return "the container's own broker defaults are not known (an unlisted image, or a mounted config file)"
    return "a fragment of a broker configuration (no broker.id, node.id, process.roles, listeners, ...): what it leaves out is set elsewhere"


def _retention(broker: BrokerConfig) -> dict[str, Any]:
    """The broker's time retention as Kafka computes it (ms, else minutes, else hours); ms is
    None when it cannot be known."""
    from kafkalint.knowledge.broker import broker_retention_ms

    value, setting, origin = broker_retention_ms(broker)
    if setting is not None:
        source = f"image default: {origin}" if setting.implied else origin
    elif value is UNKNOWN:
        source = "not set here; its defaults are not known"
    else:
        source = f"{KAFKA_DEFAULT}: log.retention.hours=168"
    known = isinstance(value, int) and not isinstance(value, bool)
    return {"ms": value if known else None, "source": source}


def _broker_keys(broker: BrokerConfig, project: Project, rules: list[Any], findings: list[Finding],
                 show_all: bool, version: str | None) -> list[dict[str, Any]]:
    from kafkalint.checks.cluster import hosts_partitions
    from kafkalint.knowledge import version_tuple
    from kafkalint.knowledge.broker import broker_catalogue, broker_effective

    strimzi = broker.origin == "strimzi"
    keys = [
        _explained_setting(setting, broker, project, holder_rules_reading(setting.key, rules, "Kafka", strimzi), findings)
        for setting in broker.settings.values()
    ]
    for key, entry in broker_catalogue()["keys"].items():
        if key in broker.settings or entry.get("scope") not in ("broker", "both"):
            continue
        removed = entry.get("removed")
        if removed and version and version_tuple(version) >= version_tuple(removed):
            continue  # the cluster's Kafka no longer has the key
        readers = holder_rules_reading(key, rules, "Kafka", strimzi)
        if not show_all and (not readers or not hosts_partitions(broker)):
            continue  # a KRaft controller hosts no partitions: the rules judge these on the brokers
        value, _, _ = broker_effective(broker, key)
        if value is UNKNOWN:
            source = "not set here; its defaults are not known"
        elif value is None:
            source = "not set; no Kafka default" + (f" (removed in Kafka {removed})" if removed else "")
        else:
            source = KAFKA_DEFAULT
        keys.append(_unset_key(key, value, source, readers, value is not UNKNOWN and value is not None))
    return keys


def _kind(broker: BrokerConfig) -> str:
    if broker.origin == "strimzi":
        return "Strimzi Kafka"
    if broker.origin == "compose":
        image = broker.extras.get("image") or "an image kafkalint recognises by its variables"
        return f"compose Kafka service, image {image}"
    return "broker configuration file"


def explain_cluster(broker: BrokerConfig, project: Project, rules: list[Any], findings: list[Finding],
                    show_all: bool) -> dict[str, Any]:
    """One cluster (a Strimzi Kafka, a compose broker service, a server.properties) as the model
    resolved it."""
    from kafkalint.checks.cluster import hosts_partitions

    version = _kafka_version(broker)
    pools = _node_pools(broker)
    counts = _broker_count(broker, project, pools)
    # A finding at the broker count (a node pool's replicas) is shown on the brokers line.
    count_place = broker.broker_count_location if broker.broker_count_location != broker.anchor else None
    counts["brokers"]["findings"] = _findings_at_place(count_place, findings)
    resource = _strimzi_resource(broker)
    spans = []
    if resource is not None:
        spans.append(resource.node.location)
        spans.extend(pool.node.location for pool in resource.extras.get("pools", []))
    return {
        "name": broker.name,
        "label": broker.label or broker.name,
        "kind": _kind(broker),
        "origin": broker.origin,
        "anchor": broker.anchor.to_dict(),
        "version": version,
        "metadata": _metadata_mode(broker),
        "hosts_partitions": hosts_partitions(broker),
        **counts,
        "node_pools": pools,
        "metadata_quorum": _metadata_quorum(broker),
        "development_cluster": _development(broker),
        "judged_as": _judged_as(broker, project),
        "defaults_known": broker.defaults_known,
        "defaults_unknown": None if broker.defaults_known else defaults_unknown_reason(broker),
        "retention": _retention(broker),
        "findings": _whole_findings(findings, broker.anchor, spans, list(broker.settings.values()), [count_place]),
        "keys": _broker_keys(broker, project, rules, findings, show_all, version["kafka"]),
    }


# --- node pools declared apart from their Kafka --------------------------------------------------


def explain_node_pool(pool: Any, project: Project, findings: list[Finding]) -> dict[str, Any]:
    """A KafkaNodePool in a file without its Kafka: its roles and replicas, the cluster it joins
    (whose explanation is that file's), and the findings inside it."""
    from kafkalint.sources.strimzi import integer_of, key_location, pool_roles

    kafka = pool.extras.get("kafka")
    replicas = pool.at("spec", "replicas")
    return {
        "name": pool.name,
        "anchor": pool.anchor.to_dict(),
        "roles": sorted(pool_roles(pool)),
        "replicas": integer_of(replicas),
        "replicas_line": key_location(replicas).line if replicas is not None else None,
        "cluster": {
            "name": kafka.name if kafka is not None else pool.cluster,
            "found": kafka is not None,
            "location": kafka.anchor.to_dict() if kafka is not None else None,
            "unresolved": None if kafka is not None else cluster_not_resolved(pool, project),
        },
        "findings": _whole_findings(findings, pool.anchor, [pool.node.location], [], []),
    }


def node_pools_apart(project: Project, display: str) -> list[Any]:
    """KafkaNodePools of the file whose Kafka is not in the same file (or not found at all)."""
    from kafkalint.sources.strimzi import strimzi_resources

    pools = []
    for pool in strimzi_resources(project, "KafkaNodePool"):
        kafka = pool.extras.get("kafka")
        if pool.path == display and (kafka is None or kafka.path != display):
            pools.append(pool)
    return pools


# --- topics -----------------------------------------------------------------------------------


def _topic_resource(topic: TopicSpec, project: Project) -> Any:
    from kafkalint.sources.strimzi import strimzi_resources

    return next((resource for resource in strimzi_resources(project, "KafkaTopic")
                 if resource.extras.get("topic") is topic), None)


def _from_cluster(cluster: BrokerConfig, broker_key: str) -> tuple[Any, str, bool]:
    """(value, where from, whether it is Kafka's default) of a cluster's broker-level key, as a
    topic that does not set the key inherits it."""
    from kafkalint.knowledge.broker import broker_effective

    value, setting, _ = broker_effective(cluster, broker_key)
    if setting is not None:
        where = f"image default: {setting.implied}" if setting.implied else f"set at {setting.key_location.path}:{setting.key_location.line}"
        return value, f"{broker_key} of cluster {cluster.name} ({where})", False
    if value is UNKNOWN:
        return UNKNOWN, f"{broker_key} of cluster {cluster.name}, not known ({defaults_unknown_reason(cluster)})", False
    return value, f"{broker_key} of cluster {cluster.name} ({KAFKA_DEFAULT}: the cluster does not set it)", True


def cluster_not_resolved(member: Any, project: Project) -> str:
    """Why a Strimzi resource (KafkaTopic, KafkaNodePool) has no cluster: no label, no Kafka of
    that name in the scanned files, or several that the operator's resolution cannot choose from."""
    from kafkalint.sources.strimzi import cluster_candidates

    label = getattr(member, "cluster", None)
    if not label:
        return "it has no strimzi.io/cluster label"
    candidates = cluster_candidates(project, member) if member is not None and hasattr(member, "labels") else []
    if len(candidates) > 1:
        files = sorted({candidate.path for candidate in candidates})
        shown = ", ".join(files[:3]) + (f", ... ({len(files)} files)" if len(files) > 3 else "")
        return f"cluster {label} is ambiguous: {len(candidates)} Kafka resources of that name ({shown})"
    return f"cluster {label} is not in the scanned files"


def _inherited(topic: TopicSpec, key: str, unresolved: str) -> tuple[Any, str, bool]:
    """A topic key the topic does not set: (value, where from, whether it is Kafka's default).
    Its cluster's broker-level value, else the Kafka default; unknown when the cluster is not in
    the scanned files or its defaults are not known."""
    from kafkalint.knowledge.broker import broker_default, broker_retention_ms

    cluster = topic.cluster_config
    if cluster is None:
        default = shown_value(broker_default(key), False)
        return UNKNOWN, f"not set here, and {unresolved} ({KAFKA_DEFAULT}: {default})", False
    if key == "retention.ms":  # the cluster's log.retention.ms, .minutes or .hours, as Kafka computes it
        value, setting, origin = broker_retention_ms(cluster)
        if setting is not None:
            where = f"image default: {setting.implied}" if setting.implied else f"{origin} in {setting.key_location.path}"
            return value, f"inherited from the time retention of cluster {cluster.name} ({where})", False
        if value is UNKNOWN:
            return UNKNOWN, f"inherited from the time retention of cluster {cluster.name}, not known ({defaults_unknown_reason(cluster)})", False
        return value, f"inherited from the time retention of cluster {cluster.name} ({KAFKA_DEFAULT}: log.retention.hours=168)", True
    value, source, kafka_default = _from_cluster(cluster, _catalogue_entry(key).get("broker_key", key))
    return value, f"inherited from {source}", kafka_default


def _partitions(topic: TopicSpec, resource: Any, unresolved: str) -> dict[str, Any]:
    """spec.partitions, else (Strimzi) the cluster's num.partitions."""
    from kafkalint.sources.strimzi import key_location

    if topic.partitions is not None:
        node = resource.at("spec", "partitions") if resource is not None else None
        line = key_location(node).line if node is not None else topic.anchor.line
        return {"value": topic.partitions, "source": f"set at line {line}", "line": line}
    if topic.cluster_config is None:
        return {"value": None, "source": f"not set here; its cluster's num.partitions applies, and {unresolved}", "line": None}
    value, source, _ = _from_cluster(topic.cluster_config, "num.partitions")
    return {"value": None if value is UNKNOWN else value, "source": source, "line": None}


def _replicas(topic: TopicSpec, unresolved: str) -> dict[str, Any]:
    """spec.replicas, else the cluster's default.replication.factor."""
    if topic.replicas is not None:
        line = topic.replicas_location.line if topic.replicas_location else topic.anchor.line
        return {"value": topic.replicas, "source": f"set at line {line}", "line": line}
    if topic.cluster_config is None:
        return {"value": None, "source": f"not set here; its cluster's default.replication.factor applies, and {unresolved}", "line": None}
    value, source, _ = _from_cluster(topic.cluster_config, "default.replication.factor")
    return {"value": None if value is UNKNOWN else value, "source": source, "line": None}


def explain_topic(topic: TopicSpec, project: Project, rules: list[Any], findings: list[Finding],
                  show_all: bool) -> dict[str, Any]:
    """One declared topic: its cluster, partitions, replicas and effective topic config."""
    from kafkalint.knowledge.broker import broker_catalogue

    resource = _topic_resource(topic, project)
    unresolved = "" if topic.cluster_config is not None else cluster_not_resolved(resource or topic, project)
    strimzi = topic.origin == "strimzi"
    keys = [
        _explained_setting(setting, topic, project, holder_rules_reading(setting.key, rules, "KafkaTopic", strimzi), findings)
        for setting in topic.settings.values()
    ]
    for key, entry in broker_catalogue()["keys"].items():
        if key in topic.settings or entry.get("scope") not in ("topic", "both"):
            continue
        readers = holder_rules_reading(key, rules, "KafkaTopic", strimzi)
        if not readers and not show_all:
            continue
        value, source, kafka_default = _inherited(topic, key, unresolved)
        keys.append(_unset_key(key, value, source, readers, kafka_default))
    cluster = topic.cluster_config
    spans = [resource.node.location] if resource is not None else []
    replicas = _replicas(topic, unresolved)
    replicas_place = topic.replicas_location if topic.replicas is not None else None
    replicas["findings"] = _findings_at_place(replicas_place, findings)
    return {
        "name": topic.name,
        "label": topic.label or f"topic {topic.name}",
        "origin": topic.origin,
        "anchor": topic.anchor.to_dict(),
        "cluster": {
            "name": cluster.name if cluster is not None else topic.cluster,
            "found": cluster is not None,
            "location": cluster.anchor.to_dict() if cluster is not None else None,
            "unresolved": unresolved or None,
        },
        "partitions": _partitions(topic, resource, unresolved),
        "replicas": replicas,
        "findings": _whole_findings(findings, topic.anchor, spans, list(topic.settings.values()), [replicas_place]),
        "keys": keys,
    }


# --- text -------------------------------------------------------------------------------------


def _finding_lines(findings: list[dict[str, Any]], heading: str) -> list[str]:
    if not findings:
        return []
    lines = [f"  {heading}:"]
    lines.extend(f"    line {item['line']}: {item['code']} {item['name']} [{item['severity']}] {item['message']}" for item in findings)
    return lines


def _count_text(count: dict[str, Any]) -> str:
    value = "unknown" if count["count"] is None else str(count["count"])
    return f"{value} ({count['source']})"


def render_cluster(path: str, cluster: dict[str, Any]) -> list[str]:
    lines = [f"{path}:{cluster['anchor']['line']}: {cluster['label']} ({cluster['kind']})"]
    version = cluster["version"]
    metadata = cluster["metadata"]
    head = f"Kafka {version['kafka']} ({version['source']})" if version["kafka"] else f"Kafka version: {version['source']}"
    mode = f"{metadata['mode']} ({metadata['source']})" if metadata["mode"] else f"KRaft or ZooKeeper: {metadata['source']}"
    lines.append(f"  {head}; {mode}")
    found = cluster["brokers"].get("findings")
    lines.append(f"  brokers: {_count_text(cluster['brokers'])}" + (f"  [findings: {', '.join(found)}]" if found else ""))
    lines.append(f"  Kafka nodes: {_count_text(cluster['nodes'])}")
    for pool in cluster["node_pools"]:
        replicas = "unknown" if pool["replicas"] is None else pool["replicas"]
        lines.append(f"    node pool {pool['name']}: roles {', '.join(pool['roles']) or '(none)'}, replicas {replicas} ({pool['path']}:{pool['line']})")
    quorum = cluster["metadata_quorum"]
    if quorum is not None:
        lines.append(f"  metadata quorum: {quorum['count']} {quorum['what']} at line {quorum['line']}")
    if cluster["judged_as"]:
        lines.append(f"  identical broker services: {cluster['judged_as']}")
    if not cluster["hosts_partitions"]:
        lines.append("  a KRaft controller only: it hosts no partitions, so replica and topic settings are judged on the brokers")
    development = cluster["development_cluster"]
    lines.append(f"  development cluster: {'yes' if development['development'] else 'no'} ({development['reason']})")
    if not cluster["defaults_known"]:
        lines.append(f"  defaults not known: {cluster['defaults_unknown']}; keys it does not set are unknown, no Kafka default is assumed")
    retention = cluster["retention"]
    millis = "unknown" if retention["ms"] is None else f"{retention['ms']} ms"
    if cluster["hosts_partitions"]:
        lines.append(f"  time retention: {millis} ({retention['source']})")
    lines.extend(_finding_lines(cluster["findings"], "findings about the whole cluster"))
    lines.extend(key_lines(cluster["keys"]))
    lines.append("")
    return lines


def render_topic(path: str, topic: dict[str, Any]) -> list[str]:
    cluster = topic["cluster"]
    belongs = f"cluster {cluster['name']}" if cluster["found"] else cluster["unresolved"]
    lines = [f"{path}:{topic['anchor']['line']}: {topic['label']} ({belongs})"]
    for field_name in ("partitions", "replicas"):
        item = topic[field_name]
        value = "unknown" if item["value"] is None else item["value"]
        extra = f"  [findings: {', '.join(item['findings'])}]" if item.get("findings") else ""
        lines.append(f"  {field_name}: {value} ({item['source']}){extra}")
    lines.extend(_finding_lines(topic["findings"], "findings about the whole topic"))
    lines.extend(key_lines(topic["keys"]))
    lines.append("")
    return lines


def render_node_pool(path: str, pool: dict[str, Any]) -> list[str]:
    cluster = pool["cluster"]
    if cluster["found"]:
        where = cluster["location"]
        belongs = f"of Kafka {cluster['name']} ({where['path']}:{where['line']}: explain that file for the cluster)"
    else:
        belongs = f"({cluster['unresolved']})"
    replicas = "unknown" if pool["replicas"] is None else f"{pool['replicas']} (line {pool['replicas_line']})"
    lines = [
        f"{path}:{pool['anchor']['line']}: KafkaNodePool {pool['name']} {belongs}",
        f"  roles: {', '.join(pool['roles']) or '(none)'}; replicas: {replicas}",
    ]
    lines.extend(_finding_lines(pool["findings"], "findings in this node pool"))
    lines.append("")
    return lines
