"""`pip install .` gives a working tool whose rule catalogue comes from the installed package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture
def wheel(built_wheel) -> Path:
    return built_wheel


def test_wheel_ships_every_rule_file_and_the_schema(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {Path(name).name for name in names if name.startswith("kafkalint/rules/")}
    source = {path.name for path in (ROOT / "rules").iterdir() if path.suffix in (".yaml", ".json")}
    assert source <= shipped
    assert any(name.startswith("kafkalint/knowledge/data/") and name.endswith("java.json") for name in names)


def test_installed_copy_loads_its_own_catalogue(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    probe = (
        "import kafkalint, kafkalint.catalogue as c\n"
        "print(kafkalint.__file__)\n"
        "print(c.builtin_rules_dir())\n"
        "print(len(c.load_catalogue().rules))\n"
    )
    completed = subprocess.run([str(python), "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    package_file, rules_dir, count = completed.stdout.split()
    assert str(venv) in package_file, package_file
    assert rules_dir.startswith(str(venv)) and rules_dir.endswith("kafkalint/rules")
    assert int(count) == len(list((ROOT / "rules").glob("*.yaml")))
    (tmp_path / "producer.properties").write_text("bootstrap.servers=b:9092\nacks=0\n")
    check = subprocess.run([str(venv / "bin" / "kafkalint"), "check", "producer.properties"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert check.returncode == 1 and "KL101 producer-acks-zero" in check.stdout
