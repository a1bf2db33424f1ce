"""`--format junit`: JUnit XML parsed back: a testcase per rule and file, a failure per finding."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from tests.reportcases import SECRET, rendered, sample_result


def test_junit_xml_parses_back_into_suites_cases_and_failures(tmp_path):
    root = ElementTree.fromstring(rendered(sample_result(tmp_path), "junit"))
    assert root.tag == "testsuites"
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert sorted(suites) == ["conf/clean.properties", "conf/consumer.yaml", "conf/producer.properties", "conf/team,a:b.properties"]
    producer = suites["conf/producer.properties"]
    cases = {case.get("name"): case for case in producer.findall("testcase")}
    assert sorted(cases) == ["KL101 producer-acks-zero", "KL401 plaintext-secret"]
    failure = cases["KL101 producer-acks-zero"].find("failure")
    assert failure.get("type") == "KL101 error"
    assert failure.get("message").startswith("line 2, column 1: acks=0")
    assert failure.text.startswith("conf/producer.properties:2:1: KL101 producer-acks-zero")
    assert (producer.get("tests"), producer.get("failures")) == ("2", "2")
    clean = suites["conf/clean.properties"].findall("testcase")
    assert [(case.get("name"), case.find("failure")) for case in clean] == [("kafkalint", None)]
    assert (root.get("tests"), root.get("failures")) == ("6", "5")


def test_several_findings_of_one_rule_in_one_file_are_failures_of_one_testcase(tmp_path):
    files = {"a.yaml": "---\nbootstrap.servers: b:9092\nacks: 0\n---\nbootstrap.servers: c:9092\nacks: 0\n"}
    root = ElementTree.fromstring(rendered(sample_result(tmp_path, files), "junit"))
    suite = next(suite for suite in root.findall("testsuite") if suite.get("name") == "a.yaml")
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == ["KL101 producer-acks-zero"]
    assert [failure.get("message")[:7] for failure in cases[0].findall("failure")] == ["line 3,", "line 6,"]


def test_no_secret_in_junit_output(tmp_path):
    assert SECRET not in rendered(sample_result(tmp_path), "junit")
