"""`check`, `explain` and `inventory` read the tree through one pipeline: the same discovery,
.gitignore, excludes and settings, so a file kafkalint skips is absent from all three."""

from __future__ import annotations

import json

from tests.clirunner import run_cli
from tests.conftest import write_files

ACKS_ZERO = "bootstrap.servers=broker:9092\nacks=0\n"
POM_28 = (
    "<project><dependencies><dependency><groupId>org.apache.kafka</groupId>"
    "<artifactId>kafka-clients</artifactId><version>2.8.1</version></dependency></dependencies></project>"
)


def _tree(tmp_path, extra: dict[str, str] | None = None):
    write_files(tmp_path, {
        ".gitignore": "/producer.properties\ngenerated/\n",
        ".kafkalint.toml": 'exclude = ["vendored"]\n',
        "producer.properties": ACKS_ZERO,
        "generated/consumer.properties": "bootstrap.servers=broker:9092\ngroup.id=g\n",
        "vendored/producer.properties": ACKS_ZERO,
        "app/producer.properties": ACKS_ZERO,
        **(extra or {}),
    })
    (tmp_path / ".git").mkdir()


def _inventory_paths(tmp_path) -> list[str]:
    outcome = run_cli(tmp_path, "inventory", "--format", "json", ".")
    assert outcome.exit_code == 0, outcome.stderr
    return [client["location"]["path"] for client in json.loads(outcome.stdout)["clients"]]


def test_a_gitignored_or_excluded_file_is_absent_from_check_and_inventory(tmp_path):
    _tree(tmp_path)
    check = run_cli(tmp_path, "check", "--format", "json", "--select", "KL101", ".")
    assert [finding["path"] for finding in json.loads(check.stdout)["findings"]] == ["app/producer.properties"]
    assert _inventory_paths(tmp_path) == ["app/producer.properties"]


def test_inventory_lists_the_gitignored_file_again_when_settings_say_so(tmp_path):
    _tree(tmp_path)
    (tmp_path / ".kafkalint.toml").write_text('exclude = ["vendored"]\nrespect-gitignore = false\n')
    assert _inventory_paths(tmp_path) == [
        "app/producer.properties", "generated/consumer.properties", "producer.properties",
    ]


def test_explain_takes_no_version_from_a_gitignored_build_file(tmp_path):
    _tree(tmp_path, {"app/pom.xml": POM_28})
    outcome = run_cli(tmp_path, "explain", "app/producer.properties", "--format", "json")
    assert json.loads(outcome.stdout)["clients"][0]["version"]["version"] == "2.8"
    (tmp_path / ".gitignore").write_text("/producer.properties\ngenerated/\npom.xml\n")
    outcome = run_cli(tmp_path, "explain", "app/producer.properties", "--format", "json")
    version = json.loads(outcome.stdout)["clients"][0]["version"]
    assert version["version"] != "2.8" and "pom.xml" not in version["reason"]


def test_explain_reads_the_settings_file_like_check(tmp_path):
    _tree(tmp_path)
    (tmp_path / ".kafkalint.toml").write_text('[targets]\njava = "3.0"\n')
    outcome = run_cli(tmp_path, "explain", "app/producer.properties", "--format", "json")
    assert outcome.exit_code == 0, outcome.stderr
    assert json.loads(outcome.stdout)["clients"][0]["version"] == {
        "client": "java", "version": "3.0", "reason": "--target / settings",
    }
