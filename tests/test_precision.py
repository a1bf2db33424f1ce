"""The precision suite (issue 11): every finding on the reference corpus is triaged.

A finding that appears or disappears fails the test until triage.yaml says what it is; the
acceptance figures (error+warning precision, noise share) are printed by
`python -m tests.precision.report`.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.precision.findings import CORPUS, VERDICTS, corpus_findings, finding_keys, load_triage


@pytest.fixture(scope="module")
def findings():
    if not CORPUS.exists():
        pytest.skip(f"{CORPUS} is absent (../shared/corpus is outside the project)")
    return corpus_findings()


def test_every_triage_entry_has_a_verdict_and_a_reason():
    for item in load_triage():
        assert item.verdict in VERDICTS, item
        assert item.reason.strip() and item.reason != "TODO", item


def test_every_corpus_finding_is_triaged_and_every_triaged_finding_still_appears(findings):
    triaged = Counter(item.key for item in load_triage())
    found = finding_keys(findings)
    new = sorted((found - triaged).elements())
    gone = sorted((triaged - found).elements())
    assert not new and not gone, (
        f"findings appeared: {new}\nfindings disappeared: {gone}\n"
        "judge them in tests/precision/triage.yaml (python -m tests.precision.report --missing)"
    )


def test_triaged_severities_match_the_findings(findings):
    severities = {(f.location.path, f.location.line, f.code): f.severity.value for f in findings}
    for item in load_triage():
        if item.key in severities:
            assert severities[item.key] == item.severity, item
