"""Python files are parsed in worker processes on large trees; the result must not change."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT, write_files

CONSUMER = """\
import time
from confluent_kafka import Consumer

def run_{index}():
    consumer = Consumer({{"bootstrap.servers": "b:9092", "group.id": "g{index}", "enable.auto.commit": True}})
    consumer.subscribe(["orders-{index}"])
    while True:
        message = consumer.poll(1.0)
        handle(message.value())
        consumer.commit(asynchronous=False)
        time.sleep(1)
"""


def findings_with_jobs(tmp_path, jobs: str) -> list[dict]:
    # This checkout's kafkalint, not the installed one (cwd is the temporary tree).
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))
    env = {**os.environ, "KAFKALINT_JOBS": jobs, "NO_COLOR": "1", "PYTHONPATH": path}
    completed = subprocess.run([sys.executable, "-m", "kafkalint", "check", "--format", "json", "."],
                               cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 1, completed.stderr
    return json.loads(completed.stdout)["findings"]


def test_worker_pool_gives_exactly_the_sequential_findings(tmp_path):
    files = {f"service_{index:02d}.py": CONSUMER.format(index=index) for index in range(12)}
    files["broken.py"] = "from kafka import KafkaConsumer\ndef oops(:\n"
    files["producer.properties"] = "bootstrap.servers=b:9092\nacks=0\n"
    write_files(tmp_path, files)
    sequential = findings_with_jobs(tmp_path, "1")
    parallel = findings_with_jobs(tmp_path, "2")
    assert parallel == sequential
    names = {finding["name"] for finding in sequential}
    assert {"commit-per-message", "poll-loop-blocking-call", "parse-error", "producer-acks-zero"} <= names
    assert sum(1 for finding in sequential if finding["name"] == "commit-per-message") == 12
