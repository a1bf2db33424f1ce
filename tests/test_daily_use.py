"""The command line's daily-use edges: settings per folder, empty runs, exit codes, several
reports in one run, refusing versions kafkalint knows nothing about."""

from __future__ import annotations

import json

from tests.clirunner import run_cli
from tests.conftest import write_files

ACKS_ZERO = "bootstrap.servers=b:9092\nacks=0\n"


def findings(outcome) -> list[tuple[str, str]]:
    return [(item["path"], item["code"]) for item in json.loads(outcome.stdout)["findings"]]


# --- settings per folder ------------------------------------------------------------------------


def test_checking_a_folder_from_its_parent_uses_the_folders_own_settings(tmp_path):
    write_files(tmp_path, {
        "cfg/pyproject.toml": '[tool.kafkalint]\nignore = ["KL104"]\n',
        "cfg/producer.properties": ACKS_ZERO,
    })
    outcome = run_cli(tmp_path, "check", "--format", "json", "cfg")
    assert outcome.exit_code == 1
    assert findings(outcome) == [("cfg/producer.properties", "KL101")]


def test_a_walk_lints_each_file_with_the_nearest_settings_file(tmp_path):
    write_files(tmp_path, {
        ".kafkalint.toml": 'ignore = ["KL101"]\n',
        "producer.properties": ACKS_ZERO,
        "team/.kafkalint.yaml": "ignore: [KL104]\n",
        "team/producer.properties": ACKS_ZERO,
        "team/deep/producer.properties": ACKS_ZERO,
    })
    outcome = run_cli(tmp_path, "check", "--format", "json", ".")
    assert findings(outcome) == [
        ("producer.properties", "KL104"),
        ("team/deep/producer.properties", "KL101"),
        ("team/producer.properties", "KL101"),
    ]
    # Stdin content follows the settings of the folder it is named into.
    piped = run_cli(tmp_path, "check", "--format", "json", "--stdin-filename", "team/new.properties", "-", stdin=ACKS_ZERO)
    assert findings(piped) == [("team/new.properties", "KL101")]


def test_a_folder_excluded_by_the_outer_settings_stays_excluded_with_settings_of_its_own(tmp_path):
    write_files(tmp_path, {
        ".kafkalint.toml": 'exclude = ["vendor"]\n',
        "producer.properties": ACKS_ZERO,
        "vendor/.kafkalint.toml": 'ignore = ["KL104"]\n',
        "vendor/producer.properties": ACKS_ZERO,
    })
    outcome = run_cli(tmp_path, "check", "--format", "json", "--select", "KL101", ".")
    assert findings(outcome) == [("producer.properties", "KL101")]


def test_kafkalint_toml_wins_over_pyproject_in_the_same_folder_and_show_settings_says_so(tmp_path):
    write_files(tmp_path, {
        "pyproject.toml": '[tool.kafkalint]\nignore = ["KL101"]\n',
        ".kafkalint.toml": 'ignore = ["KL104"]\nfail-on = "error"\n',
        "producer.properties": ACKS_ZERO,
    })
    outcome = run_cli(tmp_path, "check", "--format", "json", ".")
    assert findings(outcome) == [("producer.properties", "KL101")]
    shown = run_cli(tmp_path, "check", "--show-settings", "producer.properties")
    assert shown.exit_code == 0
    lines = shown.stdout.splitlines()
    assert lines[:2] == ["Settings for producer.properties", "settings file: .kafkalint.toml"]
    assert 'ignore = ["KL104"]' in lines and 'fail-on = "error"' in lines


def test_show_settings_without_a_settings_file_says_defaults(tmp_path):
    write_files(tmp_path, {"producer.properties": ACKS_ZERO})
    shown = run_cli(tmp_path, "check", "--show-settings", "producer.properties")
    assert "settings file: none found; defaults" in shown.stdout
    assert 'select = ["ALL"]' in shown.stdout


def test_show_files_lists_what_would_be_linted_and_lints_nothing(tmp_path):
    write_files(tmp_path, {
        ".kafkalint.toml": 'exclude = ["old"]\n',
        "producer.properties": ACKS_ZERO,
        "old/producer.properties": ACKS_ZERO,
        "notes.txt": "acks=0\n",
        "team/.kafkalint.toml": "",
        "team/consumer.yaml": "group.id: g\n",
    })
    outcome = run_cli(tmp_path, "check", "--show-files", ".")
    assert outcome.exit_code == 0
    assert outcome.stdout == "producer.properties\nteam/consumer.yaml\n"


