"""The parse cache: a warm run gives exactly the cold run's findings, reads no unchanged file,
re-parses a changed one, and never trusts a damaged or foreign cache file."""

from __future__ import annotations

import os
import pickle
import shutil
import time
from pathlib import Path

import pytest

from kafkalint import cache as cache_module
from kafkalint.cache import FORMAT, ParseCache, prune, write_atomically
from kafkalint.engine import run
from kafkalint.settings import Settings
from tests.conftest import ROOT, write_files

BAD = "bootstrap.servers=broker:9092\nacks=0\n"


def _run(tree: Path, folder: Path, cache: bool = True):
    previous, previous_folder = os.getcwd(), os.environ.get("KAFKALINT_CACHE_DIR")
    os.chdir(tree)
    os.environ["KAFKALINT_CACHE_DIR"] = str(folder)
    try:
        return run([Path(".")], Settings(), options={"cache": cache, "project_context": True})
    finally:
        os.chdir(previous)
        if previous_folder is not None:
            os.environ["KAFKALINT_CACHE_DIR"] = previous_folder


def _age(tree: Path, seconds: float = 10) -> None:
    """Back-date every file: a file modified in the same instant the cache verified it is
    re-read whatever its mtime says (the racy-timestamp rule), which these tests are not about."""
    past = time.time() - seconds
    for path in tree.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))


def _shown(result) -> list[tuple]:
    return [(f.location, f.code, f.severity, f.message, f.snippet, f.related, f.related_omitted) for f in result.findings]


def test_a_warm_run_over_every_fixture_gives_the_cold_findings_without_parsing(tmp_path, monkeypatch):
    tree = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", tree)
    _age(tree)
    cold = _run(tree, tmp_path / "cache", cache=False)
    first = _run(tree, tmp_path / "cache")
    assert _shown(first) == _shown(cold)
    parsed: list[str] = []
    import kafkalint.sources as sources

    real = sources.read_bytes_as
    monkeypatch.setattr(sources, "read_bytes_as", lambda data, display, *rest: (parsed.append(display), real(data, display, *rest))[1])
    warm = _run(tree, tmp_path / "cache")
    assert parsed == []
    assert _shown(warm) == _shown(cold)
    assert cold.findings, "the fixtures have findings: the comparison must not be vacuous"


def test_a_changed_file_is_parsed_again(tmp_path):
    write_files(tmp_path / "tree", {"producer.properties": BAD})
    tree = tmp_path / "tree"
    _age(tree)
    assert [f.code for f in _run(tree, tmp_path / "cache").findings if f.code == "KL101"] == ["KL101"]
    (tree / "producer.properties").write_text("bootstrap.servers=broker:9092\nacks=all\nenable.idempotence=true\n")
    assert [f.code for f in _run(tree, tmp_path / "cache").findings if f.code == "KL101"] == []


def test_same_size_same_mtime_edit_right_after_caching_is_still_seen(tmp_path):
    tree = tmp_path / "tree"
    write_files(tree, {"producer.properties": BAD})
    _run(tree, tmp_path / "cache")  # mtime is "now": racy, so the content is checked next time
    status = (tree / "producer.properties").stat()
    (tree / "producer.properties").write_text(BAD.replace("acks=0", "acks=1"))
    os.utime(tree / "producer.properties", ns=(status.st_atime_ns, status.st_mtime_ns))
    assert "KL101" not in [f.code for f in _run(tree, tmp_path / "cache").findings]


@pytest.mark.parametrize("damage", ["truncate", "flip", "foreign", "garbage"])
def test_a_damaged_or_foreign_cache_file_is_discarded(tmp_path, damage):
    tree = tmp_path / "tree"
    write_files(tree, {"producer.properties": BAD})
    _age(tree)
    folder = tmp_path / "cache"
    expected = _shown(_run(tree, folder))
    [path] = folder.glob("*.cache")
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        path.write_bytes(data[:-5] + bytes([data[-5] ^ 0xFF]) + data[-4:])
    elif damage == "garbage":
        path.write_bytes(b"\x00" * 100)
    else:
        # A well-formed file with a valid checksum whose pickle names a class outside kafkalint:
        # loading it would run os.system; it must be refused, not executed.
        import hashlib

        class Evil:
            def __reduce__(self):
                return (os.system, ("touch " + str(tmp_path / "pwned"),))

        body = pickle.dumps({"producer.properties": (1, 1, "x", 1, pickle.dumps(Evil()))})
        path.write_bytes(FORMAT + hashlib.blake2b(body, digest_size=32).digest() + body)
        table = ParseCache(tree, "unused", folder)
        assert table.entries == {}
    assert _shown(_run(tree, folder)) == expected
    assert not (tmp_path / "pwned").exists()


