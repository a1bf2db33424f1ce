"""`kafkalint inventory --format dot`: the same topology as Graphviz DOT, accepted by `dot -Tsvg`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.clirunner import run_cli
from tests.conftest import ROOT

DOT = shutil.which("dot")
needs_graphviz = pytest.mark.skipif(DOT is None, reason="Graphviz `dot` is not installed (.ci/run installs Debian's graphviz)")


def _dot(cwd: Path, *paths: str) -> str:
    outcome = run_cli(cwd, "inventory", *paths, "--format", "dot")
    assert outcome.exit_code == 0, outcome.stderr
    return outcome.stdout


def _svg(source: str) -> str:
    completed = subprocess.run([DOT, "-Tsvg"], input=source, capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0 and not completed.stderr.strip(), completed.stderr
    return completed.stdout


@needs_graphviz
def test_every_fixture_is_accepted_by_graphviz():
    source = _dot(ROOT, "fixtures")
    svg = _svg(source)
    assert svg.count('class="cluster"') == source.count("subgraph cluster_")
    assert source == _dot(ROOT, "fixtures"), "output must be deterministic"


def test_crossfile_graph_has_the_marked_edges_and_the_unknown_topic():
    source = _dot(ROOT, "fixtures/crossfile")
    assert '  c_643ccbddd5 -> t_1c168adb00 [label="KL601", color="#c62828", penwidth=3];' in source
    assert '  t_df384ae97c -> g_fe14010b4f [label="KL604", color="#c62828", penwidth=3];' in source
    assert '  u_1db611abed -> g_fe14010b4f [style=dashed];' in source
    assert '    label="cluster prod";' in source


@needs_graphviz
def test_hostile_names_stay_inside_their_dot_strings(tmp_path: Path):
    folder = tmp_path / 'a"b\\c {x} ø'
    folder.mkdir()
    (folder / "send.py").write_text(
        "from confluent_kafka import Producer\n"
        "p = Producer({'bootstrap.servers': 'k:9092'})\n"
        "p.produce('t\"]; evil -> x; \\\\ ø', b'v')\n"
        "p.flush()\n",
        encoding="utf-8",
    )
    source = _dot(tmp_path, ".")
    assert 'label="a\\"b\\\\c {x} ø";' in source
    svg = _svg(source)
    assert "evil" in svg and svg.count("<g id=\"node") == 2


def test_control_characters_and_lone_surrogates_become_visible_escapes_in_labels():
    from kafkalint.topology.dot import quote

    assert quote('a\x1b[31m"b\ud800\\c') == '"a\\\\x1b[31m\\"b\\\\ud800\\\\c"'
    quote("t\udcff").encode("utf-8")  # encodable: no crash writing it to stdout
