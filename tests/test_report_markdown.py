"""`kafkalint check --format markdown`: the CI job summary — rules by worst severity with counts
and doc links, findings per rule, the topology as a Mermaid block, no secret."""

from __future__ import annotations

from pathlib import Path

from tests.clirunner import run_cli
from tests.conftest import ROOT
from tests.test_topology_mermaid import check_mermaid

DOCS = "https://github.com/kafkalint/kafkalint/blob/main/docs/rules.md"


def _markdown(cwd: Path, *args: str) -> str:
    outcome = run_cli(cwd, "check", *args, "--format", "markdown", "--no-progress")
    assert outcome.exit_code in (0, 1), outcome.stderr
    return outcome.stdout


def test_crossfile_summary_lists_rules_worst_first_with_counts_and_doc_links():
    text = _markdown(ROOT, "fixtures/crossfile", "--select", "KL601,KL604,KL606,KL702")
    head = text.split("<details>", 1)[0]
    assert head == (
        # The whole project is context (issue 12): two KL601 "may" pairings at info join the error.
        "## kafkalint: 1 error, 3 warnings, 5 info in 7 files\n"
        "\n"
        "| Severity | Rule | Findings |\n"
        "|---|---|---:|\n"
        f"| error | [KL601 partitioner-mismatch]({DOCS}#kl601-partitioner-mismatch) | 3 |\n"
        f"| warning | [KL606 consumer-group-config-drift]({DOCS}#kl606-consumer-group-config-drift) | 2 |\n"
        f"| warning | [KL604 transactional-producer-read-uncommitted]({DOCS}#kl604-transactional-producer-read-uncommitted) | 1 |\n"
        f"| info | [KL702 strimzi-api-version-not-served]({DOCS}#kl702-strimzi-api-version-not-served) | 3 |\n"
        "\n"
    )
    assert (
        "<details><summary>KL604 transactional-producer-read-uncommitted (1)</summary>\n"
        "\n"
        "| Location | Severity | Message |\n"
        "|---|---|---|\n"
        "| fixtures/crossfile/ledger/src/main/resources/application.properties:3:1 | warning | the quarkus incoming "
        "channel payments reads transactional topic 'payments' with isolation.level=read_uncommitted (java 4.1 "
        "default); the spring producer writes it |\n"
        "\n"
        "</details>\n"
    ) in text
    chart = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    check_mermaid(chart)
    assert '  t_df384ae97c ==>|"KL604"| g_fe14010b4f' in chart


def test_rule_docs_anchors_exist_in_docs_rules_md():
    headings = {line[3:].strip() for line in (ROOT / "docs" / "rules.md").read_text(encoding="utf-8").splitlines() if line.startswith("## KL")}
    assert "KL601 partitioner-mismatch" in headings and "KL604 transactional-producer-read-uncommitted" in headings


def test_cells_escape_pipes_and_html(tmp_path: Path):
    from kafkalint.report.markdown import cell

    assert cell("a|b <script>&\nc") == "a\\|b &lt;script&gt;&amp; c"


def test_a_clean_tree_says_no_findings(tmp_path: Path):
    (tmp_path / "producer.properties").write_text("bootstrap.servers=k:9092\nacks=all\nenable.idempotence=true\n", encoding="utf-8")
    text = _markdown(tmp_path, ".", "--select", "KL101")
    assert text.startswith("## kafkalint: no findings in 1 file\n")
    # The producer names no topic: it is drawn writing to "topic unknown", nothing invented.
    chart = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    check_mermaid(chart)
    assert '["producer (java)<br/>producer.properties:1"]' in chart and '[("topic unknown")]' in chart


def test_a_tree_without_kafka_clients_or_topics_has_no_picture(tmp_path: Path):
    (tmp_path / "server.properties").write_text("min.insync.replicas=2\n", encoding="utf-8")
    outcome = run_cli(tmp_path, "check", ".", "--format", "markdown", "--no-progress", "--allow-empty")
    assert "```mermaid" not in outcome.stdout


def test_secrets_never_appear(tmp_path: Path):
    (tmp_path / "consumer.properties").write_text(
        "bootstrap.servers=k:9092\ngroup.id=g\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n"
        'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="hunter2-secret";\n'
        "ssl.key.password=swordfish-secret\n",
        encoding="utf-8",
    )
    text = _markdown(tmp_path, ".")
    assert "## kafkalint:" in text and "| Severity | Rule | Findings |" in text
    assert "hunter2" not in text and "swordfish" not in text


def test_cells_show_terminal_controls_as_escapes():
    from kafkalint.report.markdown import cell

    assert cell("x\x1b[2Jy\u202ez") == "x\\x1b[2Jy\\u202ez"
