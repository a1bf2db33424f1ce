"""The topology as a Graphviz DOT digraph (`dot -Tsvg`): the same graph as mermaid.py, with
services and clusters as `cluster_` subgraphs. Ids are hashes; labels are quoted DOT strings
with `\\` and `"` escaped, so any topic or file name is safe."""

from __future__ import annotations

from kafkalint.topology.graph import Node, Topology

_SHAPES = {
    "client": 'shape=box',
    "topic": 'shape=cylinder, style=filled, fillcolor="#eef6ff"',
    "unknown-topic": 'shape=cylinder, style=dashed, color="#999999"',
    "group": 'shape=hexagon, style=filled, fillcolor="#f4f0ff"',
}


def quote(text: str) -> str:
    from kafkalint.report.escaping import visible

    # Controls and lone surrogates shown as backslash escapes first (then escaped for DOT).
    text = "\n".join(visible(line) for line in text.split("\n"))
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _node(node: Node) -> str:
    lines = node.label + ((f"findings: {' '.join(node.marks)}",) if node.marks else ())
    flagged = ', color="#c62828", penwidth=3' if node.marks else ""
    return f"{node.id} [label={quote(chr(10).join(lines))}, {_SHAPES[node.kind]}{flagged}];"


def render(topology: Topology) -> str:
    out = ["digraph kafka {", "  rankdir=LR;", '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica"];']
    for subgraph in topology.subgraphs:
        out.append(f"  subgraph cluster_{subgraph.id} {{")
        out.append(f"    label={quote(subgraph.label)};")
        out.append('    style=rounded;' if subgraph.kind == "service" else '    style="rounded,filled"; fillcolor="#fafafa";')
        out.extend(f"    {_node(node)}" for node in subgraph.nodes)
        out.append("  }")
    out.extend(f"  {_node(node)}" for node in topology.nodes)
    for edge in topology.edges:
        if edge.marks:
            attributes = f' [label={quote(" ".join(edge.marks))}, color="#c62828", penwidth=3]'
        elif edge.kind in ("unknown", "uses"):
            attributes = " [style=dashed]"
        else:
            attributes = ""
        out.append(f"  {edge.source} -> {edge.target}{attributes};")
    out.append("}")
    return "\n".join(out) + "\n"