def test_atomic_write_leaves_no_temporary_file_and_replaces_whole(tmp_path):
    target = tmp_path / "x.cache"
    write_atomically(target, b"one")
    write_atomically(target, b"two")
    assert target.read_bytes() == b"two"
    assert [path.name for path in tmp_path.iterdir()] == ["x.cache"]


def test_prune_keeps_the_folder_under_its_bound_oldest_first_and_drops_stale_files(tmp_path):
    now = time.time()
    for index in range(5):
        path = tmp_path / f"{index}.cache"
        path.write_bytes(b"x" * 1000)
        os.utime(path, (now - 100 + index, now - 100 + index))
    stale = tmp_path / "stale.cache"
    stale.write_bytes(b"x")
    os.utime(stale, (now - 40 * 24 * 3600, now - 40 * 24 * 3600))
    prune(tmp_path, keep=tmp_path / "0.cache", max_bytes=2500)
    assert sorted(path.name for path in tmp_path.glob("*.cache")) == ["0.cache", "4.cache"]


def test_entries_of_deleted_files_are_dropped_on_save(tmp_path):
    tree = tmp_path / "tree"
    write_files(tree, {"a/producer.properties": BAD, "b/producer.properties": BAD})
    _age(tree)
    folder = tmp_path / "cache"
    _run(tree, folder)
    (tree / "b" / "producer.properties").unlink()
    _run(tree, folder)
    [path] = folder.glob("*.cache")
    table = cache_module._loads(path.read_bytes()[len(FORMAT) + 32:])
    assert sorted(table) == ["a/producer.properties"]


def test_no_cache_writes_nothing(tmp_path):
    from tests.clirunner import run_cli

    write_files(tmp_path / "tree", {"producer.properties": BAD})
    folder = tmp_path / "cache"
    outcome = run_cli(tmp_path / "tree", "check", "--no-cache", ".", env={"KAFKALINT_CACHE_DIR": str(folder)})
    assert outcome.exit_code == 1 and not folder.exists()
    run_cli(tmp_path / "tree", "check", ".", env={"KAFKALINT_CACHE_DIR": str(folder)})
    assert len(list(folder.glob("*.cache"))) == 1


_RUN_AND_REPORT_JSONSCHEMA = (
    "import runpy, sys\n"
    "sys.argv = ['kafkalint', 'check', '--format', 'json', '.']\n"
    "try:\n"
    "    runpy.run_module('kafkalint', run_name='__main__')\n"
    "except SystemExit:\n"
    "    pass\n"
    "print('jsonschema imported' if 'jsonschema' in sys.modules else 'jsonschema not imported', file=sys.stderr)\n"
)


def test_a_warm_run_keeps_the_strimzi_schema_verdicts_without_validating_again(tmp_path):
    # The own-schema verdict is read with the file and cached with the resource: an unchanged
    # Strimzi file is neither validated again nor is jsonschema imported for it.
    import json
    import subprocess
    import sys

    tree = tmp_path / "strimzi"
    shutil.copytree(ROOT / "fixtures" / "strimzi" / "bad", tree)
    _age(tree)
    env = {**os.environ, "KAFKALINT_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.run([sys.executable, "-c", _RUN_AND_REPORT_JSONSCHEMA], cwd=tree, env=env, capture_output=True, text=True, timeout=120)
        for _ in range(2)
    ]
    cold, warm = ([(f["code"], f["path"], f["line"], f["message"]) for f in json.loads(run.stdout)["findings"]] for run in runs)
    assert warm == cold
    assert any(code == "KL701" for code, *_ in cold), "the fixture breaks a schema: the comparison must not be vacuous"
    assert "jsonschema imported" in runs[0].stderr
    assert "jsonschema not imported" in runs[1].stderr
