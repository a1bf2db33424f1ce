"""kafkalint's own settings: found upward, validated with one clear sentence, applied to the run."""

from __future__ import annotations

import json

import pytest

from kafkalint.settings import SettingsError, find_settings_file, load_settings_file
from tests.clirunner import run_cli
from tests.conftest import write_files

ACKS_ZERO = "bootstrap.servers=broker:9092\nacks=0\n"
ACKS_ONE = "bootstrap.servers=broker:9092\nacks=1\n"


def codes(outcome) -> list[tuple[str, str, int]]:
    document = json.loads(outcome.stdout)
    return [(item["path"], item["code"], item["line"]) for item in document["findings"]]


def test_misspelled_option_in_pyproject_is_exit_2_naming_file_option_and_closest_name(tmp_path):
    write_files(tmp_path, {"pyproject.toml": '[tool.kafkalint]\nselct = ["KL1"]\n', "producer.properties": ACKS_ZERO})
    outcome = run_cli(tmp_path, "check", ".")
    assert outcome.exit_code == 2
    assert outcome.stderr.strip() == (
        "kafkalint: pyproject.toml [tool.kafkalint]: unknown option 'selct'; did you mean 'select'?"
    )
    assert outcome.stdout == ""


def test_wrong_type_in_kafkalint_toml_is_exit_2_naming_the_option(tmp_path):
    write_files(tmp_path, {".kafkalint.toml": 'fail-on = "eror"\n', "producer.properties": ACKS_ZERO})
    outcome = run_cli(tmp_path, "check", ".")
    assert outcome.exit_code == 2
    assert ".kafkalint.toml: option 'fail-on' cannot be 'eror'; did you mean 'error'?" in outcome.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('select = "KL1"\n', "option 'select' must be a list, not the string 'KL1'"),
        ("[targets]\njava = 3.6\n", "option 'targets.java' must be a string, not the number 3.6 (write it quoted: \"3.6\")"),
        ('[targets]\njav = "3.6"\n', "option 'targets' has no entry 'jav'; did you mean 'java'?"),
        ('[per-file-ignores]\n"tests/*" = "KL1"\n', "option 'per-file-ignores.tests/*' must be a list"),
        ('respect-gitignore = "yes"\n', "option 'respect-gitignore' must be true or false"),
        ('[severity]\nKL101 = "fatal"\n', "option 'severity.KL101' cannot be 'fatal'; choose one of error, warning, info"),
        ("select = [\n", "not valid TOML"),
    ],
)
def test_each_kind_of_settings_mistake_gets_one_sentence(tmp_path, monkeypatch, content, message):
    (tmp_path / ".kafkalint.toml").write_text(content)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SettingsError) as raised:
        load_settings_file()
    text = str(raised.value)
    assert text.startswith(".kafkalint.toml: ")
    assert message in text
    assert "\n" not in text


def test_rule_names_in_settings_must_exist_with_a_suggestion(tmp_path):
    write_files(tmp_path, {".kafkalint.yaml": "severity:\n  producer-acks-zer0: warning\n", "p.properties": ACKS_ZERO})
    outcome = run_cli(tmp_path, "check", ".")
    assert outcome.exit_code == 2
    assert "option 'severity.producer-acks-zer0' names no rule 'producer-acks-zer0'; did you mean 'producer-acks-zero'?" in outcome.stderr


def test_unknown_rule_parameter_names_the_valid_ones(tmp_path):
    write_files(tmp_path, {
        ".kafkalint.toml": "[parameters.consumer-max-poll-records-oversized]\nceilling = 10\n",
        "p.properties": ACKS_ZERO,
    })
    outcome = run_cli(tmp_path, "check", ".")
    assert outcome.exit_code == 2
    assert "has no parameter 'ceilling'; did you mean 'ceiling'?" in outcome.stderr


def test_settings_are_found_upward_from_a_subdirectory(tmp_path):
    write_files(tmp_path, {
        "pyproject.toml": '[project]\nname = "x"\n\n[tool.kafkalint]\nignore = ["KL1"]\n',
        "services/orders/producer.properties": ACKS_ZERO,
    })
    found = find_settings_file(tmp_path / "services" / "orders")
    assert found == ((tmp_path / "pyproject.toml").resolve(), "tool.kafkalint")
    outcome = run_cli(tmp_path / "services" / "orders", "check", "--format", "json", ".")
    assert outcome.exit_code == 0, outcome.stdout + outcome.stderr
    assert codes(outcome) == []


