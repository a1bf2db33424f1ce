"""The Python benchmark scripts run end to end and print both ratios (tiny trees)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_generated_sparse_tree_has_the_asked_share_of_kafka_files(tmp_path: Path):
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate_python_tree.py"), str(tmp_path / "t"), "--files", "200", "--lines", "20000"],
        capture_output=True, text=True, check=True,
    )
    assert "200 files" in completed.stdout and "2 using Kafka" in completed.stdout
    files = sorted((tmp_path / "t").rglob("*.py"))
    assert len(files) == 200
    using = [path for path in files if "confluent_kafka" in path.read_text(encoding="utf-8")]
    assert len(using) == 2


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff not installed (benchmarks/requirements.txt)")
def test_compare_script_prints_both_ratios(tmp_path: Path):
    completed = subprocess.run(
        [
            sys.executable, str(ROOT / "benchmarks" / "compare_python.py"), "--work", str(tmp_path), "--runs", "1",
            "--sparse-files", "100", "--sparse-lines", "10000", "--dense-files", "10", "--dense-lines", "3000",
        ],
        capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert "sparse ratio kafkalint/ruff:" in completed.stdout
    assert "dense ratio kafkalint/bare parse:" in completed.stdout