def test_write_baseline_over_several_settings_folders_records_every_finding(tmp_path):
    write_files(tmp_path, {
        "producer.properties": ACKS_ZERO,
        "team/.kafkalint.toml": 'ignore = ["KL106"]\n',
        "team/producer.properties": ACKS_ZERO + "retries=0\n",
    })
    written = run_cli(tmp_path, "check", "--write-baseline", "baseline.json", ".")
    assert written.exit_code == 0
    recorded = json.loads((tmp_path / "baseline.json").read_text())["findings"]
    assert sorted((entry["path"], entry["code"]) for entry in recorded) == [
        ("producer.properties", "KL101"), ("team/producer.properties", "KL101"), ("team/producer.properties", "KL104"),
    ]
    again = run_cli(tmp_path, "check", "--baseline", "baseline.json", ".")
    assert again.exit_code == 0, again.stdout


# --- empty runs, quiet, exit codes ---------------------------------------------------------------


def test_no_file_to_lint_is_exit_2_with_a_sentence_unless_allowed(tmp_path):
    write_files(tmp_path, {"src/readme.md": "# nothing for kafkalint\n"})
    outcome = run_cli(tmp_path, "check", "src")
    assert outcome.exit_code == 2
    assert outcome.stderr.strip() == (
        "kafkalint: no file that kafkalint reads in src: check the path (or exclude settings); "
        "pass --allow-empty if an empty run is expected"
    )
    allowed = run_cli(tmp_path, "check", "--allow-empty", "src")
    assert allowed.exit_code == 0 and allowed.stdout == "No findings in 0 files.\n"


def test_quiet_with_nothing_to_say_prints_nothing(tmp_path):
    write_files(tmp_path, {"producer.properties": "bootstrap.servers=b:9092\nacks=all\nenable.idempotence=true\n"})
    outcome = run_cli(tmp_path, "check", "-q", ".")
    assert (outcome.exit_code, outcome.stdout, outcome.stderr) == (0, "", "")


def test_exit_zero_reports_findings_and_exits_0_but_errors_still_exit_2(tmp_path):
    write_files(tmp_path, {"producer.properties": ACKS_ZERO})
    outcome = run_cli(tmp_path, "check", "--exit-zero", ".")
    assert outcome.exit_code == 0 and "KL101 [error]" in outcome.stdout
    missing = run_cli(tmp_path, "check", "--exit-zero", "nowhere")
    assert missing.exit_code == 2


# --- several reports in one run ------------------------------------------------------------------


def test_several_formats_in_one_run_each_to_its_destination(tmp_path):
    write_files(tmp_path, {"producer.properties": ACKS_ZERO})
    outcome = run_cli(tmp_path, "check", "--format", "sarif:out/kafkalint.sarif", "--format", "junit:junit.xml",
                      "--format", "text", "--select", "KL101", "producer.properties")
    assert outcome.exit_code == 1
    assert outcome.stdout.startswith("producer.properties:2:1: KL101 [error] acks=0")
    sarif = json.loads((tmp_path / "out" / "kafkalint.sarif").read_text())
    assert [item["ruleId"] for item in sarif["runs"][0]["results"]] == ["KL101"]
    assert "<failure" in (tmp_path / "junit.xml").read_text()


def test_two_formats_cannot_share_standard_output(tmp_path):
    write_files(tmp_path, {"producer.properties": ACKS_ZERO})
    outcome = run_cli(tmp_path, "check", "--format", "json", "--format", "text", ".")
    assert outcome.exit_code == 2
    assert "json and text would both write to standard output" in outcome.stderr
    unknown = run_cli(tmp_path, "check", "--format", "xml", ".")
    assert unknown.exit_code == 2 and "unknown format 'xml'" in unknown.stderr


def test_output_still_names_the_file_of_a_single_format(tmp_path):
    write_files(tmp_path, {"producer.properties": ACKS_ZERO})
    outcome = run_cli(tmp_path, "check", "--format", "json", "--output", "report.json", ".")
    assert outcome.exit_code == 1 and outcome.stdout == ""
    assert ("producer.properties", "KL101") in [(item["path"], item["code"]) for item in json.loads((tmp_path / "report.json").read_text())["findings"]]


