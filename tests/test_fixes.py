"""`kafkalint check --fix`: rule fixes edit only their span, in every format, idempotently."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kafkalint.catalogue import load_catalogue
from kafkalint.engine import run
from kafkalint.fixes.applying import fix_in_place
from kafkalint.settings import Settings
from tests.conftest import lint_files, write_files

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = load_catalogue()
FIXABLE = [rule for rule in CATALOGUE.rules if rule.fix_applicability is not None]


def _settings(targets: dict[str, str] | None = None) -> Settings:
    settings = Settings()
    if targets:
        settings.targets = dict(targets)
    return settings


def _fix(base: Path, unsafe: bool = True, targets: dict[str, str] | None = None):
    """Lint `base` from inside it and fix in place: (result after fixing, fixed count)."""
    previous = os.getcwd()
    os.chdir(base)
    try:
        settings = _settings(targets)
        lint = lambda: run([Path(".")], settings)  # noqa: E731
        return fix_in_place(lint(), lint, unsafe)
    finally:
        os.chdir(previous)


def _snapshot(base: Path) -> dict[str, bytes]:
    return {str(path.relative_to(base)): path.read_bytes() for path in sorted(base.rglob("*")) if path.is_file()}


def _bad_examples():
    for rule in FIXABLE:
        for index, example in enumerate(rule.examples.get("bad", [])):
            yield pytest.param(rule, example, id=f"{rule.code}-bad{index}")




@pytest.mark.parametrize(("rule", "example"), list(_bad_examples()))
def test_fix_on_a_bad_example_silences_the_rule_and_a_second_fix_changes_nothing(rule, example, tmp_path):
    targets = example.get("options", {}).get("targets")
    before = lint_files(tmp_path, example["files"], targets=targets)
    mine = [finding for finding in before.findings if finding.code == rule.code]
    assert mine, f"{rule.code}: its bad example does not fire"
    fixable = [finding for finding in mine if finding.autofix is not None]
    result, fixed = _fix(tmp_path, targets=targets)
    if not fixable:
        return
    assert fixed >= len(fixable)
    remaining = {(f.location.path, f.location.line) for f in result.findings if f.code == rule.code}
    assert not remaining & {(f.location.path, f.location.line) for f in fixable}, result.findings
    if len(fixable) == len(mine):
        assert [f for f in result.findings if f.code == rule.code] == []
    # Idempotence: a second --fix finds nothing to do and leaves every byte alone.
    snapshot = _snapshot(tmp_path)
    again, fixed_again = _fix(tmp_path, targets=targets)
    assert fixed_again == 0 and _snapshot(tmp_path) == snapshot


def test_the_catalogue_examples_exercise_these_fixes():
    """The rules whose own bad examples carry a fix. KL006/KL007 (their example's replacement
    is no rename) and KL301 (no broker count in its example) are covered by the tests below."""
    codes = set()
    for rule in FIXABLE:
        for example in rule.examples.get("bad", []):
            import tempfile

            with tempfile.TemporaryDirectory() as folder:
                result = lint_files(Path(folder), example["files"], targets=example.get("options", {}).get("targets"))
            if any(f.code == rule.code and f.autofix is not None for f in result.findings):
                codes.add(rule.code)
    assert codes == {"KL003", "KL101", "KL102", "KL104"}


def test_fixable_rules_have_a_registered_fixer():
    from kafkalint.fixes.registry import registered_fix_codes

    assert {rule.code for rule in FIXABLE} == registered_fix_codes()


# --- per format: only the span changes -----------------------------------------------------


def _fixed_bytes(tmp_path: Path, name: str, content: bytes, unsafe: bool = False, targets=None) -> bytes:
    (tmp_path / name).write_bytes(content)
    _fix(tmp_path, unsafe=unsafe, targets=targets)
    return (tmp_path / name).read_bytes()


def test_properties_keeps_comments_blank_lines_escapes_and_crlf(tmp_path):
    before = (
        b"# producer for billing\r\n"
        b"bootstrap.servers = broker:9092\r\n"
        b"\r\n"
        b"! idempotent on purpose\r\n"
        b"enable.idempotence=true\r\n"
        b"client.id = billing\\\r\n"
        b"   -producer\r\n"
        b"acks : 1\r\n"
    )
    after = _fixed_bytes(tmp_path, "producer.properties", before)
    assert after == before.replace(b"acks : 1", b"acks : all")


def test_properties_misspelt_key_becomes_the_suggestion(tmp_path):
    before = b"bootstrap.servers=broker:9092\ngroup.id=billing\nmax.poll.record = 200  \n"
    after = _fixed_bytes(tmp_path, "consumer.properties", before)
    assert after == b"bootstrap.servers=broker:9092\ngroup.id=billing\nmax.poll.records = 200  \n"


def test_properties_key_written_with_an_escape_is_not_touched(tmp_path):
    before = b"bootstrap.servers=broker:9092\ngroup.id=billing\nmax.poll\\.record=200\n"
    assert _fixed_bytes(tmp_path, "consumer.properties", before) == before


def test_acks_fix_without_asked_idempotence_is_unsafe(tmp_path):
    before = b"bootstrap.servers=broker:9092\nacks=0\n"
    assert _fixed_bytes(tmp_path, "producer.properties", before) == before  # safe fixes only
    assert _fixed_bytes(tmp_path, "producer.properties", before, unsafe=True) == b"bootstrap.servers=broker:9092\nacks=all\n"


def test_yaml_keeps_comments_quotes_and_order(tmp_path):
    before = (
        b"# producer\r\n"
        b"bootstrap.servers: broker:9092   # the cluster\r\n"
        b"enable.idempotence: true\r\n"
        b"acks: '1'   # was leader-only\r\n"
        b"max.in.flight.requests.per.connection: 20\r\n"
    )
    after = _fixed_bytes(tmp_path, "producer.yaml", before)
    assert after == before.replace(b"'1'", b"'all'").replace(b": 20", b": 5")


def test_yaml_misspelt_key_keeps_its_quotes(tmp_path):
    before = b'bootstrap.servers: broker:9092\nqueue.buffering.max.ms: 5\n"enable.idempotency": true\n'
    after = _fixed_bytes(tmp_path, "producer.yaml", before)
    assert after == before.replace(b'"enable.idempotency"', b'"enable.idempotence"')


def test_json_bare_acks_becomes_a_string_and_layout_stays(tmp_path):
    before = b'{\n    "bootstrap.servers": "broker:9092",\n    "enable.idempotence": true,\n    "acks":   1\n}\n'
    after = _fixed_bytes(tmp_path, "producer.json", before)
    assert after == before.replace(b'"acks":   1', b'"acks":   "all"')
    json.loads(after)


def test_python_dict_key_and_keyword_argument(tmp_path):
    before = (
        b"from confluent_kafka import Producer\n"
        b"from kafka import KafkaProducer\n\n"
        b"conf = {'bootstrap.servers': 'b:9092',  # cluster\n"
        b"        'enable.idempotency': True, 'acks': 1}\n"
        b"producer = Producer(conf)\n"
        b"legacy = KafkaProducer(bootstrap_servers='b:9092', enable_idempotence=True, acks=1)\n"
    )
    after = _fixed_bytes(tmp_path, "app.py", before)
    # The rename makes idempotence asked for, and the next pass makes acks=all safe too.
    expected = (before.replace(b"'enable.idempotency'", b"'enable.idempotence'").replace(b"'acks': 1", b"'acks': \"all\"")
                .replace(b"acks=1)", b'acks="all")'))
    assert after == expected
    compile(after, "app.py", "exec")


def test_java_string_literal_is_edited_and_constants_stay(tmp_path):
    before = (
        b"import java.util.Properties;\n"
        b"import org.apache.kafka.clients.producer.KafkaProducer;\n"
        b"import org.apache.kafka.clients.producer.ProducerConfig;\n\n"
        b"class App {\n"
        b"    void run() {\n"
        b"        Properties props = new Properties();\n"
        b"        props.put(\"bootstrap.servers\", \"b:9092\");\n"
        b"        props.put(\"enable.idempotence\", \"true\");\n"
        b"        props.put(ProducerConfig.ACKS_CONFIG, \"1\"); // leader only\n"
        b"        KafkaProducer<String, String> p = new KafkaProducer<>(props);\n"
        b"    }\n"
        b"}\n"
    )
    after = _fixed_bytes(tmp_path, "App.java", before)
    assert after == before.replace(b'ACKS_CONFIG, "1"', b'ACKS_CONFIG, "all"')


STRIMZI = (
    "apiVersion: kafka.strimzi.io/v1beta2\n"
    "kind: Kafka\n"
    "metadata:\n"
    "  name: my-cluster\n"
    "spec:\n"
    "  kafka:\n"
    "    replicas: 3\n"
    "    listeners:\n"
    "      - {name: tls, port: 9093, type: internal, tls: true}\n"
    "    config:\n"
    "        # tuned for three copies\n"
    "        default.replication.factor: 3\n"
)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_strimzi_kafka_gets_min_insync_replicas_at_its_config_indentation(tmp_path, newline):
    before = STRIMZI.replace("\n", newline).encode()
    after = _fixed_bytes(tmp_path, "kafka.yaml", before)
    expected = before.replace(
        f"        default.replication.factor: 3{newline}".encode(),
        f"        min.insync.replicas: 2{newline}        default.replication.factor: 3{newline}".encode(),
    )
    assert after == expected
    result = lint_files(tmp_path, {})
    assert "KL301" not in {finding.code for finding in result.findings}


def test_strimzi_kafka_replicating_less_than_three_times_gets_no_floor(tmp_path):
    before = STRIMZI.replace("default.replication.factor: 3", "default.replication.factor: 2").encode()
    assert _fixed_bytes(tmp_path, "kafka.yaml", before) == before


def test_a_retired_key_with_a_same_typed_replacement_is_an_unsafe_rename(tmp_path):
    before = b"bootstrap.servers: broker:9092\ngroup.id: billing\nenable.partition.eof: false\nauto.commit.enable: true  # legacy\n"
    assert _fixed_bytes(tmp_path, "consumer.yaml", before) == before
    after = _fixed_bytes(tmp_path, "consumer.yaml", before, unsafe=True)
    assert after == before.replace(b"auto.commit.enable:", b"enable.auto.commit:")


def test_a_retired_key_whose_replacement_takes_other_values_is_not_renamed(tmp_path):
    before = b"bootstrap.servers=broker:9092\nacks=all\nauto.include.jmx.reporter=false\n"
    assert _fixed_bytes(tmp_path, "producer.properties", before, unsafe=True) == before


# --- the command line ----------------------------------------------------------------------


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KAFKALINT_NO_CACHE": "1"}
    return subprocess.run([sys.executable, "-m", "kafkalint", "check", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_diff_writes_nothing_and_fix_reports_what_remains(tmp_path):
    write_files(tmp_path, {"producer.properties": "bootstrap.servers=broker:9092\nenable.idempotence=true\nacks=1\nlinger.ms=5\n"})
    path = tmp_path / "producer.properties"
    path.chmod(0o640)
    before = path.read_bytes()
    shown = _cli(tmp_path, "--diff", ".")
    assert shown.returncode == 1
    assert "-acks=1\n+acks=all\n" in shown.stdout and "a/producer.properties" in shown.stdout
    assert path.read_bytes() == before
    fixed = _cli(tmp_path, "--fix", "-q", ".")
    assert "kafkalint: fixed 2 findings, 0 remaining" in fixed.stderr, fixed.stderr
    assert fixed.returncode == 0
    assert path.read_bytes() == before.replace(b"acks=1", b"acks=all")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(item.name for item in tmp_path.iterdir()) == ["producer.properties"]  # no temp file left
    assert "fixed 0 findings" in _cli(tmp_path, "--fix", ".").stderr


def test_unsafe_fixes_alone_is_refused(tmp_path):
    write_files(tmp_path, {"producer.properties": "acks=0\n"})
    completed = _cli(tmp_path, "--unsafe-fixes", ".")
    assert completed.returncode == 2 and "--unsafe-fixes goes with --fix" in completed.stderr


def test_json_output_carries_the_edits(tmp_path):
    write_files(tmp_path, {"producer.properties": "bootstrap.servers=broker:9092\nacks=0\n"})
    document = json.loads(_cli(tmp_path, "--format", "json", ".").stdout)
    [finding] = [item for item in document["findings"] if item["code"] == "KL101"]
    assert finding["autofix"] == {
        "title": "Set acks to all",
        "applicability": "unsafe",
        "edits": [{"path": "producer.properties", "line": 2, "column": 6, "end_line": 2, "end_column": 7, "replacement": "all"}],
    }
    import jsonschema

    jsonschema.validate(document, json.loads((ROOT / "docs" / "output.schema.json").read_text()))


def test_sarif_output_carries_fixes(tmp_path):
    write_files(tmp_path, {"producer.properties": "bootstrap.servers=broker:9092\nenable.idempotence=true\nacks=1\n"})
    document = json.loads(_cli(tmp_path, "--format", "sarif", ".").stdout)
    results = [item for item in document["runs"][0]["results"] if item["ruleId"] == "KL104"]
    [change] = results[0]["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "producer.properties"
    assert change["replacements"] == [{"deletedRegion": {"startLine": 3, "startColumn": 6, "endLine": 3, "endColumn": 7},
                                       "insertedContent": {"text": "all"}}]


def test_rule_shows_its_fix_applicability():
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    shown = subprocess.run([sys.executable, "-m", "kafkalint", "rule", "KL003"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=60)
    assert "Fix applicability: **safe**" in shown.stdout
    other = subprocess.run([sys.executable, "-m", "kafkalint", "rule", "KL201"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=60)
    assert "Fix applicability" not in other.stdout


def test_strimzi_flow_style_config_gets_no_insertion(tmp_path):
    before = STRIMZI.replace("    config:\n        # tuned for three copies\n        default.replication.factor: 3\n",
                             "    config: {default.replication.factor: 3}\n").encode()
    assert b"config: {" in before
    assert _fixed_bytes(tmp_path, "kafka.yaml", before) == before
    assert "KL301" in {finding.code for finding in lint_files(tmp_path, {}).findings}  # it fires, unfixed


def test_a_byte_order_mark_is_kept_and_a_symlink_is_not_written_through(tmp_path):
    before = "\ufeffbootstrap.servers=broker:9092\nenable.idempotence=true\nacks=1\n".encode()
    assert _fixed_bytes(tmp_path, "producer.properties", before) == before.replace(b"acks=1", b"acks=all")
    (tmp_path / "producer.properties").unlink()
    real = tmp_path / "real"
    real.mkdir()
    (real / "target.properties").write_bytes(before)
    (tmp_path / "producer.properties").symlink_to(real / "target.properties")
    _fix(tmp_path)
    assert (tmp_path / "producer.properties").is_symlink()
    assert (real / "target.properties").read_bytes() in (before, before.replace(b"acks=1", b"acks=all"))


def test_a_spring_pass_through_key_keeps_its_prefix(tmp_path):
    before = (b"spring.kafka.bootstrap-servers=localhost:9092\n"
              b"spring.kafka.consumer.group-id=billing\n"
              b"spring.kafka.consumer.properties.max.poll.record=200\n")
    after = _fixed_bytes(tmp_path, "application.properties", before)
    assert after == before.replace(b"properties.max.poll.record=", b"properties.max.poll.records=")


def test_a_yaml_alias_value_is_not_edited_at_its_anchor(tmp_path):
    before = b"bootstrap.servers: broker:9092\nenable.idempotence: true\nlevel: &one 1\nacks: *one\n"
    after = _fixed_bytes(tmp_path, "producer.yaml", before, unsafe=True)
    assert b"&one 1" in after
