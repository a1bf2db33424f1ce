"""`--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it.

One run; tool.driver carries the version and every rule that ran (id, name, descriptions,
help from the catalogue, default level); each result names its rule by id and index, has a
level, a message, a physical location with a region and a stable partial fingerprint (see
kafkalint.baseline) so code scanning follows a finding across commits.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kafkalint import __version__
from kafkalint.baseline import result_fingerprints
from kafkalint.report.escaping import json_safe, without_surrogates

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

FINGERPRINT_KEY = "kafkalint/v1"
SOURCE_ROOT = "%SRCROOT%"

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SECURITY_SEVERITY = {"error": "8.0", "warning": "5.0", "info": "2.0"}


def information_uri() -> str | None:
    """The project's home page from the installed package metadata ([project.urls]), if any."""
    from importlib import metadata

    try:
        urls = metadata.metadata("kafkalint").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "home", "documentation", "source", "repository"):
            return url.strip()
    return urls[0].partition(",")[2].strip() if urls else None


def _text(value: str) -> str:
    return " ".join(value.split())


def _sentence(value: str) -> str:
    value = _text(value)
    return value if value.endswith((".", "!", "?")) else value + "."


def rule_descriptor(rule: Any) -> dict[str, Any]:
    from kafkalint.ruledoc import rule_markdown, rule_plain_text

    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": _pascal(rule.name),
        "shortDescription": {"text": _sentence(rule.summary)},
        "fullDescription": {"text": _sentence(rule.rationale)},
        "help": {"text": rule_plain_text(rule), "markdown": rule_markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.severity.value]},
        "properties": {"tags": _tags(rule), "kafkalint-name": rule.name},
    }
    if rule.references:
        descriptor["helpUri"] = rule.references[0]
    if "security" in descriptor["properties"]["tags"]:
        # GitHub ranks security alerts by this CVSS-like score (critical >= 9.0, high >= 7.0).
        descriptor["properties"]["security-severity"] = SECURITY_SEVERITY[rule.severity.value]
    return descriptor


def _pascal(name: str) -> str:
    # SARIF asks for a friendly name in PascalCase; the kebab-case name stays in properties.
    return "".join(part[:1].upper() + part[1:] for part in name.split("-"))


_FAMILIES = {
    "0": "validity", "1": "producer", "2": "consumer", "3": "durability",
    "4": "security", "5": "python", "6": "cross-file", "7": "operations",
}


def _tags(rule: Any) -> list[str]:
    tags = ["kafka"]
    digits = "".join(char for char in rule.code if char.isdigit())
    family = _FAMILIES.get(digits[:1]) if len(digits) == 3 else None
    if family:
        tags.append(family)
    return tags


def _uri(path: str) -> str:
    path = path.replace(os.sep, "/")
    safe = "/:@-._~!$&'()*+,;="
    try:
        # A name that is not UTF-8 carries its bytes as surrogates: they become %XX as they are.
        return quote(path, safe=safe, errors="surrogateescape")
    except UnicodeEncodeError:
        return quote(without_surrogates(path), safe=safe)


def _region(location: Any, snippet: str | None = None) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(location.line, 1), "startColumn": max(location.column, 1)}
    end_line = location.end_line if location.end_line is not None else location.line
    end_column = location.end_column if location.end_column is not None else None
    if end_line is not None and end_line >= region["startLine"]:
        region["endLine"] = end_line
    if end_column is not None and (end_line > location.line or end_column > location.column):
        region["endColumn"] = end_column
    if snippet:
        region["snippet"] = {"text": snippet}
    return region


def _artifact(path: str) -> dict[str, Any]:
    # Files outside the current directory are shown with absolute paths: give those as file
    # URIs of their own instead of relative to the source root.
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": _uri(path), "uriBaseId": SOURCE_ROOT}


def _physical(location: Any, snippet: str | None = None) -> dict[str, Any]:
    return {"artifactLocation": _artifact(location.path), "region": _region(location, snippet)}


def render(result: Any, options: dict[str, Any]) -> str:
    rules = list(options.get("rules") or result.rules)
    used_codes = {finding.code for finding in result.findings}
    # Every rule that ran, plus any rule a result names that is somehow not among them.
    if any(code not in {rule.code for rule in rules} for code in used_codes):
        from kafkalint.catalogue import load_catalogue

        catalogue = load_catalogue()
        rules += [rule for rule in catalogue.rules if rule.code in used_codes and rule not in rules]
    rules.sort(key=lambda rule: rule.code)
    index = {rule.code: position for position, rule in enumerate(rules)}
    prints = result_fingerprints(result)
    results = []
    for finding in result.findings:
        entry: dict[str, Any] = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": LEVELS[finding.severity.value],
            "message": {"text": _sentence(finding.message)},
            "locations": [{"physicalLocation": _physical(finding.location, finding.snippet.rstrip() or None)}],
            "partialFingerprints": {FINGERPRINT_KEY: prints[id(finding)]},
        }
        if finding.related:
            entry["relatedLocations"] = [
                {"id": position, "physicalLocation": _physical(location), "message": {"text": "Related location."}}
                for position, location in enumerate(finding.related, 1)
            ]
        results.append(entry)
    root = Path.cwd().as_uri().rstrip("/") + "/"
    driver: dict[str, Any] = {"name": "kafkalint", "version": __version__, "semanticVersion": __version__}
    homepage = information_uri()
    if homepage:
        driver["informationUri"] = homepage
    driver["rules"] = [rule_descriptor(rule) for rule in rules]
    document = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": {SOURCE_ROOT: {"uri": root}},
                "invocations": [{"executionSuccessful": True}],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(json_safe(document), indent=2) + "\n"
