"""Start-up stays light: no libcst, jsonschema or tree-sitter unless a file needs them, and never
OpenSSL through hashlib (kafkalint/hashing.py: ~11 M instructions a run)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import sys, runpy
sys.argv = ['kafkalint'] + sys.argv[1:]
try:
    runpy.run_module('kafkalint', run_name='__main__')
except SystemExit:
    pass
heavy = [name for name in ('libcst', 'jsonschema', 'pydantic', 'typer', 'tree_sitter', '_hashlib') if name in sys.modules]
print('HEAVY=' + ','.join(heavy))
"""


def imported_heavy(tmp_path, *args: str) -> str:
    # The worktree's own kafkalint, not whichever one is installed (cwd is the temporary tree).
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}
    completed = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env)
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


def test_properties_check_never_imports_tree_sitter(tmp_path):
    (tmp_path / "producer.properties").write_text("bootstrap.servers=b:9092\nacks=all\n")
    assert "tree_sitter" not in imported_heavy(tmp_path, "check", ".")


def test_java_file_without_kafka_is_not_parsed(tmp_path):
    (tmp_path / "App.java").write_text("class App { public static void main(String[] a) { System.out.println(1); } }\n")
    (tmp_path / "Util.kt").write_text("fun main() = println(1)\n")
    assert imported_heavy(tmp_path, "check", ".") == ""


def test_java_kafka_file_imports_tree_sitter_and_not_libcst(tmp_path):
    (tmp_path / "App.java").write_text("import org.apache.kafka.clients.producer.KafkaProducer;\nclass App {}\n")
    assert imported_heavy(tmp_path, "check", ".") == "tree_sitter"


def test_a_check_with_findings_hashes_without_openssl(tmp_path):
    """Findings get SHA-256 fingerprints (baseline, SARIF, GitLab) and cached files BLAKE2b
    digests, both from CPython's own modules, with hashlib's digests."""
    import hashlib

    from kafkalint import hashing

    assert hashing.sha256(b"acks=0").hexdigest() == hashlib.sha256(b"acks=0").hexdigest()
    assert hashing.blake2b(b"acks=0", digest_size=20).hexdigest() == hashlib.blake2b(b"acks=0", digest_size=20).hexdigest()
    (tmp_path / "producer.properties").write_text("bootstrap.servers=b:9092\nacks=0\n")
    assert imported_heavy(tmp_path, "check", ".") == ""
