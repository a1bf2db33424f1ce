"""Time `kafkalint check` on Python trees against ruff and against a bare libcst parse.

    pip install -r benchmarks/requirements.txt
    python benchmarks/compare_python.py            # generates both trees under a temp dir
    python benchmarks/compare_python.py --work /tmp/kafkalint-bench --runs 5

Sparse tree (~3,000 files / ~1 M lines, ~1 % using Kafka): kafkalint against
`ruff check --no-cache --select E,F` on the same tree (target: ratio <= 1.0).
Dense tree (every file uses Kafka): kafkalint against a process that only reads the same
files and runs `libcst.parse_module` on each (target: ratio <= 1.3).
Every command runs as its own process (start-up included), best of --runs; the two ratios
are printed last.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

BARE_PARSE = """
import os, sys
import libcst
for root, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        if name.endswith(".py"):
            with open(os.path.join(root, name), encoding="utf-8") as handle:
                libcst.parse_module(handle.read())
"""


def best_time(command: list[str], runs: int) -> float:
    """Best wall-clock time of `runs` runs; output discarded, exit status ignored (findings)."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        completed = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - start
        if completed.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed ({completed.returncode}): {completed.stderr.strip()[-500:]}")
        best = min(best, elapsed)
    return best


def kafkalint_command() -> list[str]:
    executable = shutil.which("kafkalint")
    return [executable] if executable else [sys.executable, "-m", "kafkalint"]


def ruff_command() -> list[str]:
    executable = shutil.which("ruff")
    if executable is None:
        raise SystemExit("ruff is not installed: pip install -r benchmarks/requirements.txt")
    return [executable]


def generate(tree: Path, dense: bool, files: int) -> None:
    if tree.exists():
        return
    arguments = [sys.executable, str(HERE / "generate_python_tree.py"), str(tree), "--files", str(files)]
    if dense:
        arguments.append("--dense")
    subprocess.run(arguments, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=None, help="where the trees are generated (kept)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dense-files", type=int, default=300)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kafkalint-bench-"))
    sparse, dense = work / "sparse", work / "dense"
    generate(sparse, dense=False, files=3000)
    generate(dense, dense=True, files=args.dense_files)

    kafkalint = kafkalint_command()
    sparse_kafkalint = best_time([*kafkalint, "check", "-q", str(sparse)], args.runs)
    sparse_ruff = best_time([*ruff_command(), "check", "--no-cache", "--select", "E,F", "--quiet", str(sparse)], args.runs)
    dense_kafkalint = best_time([*kafkalint, "check", "-q", str(dense)], args.runs)
    dense_parse = best_time([sys.executable, "-c", BARE_PARSE, str(dense)], args.runs)

    print(f"sparse tree {sparse}: kafkalint {sparse_kafkalint:.2f}s, ruff check --select E,F {sparse_ruff:.2f}s")
    print(f"dense tree  {dense}: kafkalint {dense_kafkalint:.2f}s, bare libcst.parse_module {dense_parse:.2f}s")
    print(f"sparse ratio kafkalint/ruff:        {sparse_kafkalint / sparse_ruff:.2f}  (target <= 1.00)")
    print(f"dense ratio kafkalint/bare parse:   {dense_kafkalint / dense_parse:.2f}  (target <= 1.30)")


if __name__ == "__main__":
    main()
