"""The .properties reader follows java.util.Properties.load, with exact locations."""

from __future__ import annotations

from kafkalint.model import UNKNOWN
from kafkalint.sources.properties import parse_properties


def entries(text: str):
    parsed, problems = parse_properties(text, "p.properties")
    return parsed, problems


def test_all_three_separators_and_their_value_columns():
    parsed, _ = entries("a=1\nb: 2\nc   3\nd = 4\n")
    assert [(e.key, e.value) for e in parsed] == [("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")]
    assert [(e.value_location.line, e.value_location.column) for e in parsed] == [(1, 3), (2, 4), (3, 5), (4, 5)]


def test_comments_with_hash_and_bang_and_blank_lines_are_skipped():
    parsed, _ = entries("# comment\n! also a comment\n\n   \nkey=value\n")
    assert [(e.key, e.key_location.line) for e in parsed] == [("key", 5)]


def test_leading_whitespace_sets_the_key_column():
    parsed, _ = entries("    acks=all\n")
    assert parsed[0].key_location.column == 5
    assert parsed[0].key_location.end_column == 9


def test_line_continuation_joins_lines_and_drops_leading_whitespace():
    parsed, _ = entries("sasl.jaas.config=org.Module required \\\n    username=\"a\";\nnext=1\n")
    assert parsed[0].value == 'org.Module required username="a";'
    assert parsed[0].value_location.line == 1
    assert parsed[0].value_location.end_line == 2
    assert parsed[1].key == "next" and parsed[1].key_location.line == 3


def test_even_number_of_backslashes_does_not_continue():
    parsed, _ = entries("path=C:\\\\\nnext=1\n")
    assert parsed[0].value == "C:\\"
    assert parsed[1].key == "next"


def test_escapes_including_unicode_in_keys_and_values():
    parsed, _ = entries("my\\ key=tab\\there\\u00e9\\n\nx\\=y=z\n")
    assert parsed[0].key == "my key"
    assert parsed[0].value == "tab\there\u00e9\n"
    assert parsed[1].key == "x=y" and parsed[1].value == "z"


def test_malformed_unicode_escape_is_a_problem_not_a_crash():
    parsed, problems = entries("key=\\u12\n")
    assert parsed[0].key == "key"
    assert problems and "malformed" in problems[0].message and problems[0].line == 1


def test_key_without_value_has_empty_value():
    parsed, _ = entries("lonely\n")
    assert parsed[0].key == "lonely" and parsed[0].value == ""


def test_comment_marker_inside_value_is_kept():
    parsed, _ = entries("client.id=a#b!c\n")
    assert parsed[0].value == "a#b!c"


def test_continued_comment_line_is_still_a_comment():
    parsed, _ = entries("# comment \\\nkey=1\n")
    assert [(e.key, e.key_location.line) for e in parsed] == [("key", 2)]


def test_yaml_tree_keeps_each_mapping_key_location():
    from kafkalint.sources.yamltree import load_documents

    document = load_documents('{\n  "producer": {\n    "acks": 0,\n    "retries": 1\n  }\n}\n', "c.json")[0]
    section = document.get("producer")
    assert (section.key_location.line, section.key_location.column) == (2, 3)
    assert (section.get("retries").key_location.line, section.get("retries").location.column) == (4, 16)


JINJA_SERVER = """\
{# rendered by the test harness for each node #}
broker.id={{ node_id }}
log.dirs=/mnt/kafka/data
{% if kraft %}
process.roles=broker,controller
{% else %}
process.roles=broker
{% endif %}
{% for key, value in overrides %}
{{ key }}={{ value }}
{% endfor %}
unclean.leader.election.enable=true
"""


def test_a_jinja_template_is_read_without_its_statements_and_its_branches_are_no_duplicates(lint):
    result = lint({"templates/server.properties": JINJA_SERVER})
    [broker] = result.project.brokers
    assert "{%" not in broker.settings and "{#" not in broker.settings
    assert broker.settings["process.roles"].value is UNKNOWN  # which branch renders is not known
    assert broker.defaults_known is False  # the loop may set anything: nothing left out is a default
    codes = [(finding.code, finding.location.line) for finding in result.findings]
    assert ("KL002", 5) not in codes and not any(code == "KL002" for code, _line in codes)
    assert not any(code == "KL301" for code, _line in codes)  # min.insync.replicas may come from the loop
    assert ("KL305", 12) in codes  # what the template writes out is still judged
