"""Java counterparts of the catalogue's client-file examples, generated and verified.

Every rule that applies to clients has `.properties` examples; each becomes a Java class that
builds the same `Properties` with `props.put(...)` and constructs the client from it. Each
generated example is linted: a bad one must fire where the original fires (the `put` of the
same key, or the constructor for findings about defaults), a good one must be silent under
every rule. Prints the verified examples as YAML, ready to paste under each rule's
`examples:`, and the ones that do not translate.

    python -m tests.tools.java_examples            # all client rules
    python -m tests.tools.java_examples KL101 KL201
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import yaml

from kafkalint.catalogue import load_catalogue
from kafkalint.model import Role
from kafkalint.sources.clientfile import role_from_filename, role_from_keys
from kafkalint.sources.properties import parse_properties
from tests.conftest import lint_files

_CLASSES = {
    Role.PRODUCER: ("org.apache.kafka.clients.producer.KafkaProducer", "KafkaProducer<String, String>", "new KafkaProducer<>(props)"),
    Role.CONSUMER: ("org.apache.kafka.clients.consumer.KafkaConsumer", "KafkaConsumer<String, String>", "new KafkaConsumer<>(props)"),
    Role.ADMIN: ("org.apache.kafka.clients.admin.Admin", "Admin", "Admin.create(props)"),
}
_PREFIX = "        props.put("


def _java_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def translate(name: str, text: str) -> tuple[str, str, dict[tuple[int, int], tuple[int, int]], tuple[int, int]] | None:
    """(path, Java text, properties (line, column) of each key and value -> the same in Java,
    constructor position: where findings about defaults point)."""
    entries, problems = parse_properties(text, name)
    if problems or not entries:
        return None
    keys = {entry.key for entry in entries}
    role = role_from_filename(name) or role_from_keys(keys)
    if role not in _CLASSES:
        return None
    imported, declared, construction = _CLASSES[role]
    lines = [
        "package demo;",
        "",
        "import java.util.Properties;",
        f"import {imported};",
        "",
        "class Client {",
        f"    {declared} create() {{",
        "        Properties props = new Properties();",
    ]
    positions: dict[tuple[int, int], tuple[int, int]] = {}
    for entry in entries:
        key = _java_string(entry.key)
        lines.append(f"{_PREFIX}{key}, {_java_string(str(entry.value))});")
        positions[(entry.key_location.line, entry.key_location.column)] = (len(lines), len(_PREFIX) + 1)
        positions[(entry.value_location.line, entry.value_location.column)] = (len(lines), len(_PREFIX) + len(key) + 3)
    lines.append(f"        return {construction};")
    constructor = (len(lines), len("        return ") + 1)
    lines += ["    }", "}", ""]
    stem = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
    return f"{stem}src/main/java/demo/Client.java", "\n".join(lines), positions, constructor


def java_examples(rule) -> tuple[list[dict], list[str]]:
    made: list[dict] = []
    skipped: list[str] = []
    for kind in ("bad", "good"):
        for index, example in enumerate(rule.examples.get(kind, [])):
            files = example["files"]
            label = f"{rule.code} {kind}[{index}]"
            options = example.get("options") or {}
            if len(files) != 1 or set(options) - {"targets"}:
                skipped.append(f"{label}: several files or parameters")
                continue
            [(name, text)] = files.items()
            if not name.endswith(".properties") or name.rsplit("/", 1)[-1].startswith("application"):
                skipped.append(f"{label}: not a client .properties example")
                continue
            translated = translate(name, text)
            if translated is None:
                skipped.append(f"{label}: no single Java client to build")
                continue
            path, java, positions, constructor = translated
            new = {"description": f"Java: {example.get('description', 'the same configuration in code')}", "files": {path: java}}
            if options:
                new = {"options": options, **new}
            if kind == "bad":
                expect = []
                for want in example["expect"]:
                    line, column = positions.get((want["line"], want.get("column", 1)), constructor)
                    item = {"path": path, "line": line, "column": column}
                    if "severity" in want:
                        item["severity"] = want["severity"]
                    parts = [part for part in want.get("message_contains", []) if name not in part and "line" not in part]
                    if parts:
                        item["message_contains"] = parts
                    expect.append(item)
                new["expect"] = expect
            problem = _verify(rule, kind, new)
            if problem and kind == "bad":
                # The file's anchor is its first key; a Java client's is its constructor.
                for item in new["expect"]:
                    item["line"], item["column"] = constructor
                problem = _verify(rule, kind, new) and problem
            if problem:
                skipped.append(f"{label}: {problem}")
                continue
            made.append({kind: new})
    return made, skipped


def _verify(rule, kind: str, example: dict) -> str | None:
    with tempfile.TemporaryDirectory() as directory:
        result = lint_files(Path(directory), example["files"], targets=(example.get("options") or {}).get("targets"))
    if kind == "good":
        # As tests/test_rule_examples.py checks it: silent under its own rule.
        own = [f for f in result.findings if f.code == rule.code]
        return None if not own else f"good example not silent: {[(f.location.line, f.message) for f in own]}"
    got = sorted((f.location.line, f.location.column) for f in result.findings if f.code == rule.code)
    want = sorted((item["line"], item["column"]) for item in example["expect"])
    if got != want:
        return f"fires at {got}, expected {want}"
    messages = [f.message for f in result.findings if f.code == rule.code]
    for item in example["expect"]:
        for part in item.get("message_contains", []):
            if not any(part in message for message in messages):
                return f"message lacks {part!r}"
    return None


class _LiteralDumper(yaml.SafeDumper):
    """Multi-line strings as `|` blocks, as the catalogue writes its example files."""


def _string(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _string)


def main(codes: list[str]) -> None:
    catalogue = load_catalogue()
    for rule in catalogue.rules:
        if rule.target != "client" or (codes and rule.code not in codes):
            continue
        made, skipped = java_examples(rule)
        print(f"# {rule.code} {rule.name}: {len(made)} Java examples verified")
        for line in skipped:
            print(f"#   not translated: {line}")
        grouped: dict[str, list[dict]] = {}
        for item in made:
            for kind, example in item.items():
                grouped.setdefault(kind, []).append(example)
        if grouped:
            print(yaml.dump(grouped, Dumper=_LiteralDumper, sort_keys=False, width=200).rstrip())
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
