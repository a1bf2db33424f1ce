"""`--format json`: the fixed shape, checked against docs/output.schema.json."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from tests.reportcases import SECRET, rendered, sample_result

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "docs" / "output.schema.json").read_text())


def test_json_output_matches_the_documented_schema(tmp_path):
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    document = json.loads(rendered(sample_result(tmp_path), "json"))
    jsonschema.validate(document, SCHEMA)
    assert document["summary"] == {
        "files": 4, "findings": 5, "error": 2, "warning": 2, "info": 1, "suppressed": 0, "baseline": 0,
    }
    first = document["findings"][0]
    assert (first["code"], first["name"], first["path"], first["line"]) == ("KL201", "consumer-auto-commit", "conf/consumer.yaml", 3)
    assert len(first["fingerprint"]) == 32


def test_the_schema_rejects_a_changed_shape(tmp_path):
    document = json.loads(rendered(sample_result(tmp_path), "json"))
    del document["findings"][0]["end_column"]
    try:
        jsonschema.validate(document, SCHEMA)
    except jsonschema.ValidationError as error:
        assert "end_column" in error.message
    else:
        raise AssertionError("a finding without end_column must break the schema")


def test_no_secret_in_json_output(tmp_path):
    assert SECRET not in rendered(sample_result(tmp_path), "json")
