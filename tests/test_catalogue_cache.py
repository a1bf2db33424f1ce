"""The parsed-catalogue cache is trusted only when it is provably ours and intact; it is
written through an exclusive temporary file, and it does not grow without bound."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from kafkalint import catalogue as module
from tests.conftest import ROOT


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    monkeypatch.setattr(module, "builtin_rules_dir", lambda: rules)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("KAFKALINT_NO_CACHE", raising=False)
    return tmp_path / "cache" / "kafkalint"


def _severity(code: str) -> str:
    return next(data["severity"] for _, data in module._builtin_rule_data() if data["code"] == code)


def _the_cache(cache_dir: Path) -> Path:
    (cache,) = cache_dir.glob("catalogue-*")
    return cache


def _read(cache: Path) -> tuple[dict, list]:
    """The cache's header line and its rules."""
    header, _, rules = cache.read_bytes().partition(b"\n")
    return json.loads(header), module._rules_from_text(rules)


def _write(cache: Path, header: dict, rules: list, checksum: bool = False) -> None:
    """Write header and rules back; with `checksum`, a checksum that matches the new rules
    (what someone who knows the format would forge)."""
    text = module._rules_text(rules)
    if checksum:
        header = {**header, "checksum": module._payload_checksum(text)}
    cache.write_bytes(json.dumps(header).encode() + b"\n" + text)


def test_the_cache_is_written_private_and_read_back(cache_dir):
    assert _severity("KL101") == "error"
    cache = _the_cache(cache_dir)
    assert oct(cache.stat().st_mode & 0o777) == oct(0o600)
    reads: list[Path] = []
    original = module._read_rule_file
    try:
        module._read_rule_file = lambda path: reads.append(path) or original(path)
        assert _severity("KL101") == "error"
    finally:
        module._read_rule_file = original
    assert reads == []  # served from the cache


def test_an_edited_cache_cannot_change_a_severity(cache_dir):
    _severity("KL101")
    cache = _the_cache(cache_dir)
    header, rules = _read(cache)
    for data in rules:
        if data["code"] == "KL101":
            data["severity"] = "info"
    _write(cache, header, rules)
    assert _severity("KL101") == "error"
    assert _read(cache) == (header, _read(cache)[1])
    assert next(data for data in _read(cache)[1] if data["code"] == "KL101")["severity"] == "error"  # rewritten intact


@pytest.mark.parametrize("content", [
    "{not json",
    "[]",                                          # an old format: a bare list
    '{"format": 1, "rules": 5}',                   # the format before the header line
    '{"format": 2, "files": [], "checksum": ""}\n[]',
    "\x00\xff" * 10,
])
def test_a_malformed_cache_is_discarded_not_a_crash(cache_dir, content):
    _severity("KL101")
    _the_cache(cache_dir).write_bytes(content.encode("utf-8", "surrogateescape"))
    assert _severity("KL101") == "error"


def test_a_cache_with_one_entry_per_rule_file_but_broken_entries_is_discarded(cache_dir):
    _severity("KL101")
    count = len(module.rule_files(module.builtin_rules_dir()))
    _the_cache(cache_dir).write_text(json.dumps([{"code": "KL101"}] * count))  # crashed Rule()
    assert _severity("KL101") == "error"
    module._load.cache_clear()
    try:
        assert module._load(()).find("KL101").severity.value == "error"
    finally:
        module._load.cache_clear()


def test_a_cache_of_the_wrong_shape_with_a_matching_checksum_is_discarded(cache_dir):
    _severity("KL101")
    cache = _the_cache(cache_dir)
    header, rules = _read(cache)
    rules[0]["severity"] = "fatal"
    rules[1] = {"code": 5}
    _write(cache, header, rules, checksum=True)
    data = [data for _, data in module._builtin_rule_data()]
    assert {item["severity"] for item in data} <= {"error", "warning", "info"}


@pytest.mark.parametrize("body", [b"", b"\x00", b"[1, 2]", b"\xfb" * 40, b"s\xff\xff\xff\x7f"])
def test_a_body_that_is_not_stored_rules_is_discarded_even_with_a_matching_checksum(cache_dir, body):
    _severity("KL101")
    cache = _the_cache(cache_dir)
    header, _rules = _read(cache)
    header = {**header, "checksum": module._payload_checksum(body)}
    cache.write_bytes(json.dumps(header).encode() + b"\n" + body)
    assert _severity("KL101") == "error"
    assert _read(cache)[1][0]["code"]  # rewritten from the rule files


def test_a_cache_written_by_another_user_is_not_trusted(cache_dir):
    _severity("KL101")
    cache = _the_cache(cache_dir)
    header, rules = _read(cache)
    for data in rules:
        if data["code"] == "KL101":
            data["severity"] = "info"
    _write(cache, header, rules, checksum=True)
    os.chown(cache, 65534, 65534)  # nobody (the tests run as root, who may chown)
    assert _severity("KL101") == "error"


@pytest.mark.parametrize("planted", ["fifo", "symlink"])
def test_a_fifo_or_symlink_at_the_cache_path_is_neither_read_nor_followed(cache_dir, tmp_path, planted):
    _severity("KL101")
    cache = _the_cache(cache_dir)
    cache.unlink()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    if planted == "fifo":
        os.mkfifo(cache)
    else:
        os.symlink(victim, cache)
    assert _severity("KL101") == "error"
    assert victim.read_text() == "precious"


def test_a_symlink_planted_at_the_old_predictable_temporary_name_is_not_followed(cache_dir, tmp_path):
    paths = module.rule_files(module.builtin_rules_dir())
    cache = module._cache_file(paths)
    cache.parent.mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    os.symlink(victim, cache.with_suffix(f".{os.getpid()}.tmp"))
    assert _severity("KL101") == "error"
    assert victim.read_text() == "precious"
    assert cache.is_file() and not cache.is_symlink()


def test_old_caches_are_pruned(cache_dir):
    cache_dir.mkdir(parents=True)
    for index in range(30):
        stale = cache_dir / f"catalogue-{index:020d}.json"
        stale.write_text("{}")
        os.utime(stale, ns=(index * 10**9, index * 10**9))
    _severity("KL101")
    kept = sorted(path.name for path in cache_dir.glob("catalogue-*"))  # older formats' files too
    assert len(kept) == module.CACHE_FILES_KEPT
    assert f"catalogue-{29:020d}.json" in kept and f"catalogue-{0:020d}.json" not in kept
