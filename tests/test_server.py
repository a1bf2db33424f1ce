"""`kafkalint server`: the language server, spoken to over stdio as an editor would."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls")

from kafkalint.model import Finding, Location, Severity  # noqa: E402
from kafkalint.server import lint_document, proposed_edits  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 30.0  # seconds for any one answer: a stuck server fails the test, never hangs it


class LanguageClient:
    """A minimal LSP client: Content-Length framed JSON-RPC over the server's pipes."""

    def __init__(self, cwd: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "KAFKALINT_NO_CACHE": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kafkalint", "server"],
            cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                header = stream.readline()
                if not header:
                    return
                header = header.strip()
                if not header:
                    break
                name, _, value = header.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if length is None:
                return
            self.messages.put(json.loads(stream.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        message = self.wait(lambda item: item.get("id") == self.next_id and "method" not in item)
        assert "error" not in message, message
        return message["result"]

    def wait(self, accept: Any) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("the language server did not answer in time")
            try:
                message = self.messages.get(timeout=remaining)
            except queue.Empty:
                continue
            if accept(message):
                return message

    def diagnostics(self, uri: str) -> list[dict[str, Any]]:
        message = self.wait(lambda item: item.get("method") == "textDocument/publishDiagnostics" and item["params"]["uri"] == uri)
        return message["params"]["diagnostics"]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=TIMEOUT)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            stream.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "producer.properties").write_text("bootstrap.servers=kafka:9092\nacks=all\n")
    return tmp_path


def test_server_publishes_the_buffer_findings_and_offers_hover_and_a_suppression(project: Path) -> None:
    client = LanguageClient(project)
    try:
        uri = (project / "producer.properties").as_uri()
        result = client.request("initialize", {"processId": os.getpid(), "rootUri": project.as_uri(), "capabilities": {}})
        capabilities = result["capabilities"]
        assert capabilities["hoverProvider"] and capabilities["codeActionProvider"]
        client.notify("initialized", {})
        # The buffer differs from the file on disk (acks=all): the unsaved text is what is linted.
        buffer = "bootstrap.servers=kafka:9092\nacks=0\n"
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "properties", "version": 1, "text": buffer}})
        diagnostics = client.diagnostics(uri)
        acks_zero = [item for item in diagnostics if item["code"] == "KL101"]
        assert len(acks_zero) == 1
        assert acks_zero[0]["range"] == {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 4}}
        assert acks_zero[0]["severity"] == 1 and acks_zero[0]["source"] == "kafkalint"
        assert "acks=0" in acks_zero[0]["message"]

        hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 2}})
        assert hover["contents"]["kind"] == "markdown"
        assert "KL101 producer-acks-zero" in hover["contents"]["value"]
        assert "Why is this bad?" in hover["contents"]["value"]

        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri},
            "range": acks_zero[0]["range"],
            "context": {"diagnostics": acks_zero},
        })
        # acks=0 without idempotence asked for: the rule's fix is offered, as unsafe and not preferred.
        assert [action["title"] for action in actions] == ["Fix (unsafe): Set acks to all", "Disable KL101 (producer-acks-zero) on this line"]
        assert not actions[0].get("isPreferred") and actions[1]["isPreferred"]
        edit = actions[1]["edit"]["changes"][uri]
        assert edit == [{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
                         "newText": "# kafkalint: disable=KL101\n"}]

        # Applying the edit silences the finding: the action is useful, not decorative.
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": edit[0]["range"], "text": edit[0]["newText"]}],
        })
        assert "KL101" not in [item["code"] for item in client.diagnostics(uri)]

        assert client.request("shutdown", None) is None
        client.notify("exit", None)
        assert client.process.wait(timeout=TIMEOUT) == 0
    finally:
        client.close()


def test_code_action_applies_the_rule_fix_and_the_finding_goes(project: Path) -> None:
    client = LanguageClient(project)
    try:
        uri = (project / "producer.properties").as_uri()
        client.request("initialize", {"processId": os.getpid(), "rootUri": project.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        buffer = "bootstrap.servers=kafka:9092\r\n# ours\r\nenable.idempotence=true\r\nacks=1\r\n"
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "properties", "version": 1, "text": buffer}})
        conflict = [item for item in client.diagnostics(uri) if item["code"] == "KL104"]
        assert len(conflict) == 1
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": conflict[0]["range"], "context": {"diagnostics": conflict},
        })
        assert actions[0]["title"] == "Fix: Set acks to all" and actions[0]["isPreferred"]
        edit = actions[0]["edit"]["changes"][uri]
        assert edit == [{"range": {"start": {"line": 3, "character": 5}, "end": {"line": 3, "character": 6}}, "newText": "all"}]
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": edit[0]["range"], "text": edit[0]["newText"]}],
        })
        codes = [item["code"] for item in client.diagnostics(uri)]
        assert "KL104" not in codes and "KL102" not in codes
        client.request("shutdown", None)
        client.notify("exit", None)
    finally:
        client.close()


