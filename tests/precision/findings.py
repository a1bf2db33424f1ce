"""Findings on the corpus and the committed triage, keyed by (path, line, code)."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
TRIAGE = HERE / "triage.yaml"
CORPUS = HERE.parent.parent.parent / "shared" / "corpus"
VERDICTS = ("right", "false-alarm", "noise")

Key = tuple[str, int, str]


@dataclass(slots=True, frozen=True)
class Judged:
    path: str
    line: int
    code: str
    severity: str
    verdict: str
    reason: str

    @property
    def key(self) -> Key:
        return (self.path, self.line, self.code)


def corpus_findings(corpus: Path = CORPUS) -> list:
    from kafkalint.engine import run
    from kafkalint.settings import Settings

    previous = os.getcwd()
    os.chdir(corpus)
    try:
        return run([Path(".")], Settings()).findings
    finally:
        os.chdir(previous)


def finding_keys(findings: list) -> Counter[Key]:
    return Counter((finding.location.path, finding.location.line, finding.code) for finding in findings)


def load_triage(path: Path = TRIAGE) -> list[Judged]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        Judged(item["path"], int(item["line"]), item["code"], item["severity"], item["verdict"], item["reason"])
        for item in data.get("findings", [])
    ]
