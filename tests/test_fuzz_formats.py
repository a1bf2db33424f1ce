"""Fuzzing every input format through the command line, as a hostile repository would.

Each example writes a tree - one fuzzed file, a good producer config holding a secret - and runs
`kafkalint check` on it in-process (tests/clirunner.py). Whatever the fuzzed file holds:
no exception escapes (exit 0 or 1; 2 only for settings and baseline, and then one sentence),
no rule or reader fails (no internal-error finding), the run ends in bounded time, the good
file is still linted, and no planted secret is printed.

Profiles (environment variable KAFKALINT_FUZZ): the default runs about 1,500 examples in all,
within about a minute on an otherwise idle 2-core machine; `KAFKALINT_FUZZ=long` runs 5x as
many, with a new random seed each time.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kafkalint.knowledge import catalogue, looks_secret  # noqa: E402
from kafkalint.model import Dialect  # noqa: E402
from tests.clirunner import run_cli  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

LONG = os.environ.get("KAFKALINT_FUZZ") == "long"
SCALE = 5 if LONG else 1
FUZZ = settings(
    deadline=None,  # bounded time is asserted per example, with a margin for a shared machine
    derandomize=not LONG,  # the default profile is the same every run: CI never flakes on it
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    database=None,
)

# Seconds one example may take (generous: the machine is shared; a blow-up takes far longer).
EXAMPLE_SECONDS = 20.0

SECRET = "PlantedSecret-7f3Q"
GOOD_PRODUCER = f"bootstrap.servers=broker:9092\nacks=0\nssl.key.password={SECRET}\n"
GOOD_FINDING = "good.properties:2:1: KL101 "


def _examples(count: int) -> Any:
    return settings(FUZZ, max_examples=count * SCALE)


# --- building blocks ---------------------------------------------------------------------------


def _keys(dialect: Dialect) -> list[str]:
    # Secret keys are planted on purpose, once, in known places (a repeated or misspelt secret
    # key is another issue's redaction work).
    return sorted(name for name in catalogue(dialect).names() if not looks_secret(name))


KEYS = sorted(set(_keys(Dialect.JAVA)[:400] + _keys(Dialect.LIBRDKAFKA)[:200]))
PYTHON_KEYWORDS = ["acks", "linger_ms", "batch_size", "retries", "enable_idempotence", "group_id",
                   "max_poll_records", "enable_auto_commit", "session_timeout_ms", "bootstrap_servers"]

NASTY_TEXT = st.sampled_from([
    "", " ", "\\", "\\\\", "\\u", "\\uD800", "\\u00e", "NaN", "Infinity", "-Infinity", ".nan", ".inf",
    "9" * 4400, "-" + "9" * 30, "0x" + "f" * 40, "1e400", "\x1b[31m", "\u202e", "\ud800", "all", "-1", "0",
    "true", "false", "null", "~", "[]", "{}", "&a", "*a", "!!python/name:os.system", "${ENV}", "%{x}",
    "a" * 3000, "\t", "\r", "\u2028", "\x00", "'", '"', "#", "!", "=", ":",
])
SCALARS = st.one_of(
    st.integers(), st.integers(min_value=-(10**60), max_value=10**60), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.none(), st.text(max_size=30), NASTY_TEXT,
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=12)), children, max_size=4),
    ),
    max_leaves=12,
)
TEXT = st.text(max_size=60)


def _printable_value(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str)[:200]
    return str(value)


def _mutate(text: str, data: Any) -> str:
    """A few random insertions or deletions: turns valid text into nearly valid text."""
    for _ in range(data.draw(st.integers(0, 3), label="mutations")):
        if not text:
            break
        where = data.draw(st.integers(0, len(text)), label="where")
        if data.draw(st.booleans(), label="insert"):
            text = text[:where] + data.draw(st.one_of(TEXT, NASTY_TEXT), label="inserted") + text[where:]
        else:
            text = text[:where] + text[where + data.draw(st.integers(1, 20), label="cut"):]
    return text


def _safe_file_text(text: str) -> str:
    # Lone surrogates cannot be written as UTF-8; keep them visible as escapes instead.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _lint(files: dict[str, str], *args: str, settings_file: bool = False) -> None:
    with tempfile.TemporaryDirectory(prefix="kafkalint-fuzz-") as folder:
        base = Path(folder)
        for name, content in {**files, "good.properties": GOOD_PRODUCER}.items():
            (base / name).write_text(_safe_file_text(content), encoding="utf-8")
        started = time.perf_counter()
        outcome = run_cli(base, "check", *args, ".", env={"KAFKALINT_JOBS": "1"})
        elapsed = time.perf_counter() - started
    assert elapsed < EXAMPLE_SECONDS, f"{elapsed:.1f} s"
    printed = outcome.stdout + outcome.stderr
    assert SECRET not in printed
    assert "internal error" not in outcome.stderr, outcome.stderr
    assert "Traceback" not in printed
    if outcome.exit_code == 2:
        assert settings_file, printed  # only the user's own configuration may stop a run
        assert outcome.stderr.startswith("kafkalint: ") and outcome.stderr.count("\n") == 1, outcome.stderr
        return
    assert outcome.exit_code in (0, 1), printed
    assert " KL099 " not in outcome.stdout, outcome.stdout
    assert "reader failed" not in outcome.stdout, outcome.stdout
    if settings_file:
        # select, ignore and exclude may rightly silence the good file: the run must still end
        # with its summary
        assert re.search(r"(No findings|Found \d+ findings?) .*in \d+ files?\.", outcome.stdout), outcome.stdout
    else:
        assert GOOD_FINDING in outcome.stdout, outcome.stdout


# --- .properties ------------------------------------------------------------------------------

PROPERTIES_LINE = st.one_of(
    st.builds(lambda key, separator, value: f"{key}{separator}{value}",
              st.one_of(st.sampled_from(KEYS), TEXT), st.sampled_from(["=", ":", " ", " = ", "\t", ""]),
              st.one_of(SCALARS.map(_printable_value), NASTY_TEXT)),
    st.sampled_from(["\\", "", "# comment", "! comment", "   \\", "key=\\", "a\\\\", "\\u12", "x=\\uZZZZ"]),
    TEXT,
)


@_examples(320)
@given(lines=st.lists(PROPERTIES_LINE, max_size=12), ending=st.sampled_from(["\n", "\r\n", "\r", ""]))
def test_fuzzed_properties_file(lines, ending):
    _lint({"client.properties": ending.join(lines)})


# --- YAML and JSON -----------------------------------------------------------------------------


@_examples(230)
@given(document=VALUES, data=st.data())
def test_fuzzed_yaml_file(document, data):
    import yaml

    try:
        text = yaml.safe_dump(document, allow_unicode=True)
    except (yaml.YAMLError, ValueError):
        text = str(document)
    _lint({"client.yaml": "bootstrap.servers: broker:9092\n" + _mutate(text, data)})


@_examples(230)
@given(document=VALUES, data=st.data())
def test_fuzzed_json_file(document, data):
    text = json.dumps({"bootstrap.servers": "broker:9092", "kafka": document}, default=str)
    _lint({"client.json": _mutate(text, data)})


# --- Strimzi resources with values of the wrong type --------------------------------------------


def _strimzi_documents() -> list[Any]:
    import yaml

    documents = []
    for path in sorted((ROOT / "fixtures" / "strimzi").glob("*/*.yaml")):
        documents.extend(document for document in yaml.safe_load_all(path.read_text(encoding="utf-8")) if document)
    return documents


STRIMZI = _strimzi_documents()


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, child in node.items():
            found.extend(_paths(child, (*prefix, key)))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found.extend(_paths(child, (*prefix, index)))
    return found


def _replace(node: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(node, dict):
        return {**node, head: _replace(node[head], rest, value)}
    copy = list(node)
    copy[head] = _replace(copy[head], rest, value)
    return copy


@_examples(230)
@given(data=st.data())
def test_fuzzed_strimzi_resource_with_wrong_types(data):
    import yaml

    document = data.draw(st.sampled_from(STRIMZI), label="resource")
    for _ in range(data.draw(st.integers(1, 4), label="changes")):
        path = data.draw(st.sampled_from(_paths(document)[1:]), label="path")
        document = _replace(document, path, data.draw(VALUES, label="value"))
    _lint({"cluster.yaml": yaml.safe_dump(document, allow_unicode=True)})


# --- Python ------------------------------------------------------------------------------------

PYTHON_EXPRESSION = st.one_of(
    st.integers(min_value=-(10**80), max_value=10**80).map(str),
    st.sampled_from(["1e400", "-1e400", "float('nan')", "None", "True", "os.environ['X']", "f()", "[1, 2]",
                     "{'a': 1}", "lambda: 1", "'all'", "b'x'", "f'{x}'", "1 if x else 2", "*args", "9" * 4400,
                     "(" * 300 + "1" + ")" * 300, "+".join(["1"] * 500)]),
    TEXT.map(repr),
)


def _python_source(data: Any) -> str:
    client = data.draw(st.sampled_from([
        ("from confluent_kafka import Producer, Consumer", "Producer", "dict"),
        ("from kafka import KafkaProducer, KafkaConsumer", "KafkaConsumer", "keywords"),
        ("from aiokafka import AIOKafkaProducer", "AIOKafkaProducer", "keywords"),
    ]), label="client")
    header, constructor, style = client
    pairs = data.draw(st.lists(st.tuples(st.one_of(st.sampled_from(KEYS + PYTHON_KEYWORDS), TEXT), PYTHON_EXPRESSION),
                               max_size=6), label="settings")
    if style == "dict":
        body = ", ".join(f"{key!r}: {value}" for key, value in pairs)
        call = f"{constructor}({{'sasl.password': '{SECRET}', {body}}})"
    else:
        body = ", ".join(f"{key}={value}" for key, value in pairs if key.isidentifier())
        call = f"{constructor}(sasl_plain_password='{SECRET}', {body})"
    tail = data.draw(st.sampled_from([
        "", "while True:\n    m = c.poll(1)\n    c.commit()\n", "for m in c:\n    print(m)\n",
        "def f():\n    p.produce('t', b'v')\n    p.flush()\n", "class A:\n    def __init__(self):\n        self.c = c\n",
    ]), label="tail")
    return f"import os\n{header}\nc = {call}\n{tail}"


@_examples(30)
@given(data=st.data())
def test_fuzzed_python_file(data):
    source = _python_source(data)
    if data.draw(st.booleans(), label="mutate"):
        source = _mutate(source, data)
    _lint({"app.py": source})


# --- kafkalint's own settings and baseline ------------------------------------------------------

OPTION_NAMES = ["select", "ignore", "extend-select", "severity", "per-file-ignores", "exclude", "parameters",
                "targets", "fail-on", "respect-gitignore", "rules-dir"]
RULE_NAMES = st.sampled_from(["KL101", "KL202", "producer-acks-zero", "consumer-max-poll-records-oversized", "ALL", "KL"])
OPTION_VALUES = st.one_of(
    VALUES,
    st.lists(RULE_NAMES, max_size=3),
    st.dictionaries(RULE_NAMES, st.one_of(st.sampled_from(["error", "warning", "info"]),
                                          st.dictionaries(st.sampled_from(["ceiling", "per_record_floor_ms", "x"]), SCALARS, max_size=2)),
                    max_size=2),
    st.dictionaries(st.sampled_from(["java", "librdkafka", "kafka-python", "aiokafka"]), SCALARS, max_size=2),
)


@_examples(200)
@given(options=st.dictionaries(st.one_of(st.sampled_from(OPTION_NAMES), TEXT), OPTION_VALUES, max_size=4), data=st.data())
def test_fuzzed_kafkalint_yaml_settings(options, data):
    import yaml

    try:
        text = yaml.safe_dump(options, allow_unicode=True)
    except (yaml.YAMLError, ValueError):
        text = str(options)
    _lint({".kafkalint.yaml": _mutate(text, data)}, settings_file=True)


@_examples(120)
@given(lines=st.lists(st.one_of(
    st.builds(lambda name, value: f"{name} = {value}", st.sampled_from(OPTION_NAMES),
              st.sampled_from(['["KL101"]', '"error"', "true", "nan", "inf", "9" * 4400, "[[1]]", "{}", '"x"', "1.5"])),
    st.builds(lambda rule, name, value: f"[parameters.{rule}]\n{name} = {value}", RULE_NAMES,
              st.sampled_from(["ceiling", "per_record_floor_ms"]),
              st.sampled_from(['"2000"', "2000", "nan", "-inf", "1e400", "9" * 30, "[1]", "true"])),
    TEXT), max_size=4))
def test_fuzzed_kafkalint_toml_settings(lines):
    _lint({".kafkalint.toml": "\n".join(lines) + "\n"}, settings_file=True)


@_examples(140)
@given(document=VALUES, data=st.data())
def test_fuzzed_baseline(document, data):
    base = {"kafkalint_baseline": 1, "findings": [{"fingerprint": "abc", "message_fingerprint": "def"}, document]}
    choice = data.draw(st.sampled_from(["valid-with-junk", "replaced", "mutated"]), label="shape")
    if choice == "replaced":
        base = document
    text = json.dumps(base, default=str)
    if choice == "mutated":
        text = _mutate(text, data)
    _lint({"baseline.json": text}, "--baseline", "baseline.json", settings_file=True)
