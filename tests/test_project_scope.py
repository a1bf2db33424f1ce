"""Context vs scope: every run reads the whole project, findings are reported on the files
named (staged, changed); --diff-base takes the merge base; --changed-lines-only."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.clirunner import run_cli
from tests.conftest import ROOT, write_files

CLUSTER = (ROOT / "fixtures" / "crossfile" / "deploy" / "kafka.yaml").read_text()
TOPICS = (ROOT / "fixtures" / "crossfile" / "deploy" / "topics.yaml").read_text()
SPRING_ORDERS = (
    "spring:\n"
    "  kafka:\n"
    "    bootstrap-servers: prod-kafka-bootstrap:9093\n"
    "    template:\n"
    "      default-topic: orders\n"
    "    producer:\n"
    "      acks: all\n"
)
PROJECT = {
    "deploy/kafka.yaml": CLUSTER,
    "deploy/topics.yaml": TOPICS,
    "orders-service/src/main/resources/application.yml": SPRING_ORDERS,
}
BAD = "bootstrap.servers=broker:9092\nacks=0\n"
GOOD = "bootstrap.servers=broker:9092\nacks=all\nenable.idempotence=true\n"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def make_repo(path: Path, files: dict[str, str]) -> None:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "kafkalint tests")
    git(path, "config", "user.email", "tests@kafkalint.invalid")
    git(path, "config", "commit.gpgsign", "false")
    write_files(path, files)
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "start")


def findings(cwd: Path, *args: str, env: dict[str, str | None] | None = None, stdin: str | None = None) -> list[tuple[str, int, str]]:
    outcome = run_cli(cwd, "check", "--format", "json", *args, env=env, stdin=stdin)
    assert outcome.exit_code in (0, 1), outcome.stderr
    return [(f["path"], f["line"], f["code"]) for f in json.loads(outcome.stdout)["findings"]]


def test_naming_only_the_topic_file_still_sees_the_producers_in_other_files(tmp_path):
    make_repo(tmp_path, PROJECT)  # the git root is the project root
    found = findings(tmp_path, "--select", "KL301,KL603", "deploy/topics.yaml")
    assert found == [("deploy/topics.yaml", 4, "KL301"), ("deploy/topics.yaml", 4, "KL603")]


def test_naming_only_the_producer_reports_the_cross_file_finding_it_takes_part_in(tmp_path):
    (tmp_path / ".kafkalint.toml").write_text("")  # the settings file's folder is the project root
    write_files(tmp_path, PROJECT)
    # KL603's primary location is the topic; the producer's acks is one of its related locations.
    found = findings(tmp_path, "--select", "KL301,KL603", "orders-service/src/main/resources/application.yml")
    assert found == [("deploy/topics.yaml", 4, "KL603")]
    # Findings that do not involve the named file stay out: KL603 relates the topic and its
    # producers, not the cluster (the topic's KL301 relates its cluster, so it is reported).
    on_cluster = findings(tmp_path, "--select", "KL301,KL603", "deploy/kafka.yaml")
    assert ("deploy/kafka.yaml", 4, "KL301") in on_cluster and ("deploy/topics.yaml", 4, "KL603") not in on_cluster


def test_stdin_is_linted_against_the_project_on_disk(tmp_path):
    make_repo(tmp_path, PROJECT)
    edited = SPRING_ORDERS.replace("acks: all", "acks: 1")
    found = findings(tmp_path, "--select", "KL603", "--stdin-filename", "orders-service/src/main/resources/application.yml", "-", stdin=edited)
    assert found == []  # the text on stdin replaces the file on disk: no acks=all producer left
    found = findings(tmp_path, "--select", "KL603", "--stdin-filename", "orders-service/src/main/resources/application.yml", "-", stdin=SPRING_ORDERS)
    assert found == [("deploy/topics.yaml", 4, "KL603")]


def test_pre_commit_batches_report_each_finding_exactly_once(tmp_path):
    """pre-commit may split the staged files into several runs: together they give the result of
    one run, each finding once (in the batch holding its primary location, else its first related
    one among the staged files)."""
    repo = tmp_path / "repo"
    make_repo(repo, {"README.md": "x\n"})
    write_files(repo, {**PROJECT, "producer.properties": BAD})
    git(repo, "add", "-A")
    staged = sorted([*PROJECT, "producer.properties"])
    everything = findings(repo, *staged, env={"PRE_COMMIT": "1"})
    assert ("deploy/topics.yaml", 4, "KL603") in everything and ("producer.properties", 2, "KL101") in everything
    batches = [staged[:1], staged[1:2], staged[2:]]
    combined = [item for batch in batches for item in findings(repo, *batch, env={"PRE_COMMIT": "1"})]
    assert sorted(combined) == sorted(everything)
    # The producer alone (topics.yaml staged in another batch) does not repeat KL603 there.
    assert findings(repo, "orders-service/src/main/resources/application.yml", "--select", "KL603", env={"PRE_COMMIT": "1"}) == []
    # Outside pre-commit, a run is the only one: the producer reports its KL603.
    assert findings(repo, "orders-service/src/main/resources/application.yml", "--select", "KL603") == [("deploy/topics.yaml", 4, "KL603")]


def test_diff_base_takes_the_merge_base_and_changed_lines_only_keeps_new_findings(tmp_path):
    repo = tmp_path / "repo"
    old = "bootstrap.servers=broker:9092\nacks=0\nlinger.ms=5\n"
    new = old + "retries=0\n"
    make_repo(repo, {"app/producer.properties": old, "upstream/producer.properties": GOOD})
    git(repo, "checkout", "-q", "-b", "feature")
    # On the branch: a new finding (retries=0, KL106 on line 4) in a file with an old one (acks=0).
    write_files(repo, {"app/producer.properties": new})
    git(repo, "commit", "-q", "-am", "feature work")
    # Meanwhile upstream: a bad change on main the branch never saw.
    git(repo, "checkout", "-q", "main")
    write_files(repo, {"upstream/producer.properties": BAD})
    git(repo, "commit", "-q", "-am", "upstream change")
    git(repo, "checkout", "-q", "feature")

    whole_files = findings(repo, "--select", "KL101,KL106", "--diff-base", "main")
    # The upstream change is not this branch's: `git diff main` would have counted it.
    assert whole_files == [("app/producer.properties", 2, "KL101"), ("app/producer.properties", 4, "KL106")]
    new_only = findings(repo, "--select", "KL101,KL106", "--diff-base", "main", "--changed-lines-only")
    assert new_only == [("app/producer.properties", 4, "KL106")]
    # An uncommitted edit counts as changed too, and a new file is changed on every line.
    write_files(repo, {"new/producer.properties": BAD})
    assert ("new/producer.properties", 2, "KL101") in findings(repo, "--select", "KL101", "--diff-base", "main", "--changed-lines-only")


def test_changed_lines_only_needs_diff_base(tmp_path):
    outcome = run_cli(tmp_path, "check", "--changed-lines-only", ".")
    assert outcome.exit_code == 2 and "--diff-base" in outcome.stderr


def test_changed_lines_of_reads_zero_context_hunks():
    from kafkalint.gitdiff import changed_lines_of

    diff = (
        "diff --git a/p.properties b/p.properties\n--- a/p.properties\n+++ b/p.properties\n"
        "@@ -2 +2 @@\n-acks=1\n+acks=0\n@@ -5,0 +6,2 @@\n+a=1\n+b=2\n@@ -9,2 +10,0 @@\n-x\n-y\n"
        "diff --git a/gone b/gone\n--- a/gone\n+++ /dev/null\n@@ -1 +0,0 @@\n-z\n"
    )
    assert changed_lines_of(diff) == {"p.properties": frozenset({2, 6, 7})}


def test_the_project_root_is_the_settings_folder_then_git_then_the_common_parent(tmp_path):
    from kafkalint.scope import project_root

    make_repo(tmp_path / "repo", {"svc/a/producer.properties": GOOD, "svc/b/producer.properties": GOOD})
    repo = (tmp_path / "repo").resolve()
    named = [repo / "svc" / "a" / "producer.properties"]
    assert project_root(named, None) == repo
    (repo / "svc" / ".kafkalint.toml").write_text("")
    assert project_root(named, str(repo / "svc" / ".kafkalint.toml")) == repo / "svc"
    # A settings file above the paths' own tree but not holding them does not root them.
    assert project_root(named, str(tmp_path / "elsewhere" / ".kafkalint.toml")) == repo
    write_files(tmp_path / "plain", {"x/p.properties": GOOD, "y/q.properties": GOOD})
    plain = (tmp_path / "plain").resolve()
    assert project_root([plain / "x" / "p.properties", plain / "y" / "q.properties"], None) == plain
