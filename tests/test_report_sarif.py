"""`--format sarif`: the structure GitHub code scanning relies on (the validator test is slow)."""

from __future__ import annotations

import json

from tests.reportcases import FILES, SECRET, rendered, sample_result


def sarif(result) -> dict:
    return json.loads(rendered(result, "sarif"))


def test_driver_lists_every_rule_that_ran_with_catalogue_help(tmp_path):
    result = sample_result(tmp_path)
    document = sarif(result)
    assert document["version"] == "2.1.0"
    run = document["runs"][0]
    driver = run["tool"]["driver"]
    from kafkalint import __version__

    assert (driver["name"], driver["version"]) == ("kafkalint", __version__)
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == sorted(rule.code for rule in result.rules)
    acks = next(rule for rule in driver["rules"] if rule["id"] == "KL101")
    assert acks["name"] == "ProducerAcksZero"
    assert acks["properties"]["kafkalint-name"] == "producer-acks-zero"
    assert acks["shortDescription"]["text"].startswith("The producer does not wait for any acknowledgement")
    assert "acks=all" in acks["help"]["text"] and acks["help"]["markdown"].startswith("# KL101 producer-acks-zero")
    assert acks["defaultConfiguration"]["level"] == "error"
    eager = next(rule for rule in driver["rules"] if rule["id"] == "KL208")
    assert eager["defaultConfiguration"]["level"] == "note"


def test_results_point_at_rules_and_regions_with_fingerprints(tmp_path):
    document = sarif(sample_result(tmp_path))
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("KL201", "warning"), ("KL208", "note"), ("KL101", "error"), ("KL401", "warning"), ("KL101", "error"),
    ]
    for entry in results:
        assert rules[entry["ruleIndex"]]["id"] == entry["ruleId"]
        assert entry["partialFingerprints"]["kafkalint/v1"]
    acks = results[2]
    location = acks["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "conf/producer.properties", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 5, "snippet": {"text": "acks=0"}}
    assert results[4]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "conf/team,a:b.properties"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file://")


def test_partial_fingerprints_survive_inserted_lines(tmp_path):
    before = sarif(sample_result(tmp_path / "a"))["runs"][0]["results"]
    shifted = {path: "# header\n" * 10 + text for path, text in FILES.items()}
    after = sarif(sample_result(tmp_path / "b", shifted))["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in after] == [r["partialFingerprints"] for r in before]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] == [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] + 10 for r in before
    ]


def test_no_secret_in_sarif_output(tmp_path):
    text = rendered(sample_result(tmp_path), "sarif")
    assert SECRET not in text
    assert "sasl.jaas.config=****" in text


def test_files_outside_the_current_directory_get_absolute_file_uris(tmp_path, monkeypatch):
    from kafkalint.engine import run
    from kafkalint.settings import Settings

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "producer.properties").write_text("bootstrap.servers=b:9092\nacks=0\n")
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    result = run([outside.resolve()], Settings(select=["KL101"]))
    location = sarif(result)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": (outside / "producer.properties").resolve().as_uri()}


def test_security_rules_carry_a_security_severity_for_github(tmp_path):
    rules = {rule["id"]: rule for rule in sarif(sample_result(tmp_path))["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["KL401"]["properties"]["tags"] == ["kafka", "security"]
    assert rules["KL401"]["properties"]["security-severity"] == "5.0"
    assert "security-severity" not in rules["KL101"]["properties"]
