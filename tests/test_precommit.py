"""The pre-commit hook for real: pre-commit installs this checkout's hook and runs it on commits.

pre-commit reads hooks from a git repository at a revision, so the working tree of this checkout
(committed or not) is snapshotted into a temporary repository first; the checkout itself and its
index are never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

BAD_PRODUCER = "bootstrap.servers=broker:9092\nacks=0\n"
GOOD_PRODUCER = "bootstrap.servers=broker:9092\nacks=all\nenable.idempotence=true\n"


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check, timeout=120)


def init_repo(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "kafkalint tests")
    git(path, "config", "user.email", "tests@kafkalint.invalid")
    git(path, "config", "commit.gpgsign", "false")


@pytest.fixture(scope="module")
def environment(tmp_path_factory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("pre-commit-home")
    # Not PYTHONPATH: the hook must run the copy pre-commit installs, not this tree.
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_") and key != "PYTHONPATH"}
    env.update({"PRE_COMMIT_HOME": str(home), "NO_COLOR": "1", "PRE_COMMIT_COLOR": "never"})
    return env


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """A git repository holding this checkout's current files, and its commit."""
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard", check=False)
    if listed.returncode != 0:
        pytest.fail(f"{ROOT} must be a git checkout to snapshot it for pre-commit: {listed.stderr.strip()}")
    snapshot = tmp_path_factory.mktemp("kafkalint-hook-repo")
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if not source.is_file():
            continue  # deleted in the working tree
        target = snapshot / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    init_repo(snapshot)
    git(snapshot, "add", "-A")
    git(snapshot, "commit", "-q", "-m", "snapshot of the kafkalint checkout under test")
    return snapshot, git(snapshot, "rev-parse", "HEAD").stdout.strip()


def pre_commit(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900)


def test_hook_blocks_a_commit_with_a_bad_producer_config_and_lets_a_good_one_through(tmp_path, hook_repo, environment):
    repository, revision = hook_repo
    work = tmp_path / "service"
    init_repo(work)
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repository}\n    rev: {revision}\n    hooks:\n      - id: kafkalint\n"
    )
    installed = pre_commit(work, environment, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr

    (work / "producer.properties").write_text(BAD_PRODUCER)
    git(work, "add", "-A")
    blocked = subprocess.run(["git", "commit", "-m", "add producer"], cwd=work, env=environment,
                             capture_output=True, text=True, timeout=900)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "kafkalint" in output and "Failed" in output
    assert "producer.properties:2:1: KL101 [error] acks=0" in output
    assert git(work, "rev-parse", "--verify", "HEAD", check=False).returncode != 0, "the bad commit must not exist"

    (work / "producer.properties").write_text(GOOD_PRODUCER)
    git(work, "add", "-A")
    passed = subprocess.run(["git", "commit", "-m", "add producer"], cwd=work, env=environment,
                            capture_output=True, text=True, timeout=900)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "kafkalint" in passed.stdout + passed.stderr and "Passed" in passed.stdout + passed.stderr
    assert git(work, "log", "--format=%s").stdout.strip() == "add producer"


def test_try_repo_runs_the_hook_from_the_checkout(tmp_path, hook_repo, environment):
    repository, _ = hook_repo
    work = tmp_path / "service"
    init_repo(work)
    (work / "producer.properties").write_text(BAD_PRODUCER)
    (work / "consumer.yaml").write_text("bootstrap.servers: broker:9092\ngroup.id: billing\nenable.auto.commit: false\n")
    git(work, "add", "-A")
    bad = pre_commit(work, environment, "try-repo", str(repository), "kafkalint", "--files", "producer.properties", "consumer.yaml")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "producer.properties:2:1: KL101 [error]" in bad.stdout
    (work / "producer.properties").write_text(GOOD_PRODUCER)
    good = pre_commit(work, environment, "try-repo", str(repository), "kafkalint", "--files", "producer.properties", "consumer.yaml")
    assert good.returncode == 0, good.stdout + good.stderr


def test_staging_only_the_topic_file_still_reports_its_cross_file_findings(tmp_path, hook_repo, environment):
    """The hook is given only the staged topics.yaml; the producers and the cluster it is judged
    against are read from the working tree, so KL301 and KL603 still block the commit."""
    from tests.test_project_scope import PROJECT

    repository, revision = hook_repo
    work = tmp_path / "service"
    init_repo(work)
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repository}\n    rev: {revision}\n    hooks:\n      - id: kafkalint\n        args: [--select, 'KL301,KL603']\n"
    )
    for name, text in PROJECT.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text)
    git(work, "add", "-A")
    git(work, "commit", "-q", "--no-verify", "-m", "start")
    assert pre_commit(work, environment, "install").returncode == 0

    topics = work / "deploy" / "topics.yaml"
    topics.write_text(topics.read_text().replace("partitions: 12", "partitions: 24"))
    git(work, "add", "deploy/topics.yaml")  # only this file is staged
    blocked = subprocess.run(["git", "commit", "-m", "more partitions"], cwd=work, env=environment,
                             capture_output=True, text=True, timeout=900)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "deploy/topics.yaml:4:3: KL301 [" in output
    assert "deploy/topics.yaml:4:3: KL603 [" in output and "1 acks=all producer(s)" in output
