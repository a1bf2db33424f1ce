"""`pip install .` gives a working tool whose rule catalogue comes from the installed package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, without_this_tree

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


def make_venv_seeing_this_environment(venv: Path) -> Path:
    """A fresh virtual environment whose own site-packages come first, then the packages of the
    environment running the tests (click, rich, ...), whether that is a virtual environment or
    not. `--system-site-packages` would not do: it shows the *base* interpreter's packages, which
    lack kafkalint's dependencies when the tests run from a virtual environment."""
    import site
    import sysconfig

    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    own = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         check=True, capture_output=True, text=True, timeout=60).stdout.strip()
    outer = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()]
    # Plain directory lines: the outer environment's own .pth files (an editable kafkalint
    # among them) are not processed, so `import kafkalint` finds only the copy installed here.
    lines = dict.fromkeys(path for path in outer if Path(path).is_dir() and not path.startswith(str(venv)))
    Path(own, "outer-environment.pth").write_text("".join(f"{path}\n" for path in lines))
    return python


def test_installed_copy_loads_its_own_catalogue(wheel, tmp_path):
    venv = tmp_path / "venv"
    python = make_venv_seeing_this_environment(venv)
    environment = without_this_tree()
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    probe = (
        "import kafkalint, kafkalint.catalogue as c\n"
        "print(kafkalint.__file__)\n"
        "print(c.builtin_rules_dir())\n"
        "print(len(c.load_catalogue().rules))\n"
    )
    completed = subprocess.run([str(python), "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60, env=environment)
    package_file, rules_dir, count = completed.stdout.split()
    assert str(venv) in package_file, package_file
    assert rules_dir.startswith(str(venv)) and rules_dir.endswith("kafkalint/rules")
    assert int(count) == len(list((ROOT / "rules").glob("*.yaml")))
    (tmp_path / "producer.properties").write_text("bootstrap.servers=b:9092\nacks=0\n")
    check = subprocess.run([str(venv / "bin" / "kafkalint"), "check", "producer.properties"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=60, env=environment)
    assert check.returncode == 1 and "producer.properties:2:1: KL101 [error] acks=0" in check.stdout
