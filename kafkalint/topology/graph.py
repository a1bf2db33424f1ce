"""The topology graph: services (folders) holding clients, topics inside their clusters,
consumer groups, and the flow edges between them, with the run's findings attached.

It is built from the same inventory data `kafkalint inventory --format json` prints, so the
picture never shows a topic or a client the inventory does not know. A client whose topics
cannot be known statically points at its own "topic unknown" node: nothing is invented.
Renderers (mermaid.py, dot.py) only lay this out; every order here is sorted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from kafkalint.hashing import sha256
from kafkalint.model import Finding, Project

# Rules whose findings concern a producer/consumer edge, drawn on the edge itself.
EDGE_RULES = frozenset({"KL601", "KL604"})
# Rules whose findings concern a declared topic, drawn on the topic node.
TOPIC_RULES = frozenset({"KL304", "KL309"})
FLOW_ROLES = ("producer", "consumer", "streams")


def node_id(kind: str, key: str) -> str:
    """A short id that is safe in Mermaid and DOT whatever the topic or file name holds."""
    return f"{kind}_{sha256(key.encode('utf-8')).hexdigest()[:10]}"


@dataclass(slots=True, frozen=True)
class Node:
    id: str
    kind: str  # "client", "topic", "unknown-topic", "group"
    label: tuple[str, ...]  # lines of the label, plain text (renderers escape)
    marks: tuple[str, ...] = ()  # rule codes of findings drawn on this node


@dataclass(slots=True, frozen=True)
class Edge:
    source: str
    target: str
    kind: str  # "produce", "consume", "member", "uses" (direction unknown), "unknown"
    marks: tuple[str, ...] = ()


@dataclass(slots=True)
class Cluster:
    """A subgraph: a service folder holding clients, or a Kafka cluster holding topics."""

    id: str
    kind: str  # "service" or "cluster"
    label: str
    nodes: list[Node] = field(default_factory=list)


@dataclass(slots=True)
class Topology:
    subgraphs: list[Cluster]
    nodes: list[Node]  # outside any subgraph: undeclared topics, consumer groups
    edges: list[Edge]

    def all_nodes(self) -> list[Node]:
        return [node for subgraph in self.subgraphs for node in subgraph.nodes] + self.nodes


def service_of(path: str) -> str:
    """The folder a client belongs to: the module root of a Maven/Gradle layout (the part
    before `/src/`), else the file's own folder. One subgraph per service keeps a repository
    of a hundred services readable: each service is one box however many files it has."""
    if path.startswith("src/"):
        return "."
    head, found, _ = path.partition("/src/")
    if found:
        return head
    folder = path.rsplit("/", 1)[0] if "/" in path else "."
    return folder


def _key(location: dict[str, Any] | None) -> tuple[str, int] | None:
    return None if location is None else (location["path"], location["line"])


def _finding_keys(finding: Finding) -> set[tuple[str, int]]:
    return {(where.path, where.line) for where in (finding.location, *finding.related)}


def _client_label(client: dict[str, Any]) -> tuple[str, ...]:
    location = client["location"] or {"path": "?", "line": 0}
    file_name = location["path"].rsplit("/", 1)[-1]
    first = f"{client['role']} ({client['origin'] if client['origin'] not in ('file', 'python', 'java') else client['dialect']})"
    lines = [first]
    if client["name"] and client["name"] not in (client["role"], client["origin"]):
        lines.append(str(client["name"]))
    lines.append(f"{file_name}:{location['line']}")
    return tuple(lines)


def _topic_label(topic: dict[str, Any]) -> tuple[str, ...]:
    lines = [topic["name"]]
    declared = topic["declared"]
    if not declared:
        lines.append("not declared here")
    else:
        shapes = sorted({(item["partitions"], item["replicas"]) for item in declared}, key=str)
        for partitions, replicas in shapes:
            parts = []
            if partitions is not None:
                parts.append(f"partitions={partitions}")
            if replicas is not None:
                parts.append(f"replicas={replicas}")
            if parts:
                lines.append(" ".join(parts))
    return tuple(lines)


def client_locations(project: Project) -> list[set[tuple[str, int]]]:
    """Per inventory client (same order), the lines that belong to it: its anchor and every
    setting, so a finding pointing at one of its settings (KL604 at the consumer's isolation
    level) is known to concern it."""
    clients = sorted(project.clients, key=lambda client: (client.anchor.path, client.anchor.line, client.anchor.column))
    located = []
    for client in clients:
        keys = {(client.anchor.path, client.anchor.line)}
        for setting in client.settings.values():
            keys.add((setting.key_location.path, setting.key_location.line))
            keys.add((setting.location.path, setting.location.line))
        located.append(keys)
    return located


def topic_locations(project: Project) -> dict[str, set[tuple[str, int]]]:
    """Per topic name, the lines of its declarations: anchor, replicas and every config."""
    located: dict[str, set[tuple[str, int]]] = {}
    for spec in project.topics:
        keys = located.setdefault(spec.name, set())
        keys.add((spec.anchor.path, spec.anchor.line))
        if spec.replicas_location is not None:
            keys.add((spec.replicas_location.path, spec.replicas_location.line))
        for setting in spec.settings.values():
            keys.add((setting.key_location.path, setting.key_location.line))
    return located


def build(
    data: dict[str, Any],
    findings: Iterable[Finding] = (),
    located: list[set[tuple[str, int]]] | None = None,
    topic_lines: dict[str, set[tuple[str, int]]] | None = None,
) -> Topology:
    """The graph of one inventory (kafkalint.inventory.inventory) and its run's findings;
    `located` (client_locations) lets findings on a client's settings reach its edges."""
    findings = list(findings)
    topics = {topic["name"]: topic for topic in data["topics"]}
    used = {name for client in data["clients"] if client["role"] in FLOW_ROLES for name, _ in
            ((item["name"], None) for item in client["topics"])}
    # Topics marked by a finding located on one of their declarations.
    topic_marks: dict[str, set[str]] = {}
    for name, topic in topics.items():
        keys = {_key(item["location"]) for item in topic["declared"]} | (topic_lines or {}).get(name, set())
        for finding in findings:
            if finding.code in TOPIC_RULES and (finding.location.path, finding.location.line) in keys:
                topic_marks.setdefault(name, set()).add(finding.code)

    services: dict[str, Cluster] = {}
    clusters: dict[str, Cluster] = {}
    loose: dict[str, Node] = {}
    edges: set[Edge] = set()

    def topic_node(name: str) -> str:
        topic = topics[name]
        identifier = node_id("t", name)
        node = Node(identifier, "topic", _topic_label(topic), tuple(sorted(topic_marks.get(name, ()))))
        cluster_names = {item["cluster"] for item in topic["declared"]}
        if len(cluster_names) == 1 and None not in cluster_names:
            (cluster_name,) = cluster_names
            cluster = clusters.setdefault(cluster_name, Cluster(node_id("k", cluster_name), "cluster", f"cluster {cluster_name}"))
            if node not in cluster.nodes:
                cluster.nodes.append(node)
        else:
            loose[identifier] = node
        return identifier

    for client in data["clients"]:
        if client["role"] not in FLOW_ROLES or client["location"] is None:
            continue
        location = client["location"]
        identity = f"{location['path']}:{location['line']}:{location['column']}"
        client_node = Node(node_id("c", identity), "client", _client_label(client))
        service = service_of(location["path"])
        services.setdefault(service, Cluster(node_id("s", service), "service", service)).nodes.append(client_node)
        # A finding concerns this edge when it points at the topic use itself, or at one of
        # the client's lines and names the topic ('orders').
        own_keys = {_key(location)} | {_key(item["location"]) for item in client["topics"]}
        if located is not None:
            own_keys |= located[client["id"]]
        group = client["group_id"] if client["role"] == "consumer" else None
        for item in client["topics"] or [None]:
            if item is None:
                target = node_id("u", identity)
                loose[target] = Node(target, "unknown-topic", ("topic unknown",))
            else:
                target = topic_node(item["name"])
            marks = set()
            for finding in findings:
                if finding.code not in EDGE_RULES:
                    continue
                keys = _finding_keys(finding)
                if item is not None and _key(item["location"]) in keys:
                    marks.add(finding.code)
                elif item is not None and f"'{item['name']}'" in finding.message and keys & own_keys:
                    marks.add(finding.code)
            kind = "unknown" if item is None else {"producer": "produce", "consumer": "consume"}.get(client["role"], "uses")
            marked = tuple(sorted(marks))
            if client["role"] == "producer":
                edges.add(Edge(client_node.id, target, kind, marked))
            elif client["role"] == "consumer" and group is not None:
                group_id = node_id("g", str(group))
                loose[group_id] = Node(group_id, "group", (f"group {group}",))
                edges.add(Edge(target, group_id, kind, marked))
                edges.add(Edge(group_id, client_node.id, "member"))
            elif client["role"] == "consumer":
                edges.add(Edge(target, client_node.id, kind, marked))
            else:
                edges.add(Edge(client_node.id, target, "uses" if item is not None else "unknown", marked))
    # Declared topics nobody in the tree uses still belong on the map of their cluster.
    for name in sorted(topics):
        if name not in used and topics[name]["declared"]:
            topic_node(name)
    # A cluster with no topic in the tree is not drawn: an empty box says nothing (and
    # Graphviz drops it anyway).
    subgraphs = [services[name] for name in sorted(services)] + [clusters[name] for name in sorted(clusters)]
    for subgraph in subgraphs:
        subgraph.nodes.sort(key=lambda node: (node.label, node.id))
    return Topology(
        subgraphs=subgraphs,
        nodes=sorted(loose.values(), key=lambda node: (node.kind, node.label, node.id)),
        edges=sorted(edges, key=lambda edge: (edge.source, edge.target, edge.kind, edge.marks)),
    )

