"""Print the corpus precision: `python -m tests.precision.report [--missing]` from the project root.

error+warning precision = right / all error and warning findings; noise share = noise / all
findings. `--missing` prints findings not yet triaged as YAML entries to judge and paste in.
"""

from __future__ import annotations

import sys
from collections import Counter

from tests.precision.findings import CORPUS, Judged, corpus_findings, finding_keys, load_triage


def measure(judged: list[Judged]) -> dict[str, float | int]:
    gating = [item for item in judged if item.severity in ("error", "warning")]
    right = sum(1 for item in gating if item.verdict == "right")
    noise = sum(1 for item in judged if item.verdict == "noise")
    return {
        "findings": len(judged),
        "gating": len(gating),
        "gating_right": right,
        "precision": right / len(gating) if gating else 1.0,
        "noise": noise,
        "noise_share": noise / len(judged) if judged else 0.0,
        "false_alarms": sum(1 for item in judged if item.verdict == "false-alarm"),
    }


def main(argv: list[str]) -> int:
    if not CORPUS.exists():
        print(f"corpus absent at {CORPUS}", file=sys.stderr)
        return 1
    findings = corpus_findings()
    judged = load_triage()
    if "--missing" in argv:
        triaged = Counter(item.key for item in judged)
        for finding in findings:
            key = (finding.location.path, finding.location.line, finding.code)
            if triaged[key] > 0:
                triaged[key] -= 1
                continue
            print(f"  - {{path: {key[0]}, line: {key[1]}, code: {key[2]}, severity: {finding.severity.value}, "
                  f"verdict: TODO, reason: \"{finding.message[:80]}\"}}")
        return 0
    if finding_keys(findings) != Counter(item.key for item in judged):
        print("the triage is out of date with the findings: run with --missing", file=sys.stderr)
    figures = measure(judged)
    print(f"findings: {figures['findings']} (error+warning: {figures['gating']})")
    print(f"error+warning precision: {figures['gating_right']}/{figures['gating']} = {figures['precision']:.1%}")
    print(f"false alarms: {figures['false_alarms']}")
    print(f"noise: {figures['noise']}/{figures['findings']} = {figures['noise_share']:.1%}")
    by_code = Counter((item.code, item.verdict) for item in judged if item.verdict != "right")
    for (code, verdict), count in sorted(by_code.items()):
        print(f"  {code} {verdict}: {count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
