"""Adoption on an existing code base: record today's findings, report only new ones after.

A finding's fingerprint is built from what it is, not where it is: the rule, the file, the
(redacted) source line it points at with whitespace normalised, and how many identical
findings came before it in that file. Inserting or deleting unrelated lines shifts line
numbers but changes no fingerprint. The same fingerprints are SARIF partialFingerprints and
GitLab Code Quality fingerprints, so code scanning tracks a finding across commits too.

A finding without a span (at a client's anchor: an unsafe default has no line of its own) is
fingerprinted by its message with line numbers taken out instead. The baseline records that
message fingerprint for every finding too, and a finding that matches no entry by its first
fingerprint is matched by the second: a finding whose source had to move stays known.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable, Iterable

from kafkalint.hashing import sha256
from kafkalint.model import Finding
from kafkalint.safefile import RefusedFile, read_regular_text, write_atomically
from kafkalint.settings import Settings, SettingsError

BASELINE_FORMAT = 1
MAX_BASELINE_BYTES = 64 * 1024 * 1024  # ~200,000 findings
_LINE_REFERENCE = re.compile(r"\b(lines?|column|col)\s+\d+(\s*(-|or|and|,)\s*\d+)*")


def _message_content(finding: Finding) -> str:
    return " ".join(_LINE_REFERENCE.sub(r"\1 N", finding.message).split())


def _content(finding: Finding) -> str:
    snippet = " ".join(finding.snippet.split())
    # A finding with a span points at its own text; one without (a client's anchor, an
    # unreadable file) does not own the line it sits on: its message says what it is.
    if snippet and finding.location.end_column is not None:
        return snippet
    return _message_content(finding)


def fingerprints(findings: Iterable[Finding], content: Callable[[Finding], str] = _content) -> list[str]:
    """One fingerprint per finding, in order; unique within one run."""
    seen: dict[str, int] = {}
    result: list[str] = []
    for finding in findings:
        identity = "\x00".join((finding.code, finding.location.path, content(finding)))
        occurrence = seen.get(identity, 0)
        seen[identity] = occurrence + 1
        # surrogatepass: a file name that is not UTF-8, or a `\uD800` escape, still has a fingerprint.
        digest = sha256(f"{identity}\x00{occurrence}".encode("utf-8", "surrogatepass")).hexdigest()
        result.append(digest[:32])
    return result


def fingerprint_map(findings: list[Finding]) -> dict[int, str]:
    """id(finding) -> fingerprint, for reports that render findings one by one."""
    return {id(finding): fingerprint for finding, fingerprint in zip(findings, fingerprints(findings))}


def result_fingerprints(result: Any) -> dict[int, str]:
    """The run's fingerprints as the baseline filter took them, or computed now."""
    known = result.extra.get("fingerprints") if hasattr(result, "extra") else None
    if known is not None and all(id(finding) in known for finding in result.findings):
        return known
    return fingerprint_map(result.findings)


def baseline_document(findings: list[Finding]) -> dict[str, Any]:
    from kafkalint import __version__

    return {
        "kafkalint_baseline": BASELINE_FORMAT,
        "version": __version__,
        "findings": [
            {
                "fingerprint": fingerprint,
                "message_fingerprint": message_fingerprint,
                "code": finding.code,
                "name": finding.name,
                "path": finding.location.path,
                "line": finding.location.line,
                "message": finding.message,
            }
            for finding, fingerprint, message_fingerprint in zip(
                findings, fingerprints(findings), fingerprints(findings, _message_content)
            )
        ],
    }


def write_baseline(path: Path, findings: list[Finding]) -> int:
    document = baseline_document(findings)
    try:
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True)
        # Atomically: a reader (a concurrent run, an editor) never sees a torn baseline.
        write_atomically(path, json.dumps(document, indent=2) + "\n")
    except OSError as error:
        raise SettingsError(f"{path}: cannot write the baseline ({error.strerror or error})") from None
    return len(findings)


def read_baseline(path: Path) -> list[tuple[str, str | None]]:
    """The baseline's entries as (fingerprint, message fingerprint)."""
    try:
        document = json.loads(read_regular_text(path, MAX_BASELINE_BYTES))
    except FileNotFoundError:
        raise SettingsError(f"{path}: baseline file not found; create it with --write-baseline {path}") from None
    except RefusedFile as error:
        raise SettingsError(f"{error}; a baseline is a file written by --write-baseline") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: cannot read the baseline ({error})") from None
    except json.JSONDecodeError as error:
        raise SettingsError(f"{path}: not a kafkalint baseline (invalid JSON at line {error.lineno}); write a new one with --write-baseline") from None
    except (ValueError, RecursionError):  # a number over 4,300 digits, nesting beyond the stack
        raise SettingsError(f"{path}: not a kafkalint baseline (a number too long or nesting too deep); write a new one with --write-baseline") from None
    if not isinstance(document, dict) or document.get("kafkalint_baseline") != BASELINE_FORMAT or not isinstance(document.get("findings"), list):
        raise SettingsError(f"{path}: not a kafkalint baseline (format {BASELINE_FORMAT}); write a new one with --write-baseline")
    entries: list[tuple[str, str | None]] = []
    for entry in document["findings"]:
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        if isinstance(fingerprint, str):
            second = entry.get("message_fingerprint")
            entries.append((fingerprint, second if isinstance(second, str) else None))
    return entries


def apply_baseline(result: Any, settings: Settings) -> None:
    """FINDING_FILTERS entry: with --write-baseline record the findings; with --baseline keep
    only findings the baseline does not hold."""
    # Fingerprints are taken over every finding before the baseline drops any, so a finding
    # keeps its fingerprint in SARIF and GitLab reports whether or not a baseline is in use.
    result.extra["fingerprints"] = fingerprint_map(result.findings)
    target = result.extra.get("write_baseline")
    if target is not None:
        result.extra["baseline_written"] = write_baseline(Path(target), result.findings)
        return
    source = result.extra.get("baseline")
    if source is None:
        return
    entries = read_baseline(Path(source))
    by_fingerprint: dict[str, list[int]] = {}
    by_message: dict[str, list[int]] = {}
    for index, (fingerprint, message_fingerprint) in enumerate(entries):
        by_fingerprint.setdefault(fingerprint, []).append(index)
        if message_fingerprint is not None:
            by_message.setdefault(message_fingerprint, []).append(index)
    used: set[int] = set()

    def take(candidates: list[int]) -> bool:
        for index in candidates:
            if index not in used:
                used.add(index)
                return True
        return False

    prints = result.extra["fingerprints"]
    message_prints = dict(zip(map(id, result.findings), fingerprints(result.findings, _message_content)))
    # First every finding whose source line still matches, then the rest by message, so an
    # anchored finding never takes the entry of one that matches exactly.
    known_ids = {id(finding) for finding in result.findings if take(by_fingerprint.get(prints[id(finding)], []))}
    for finding in result.findings:
        if id(finding) not in known_ids and take(by_message.get(message_prints[id(finding)], [])):
            known_ids.add(id(finding))
    result.findings = [finding for finding in result.findings if id(finding) not in known_ids]
    result.extra["baseline_known"] = len(known_ids)
