"""Text output: grouped findings with source lines, statistics, quiet, colour only when wanted."""

from __future__ import annotations

from kafkalint.report.progress import wants_progress
from tests.clirunner import run_cli
from tests.conftest import write_files
from tests.reportcases import FILES, SECRET, rendered, sample_result


def test_findings_grouped_per_file_with_severity_source_line_caret_and_a_summary(tmp_path):
    text = rendered(sample_result(tmp_path), "text")
    blocks = text.split("\n\n")
    consumer = blocks[0].splitlines()
    assert consumer[0].startswith("conf/consumer.yaml:3:1: KL201 [warning] enable.auto.commit=true (line 3)")
    assert consumer[1] == "    enable.auto.commit: true"
    assert consumer[2] == "    ^^^^^^^^^^^^^^^^^^"
    assert consumer[3].startswith("conf/consumer.yaml:4:1: KL208 [info] ")
    assert consumer[4] == "    partition.assignment.strategy: org.apache.kafka.clients.consumer.RangeAssignor"
    assert consumer[5] == "    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^"
    producer = blocks[1].splitlines()
    assert producer[0].startswith("conf/producer.properties:2:1: KL101 [error] acks=0 (line 2)")
    assert producer[1:3] == ["    acks=0", "    ^^^^"]
    assert "    sasl.jaas.config=****" in blocks[1]
    assert text.rstrip().endswith("Found 5 findings (2 errors, 2 warnings, 1 info) in 4 files.")
    assert SECRET not in text


def test_caret_follows_the_span_and_keeps_tabs_before_it():
    from kafkalint.model import Location
    from kafkalint.report.text import caret_line

    assert caret_line("\tkey = value", Location("p", 1, 8, 1, 13)) == "\t      ^^^^^"
    # A span over several lines: carets to the end of its first line.
    assert caret_line("  producer = Producer({", Location("p", 1, 3, 4, 2)) == "  ^^^^^^^^^^^^^^^^^^^^^"
    # No end known, or a masked secret on the line: no caret rather than a wrong one.
    assert caret_line("acks=0", Location("p", 1, 1)) == ""
    assert caret_line("sasl.password=****", Location("p", 1, 15, 1, 30)) == ""


def test_statistics_count_per_rule(tmp_path):
    text = rendered(sample_result(tmp_path), "text", statistics=True)
    assert "    2  KL101  producer-acks-zero (error)\n" in text
    assert "    1  KL208  eager-rebalance-assignor (info)\n" in text


def test_quiet_drops_source_lines(tmp_path):
    text = rendered(sample_result(tmp_path), "text", quiet=True)
    assert "    acks=0" not in text and "conf/producer.properties:2:1: KL101" in text


def test_summary_mentions_suppressed_findings(tmp_path):
    files = dict(FILES)
    files["conf/team,a:b.properties"] = "bootstrap.servers=broker:9092\nacks=0  \n# kafkalint: disable-file=KL101\n"
    text = rendered(sample_result(tmp_path, files), "text")
    assert text.rstrip().endswith("in 4 files; 1 suppressed inline.")


def test_no_colour_on_a_pipe_colour_with_force_color_and_never_with_no_color(tmp_path):
    write_files(tmp_path, {"producer.properties": "bootstrap.servers=b:9092\nacks=0\n"})
    plain = run_cli(tmp_path, "check", "--select", "KL101", ".", env={"NO_COLOR": None, "FORCE_COLOR": None})
    assert "\x1b[" not in plain.stdout and "producer.properties:2:1: KL101 [error] acks=0" in plain.stdout
    forced = run_cli(tmp_path, "check", "--select", "KL101", ".", env={"NO_COLOR": None, "FORCE_COLOR": "1", "TERM": "xterm-256color"})
    assert "\x1b[" in forced.stdout
    both = run_cli(tmp_path, "check", "--select", "KL101", ".", env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert "\x1b[" not in both.stdout


def test_progress_bar_only_for_long_runs_on_a_terminal(monkeypatch):
    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr("sys.stderr", Terminal())
    assert wants_progress(5000) is True
    assert wants_progress(10) is False
    monkeypatch.setenv("CI", "true")
    assert wants_progress(5000) is False
    monkeypatch.delenv("CI")
    monkeypatch.setattr("sys.stderr", object())
    assert wants_progress(5000) is False
