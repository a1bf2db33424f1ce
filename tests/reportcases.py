"""One small project with findings of every severity and a secret, shared by the report tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kafkalint.engine import RunResult
from kafkalint.report import renderer
from tests.conftest import lint_files

SECRET = "hunter2-do-not-print"

FILES = {
    "conf/producer.properties": (
        "bootstrap.servers=broker:9092\n"
        "acks=0\n"
        f'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="app" password="{SECRET}";\n'
    ),
    "conf/consumer.yaml": (
        "bootstrap.servers: broker:9092\n"
        "group.id: billing\n"
        "enable.auto.commit: true\n"
        "partition.assignment.strategy: org.apache.kafka.clients.consumer.RangeAssignor\n"
    ),
    # A comma and a colon in a path: GitHub workflow commands must escape both.
    "conf/team,a:b.properties": "bootstrap.servers=broker:9092\nacks=0\n",
    "conf/clean.properties": "bootstrap.servers=broker:9092\nacks=all\nenable.idempotence=true\n",
}

SELECT = ["KL101", "KL201", "KL401", "KL208"]


def sample_result(base: Path, files: dict[str, str] | None = None) -> RunResult:
    return lint_files(base, files or FILES, select=list(SELECT))


def rendered(result: RunResult, name: str, **options: Any) -> str:
    return renderer(name)(result, {"color": False, "quiet": False, "statistics": False, "group": True, "rules": result.rules, **options})
