"""The check command in pipelines: stdin for editors, --output, --diff-base, `rule` docs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kafkalint.gitdiff import changed_files
from tests.clirunner import run_cli
from tests.conftest import write_files

BAD = "bootstrap.servers=broker:9092\nacks=0\n"
GOOD = "bootstrap.servers=broker:9092\nacks=all\nenable.idempotence=true\n"


def git(cwd: Path, *args: str) -> str:
    completed = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return completed.stdout


def make_repo(path: Path, files: dict[str, str]) -> None:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "kafkalint tests")
    git(path, "config", "user.email", "tests@kafkalint.invalid")
    git(path, "config", "commit.gpgsign", "false")
    write_files(path, files)
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "start")


def test_stdin_with_stdin_filename_reports_under_that_name(tmp_path):
    outcome = run_cli(tmp_path, "check", "--format", "json", "--select", "KL101", "--stdin-filename", "conf/producer.properties", "-", stdin=BAD)
    assert outcome.exit_code == 1
    document = json.loads(outcome.stdout)
    assert [(f["path"], f["line"], f["code"]) for f in document["findings"]] == [("conf/producer.properties", 2, "KL101")]
    assert document["summary"]["files"] == 1


def test_stdin_kind_follows_the_file_name(tmp_path):
    outcome = run_cli(tmp_path, "check", "--format", "json", "--select", "KL101", "--stdin-filename", "producer.yaml", "-", stdin="bootstrap.servers: b:9092\nacks: 0\n")
    assert [(f["path"], f["line"]) for f in json.loads(outcome.stdout)["findings"]] == [("producer.yaml", 2)]


def test_dash_without_stdin_filename_is_a_usage_error(tmp_path):
    outcome = run_cli(tmp_path, "check", "-", stdin=BAD)
    assert outcome.exit_code == 2 and "needs --stdin-filename" in outcome.stderr


def test_output_file_gets_the_report_and_stdout_stays_empty(tmp_path):
    write_files(tmp_path, {"producer.properties": BAD})
    outcome = run_cli(tmp_path, "check", "--format", "sarif", "--output", "report.sarif", "--select", "KL101", "producer.properties")
    assert outcome.exit_code == 1 and outcome.stdout == ""
    document = json.loads((tmp_path / "report.sarif").read_text())
    assert [result["ruleId"] for result in document["runs"][0]["results"]] == ["KL101"]


def test_every_format_is_available_and_exit_codes_follow_fail_on(tmp_path):
    write_files(tmp_path, {"producer.properties": BAD})
    for output_format in ("text", "json", "sarif", "github", "junit", "gitlab"):
        outcome = run_cli(tmp_path, "check", "--format", output_format, "--select", "KL101", ".")
        assert outcome.exit_code == 1, (output_format, outcome.stderr)
        assert outcome.stdout
    write_files(tmp_path, {"producer.properties": GOOD})
    assert run_cli(tmp_path, "check", "--select", "KL101", ".").exit_code == 0


def test_diff_base_lints_only_files_changed_since_the_ref(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    make_repo(repo, {"old/producer.properties": BAD, "conf/producer.properties": GOOD, "README.md": "hi\n"})
    write_files(repo, {
        "conf/producer.properties": BAD,          # modified, unstaged
        "new/producer.properties": BAD,            # untracked
        "README.md": "changed\n",                  # not something kafkalint reads
    })
    outcome = run_cli(repo, "check", "--format", "json", "--select", "KL101", "--diff-base", "HEAD", ".")
    assert [f["path"] for f in json.loads(outcome.stdout)["findings"]] == ["conf/producer.properties", "new/producer.properties"]
    monkeypatch.chdir(repo / "conf")
    assert changed_files("HEAD", [Path(".")]).paths == [Path("producer.properties")]
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "more")
    monkeypatch.chdir(repo)
    assert changed_files("HEAD~1", [Path("new")]).paths == [Path("new/producer.properties")]
    assert changed_files("HEAD", [Path(".")]).paths == []


def test_diff_base_with_a_bad_ref_or_outside_git_is_exit_2(tmp_path):
    make_repo(tmp_path / "repo", {"producer.properties": GOOD})
    bad_ref = run_cli(tmp_path / "repo", "check", "--diff-base", "no-such-branch", ".")
    assert bad_ref.exit_code == 2
    assert "--diff-base no-such-branch: no such commit, branch or tag" in bad_ref.stderr
    (tmp_path / "plain").mkdir()
    outside = run_cli(tmp_path / "plain", "check", "--diff-base", "HEAD", ".", env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert outside.exit_code == 2 and "is not inside a git repository" in outside.stderr


@pytest.mark.parametrize("selector", ["KL101", "producer-acks-zero"])
def test_rule_command_renders_every_documentation_section(tmp_path, selector):
    outcome = run_cli(tmp_path, "rule", selector)
    assert outcome.exit_code == 0
    for heading in ("# KL101 producer-acks-zero", "## What it does", "## Why is this bad?", "## Example",
                    "## How to fix", "## Suppressing it", "## References"):
        assert heading in outcome.stdout
    assert "acks=0" in outcome.stdout


def test_rule_command_shows_options_and_suggests_names(tmp_path):
    outcome = run_cli(tmp_path, "rule", "KL202")
    assert "## Options" in outcome.stdout and "`ceiling`" in outcome.stdout
    wrong = run_cli(tmp_path, "rule", "producer-acks-zer")
    assert wrong.exit_code == 2 and "did you mean producer-acks-zero?" in wrong.stderr


PROBE = """
import sys, runpy
sys.argv = ['kafkalint'] + sys.argv[1:]
try:
    runpy.run_module('kafkalint', run_name='__main__')
except SystemExit:
    pass
loaded = sorted({name.split('.')[0] for name in sys.modules if name.split('.')[0] in ('jsonschema', 'xml', 'libcst')})
print('LOADED=' + ','.join(loaded))
"""


def loaded_modules(cwd: Path, *args: str) -> str:
    completed = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    return [line for line in completed.stdout.splitlines() if line.startswith("LOADED=")][-1].removeprefix("LOADED=")


def test_text_and_json_runs_import_neither_jsonschema_nor_xml(tmp_path):
    write_files(tmp_path, {"producer.properties": BAD, "consumer.yaml": "group.id: g\nenable.auto.commit: false\n"})
    assert loaded_modules(tmp_path, "check", ".") == ""
    assert loaded_modules(tmp_path, "check", "--format", "json", ".") == ""
    assert loaded_modules(tmp_path, "check", "--format", "junit", ".") == "xml"
    # A settings file is checked with jsonschema, and only then.
    (tmp_path / ".kafkalint.toml").write_text('select = ["KL1"]\n')
    assert loaded_modules(tmp_path, "check", ".") == "jsonschema"
