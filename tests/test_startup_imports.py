"""Start-up stays light: no libcst or jsonschema unless a file needs them."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys, runpy
sys.argv = ['kafkalint'] + sys.argv[1:]
try:
    runpy.run_module('kafkalint', run_name='__main__')
except SystemExit:
    pass
heavy = [name for name in ('libcst', 'jsonschema', 'pydantic', 'typer') if name in sys.modules]
print('HEAVY=' + ','.join(heavy))
"""


def imported_heavy(tmp_path, *args: str) -> str:
    completed = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    line = [line for line in completed.stdout.splitlines() if line.startswith("HEAVY=")][-1]
    return line.removeprefix("HEAVY=")


def test_version_imports_nothing_heavy(tmp_path):
    assert imported_heavy(tmp_path, "--version") == ""


def test_one_properties_file_check_imports_neither_libcst_nor_jsonschema(tmp_path):
    (tmp_path / "producer.properties").write_text("bootstrap.servers=b:9092\nacks=all\n")
    (tmp_path / "consumer.yaml").write_text("group.id: g\nenable.auto.commit: false\n")
    assert imported_heavy(tmp_path, "check", ".") == ""


def test_python_file_without_kafka_is_not_parsed(tmp_path):
    (tmp_path / "app.py").write_text("import json\nprint(json.dumps({}))\n")
    assert imported_heavy(tmp_path, "check", ".") == ""
