"""`--format junit`: JUnit XML parsed back: one testcase per finding, one failure per failing
finding, info findings passing, counts that add up."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from tests.clirunner import run_cli
from tests.conftest import write_files
from tests.reportcases import SECRET, rendered, sample_result


def test_junit_xml_has_one_testcase_per_finding_and_info_findings_pass(tmp_path):
    root = ElementTree.fromstring(rendered(sample_result(tmp_path), "junit"))
    assert root.tag == "testsuites"
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert sorted(suites) == ["conf/clean.properties", "conf/consumer.yaml", "conf/producer.properties", "conf/team,a:b.properties"]
    producer = suites["conf/producer.properties"]
    cases = {case.get("name"): case for case in producer.findall("testcase")}
    assert sorted(cases) == ["KL101 producer-acks-zero at 2:1", "KL401 plaintext-secret at 3:1"]
    [failure] = cases["KL101 producer-acks-zero at 2:1"].findall("failure")
    assert failure.get("type") == "KL101 error"
    assert failure.get("message").startswith("line 2, column 1: acks=0")
    assert failure.text.startswith("conf/producer.properties:2:1: KL101 [error] acks=0")
    assert (producer.get("tests"), producer.get("failures")) == ("2", "2")
    # KL208 is info: reported, but not a failure (it does not fail the run either).
    consumer = {case.get("name"): case for case in suites["conf/consumer.yaml"].findall("testcase")}
    info = consumer["KL208 eager-rebalance-assignor at 4:1"]
    assert info.find("failure") is None
    assert info.find("system-out").text.startswith("conf/consumer.yaml:4:1: KL208 [info] ")
    assert (suites["conf/consumer.yaml"].get("tests"), suites["conf/consumer.yaml"].get("failures")) == ("2", "1")
    clean = suites["conf/clean.properties"].findall("testcase")
    assert [(case.get("name"), case.find("failure")) for case in clean] == [("kafkalint", None)]
    assert (root.get("tests"), root.get("failures")) == ("6", "4")


def test_counts_add_up_to_the_elements(tmp_path):
    root = ElementTree.fromstring(rendered(sample_result(tmp_path), "junit"))
    suites = root.findall("testsuite")
    for suite in suites:
        assert int(suite.get("tests")) == len(suite.findall("testcase"))
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))
    assert int(root.get("tests")) == sum(int(suite.get("tests")) for suite in suites)
    assert int(root.get("failures")) == sum(int(suite.get("failures")) for suite in suites)


def test_several_findings_of_one_rule_in_one_file_are_testcases_of_their_own(tmp_path):
    files = {"a.yaml": "---\nbootstrap.servers: b:9092\nacks: 0\n---\nbootstrap.servers: c:9092\nacks: 0\n"}
    root = ElementTree.fromstring(rendered(sample_result(tmp_path, files), "junit"))
    suite = next(suite for suite in root.findall("testsuite") if suite.get("name") == "a.yaml")
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == ["KL101 producer-acks-zero at 3:1", "KL101 producer-acks-zero at 6:1"]
    assert [len(case.findall("failure")) for case in cases] == [1, 1]


def test_fail_on_decides_which_findings_are_failures(tmp_path):
    write_files(tmp_path, {"consumer.yaml": "bootstrap.servers: b:9092\ngroup.id: g\nenable.auto.commit: true\n"
                                            "partition.assignment.strategy: org.apache.kafka.clients.consumer.RangeAssignor\n"})
    default = ElementTree.fromstring(run_cli(tmp_path, "check", "--format", "junit", ".").stdout)
    strict = ElementTree.fromstring(run_cli(tmp_path, "check", "--format", "junit", "--fail-on", "info", ".").stdout)
    lenient = ElementTree.fromstring(run_cli(tmp_path, "check", "--format", "junit", "--fail-on", "error", ".").stdout)
    assert int(strict.get("failures")) == int(default.get("failures")) + 1 == int(strict.get("tests"))
    assert lenient.get("failures") == "0"


def test_no_secret_in_junit_output(tmp_path):
    assert SECRET not in rendered(sample_result(tmp_path), "junit")
