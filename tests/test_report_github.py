"""`--format github`: workflow commands, parsed back the way the Actions runner reads them."""

from __future__ import annotations

import re

from tests.reportcases import SECRET, rendered, sample_result

COMMAND = re.compile(r"^::(?P<command>error|warning|notice) (?P<properties>[^:]*)::(?P<message>.*)$")


def unescape_data(value: str) -> str:
    return value.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(value: str) -> str:
    return unescape_data(value.replace("%3A", ":").replace("%2C", ","))


def parse(output: str) -> list[dict[str, str]]:
    commands = []
    for line in output.splitlines():
        match = COMMAND.match(line)
        assert match, f"not a workflow command: {line!r}"
        properties = dict(item.split("=", 1) for item in match.group("properties").split(","))
        entry = {key: unescape_property(value) for key, value in properties.items()}
        entry["command"] = match.group("command")
        entry["message"] = unescape_data(match.group("message"))
        commands.append(entry)
    return commands


def test_one_annotation_per_finding_with_file_line_col_and_title(tmp_path):
    result = sample_result(tmp_path)
    commands = parse(rendered(result, "github"))
    assert [(c["command"], c["file"], c["line"], c["col"], c["title"]) for c in commands] == [
        ("warning", "conf/consumer.yaml", "3", "1", "KL201 consumer-auto-commit"),
        ("notice", "conf/consumer.yaml", "4", "1", "KL208 eager-rebalance-assignor"),
        ("error", "conf/producer.properties", "2", "1", "KL101 producer-acks-zero"),
        ("warning", "conf/producer.properties", "3", "1", "KL401 plaintext-secret"),
        ("error", "conf/team,a:b.properties", "2", "1", "KL101 producer-acks-zero"),
    ]
    acks = commands[2]
    assert (acks["endLine"], acks["endColumn"]) == ("2", "5")
    assert acks["message"].startswith("acks=0 (line 2): the producer never learns")


def test_escaping_of_percent_and_newlines():
    from kafkalint.report.github import escape_data, escape_property

    assert escape_data("50% of\r\nrecords") == "50%25 of%0D%0Arecords"
    assert escape_property("a,b:c%") == "a%2Cb%3Ac%25"


def test_no_secret_in_github_output(tmp_path):
    assert SECRET not in rendered(sample_result(tmp_path), "github")