def test_buffer_is_linted_with_the_other_project_files_as_context(tmp_path: Path) -> None:
    # The settings file beside the project selects the rules: the buffer obeys it.
    (tmp_path / ".kafkalint.toml").write_text('ignore = ["KL104"]\n')
    (tmp_path / "producer.properties").write_text("acks=all\n")
    lint = lint_document(tmp_path / "producer.properties", "bootstrap.servers=kafka:9092\nacks=0\n")
    assert lint.error is None
    assert [finding.code for finding in lint.findings] == ["KL101"]
    assert lint.findings[0].location.line == 2


def test_a_relint_reads_the_buffer_and_takes_the_unchanged_files_around_it_from_the_parse_cache(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("KAFKALINT_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "project"
    project.mkdir()
    (project / ".kafkalint.toml").write_text("")
    (project / "producer.properties").write_text("bootstrap.servers=kafka:9092\nacks=all\n")
    (project / "consumer.properties").write_text("bootstrap.servers=kafka:9092\ngroup.id=billing\n")
    monkeypatch.chdir(tmp_path)
    first = lint_document(project / "producer.properties", "bootstrap.servers=kafka:9092\nacks=0\n", [project])
    assert [finding.code for finding in first.findings] == ["KL101"]
    import kafkalint.sources as sources

    parsed: list[str] = []  # files read from disk and parsed (the buffer comes as text)
    real = sources.read_bytes_as
    monkeypatch.setattr(sources, "read_bytes_as", lambda data, display, *rest: (parsed.append(display), real(data, display, *rest))[1])
    again = lint_document(project / "producer.properties", "bootstrap.servers=kafka:9092\nacks=1\n", [project])
    assert [finding.code for finding in again.findings] == ["KL102"]
    assert parsed == []  # consumer.properties came from the cache
    monkeypatch.setenv("KAFKALINT_CACHE_DIR", str(tmp_path / "another-cache"))
    lint_document(project / "producer.properties", "bootstrap.servers=kafka:9092\nacks=1\n", [project])
    assert parsed == ["project/consumer.properties"]


def test_a_settings_error_is_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / ".kafkalint.toml").write_text('selct = ["KL1"]\n')
    lint = lint_document(tmp_path / "producer.properties", "acks=0\n")
    assert lint.findings == []
    assert "unknown option 'selct'; did you mean 'select'?" in lint.error


def _finding(line: int, code: str = "KL101") -> Finding:
    return Finding(code, "producer-acks-zero", Severity.ERROR, "m", Location("p", line, 3, line, 7))


def test_suppression_is_added_to_a_disable_comment_already_above() -> None:
    lines = ["  # kafkalint: disable=KL104\n", "  acks: 0\n"]
    [proposal] = proposed_edits(lines, _finding(2), "yaml")
    [edit] = proposal.edits
    assert (edit.start, edit.end, edit.new_text) == ((0, 28), (0, 28), ",KL101")


def test_suppression_keeps_indentation_and_crlf_line_endings() -> None:
    lines = ["spec:\r\n", "    acks: 0\r\n"]
    [proposal] = proposed_edits(lines, _finding(2), "yaml")
    assert proposal.edits[0].new_text == "    # kafkalint: disable=KL101\r\n"


def test_no_suppression_where_no_comment_can_go() -> None:
    assert proposed_edits(['{"acks": 0}\n'], _finding(1), "json") == []
    # The line continues a properties value: a comment line there would become part of it.
    assert proposed_edits(["sasl.jaas.config=a \\\n", "  acks=0\n"], _finding(2), "properties") == []


@pytest.mark.parametrize(("name", "text", "line"), [
    ("producer.yaml", "bootstrap.servers: kafka:9092\nacks: 0\n", 2),
    ("producer.json", '{\n  "bootstrap.servers": "kafka:9092",\n  "acks": 0\n}\n', 3),
    ("app.py", 'from confluent_kafka import Producer\n\nproducer = Producer({"bootstrap.servers": "kafka:9092", "acks": 0})\n', 3),
])
def test_every_format_is_linted_from_the_buffer(tmp_path: Path, name: str, text: str, line: int) -> None:
    lint = lint_document(tmp_path / name, text)
    assert ("KL101", line) in [(finding.code, finding.location.line) for finding in lint.findings]


def test_a_cross_file_finding_sees_the_files_on_disk(tmp_path: Path) -> None:
    # A Python (librdkafka) producer in the buffer, a Java producer on disk: their partitioners
    # differ, which only the project as a whole shows.
    project = tmp_path / "project"
    project.mkdir()
    (project / "java-producer.properties").write_text("bootstrap.servers=kafka:9092\nacks=all\n")
    buffer = (
        "from confluent_kafka import Producer\n\n"
        'producer = Producer({"bootstrap.servers": "kafka:9092", "acks": "all", "enable.idempotence": True})\n'
        'producer.produce("orders", key="k", value="v")\n'
    )
    # Outside any workspace folder and settings file, a buffer stands alone.
    alone = lint_document(project / "app.py", buffer)
    with_context = lint_document(project / "app.py", buffer, workspace_folders=[project])
    assert "KL601" not in [finding.code for finding in alone.findings]
    [mismatch] = [finding for finding in with_context.findings if finding.code == "KL601"]
    assert mismatch.location.line == 3
    assert [(Path(where.path).name, where.line) for where in mismatch.related] == [("java-producer.properties", 1)]