def test_pyproject_without_a_kafkalint_table_is_passed_over(tmp_path):
    write_files(tmp_path, {
        ".kafkalint.yaml": "ignore: [KL101]\n",
        "app/pyproject.toml": '[project]\nname = "app"\n',
        "app/producer.properties": ACKS_ZERO,
    })
    assert find_settings_file(tmp_path / "app") == ((tmp_path / ".kafkalint.yaml").resolve(), "")


def test_command_line_select_wins_over_the_file(tmp_path):
    write_files(tmp_path, {".kafkalint.toml": 'select = ["KL2"]\n', "producer.properties": ACKS_ZERO})
    outcome = run_cli(tmp_path, "check", "--format", "json", "--select", "KL101", ".")
    assert codes(outcome) == [("producer.properties", "KL101", 2)]


def test_severity_override_and_fail_on(tmp_path):
    write_files(tmp_path, {
        ".kafkalint.toml": 'fail-on = "error"\n[severity]\nKL101 = "info"\n',
        "producer.properties": ACKS_ZERO,
    })
    outcome = run_cli(tmp_path, "check", "--format", "json", "--select", "KL101", ".")
    assert outcome.exit_code == 0
    assert json.loads(outcome.stdout)["findings"][0]["severity"] == "info"


def test_per_file_ignores_globs_relative_to_the_settings_file(tmp_path):
    write_files(tmp_path, {
        ".kafkalint.toml": '[per-file-ignores]\n"legacy/*" = ["KL101", "producer-acks-leader-only"]\n',
        "legacy/producer.properties": ACKS_ZERO,
        "legacy/other.properties": ACKS_ONE,
        "current/producer.properties": ACKS_ZERO,
    })
    outcome = run_cli(tmp_path, "check", "--format", "json", "--select", "KL101,KL102", ".")
    assert codes(outcome) == [("current/producer.properties", "KL101", 2)]
    # The same settings mean the same thing when run from inside the directory.
    inside = run_cli(tmp_path / "legacy", "check", "--format", "json", "--select", "KL101,KL102", ".")
    assert codes(inside) == []


def test_exclude_and_gitignore_keep_files_out_of_the_run(tmp_path):
    write_files(tmp_path, {
        ".kafkalint.toml": 'exclude = ["generated"]\n',
        ".gitignore": "build-output/\n*.local.properties\n",
        "generated/producer.properties": ACKS_ZERO,
        "build-output/producer.properties": ACKS_ZERO,
        "dev.local.properties": ACKS_ZERO,
        "producer.properties": ACKS_ZERO,
    })
    (tmp_path / ".git").mkdir()
    outcome = run_cli(tmp_path, "check", "--format", "json", "--select", "KL101", ".")
    assert codes(outcome) == [("producer.properties", "KL101", 2)]
    assert json.loads(outcome.stdout)["summary"]["files"] == 1
    (tmp_path / ".kafkalint.toml").write_text('exclude = ["generated"]\nrespect-gitignore = false\n')
    outcome = run_cli(tmp_path, "check", "--format", "json", "--select", "KL101", ".")
    assert [path for path, _, _ in codes(outcome)] == [
        "build-output/producer.properties", "dev.local.properties", "producer.properties",
    ]


def test_rule_parameters_and_targets_from_settings_reach_the_rules(tmp_path):
    write_files(tmp_path, {
        ".kafkalint.toml": '[targets]\njava = "2.8"\n',
        "producer.yaml": "bootstrap.servers: broker:9092\nkey.serializer: org.apache.kafka.common.serialization.StringSerializer\n",
    })
    outcome = run_cli(tmp_path, "check", "--format", "json", "--select", "KL102", ".")
    document = json.loads(outcome.stdout)
    assert [item["code"] for item in document["findings"]] == ["KL102"]
    assert "java 2.8 default" in document["findings"][0]["message"]


def test_explicit_config_file_and_missing_one(tmp_path):
    write_files(tmp_path, {"conf/kafkalint.yaml": "select: [KL101]\n", "producer.properties": ACKS_ONE})
    settings = load_settings_file(tmp_path / "conf" / "kafkalint.yaml")
    assert settings.select == ["KL101"]
    outcome = run_cli(tmp_path, "check", "--config", "nowhere.toml", ".")
    assert outcome.exit_code == 2 and "nowhere.toml: settings file not found" in outcome.stderr


