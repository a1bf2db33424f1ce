"""The Strimzi schemas and knowledge ship inside the wheel (the reader loads them from the package)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_wheel_ships_the_strimzi_schemas_and_knowledge(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    [wheel] = list(tmp_path.glob("kafkalint-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    schemas = ROOT / "kafkalint" / "sources" / "strimzi_schemas"
    expected = {f"kafkalint/sources/strimzi_schemas/{path.name}" for path in schemas.glob("*.json")}
    assert len(expected) == 10
    assert expected <= names
    assert {"kafkalint/knowledge/data/strimzi.json", "kafkalint/knowledge/data/connector.json",
            "kafkalint/knowledge/data/broker.json"} <= names
    assert Path("kafkalint/sources/strimzi_validation.py").as_posix() in names