# --- versions -----------------------------------------------------------------------------------


def test_target_version_kafkalint_does_not_know_is_refused_with_the_known_ones(tmp_path):
    write_files(tmp_path, {"producer.properties": ACKS_ZERO})
    outcome = run_cli(tmp_path, "check", "--target", "java=9.9", ".")
    assert outcome.exit_code == 2
    assert outcome.stderr.startswith("kafkalint: --target 'java=9.9': kafkalint knows java 2.8 to 4.1 (known versions: 2.8, 3.0, 3.1,")
    assert run_cli(tmp_path, "check", "--target", "java=3.6.1", ".").exit_code == 1  # a patch release of a known line
    assert run_cli(tmp_path, "check", "--target", "librdkafka=2.6", ".").exit_code == 1  # between two known versions
    write_files(tmp_path, {".kafkalint.toml": '[targets]\nlibrdkafka = "0.9"\n'})
    from_file = run_cli(tmp_path, "check", ".")
    assert from_file.exit_code == 2
    assert "option 'targets.librdkafka' cannot be '0.9': kafkalint knows librdkafka 1.0 to 2.16" in from_file.stderr


def test_rules_offers_only_the_formats_it_writes(tmp_path):
    refused = run_cli(tmp_path, "rules", "--format", "sarif")
    assert refused.exit_code == 2 and "'sarif' is not one of 'text', 'json'" in refused.stderr
    listed = run_cli(tmp_path, "rules", "--format", "json")
    assert listed.exit_code == 0 and json.loads(listed.stdout)[0]["code"].startswith("KL")


# --- rule options in kebab-case -----------------------------------------------------------------

CONSUMER = "bootstrap.servers=b:9092\ngroup.id=g\nenable.auto.commit=false\nmax.poll.records=500\nmax.poll.interval.ms=100000\n"


def test_rule_options_are_written_in_kebab_case_like_every_other_setting(tmp_path):
    write_files(tmp_path, {"consumer.properties": CONSUMER})
    assert "KL202" not in [code for _, code in findings(run_cli(tmp_path, "check", "--format", "json", "."))]
    for spelling in ("per-record-floor-ms", "per_record_floor_ms"):  # the rule file's own spelling still works
        write_files(tmp_path, {".kafkalint.toml": f"[parameters.consumer-max-poll-records-oversized]\n{spelling} = 300\n"})
        outcome = run_cli(tmp_path, "check", "--format", "json", ".")
        assert ("consumer.properties", "KL202") in findings(outcome), (spelling, outcome.stderr)
    write_files(tmp_path, {".kafkalint.toml": "[parameters.KL202]\nper-record-floor = 300\n"})
    wrong = run_cli(tmp_path, "check", ".")
    assert wrong.exit_code == 2 and "has no parameter 'per-record-floor'; did you mean 'per-record-floor-ms'?" in wrong.stderr
    doc = run_cli(tmp_path, "rule", "KL202").stdout
    assert "- `per-record-floor-ms` (default `100`)" in doc
    assert "per_record_floor_ms" not in doc


def test_extend_exclude_skips_folders_by_name_and_globs_on_top_of_the_settings(tmp_path):
    write_files(tmp_path, {
        "pyproject.toml": '[tool.kafkalint]\nexclude = ["generated"]\n',
        "app/producer.properties": "bootstrap.servers=b:9092\nacks=0\n",
        "tests/fixtures/producer.properties": "bootstrap.servers=b:9092\nacks=0\n",
        "generated/producer.properties": "bootstrap.servers=b:9092\nacks=0\n",
        "legacy/old-producer.properties": "bootstrap.servers=b:9092\nacks=0\n",
    })
    everything = run_cli(tmp_path, "check", "--select", "KL101", "--show-files", ".")
    assert everything.stdout.split() == [
        "app/producer.properties", "legacy/old-producer.properties", "pyproject.toml", "tests/fixtures/producer.properties"]
    fewer = run_cli(tmp_path, "check", "--select", "KL101", "--extend-exclude", "tests,legacy/old-*", "-q", ".")
    assert fewer.exit_code == 1
    assert [line.split(":")[0] for line in fewer.stdout.splitlines() if "KL101" in line] == ["app/producer.properties"]
