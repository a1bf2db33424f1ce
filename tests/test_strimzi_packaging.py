"""The Strimzi schemas and knowledge ship inside the wheel (the reader loads them from the package)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_wheel_ships_the_strimzi_schemas_and_knowledge(built_wheel):
    names = set(zipfile.ZipFile(built_wheel).namelist())
    schemas = ROOT / "kafkalint" / "sources" / "strimzi_schemas"
    expected = {f"kafkalint/sources/strimzi_schemas/{path.name}" for path in schemas.glob("*.json")}
    assert len(expected) == 10
    assert expected <= names
    assert {"kafkalint/knowledge/data/strimzi.json", "kafkalint/knowledge/data/connector.json",
            "kafkalint/knowledge/data/broker.json"} <= names
    assert Path("kafkalint/sources/strimzi_validation.py").as_posix() in names
