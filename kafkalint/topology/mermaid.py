"""The topology as a Mermaid flowchart, which GitHub and GitLab render inside Markdown.

Only a small subset of Mermaid is emitted, so a test can check every line against it:
`flowchart LR`, `subgraph ID["label"]` / `end`, nodes `ID["label"]` (client),
`ID[("label")]` (topic), `ID{{"label"}}` (consumer group), edges `A --> B`, `A -.-> B`
(direction or topic unknown), `A ==>|"label"| B` (an edge a finding concerns), `classDef` and
`class` lines. Ids are hashes (graph.node_id); every label is quoted and every character
outside a plain ASCII set is written as a Mermaid entity code (`#35;`), so quotes, brackets,
`#`, `|` and non-ASCII names cannot break the chart.
"""

from __future__ import annotations

from kafkalint.topology.graph import Node, Topology

_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:_-/=+*@$?!()'")

_SHAPES = {
    "client": ('["', '"]'),
    "topic": ('[("', '")]'),
    "unknown-topic": ('[("', '")]'),
    "group": ('{{"', '"}}'),
}

CLASS_DEFS = (
    "classDef topic fill:#eef6ff,stroke:#3b6ea5",
    "classDef group fill:#f4f0ff,stroke:#6a4fb3",
    "classDef unknown fill:#ffffff,stroke:#999999,stroke-dasharray:4 3",
    "classDef flagged stroke:#c62828,stroke-width:3px",
)


def escape(text: str) -> str:
    """Text safe inside a quoted Mermaid label: every character outside _PLAIN as `#<code>;`."""
    return "".join(char if char in _PLAIN else f"#{ord(char)};" for char in text)


def label(lines: tuple[str, ...]) -> str:
    return "<br/>".join(escape(line) for line in lines)


def _node(node: Node) -> str:
    opening, closing = _SHAPES[node.kind]
    lines = node.label + ((f"findings: {' '.join(node.marks)}",) if node.marks else ())
    return f"{node.id}{opening}{label(lines)}{closing}"


def render(topology: Topology) -> str:
    out = ["flowchart LR"]
    for subgraph in topology.subgraphs:
        out.append(f'  subgraph {subgraph.id}["{escape(subgraph.label)}"]')
        out.extend(f"    {_node(node)}" for node in subgraph.nodes)
        out.append("  end")
    out.extend(f"  {_node(node)}" for node in topology.nodes)
    for edge in topology.edges:
        if edge.marks:
            out.append(f'  {edge.source} ==>|"{escape(" ".join(edge.marks))}"| {edge.target}')
        elif edge.kind in ("unknown", "uses"):
            out.append(f"  {edge.source} -.-> {edge.target}")
        else:
            out.append(f"  {edge.source} --> {edge.target}")
    out.extend(f"  {line}" for line in CLASS_DEFS)
    nodes = topology.all_nodes()
    for class_name, kinds in (("topic", {"topic"}), ("group", {"group"}), ("unknown", {"unknown-topic"})):
        members = sorted(node.id for node in nodes if node.kind in kinds)
        if members:
            out.append(f"  class {','.join(members)} {class_name}")
    flagged = sorted(node.id for node in nodes if node.marks)
    if flagged:
        out.append(f"  class {','.join(flagged)} flagged")
    return "\n".join(out) + "\n"
