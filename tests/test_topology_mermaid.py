"""`kafkalint inventory --format mermaid`: the topology as a Mermaid flowchart, checked line by
line against the grammar subset the renderer emits (mermaid-cli needs a headless browser that
cannot be downloaded here)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.clirunner import run_cli
from tests.conftest import ROOT

ID = r"[a-z]_[0-9a-f]{10}"
LABEL = r"(?:[A-Za-z0-9 .,:_\-/=+*@$?!()']|#\d+;|<br/>)*"
NODE = rf'{ID}(?:\["{LABEL}"\]|\[\("{LABEL}"\)\]|\{{\{{"{LABEL}"\}}\}})'
LINE_FORMS = {
    "header": re.compile(r"flowchart LR"),
    "subgraph": re.compile(rf'  subgraph ({ID})\["{LABEL}"\]'),
    "end": re.compile(r"  end"),
    "node": re.compile(rf" +({ID})(?:\[\"|\[\(\"|\{{\{{\").*"),
    "edge": re.compile(rf"  ({ID}) (?:-->|-\.->) ({ID})"),
    "marked-edge": re.compile(rf'  ({ID}) ==>\|"{LABEL}"\| ({ID})'),
    "classDef": re.compile(r"  classDef [a-z]+ [a-z\-]+:[#0-9a-z]+(?:,[a-z\-]+:[#0-9a-z ]+)*"),
    "class": re.compile(rf"  class {ID}(?:,{ID})* [a-z]+"),
}


def check_mermaid(text: str) -> dict[str, list[tuple[str, ...]]]:
    """Every line is one of the emitted forms; subgraphs balance; every edge joins declared
    nodes; ids are unique. Returns the matched lines by form (their captured ids)."""
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    seen: dict[str, list[tuple[str, ...]]] = {name: [] for name in LINE_FORMS}
    depth = 0
    declared: list[str] = []
    for line in lines:
        form = next((name for name, pattern in LINE_FORMS.items() if pattern.fullmatch(line)), None)
        assert form is not None, f"line outside the emitted Mermaid subset: {line!r}"
        if form == "node":
            assert re.fullmatch(rf" +{NODE}", line), f"malformed node: {line!r}"
            declared.append(LINE_FORMS["node"].fullmatch(line).group(1))
        if form == "subgraph":
            depth += 1
            declared.append(LINE_FORMS["subgraph"].fullmatch(line).group(1))
        if form == "end":
            depth -= 1
            assert depth >= 0
        seen[form].append(LINE_FORMS[form].fullmatch(line).groups())
    assert depth == 0
    assert len(declared) == len(set(declared)), "a node id is declared twice"
    for source, target in seen["edge"] + seen["marked-edge"]:
        assert source in declared and target in declared
    return seen


def _mermaid(cwd: Path, *paths: str) -> str:
    outcome = run_cli(cwd, "inventory", *paths, "--format", "mermaid")
    assert outcome.exit_code == 0, outcome.stderr
    return outcome.stdout


def test_every_fixture_renders_within_the_emitted_mermaid_subset():
    text = _mermaid(ROOT, "fixtures")
    forms = check_mermaid(text)
    assert forms["subgraph"] and forms["edge"] and forms["marked-edge"]
    assert text == _mermaid(ROOT, "fixtures"), "output must be deterministic"


def test_crossfile_picture_marks_partitioner_and_isolation_edges_and_keeps_unknown_topics_unknown():
    text = _mermaid(ROOT, "fixtures/crossfile")
    check_mermaid(text)
    assert '  subgraph s_0d6e651e97["fixtures/crossfile/orders-service"]' in text
    assert '    t_1c168adb00[("orders<br/>partitions=12 replicas=3")]' in text
    # Both producers of 'orders' hash keys differently (KL601): both edges are marked.
    assert '  c_643ccbddd5 ==>|"KL601"| t_1c168adb00' in text
    assert '  c_ab023dec5e ==>|"KL601"| t_1c168adb00' in text
    # The transactional payments producer and the read_uncommitted group ledger (KL604).
    assert '  c_ea1840ffbd ==>|"KL604"| t_df384ae97c' in text
    assert '  t_df384ae97c ==>|"KL604"| g_fe14010b4f' in text
    # ledger-replay.properties names no topic: it reads from its own "topic unknown" node.
    assert '  u_1db611abed[("topic unknown")]' in text
    assert '  u_1db611abed -.-> g_fe14010b4f' in text
    assert '  t_4fdc1db8ce[("refunds<br/>not declared here")]' in text


def test_a_topic_the_cluster_cannot_replicate_is_drawn_flagged():
    text = _mermaid(ROOT, "fixtures/strimzi/bad")
    check_mermaid(text)
    line = next(line for line in text.splitlines() if 'payments<br/>' in line and "findings" in line)
    assert line.endswith('findings: KL309")]'), line
    node = line.strip().split("[", 1)[0]
    assert re.search(rf"  class (?:.*,)?{node}(?:,.*)? flagged", text)


def test_hostile_topic_and_folder_names_are_escaped(tmp_path: Path):
    folder = tmp_path / 'we"ird [svc] #1 ørsted'
    folder.mkdir()
    (folder / "send.py").write_text(
        "from confluent_kafka import Producer\n"
        "p = Producer({'bootstrap.servers': 'k:9092'})\n"
        "p.produce('a\"b]c[#d|e{f}-ø-end', b'v')\n"
        "p.flush()\n",
        encoding="utf-8",
    )
    text = _mermaid(tmp_path, ".")
    check_mermaid(text)
    assert '["we#34;ird #91;svc#93; #35;1 #248;rsted"]' in text
    assert '[("a#34;b#93;c#91;#35;d#124;e#123;f#125;-#248;-end<br/>not declared here")]' in text


def test_an_empty_tree_is_an_empty_chart(tmp_path: Path):
    assert _mermaid(tmp_path, ".") == "flowchart LR\n" + "".join(
        f"  {line}\n" for line in __import__("kafkalint.topology.mermaid", fromlist=["CLASS_DEFS"]).CLASS_DEFS
    )


def test_services_fixture_draws_java_python_and_spring_services_as_boxes_with_the_isolation_edge():
    text = _mermaid(ROOT, "fixtures/services")
    forms = check_mermaid(text)
    assert [line for line in text.splitlines() if line.startswith("  subgraph")] == [
        '  subgraph s_4c315363eb["fixtures/services/shop-billing"]',
        '  subgraph s_04c495bcbe["fixtures/services/shop-orders"]',
        '  subgraph s_445f533cdc["fixtures/services/shop-shipping"]',
        '  subgraph k_8d9001d32c["cluster shop"]',
    ]
    # The transactional Spring producer and the Python group reading uncommitted (KL604);
    # the Java group reads committed records only: its edge is plain.
    assert forms["marked-edge"] == [("c_89c1992ddb", "t_7458f44cdb"), ("t_7458f44cdb", "g_bda33ea2b8")]
    assert ("t_7458f44cdb", "g_d269ab0066") in forms["edge"]


def test_the_readme_example_is_the_current_output():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "```mermaid\n" + _mermaid(ROOT, "fixtures/services") + "```\n" in readme
