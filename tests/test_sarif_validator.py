"""SARIF output passes Microsoft's SARIF validator, with its GitHub code-scanning rules.

The validator comes from npm (`@microsoft/sarif-multitool`, see tests/tools/sarif_validator.py);
the test installs it when missing and skips only when npm itself is absent.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reportcases import rendered, sample_result
from tests.tools import sarif_validator

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def validator() -> Path:
    if sarif_validator.installed() is None and shutil.which("npm") is None:
        pytest.skip("npm is not installed, so Microsoft's SARIF validator (@microsoft/sarif-multitool) cannot be installed")
    return sarif_validator.install()


def validate(binary: Path, sarif_file: Path) -> list[dict]:
    """The validator's own SARIF log of problems found in `sarif_file`."""
    log = sarif_file.with_suffix(".validation.sarif")
    completed = subprocess.run(
        [str(binary), "validate", str(sarif_file), "--output", str(log), "--log", "ForceOverwrite",
         "--rule-kind", "Sarif;Gh"],
        capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    document = json.loads(log.read_text(encoding="utf-8-sig"))
    run = document["runs"][0]
    assert all(invocation.get("executionSuccessful") for invocation in run.get("invocations", [])), completed.stdout
    return [
        {"rule": result["ruleId"], "level": result.get("level", "warning"), "message": result["message"]}
        for result in run.get("results", [])
    ]


def _has_project_url() -> bool:
    from kafkalint.report.sarif import information_uri

    return information_uri() is not None


def test_sarif_output_passes_the_microsoft_validator_with_github_rules(validator, tmp_path):
    result = sample_result(tmp_path / "project")
    assert len(result.findings) == 5
    sarif_file = tmp_path / "kafkalint.sarif"
    sarif_file.write_text(rendered(result, "sarif"), encoding="utf-8")
    problems = validate(validator, sarif_file)
    # SARIF2005 asks for driver.informationUri, which needs a project URL in the package
    # metadata; everything else the validator and GitHub's rules check must be clean.
    allowed = set() if _has_project_url() else {"SARIF2005"}
    assert [problem for problem in problems if problem["rule"] not in allowed] == []


def test_sarif_of_the_fixture_tree_passes_too(validator, tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "kafkalint", "check", "--format", "sarif", "--output", str(tmp_path / "fixtures.sarif"), "fixtures"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode in (0, 1), completed.stderr
    document = json.loads((tmp_path / "fixtures.sarif").read_text())
    assert document["runs"][0]["results"], "the fixtures are expected to produce findings"
    allowed = set() if _has_project_url() else {"SARIF2005"}
    assert [p for p in validate(validator, tmp_path / "fixtures.sarif") if p["rule"] not in allowed] == []


def test_the_validator_really_rejects_a_broken_log(validator, tmp_path):
    """A control: the same output with a dangling ruleIndex must be reported, or the checks
    above prove nothing."""
    document = json.loads(rendered(sample_result(tmp_path / "project"), "sarif"))
    document["runs"][0]["results"][0]["ruleIndex"] = 999
    broken = tmp_path / "broken.sarif"
    broken.write_text(json.dumps(document), encoding="utf-8")
    problems = validate(validator, broken)
    assert any(problem["rule"] == "SARIF1009" and problem["level"] == "error" for problem in problems), problems
