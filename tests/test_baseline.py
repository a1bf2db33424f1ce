"""Baselines: record today's findings, report only new ones; fingerprints ignore line shifts."""

from __future__ import annotations

import json

from tests.clirunner import run_cli
from tests.conftest import write_files

PRODUCER = "bootstrap.servers=broker:9092\nacks=0\n"
CONSUMER = "bootstrap.servers: broker:9092\ngroup.id: billing\nenable.auto.commit: true\n"


def findings(outcome) -> list[tuple[str, str, int]]:
    return [(f["path"], f["code"], f["line"]) for f in json.loads(outcome.stdout)["findings"]]


def check(tmp_path, *extra: str):
    return run_cli(tmp_path, "check", "--format", "json", "--select", "KL101,KL201", *extra, ".")


def test_baseline_hides_recorded_findings_even_after_ten_lines_are_inserted_at_the_top(tmp_path):
    write_files(tmp_path, {"producer.properties": PRODUCER, "consumer.yaml": CONSUMER})
    written = run_cli(tmp_path, "check", "--select", "KL101,KL201", "--write-baseline", "kafkalint-baseline.json", ".")
    assert written.exit_code == 0
    assert "wrote 2 findings to baseline kafkalint-baseline.json" in written.stderr
    recorded = json.loads((tmp_path / "kafkalint-baseline.json").read_text())
    assert [(f["path"], f["code"], f["line"]) for f in recorded["findings"]] == [
        ("consumer.yaml", "KL201", 3), ("producer.properties", "KL101", 2),
    ]
    assert check(tmp_path, "--baseline", "kafkalint-baseline.json").exit_code == 0

    write_files(tmp_path, {
        "producer.properties": "# owned by the payments team\n" * 10 + PRODUCER,
        "consumer.yaml": "# billing consumer\n" * 10 + CONSUMER,
    })
    unchanged = check(tmp_path, "--baseline", "kafkalint-baseline.json")
    assert unchanged.exit_code == 0, unchanged.stdout
    assert findings(unchanged) == []
    assert json.loads(unchanged.stdout)["summary"]["baseline"] == 2
    # Without the baseline the same findings are there, ten lines down.
    assert findings(check(tmp_path)) == [("consumer.yaml", "KL201", 13), ("producer.properties", "KL101", 12)]


def test_a_new_finding_is_reported_while_the_old_ones_stay_hidden(tmp_path):
    write_files(tmp_path, {"producer.properties": PRODUCER})
    run_cli(tmp_path, "check", "--select", "KL101,KL201", "--write-baseline", "baseline.json", ".")
    write_files(tmp_path, {"producer.properties": PRODUCER, "new/producer.properties": PRODUCER})
    outcome = check(tmp_path, "--baseline", "baseline.json")
    assert outcome.exit_code == 1
    assert findings(outcome) == [("new/producer.properties", "KL101", 2)]


def test_a_second_identical_finding_in_the_same_file_is_new(tmp_path):
    one = "---\nbootstrap.servers: b:9092\nacks: 0\n"
    write_files(tmp_path, {"producers.yaml": one})
    run_cli(tmp_path, "check", "--select", "KL101", "--write-baseline", "baseline.json", ".")
    write_files(tmp_path, {"producers.yaml": one + one})
    outcome = run_cli(tmp_path, "check", "--format", "json", "--select", "KL101", "--baseline", "baseline.json", ".")
    assert len(findings(outcome)) == 1


def test_missing_or_broken_baseline_is_exit_2_with_one_sentence(tmp_path):
    write_files(tmp_path, {"producer.properties": PRODUCER, "broken.json": "{\"findings\": 3}"})
    missing = check(tmp_path, "--baseline", "nope.json")
    assert missing.exit_code == 2
    assert "nope.json: baseline file not found; create it with --write-baseline nope.json" in missing.stderr
    broken = check(tmp_path, "--baseline", "broken.json")
    assert broken.exit_code == 2 and "broken.json: not a kafkalint baseline" in broken.stderr


def test_baseline_never_stores_a_secret(tmp_path):
    secret = "s3cr3t-never-stored"
    write_files(tmp_path, {"client.properties": f"bootstrap.servers=b:9092\nssl.key.password={secret}\n"})
    run_cli(tmp_path, "check", "--write-baseline", "baseline.json", ".")
    text = (tmp_path / "baseline.json").read_text()
    assert "KL401" in text and secret not in text


def test_a_finding_at_a_clients_anchor_survives_lines_inserted_above_it(tmp_path):
    # acks=1 is the Java 2.8 default: the finding sits at the client's anchor (its first
    # setting), which moves down when a header is added.
    producer = "bootstrap.servers=broker:9092\nkey.serializer=org.apache.kafka.common.serialization.StringSerializer\n"
    write_files(tmp_path, {"producer.properties": producer})
    args = ("--select", "KL102", "--target", "java=2.8")
    run_cli(tmp_path, "check", *args, "--write-baseline", "baseline.json", ".")
    write_files(tmp_path, {"producer.properties": "# owned by payments\n" * 10 + producer})
    plain = run_cli(tmp_path, "check", "--format", "json", *args, ".")
    assert findings(plain) == [("producer.properties", "KL102", 11)]
    assert run_cli(tmp_path, "check", "--format", "json", *args, "--baseline", "baseline.json", ".").exit_code == 0


def test_an_old_baseline_entry_is_matched_by_its_message_when_the_source_line_changed(tmp_path):
    from kafkalint.baseline import apply_baseline, baseline_document
    from kafkalint.engine import RunResult
    from kafkalint.model import Finding, Location, Project, Severity
    from kafkalint.settings import Settings

    def finding(snippet: str, line: int) -> Finding:
        return Finding("KL102", "producer-acks-leader-only", Severity.WARNING, f"acks=1 (set at line {line})",
                       Location("p.properties", line, 1, line, 5), snippet=snippet)

    document = baseline_document([finding("acks=1", 2)])
    (tmp_path / "baseline.json").write_text(json.dumps(document))
    result = RunResult([finding("acks = 1", 12)], Project(), [], [], extra={"baseline": tmp_path / "baseline.json"})
    apply_baseline(result, Settings())
    assert result.findings == [] and result.extra["baseline_known"] == 1
