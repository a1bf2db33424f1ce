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
import os
import resource
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


def best_time(command: list[str], runs: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Best wall-clock and best CPU (user+sys) seconds of `runs` runs of a command.

    Output is discarded and exit status 1 (findings) accepted. CPU time is printed too because
    wall-clock on a shared machine is noisy; ruff spreads its work over every core, so its CPU
    time exceeds its wall-clock time.
    """
    best_wall = best_cpu = float("inf")
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        completed = subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=child_environment(env)
        )
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if completed.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed ({completed.returncode}): {completed.stderr.strip()[-500:]}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best_wall, best_cpu = min(best_wall, elapsed), min(best_cpu, cpu)
    return best_wall, best_cpu


def kafkalint_command() -> list[str]:
    """This checkout's kafkalint (an installed `kafkalint` may be another version)."""
    return [sys.executable, "-m", "kafkalint"]


def child_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    environment = {**os.environ, "PYTHONPATH": str(HERE.parent), **(extra or {})}
    # An installed kafkalint has compiled bytecode: do not measure the compiler on every run.
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    environment.setdefault("PYTHONPYCACHEPREFIX", os.path.join(tempfile.gettempdir(), "kafkalint-bench-pycache"))
    return environment


def ruff_command() -> list[str]:
    executable = shutil.which("ruff")
    if executable is None:
        raise SystemExit("ruff is not installed: pip install -r benchmarks/requirements.txt")
    return [executable]


def generate(tree: Path, dense: bool, files: int, lines: int | None) -> None:
    if tree.exists():
        return
    arguments = [sys.executable, str(HERE / "generate_python_tree.py"), str(tree), "--files", str(files)]
    if lines:
        arguments += ["--lines", str(lines)]
    if dense:
        arguments.append("--dense")
    subprocess.run(arguments, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=None, help="where the trees are generated (kept)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sparse-files", type=int, default=3000)
    parser.add_argument("--sparse-lines", type=int, default=None, help="default: 1,000,000")
    parser.add_argument("--dense-files", type=int, default=300)
    parser.add_argument("--sparse-only", action="store_true", help="skip the dense tree")
    parser.add_argument("--dense-lines", type=int, default=None, help="default: 100,000")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kafkalint-bench-"))
    sparse, dense = work / "sparse", work / "dense"
    generate(sparse, dense=False, files=args.sparse_files, lines=args.sparse_lines)
    if not args.sparse_only:
        generate(dense, dense=True, files=args.dense_files, lines=args.dense_lines)

    kafkalint = kafkalint_command()
    whole = {"KAFKALINT_PARSE_WHOLE_FILES": "1"}
    cache = {"KAFKALINT_CACHE_DIR": str(work / "parse-cache")}
    best_time([*kafkalint, "check", "-q", str(sparse)], 1, cache)  # fills the parse cache
    timings = {
        "sparse kafkalint": best_time([*kafkalint, "check", "-q", "--no-cache", str(sparse)], args.runs),
        "sparse kafkalint, warm parse cache": best_time([*kafkalint, "check", "-q", str(sparse)], args.runs, cache),
        "sparse ruff check --no-cache --select E,F": best_time(
            [*ruff_command(), "check", "--no-cache", "--select", "E,F", "--quiet", str(sparse)], args.runs
        ),
    }
    if not args.sparse_only:
        timings |= {
            "dense kafkalint": best_time([*kafkalint, "check", "-q", "--no-cache", str(dense)], args.runs),
            "dense kafkalint, every file parsed whole": best_time(
                [*kafkalint, "check", "-q", "--no-cache", str(dense)], args.runs, whole
            ),
            "dense bare libcst.parse_module": best_time([sys.executable, "-c", BARE_PARSE, str(dense)], args.runs),
        }
    print(f"trees: {sparse} (sparse), {dense} (dense); best of {args.runs} runs, {os.cpu_count()} CPUs")
    for label, (wall, cpu) in timings.items():
        print(f"  {label:<45} {wall:6.2f}s wall {cpu:6.2f}s cpu")

    def ratio(left: str, right: str) -> str:
        return f"{timings[left][0] / timings[right][0]:.2f}"

    print(f"sparse ratio kafkalint/ruff:       {ratio('sparse kafkalint', 'sparse ruff check --no-cache --select E,F')}  (target <= 1.00)")
    print(f"sparse ratio warm kafkalint/ruff:  {ratio('sparse kafkalint, warm parse cache', 'sparse ruff check --no-cache --select E,F')}  (target <= 0.50)")
    if args.sparse_only:
        return
    print(f"dense ratio kafkalint/bare parse, whole-file parsing: {ratio('dense kafkalint, every file parsed whole', 'dense bare libcst.parse_module')}")
    print(f"dense ratio kafkalint/bare parse:  {ratio('dense kafkalint', 'dense bare libcst.parse_module')}  (target <= 1.30)")


if __name__ == "__main__":
    main()
