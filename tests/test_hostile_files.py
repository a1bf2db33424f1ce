"""kafkalint's own files (.gitignore, baseline, rule files, --output) cannot hang, exhaust or
redirect it: only regular files are read, with a size cap; writes are atomic and exclusive."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from kafkalint.safefile import RefusedFile, read_regular_bytes, write_atomically
from tests.clirunner import run_cli

ACKS_ZERO = "bootstrap.servers=b:9092\nacks=0\n"
REACHED = "producer.properties:2:1: KL101 [error]"


def _repository(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "producer.properties").write_text(ACKS_ZERO, encoding="utf-8")
    return tmp_path


def _within(seconds: float, function, *args):
    """Run function(*args) in a thread; fail (instead of hanging the suite) if it blocks."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = function(*args)
        except BaseException as error:  # handed to the test thread
            outcome["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    started = time.perf_counter()
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds}s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"], time.perf_counter() - started


# --- reading -----------------------------------------------------------------------------------


def test_reading_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(RefusedFile, match="not a regular file"):
        _within(5, read_regular_bytes, fifo, 1024)


def test_reading_dev_zero_is_refused(tmp_path):
    with pytest.raises(RefusedFile, match="not a regular file"):
        read_regular_bytes("/dev/zero", 1024)


def test_reading_a_file_over_the_cap_is_refused(tmp_path):
    big = tmp_path / "big"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(RefusedFile, match="over the 1 KB"):
        read_regular_bytes(big, 1024)
    assert read_regular_bytes(big, 4096) == b"x" * 2048


@pytest.mark.parametrize("planted", ["fifo", "dev-zero"])
def test_a_gitignore_that_is_a_fifo_or_linked_to_dev_zero_is_not_read(tmp_path, planted):
    _repository(tmp_path)
    if planted == "fifo":
        os.mkfifo(tmp_path / ".gitignore")
    else:
        os.symlink("/dev/zero", tmp_path / ".gitignore")
    (outcome, elapsed) = _within(20, run_cli, tmp_path, "check", ".")
    assert REACHED in outcome.stdout
    assert elapsed < 10


def test_a_gitignore_with_a_reversed_range_matches_nothing_there_as_in_git(tmp_path):
    _repository(tmp_path)
    (tmp_path / ".gitignore").write_text("[z-a]*.properties\n[z-ap]roducer.yaml\n", encoding="utf-8")
    (tmp_path / "producer.yaml").write_text("bootstrap.servers: b:9092\nacks: 0\n", encoding="utf-8")
    outcome = run_cli(tmp_path, "check", ".")
    assert outcome.exit_code == 1, outcome.stderr
    assert REACHED in outcome.stdout          # `[z-a]` matches no character
    assert "producer.yaml" not in outcome.stdout  # `[z-ap]` still matches the `p`


def test_a_gitignore_pattern_made_to_backtrack_is_matched_in_linear_time(tmp_path):
    _repository(tmp_path)
    (tmp_path / ".gitignore").write_text("*a" * 30 + "*b\n", encoding="utf-8")
    (tmp_path / ("a" * 120 + ".properties")).write_text(ACKS_ZERO, encoding="utf-8")
    (outcome, elapsed) = _within(20, run_cli, tmp_path, "check", ".")
    assert elapsed < 5 and outcome.stdout.count("KL101") == 2


@pytest.mark.parametrize("planted", ["fifo", "dev-zero"])
def test_a_baseline_that_is_a_fifo_or_dev_zero_is_a_usage_error_not_a_hang(tmp_path, planted):
    _repository(tmp_path)
    if planted == "fifo":
        os.mkfifo(tmp_path / "baseline.json")
    else:
        os.symlink("/dev/zero", tmp_path / "baseline.json")
    (outcome, _) = _within(20, run_cli, tmp_path, "check", "--baseline", "baseline.json", ".")
    assert outcome.exit_code == 2
    assert "baseline.json: not a regular file; a baseline is a file written by --write-baseline" in outcome.stderr


@pytest.mark.parametrize("planted", ["fifo", "dev-zero"])
def test_a_rule_file_that_is_a_fifo_or_dev_zero_cannot_hang_the_run(tmp_path, planted, monkeypatch):
    _repository(tmp_path)
    rules = tmp_path / "policies"
    rules.mkdir()
    if planted == "fifo":
        os.mkfifo(rules / "house.yaml")
    else:
        os.symlink("/dev/zero", rules / "house.yaml")
    (outcome, _) = _within(20, run_cli, tmp_path, "check", "--rules-dir", "policies", ".")
    assert REACHED in outcome.stdout


def test_the_catalogue_refuses_a_rule_file_swapped_for_a_fifo_after_listing(tmp_path):
    from kafkalint.catalogue import CatalogueError, _read_rule_file

    fifo = tmp_path / "house.yaml"
    os.mkfifo(fifo)
    with pytest.raises(CatalogueError, match="not a regular file"):
        _within(5, _read_rule_file, fifo)


# --- writing -----------------------------------------------------------------------------------


def test_written_files_replace_the_target_atomically_and_leave_no_temporary_file(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    inode = target.stat().st_ino
    write_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_ino != inode  # renamed over, not rewritten in place
    assert [path.name for path in tmp_path.iterdir()] == ["report.json"]
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def test_a_symlink_at_the_output_path_is_replaced_not_followed(tmp_path):
    _repository(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    os.symlink(victim, tmp_path / "report.txt")
    outcome = run_cli(tmp_path, "check", "--output", "report.txt", ".")
    assert outcome.exit_code == 1
    assert victim.read_text(encoding="utf-8") == "precious"
    assert REACHED in (tmp_path / "report.txt").read_text(encoding="utf-8")


def test_readers_of_the_baseline_never_see_it_half_written(tmp_path):
    _repository(tmp_path)
    for index in range(300):
        (tmp_path / f"p{index}.properties").write_text(ACKS_ZERO, encoding="utf-8")
    assert run_cli(tmp_path, "check", "--write-baseline", "baseline.json", ".").exit_code == 0
    torn: list[str] = []
    stop = threading.Event()

    def read_constantly() -> None:
        while not stop.is_set():
            text = (tmp_path / "baseline.json").read_text(encoding="utf-8")
            try:
                json.loads(text)
            except ValueError:
                torn.append(text[-40:])

    reader = threading.Thread(target=read_constantly, daemon=True)
    reader.start()
    try:
        for _ in range(3):
            assert run_cli(tmp_path, "check", "--write-baseline", "baseline.json", ".").exit_code == 0
    finally:
        stop.set()
        reader.join(5)
    assert torn == []


def test_output_to_a_character_device_is_written_as_a_stream(tmp_path):
    _repository(tmp_path)
    outcome = run_cli(tmp_path, "check", "--output", "/dev/null", ".")
    assert outcome.exit_code == 1 and outcome.stdout == ""
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")


def test_a_config_swapped_for_a_fifo_after_its_stat_is_refused_not_waited_on(tmp_path, monkeypatch):
    from kafkalint.sources import Unreadable, read_bytes

    fifo = tmp_path / "producer.properties"
    os.mkfifo(fifo)
    regular = os.stat(__file__)
    real_stat = Path.stat
    # The stat sees a regular file (as it did before the swap); the open finds the FIFO.
    monkeypatch.setattr(Path, "stat", lambda self, **kw: regular if self == fifo else real_stat(self, **kw))
    with pytest.raises(Unreadable, match="not a regular file"):
        _within(5, read_bytes, fifo)
