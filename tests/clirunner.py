"""Run the kafkalint CLI in-process (fast) from a given directory, as a user would type it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(slots=True)
class Outcome:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(cwd: Path, *args: str, stdin: str | None = None, env: dict[str, str | None] | None = None) -> Outcome:
    from click.testing import CliRunner

    from kafkalint.cli import build_app

    previous = os.getcwd()
    os.chdir(cwd)
    try:
        runner = CliRunner()
        result = runner.invoke(build_app(), list(args), input=stdin, env={"NO_COLOR": "1", **(env or {})}, catch_exceptions=False)
    finally:
        os.chdir(previous)
    stderr = result.stderr if result.stderr_bytes is not None else ""
    return Outcome(result.exit_code, result.stdout, stderr)
