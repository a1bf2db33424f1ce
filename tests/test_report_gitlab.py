"""`--format gitlab`: GitLab Code Quality JSON with stable fingerprints."""

from __future__ import annotations

import json

from tests.reportcases import FILES, SECRET, rendered, sample_result

REQUIRED = {"description", "check_name", "fingerprint", "severity", "location"}


def test_code_quality_issues_parse_back_with_the_fields_gitlab_needs(tmp_path):
    issues = json.loads(rendered(sample_result(tmp_path), "gitlab"))
    assert isinstance(issues, list) and len(issues) == 5
    for issue in issues:
        assert REQUIRED <= set(issue)
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert [(i["check_name"], i["severity"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("KL201 consumer-auto-commit", "major", "conf/consumer.yaml", 3),
        ("KL208 eager-rebalance-assignor", "info", "conf/consumer.yaml", 4),
        ("KL101 producer-acks-zero", "critical", "conf/producer.properties", 2),
        ("KL401 plaintext-secret", "major", "conf/producer.properties", 3),
        ("KL101 producer-acks-zero", "critical", "conf/team,a:b.properties", 2),
    ]
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


def test_fingerprints_survive_ten_lines_inserted_at_the_top(tmp_path):
    before = json.loads(rendered(sample_result(tmp_path / "a"), "gitlab"))
    shifted = {
        path: ("# a comment\n" * 10 + text if path.endswith(".properties") else "# note\n" * 10 + text)
        for path, text in FILES.items()
    }
    after = json.loads(rendered(sample_result(tmp_path / "b", shifted), "gitlab"))
    assert [i["location"]["lines"]["begin"] for i in after] == [i["location"]["lines"]["begin"] + 10 for i in before]
    assert [i["fingerprint"] for i in after] == [i["fingerprint"] for i in before]


def test_no_secret_in_gitlab_output(tmp_path):
    assert SECRET not in rendered(sample_result(tmp_path), "gitlab")
