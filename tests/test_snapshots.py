"""Every finding on fixtures/ and on the reference corpus, against a committed snapshot.

Refactors must not change findings; a change that means to regenerates the snapshot with
`python -m tests.snapshots.make` and says why in its commit.
"""

from __future__ import annotations

import difflib

import pytest

from tests.snapshots.make import HERE, TREES, snapshot_lines


@pytest.mark.parametrize("name", sorted(TREES))
def test_findings_match_the_committed_snapshot(name: str) -> None:
    tree = TREES[name]
    if not tree.exists():
        pytest.skip(f"{tree} is absent (../shared/corpus is outside the project)")
    expected = (HERE / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    actual = snapshot_lines(tree)
    diff = "\n".join(difflib.unified_diff(expected, actual, "snapshot", "now", lineterm="", n=0))
    assert actual == expected, f"findings on {name} changed (regenerate with python -m tests.snapshots.make if intended):\n{diff}"
