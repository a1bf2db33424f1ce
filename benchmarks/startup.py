"""Time kafkalint's start-up: `kafkalint --version` and a check of one .properties file.

Usage: python benchmarks/startup.py [--runs 21]

Runs each command N times and prints the median and the spread. The console script is called
by its real path next to the interpreter (not through a pyenv/asdf shim, which alone costs
~100 ms), so the numbers measure kafkalint, not the version manager; PYTHONPATH puts this
checkout's kafkalint first (the console script may come from another checkout's editable
install). It also reports which heavy modules the one-file check imported (libcst and
jsonschema must not be among them).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PRODUCER = """\
bootstrap.servers=broker:9092
key.serializer=org.apache.kafka.common.serialization.StringSerializer
value.serializer=org.apache.kafka.common.serialization.StringSerializer
acks=all
enable.idempotence=true
linger.ms=10
"""


def console_script() -> list[str]:
    candidate = Path(sys.executable).with_name("kafkalint")
    if candidate.exists():
        return [str(candidate)]
    return [sys.executable, "-m", "kafkalint"]


ROOT = Path(__file__).resolve().parent.parent


def environment() -> dict[str, str]:
    """This checkout's kafkalint first on the path (the console script may belong to another
    checkout's editable install), with compiled modules kept as an installed copy has them."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", os.path.join(tempfile.gettempdir(), "kafkalint-bench-pycache"))
    return env


def time_command(command: list[str], runs: int, cwd: Path) -> list[float]:
    env = environment()
    timings: list[float] = []
    subprocess.run(command, cwd=cwd, env=env, capture_output=True)  # warm the page cache
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, capture_output=True)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def heavy_imports(cwd: Path) -> list[str]:
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['kafkalint', 'check', 'producer.properties']\n"
        "try:\n    runpy.run_module('kafkalint', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(','.join(sorted(m for m in ('libcst', 'jsonschema', 'rich.console', 'click', 'pydantic') if m in sys.modules)))\n"
    )
    completed = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, env=environment())
    return completed.stdout.strip().splitlines()[-1].split(",") if completed.stdout.strip() else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    script = console_script()
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        (cwd / "producer.properties").write_text(PRODUCER)
        cases = {
            "kafkalint --version": [*script, "--version"],
            "kafkalint check producer.properties": [*script, "check", "producer.properties"],
            "python -c pass (interpreter floor)": [sys.executable, "-c", "pass"],
        }
        print(f"{'command':<42} {'median':>8} {'min':>8} {'max':>8}   ({args.runs} runs)")
        for label, command in cases.items():
            timings = time_command(command, args.runs, cwd)
            print(f"{label:<42} {statistics.median(timings):7.1f}ms {min(timings):7.1f}ms {max(timings):7.1f}ms")
        print(f"modules imported by the one-file check: {', '.join(heavy_imports(cwd)) or 'none of the heavy ones'}")
        print(f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
