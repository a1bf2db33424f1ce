"""Rule documentation rendered from the catalogue: `kafkalint rule X`, SARIF help and docs/rules.md.

docs/rules.md is generated, never edited: `python -m kafkalint.ruledoc --write docs/rules.md`
(tests/test_docs.py fails when it drifts from the catalogue).
"""

from __future__ import annotations

from typing import Any

from kafkalint.catalogue import Catalogue, Rule
from kafkalint.formats import format_named, format_of
from kafkalint.spelling import closest_rule


def suggest_rule(catalogue: Catalogue, selector: str) -> str:
    close = closest_rule(catalogue, selector)
    return f" (did you mean {close}?)" if close else ""


def _example_block(example: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if example.get("description"):
        lines.append(f"_{example['description']}_")
        lines.append("")
    # What the example is linted with, or it reads as if it held for every version and setting.
    options = example.get("options") or {}
    settings = [f"`--target {dialect}={version}`" for dialect, version in (options.get("targets") or {}).items()]
    if options.get("parameters"):
        from kafkalint.settings import parameter_setting_name

        settings += [f"the option `{parameter_setting_name(name)} = {value!r}`" for name, value in options["parameters"].items()]
    if settings:
        lines.append(f"Linted with {', '.join(settings)}.")
        lines.append("")
    for path, content in example["files"].items():
        file_format = format_named(format_of(path.rsplit("/", 1)[-1]) or "")
        language = file_format.fence if file_format is not None else ""
        lines.append(f"`{path}`:")
        lines.append("")
        lines.append(f"```{language}")
        lines.extend(content.rstrip("\n").splitlines())
        lines.append("```")
        lines.append("")
    return lines


_TARGET_WORDS = {
    "client": "client configurations",
    "broker": "broker and cluster configurations",
    "topic": "topic declarations",
    "resource": "deployment resources",
    "fact": "code patterns",
    "project": "the whole set of files linted together",
    "problem": "the files themselves, as they are read",
}


_FIX_APPLICABILITY = {
    "safe": "`kafkalint check --fix` makes it where it keeps what the author meant (some findings "
            "are offered only as unsafe fixes, or none, when it would not); see docs/fixes.md.",
    "unsafe": "it may change behaviour the application relies on, so only "
              "`kafkalint check --fix --unsafe-fixes` makes it; see docs/fixes.md.",
}


def _fix_applicability_lines(rule: Any) -> list[str]:
    if rule.fix_applicability is None:
        return []
    return [f"Fix applicability: **{rule.fix_applicability}** - {_FIX_APPLICABILITY[rule.fix_applicability]}", ""]


def rule_markdown(rule: Rule, heading: str = "#") -> str:
    lines = [f"{heading} {rule.code} {rule.name}", ""]
    applies = _TARGET_WORDS.get(rule.target, rule.target)
    if rule.roles:
        applies += f" ({', '.join(rule.roles)})"
    if rule.dialects:
        applies += f", dialects: {', '.join(rule.dialects)}"
    if rule.kinds:
        applies += f", kinds: {', '.join(rule.kinds)}"
    if rule.target == "client":
        applies += (", also those configured in test code" if rule.test_code
                    else "; not those configured in test code (src/test, *Test.java, test_*.py)")
    lines += [f"Default severity: **{rule.severity.value}**. Applies to: {applies}.", ""]
    lines += _implementation_lines(rule)
    lines += [f"{heading}# What it does", "", rule.summary, ""]
    lines += [f"{heading}# Why is this bad?", "", rule.rationale, ""]
    bad = rule.examples.get("bad", [])
    good = rule.examples.get("good", [])
    if bad:
        lines += [f"{heading}# Example", ""]
        lines += _example_block(bad[0])
    if good:
        lines += ["Use instead:", ""]
        lines += _example_block(good[0])
    lines += [f"{heading}# How to fix", "", rule.fix, ""]
    lines += _fix_applicability_lines(rule)
    if rule.parameters:
        from kafkalint.settings import parameter_setting_name

        lines += [f"{heading}# Options", ""]
        for name, spec in rule.parameters.items():
            lines.append(f"- `{parameter_setting_name(name)}` (default `{spec['default']}`): {spec['description']}")
        first = parameter_setting_name(next(iter(rule.parameters)))
        default = next(iter(rule.parameters.values()))["default"]
        lines += ["", f"Set in `[tool.kafkalint.parameters.{rule.name}]` (or `.kafkalint.toml`'s "
                      f"`[parameters.{rule.name}]`), e.g. `{first} = {_toml_value(default)}`.", ""]
    lines += [f"{heading}# Suppressing it", ""]
    lines += [
        f"On the line, or on a comment line just above it: `# kafkalint: disable={rule.code}` "
        f"(or `disable={rule.name}`); for a whole file: `# kafkalint: disable-file={rule.code}`. "
        "In `.properties` files `!` starts a comment too.",
        "",
    ]
    if rule.references:
        lines += [f"{heading}# References", ""]
        lines += [f"- <{reference}>" for reference in rule.references]
        lines.append("")
    return "\n".join(lines)


def _implementation_lines(rule: Rule) -> list[str]:
    """Where the rule's logic lives and which config keys it reads."""
    from kafkalint.catalogue import condition_keys

    lines: list[str] = []
    if rule.condition is not None:
        lines.append("Logic: a declarative condition in the rule file.")
    elif rule.target == "problem":
        lines.append("Logic: reported by the sources while they read the files.")
    elif rule.builtin:
        from kafkalint.checks.registry import location_of

        where = location_of(rule.code) or rule.check
        if where:
            lines.append(f"Check: `{where}`.")
        elif rule.template is not None:
            lines.append(f"Check: the `{rule.template}` template (`kafkalint.checks.templates`), with this rule's parameters.")
    reads = rule.reads if rule.reads is not None else tuple(condition_keys(rule.condition))
    if reads:
        lines.append("Reads: " + ", ".join(f"`{key}`" for key in reads) + ".")
    if rule.stands_down_for:
        owners = ", ".join(f"`{code}`" for code in rule.stands_down_for)
        lines.append(f"Stands down when {owners} reports the same cause on the same target (one finding per root cause).")
    return [part for line in lines for part in (line, "")]


def _toml_value(value: Any) -> str:
    import json

    return json.dumps(value) if not isinstance(value, bool) else str(value).lower()


def rule_plain_text(rule: Rule) -> str:
    """The rule's help as plain text (SARIF help.text): summary, why, fix, references."""
    parts = [rule.summary, "", "Why: " + " ".join(rule.rationale.split()), "", "Fix: " + " ".join(rule.fix.split())]
    if rule.parameters:
        from kafkalint.settings import parameter_setting_name

        options = "; ".join(f"{parameter_setting_name(name)} (default {spec['default']}): {spec['description']}" for name, spec in rule.parameters.items())
        parts += ["", "Options: " + options]
    if rule.references:
        parts += ["", "References: " + " ".join(rule.references)]
    return "\n".join(parts)


def catalogue_markdown(catalogue: Catalogue) -> str:
    """docs/rules.md: an index, then every rule's documentation."""
    lines = [
        "# kafkalint rules",
        "",
        "<!-- Generated from rules/*.yaml by `python -m kafkalint.ruledoc --write docs/rules.md`; do not edit. -->",
        "",
        "| Code | Name | Severity | Summary |",
        "| --- | --- | --- | --- |",
    ]
    for rule in catalogue.rules:
        summary = rule.summary.replace("|", "\\|")
        lines.append(f"| [{rule.code}](#{_anchor(rule)}) | {rule.name} | {rule.severity.value} | {summary} |")
    lines.append("")
    for rule in catalogue.rules:
        lines.append(rule_markdown(rule, heading="##").rstrip("\n"))
        lines.append("")
    return "\n".join(lines)


def _anchor(rule: Rule) -> str:
    return f"{rule.code}-{rule.name}".lower()


def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys
    from pathlib import Path

    from kafkalint.catalogue import load_catalogue

    parser = argparse.ArgumentParser(prog="python -m kafkalint.ruledoc", description="Generate docs/rules.md from the rule catalogue.")
    parser.add_argument("--write", metavar="FILE", help="write to FILE instead of stdout")
    arguments = parser.parse_args(argv)
    text = catalogue_markdown(load_catalogue())
    if arguments.write:
        Path(arguments.write).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