def test_rules_dir_is_relative_to_the_settings_file(tmp_path):
    write_files(tmp_path, {"ci/.kafkalint.toml": 'rules-dir = ["policies"]\n'})
    (tmp_path / "ci" / "policies").mkdir()
    settings = load_settings_file(tmp_path / "ci" / ".kafkalint.toml")
    assert settings.extra_rule_dirs == [str((tmp_path / "ci" / "policies").resolve())]


def test_settings_schema_is_valid_json_schema():
    import jsonschema

    from kafkalint.settings import settings_schema

    jsonschema.Draft202012Validator.check_schema(settings_schema())


def test_gitignore_reading_follows_git(tmp_path):
    from kafkalint.gitignore import GitignoreMatcher

    write_files(tmp_path, {
        ".gitignore": "build/\n*.log\n/top-only.yaml\n!keep.log\nservices/**/secret.yaml\n\\#literal.yaml\n",
        "services/.gitignore": "!build-notes.yaml\nlocal-*.properties\n",
        ".git/info/exclude": "scratch/\n",
    })
    matcher = GitignoreMatcher()
    cases = {
        ("build", True): True,
        ("build", False): False,                     # `build/` matches directories only
        ("nested/build/x.yaml", False): True,        # inside an ignored directory
        ("debug.log", False): True,
        ("keep.log", False): False,                  # re-included by `!keep.log`
        ("top-only.yaml", False): True,
        ("sub/top-only.yaml", False): False,         # anchored to the .gitignore's directory
        ("services/a/b/secret.yaml", False): True,
        ("services/secret.yaml", False): True,       # `**/` matches zero directories
        ("services/local-dev.properties", False): True,
        ("local-dev.properties", False): False,      # the nested .gitignore applies below it only
        ("#literal.yaml", False): True,
        ("scratch", True): True,
        ("producer.properties", False): False,
    }
    got = {case: matcher.ignored(tmp_path / case[0], case[1]) for case in cases}
    assert got == cases


def test_gitignore_is_not_read_outside_a_git_work_tree(tmp_path):
    from kafkalint.gitignore import GitignoreMatcher

    write_files(tmp_path, {".gitignore": "*.properties\n"})
    assert GitignoreMatcher().ignored(tmp_path / "producer.properties", False) is False


def test_a_directory_named_on_the_command_line_is_linted_even_if_gitignored(tmp_path):
    write_files(tmp_path, {
        ".gitignore": "generated/\n*.tmp.properties\n",
        "generated/producer.properties": ACKS_ZERO,
        "generated/scratch.tmp.properties": ACKS_ZERO,
    })
    (tmp_path / ".git").mkdir()
    walked = run_cli(tmp_path, "check", "--format", "json", "--select", "KL101", "--allow-empty", ".")
    assert codes(walked) == []
    named = run_cli(tmp_path, "check", "--format", "json", "--select", "KL101", "generated")
    assert codes(named) == [("generated/producer.properties", "KL101", 2)]


def test_unknown_rule_in_select_names_the_file_and_the_closest_rule(tmp_path):
    write_files(tmp_path, {".kafkalint.toml": 'select = ["KL101", "producer-acks-zeroo"]\n', "p.properties": ACKS_ZERO})
    outcome = run_cli(tmp_path, "check", ".")
    assert outcome.exit_code == 2
    assert outcome.stderr.strip() == (
        "kafkalint: .kafkalint.toml: option 'select' names no rule 'producer-acks-zeroo'; did you mean 'producer-acks-zero'?"
    )


def test_missing_rules_dir_names_the_option(tmp_path):
    write_files(tmp_path, {".kafkalint.toml": 'rules-dir = ["policies"]\n', "p.properties": ACKS_ZERO})
    outcome = run_cli(tmp_path, "check", ".")
    assert outcome.exit_code == 2
    assert ".kafkalint.toml: option 'rules-dir':" in outcome.stderr and "policies" in outcome.stderr


def test_broken_yaml_settings_file_is_one_sentence(tmp_path):
    write_files(tmp_path, {".kafkalint.yaml": "select: [KL1\n", "p.properties": ACKS_ZERO})
    outcome = run_cli(tmp_path, "check", ".")
    assert outcome.exit_code == 2
    assert outcome.stderr.startswith("kafkalint: .kafkalint.yaml: not valid YAML at line ")
