"""Regenerate the finding snapshots: `python -m tests.snapshots.make` from the project root.

A snapshot is every finding kafkalint prints on a tree, one line each
(`path:line:column: CODE name | message`), sorted. Regenerate only when a change of findings
is intended, and say which findings changed and why in the commit message.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TREES = {"fixtures": ROOT / "fixtures", "corpus": ROOT.parent / "shared" / "corpus"}


def snapshot_lines(tree: Path) -> list[str]:
    from kafkalint.engine import run
    from kafkalint.settings import Settings

    previous = os.getcwd()
    os.chdir(tree)
    try:
        result = run([Path(".")], Settings())
    finally:
        os.chdir(previous)
    return sorted(
        f"{finding.location.path}:{finding.location.line}:{finding.location.column}: {finding.code} {finding.name} "
        f"[{finding.severity.value}] | {finding.message}"
        for finding in result.findings
    )


def main() -> int:
    for name, tree in TREES.items():
        if not tree.exists():
            print(f"skipped {name}: {tree} is absent", file=sys.stderr)
            continue
        lines = snapshot_lines(tree)
        (HERE / f"{name}.txt").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        print(f"{name}: {len(lines)} findings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
