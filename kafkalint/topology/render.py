"""`kafkalint inventory --format mermaid|dot`: the tree read and checked as `check` does (same
settings, suppressions and baseline), so the findings drawn on the picture are the run's."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def topology_for(paths: list[Path], settings: Any, output_format: str) -> str:
    from kafkalint.engine import run
    from kafkalint.topology import dot, mermaid
    from kafkalint.topology.graph import from_project

    result = run(paths, settings)
    topology = from_project(result.project, result.findings)
    return (mermaid if output_format == "mermaid" else dot).render(topology)
