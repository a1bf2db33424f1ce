"""The walk is honest: what it cannot or will not read is a finding naming it, never a silent
gap, and a symlink cannot make kafkalint print another file's lines under an in-tree name.

Tests run as root, whom `chmod 000` does not stop: an unreadable directory is simulated by
making os.scandir raise PermissionError for it, which is what the kernel does for others.
"""

from __future__ import annotations

import os
from pathlib import Path

from kafkalint.discovery import MAX_DIRECTORY_DEPTH
from tests.clirunner import run_cli

ACKS_ZERO = "bootstrap.servers=b:9092\nacks=0\n"
OUTSIDE_SECRET = "bootstrap.servers=b:9092\nsasl.password=outside-the-tree\nacks=0\n"


def _deny(monkeypatch, denied: Path) -> None:
    real_scandir = os.scandir

    def scandir(path="."):
        if os.path.abspath(path) == str(denied):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_directory_named_on_the_command_line_is_a_finding_not_a_green_run(tmp_path, monkeypatch):
    locked = tmp_path / "lockeddir"
    locked.mkdir()
    (locked / "producer.properties").write_text(ACKS_ZERO, encoding="utf-8")
    _deny(monkeypatch, locked)
    outcome = run_cli(tmp_path, "check", "lockeddir")
    assert outcome.exit_code == 1
    assert outcome.stdout.splitlines()[0] == (
        "lockeddir:1:1: KL001 [error] cannot read lockeddir: directory not walked (permission denied)"
    )


def test_an_unreadable_subdirectory_is_a_finding_and_the_rest_is_still_linted(tmp_path, monkeypatch):
    (tmp_path / "secret").mkdir()
    (tmp_path / "producer.properties").write_text(ACKS_ZERO, encoding="utf-8")
    _deny(monkeypatch, tmp_path / "secret")
    outcome = run_cli(tmp_path, "check", "--format", "json", ".")
    import json

    found = [(item["path"], item["code"]) for item in json.loads(outcome.stdout)["findings"]]
    assert ("secret", "KL001") in found and ("producer.properties", "KL101") in found


def test_a_directory_nested_too_deep_is_a_finding(tmp_path):
    deep = tmp_path
    for _ in range(MAX_DIRECTORY_DEPTH + 3):
        deep = deep / "d"
    deep.mkdir(parents=True)
    (deep / "producer.properties").write_text(ACKS_ZERO, encoding="utf-8")
    (tmp_path / "producer.properties").write_text(ACKS_ZERO, encoding="utf-8")
    outcome = run_cli(tmp_path, "check", ".")
    expected = "/".join(["d"] * (MAX_DIRECTORY_DEPTH + 1))
    assert (
        f"{expected}:1:1: KL001 [error] cannot read {expected}: directory not walked "
        f"(nested deeper than {MAX_DIRECTORY_DEPTH} levels)"
    ) in outcome.stdout
    assert "producer.properties:2:1: KL101" in outcome.stdout


def test_a_symlink_to_a_file_outside_the_tree_is_reported_not_read(tmp_path):
    (tmp_path / "outside.properties").write_text(OUTSIDE_SECRET, encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "conf").mkdir()
    os.symlink(tmp_path / "outside.properties", repo / "conf" / "producer.properties")
    outcome = run_cli(repo, "check", ".")
    assert outcome.stdout.splitlines()[0] == (
        "conf/producer.properties:1:1: KL001 [error] cannot read conf/producer.properties: "
        "a symbolic link to a file outside the linted tree; not followed"
    )
    assert "KL101" not in outcome.stdout and "outside-the-tree" not in outcome.stdout


def test_a_symlink_to_a_file_elsewhere_in_the_repository_is_read(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "service").mkdir()
    (tmp_path / "shared" / "producer.properties").write_text(ACKS_ZERO, encoding="utf-8")
    os.symlink("../shared/producer.properties", tmp_path / "service" / "producer.properties")
    outcome = run_cli(tmp_path, "check", "service")
    assert "service/producer.properties:2:1: KL101 [error]" in outcome.stdout
    assert "KL001" not in outcome.stdout


def test_a_symlinked_directory_is_not_walked(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "producer.properties").write_text(OUTSIDE_SECRET, encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    os.symlink(outside, repo / "linked")
    outcome = run_cli(repo, "check", "--allow-empty", ".")
    assert outcome.exit_code == 0 and "outside-the-tree" not in outcome.stdout
    assert "No findings in 0 files" in outcome.stdout


def test_a_settings_file_that_is_a_fifo_or_dev_zero_is_refused_not_waited_on(tmp_path):
    """`.kafkalint.toml` as a FIFO (a hang) or a link to /dev/zero (unbounded memory) is not a
    settings file: discovery passes it over (only regular files are settings), and every read
    of a settings file goes through safefile, so the run ends and lints the tree."""
    import os
    import threading

    from tests.clirunner import run_cli

    (tmp_path / "producer.properties").write_text("bootstrap.servers=b:9092\nacks=all\n", encoding="utf-8")
    for make in (lambda path: os.mkfifo(path), lambda path: os.symlink("/dev/zero", path)):
        settings = tmp_path / ".kafkalint.toml"
        if settings.exists() or settings.is_symlink():
            settings.unlink()
        make(settings)
        outcome: list = []
        worker = threading.Thread(target=lambda: outcome.append(run_cli(tmp_path, "check", "producer.properties")), daemon=True)
        worker.start()
        worker.join(60)
        assert outcome, "kafkalint waited on a settings file that is not a regular file"
        assert outcome[0].exit_code == 0, outcome[0]
        assert "1 file" in outcome[0].stdout
