"""Shared test helpers: lint a set of files written to a temporary directory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

# Every Hit of every test is held to its rule's declared variables (subprocesses inherit it).
os.environ["KAFKALINT_CHECK_VARIABLES"] = "1"

from kafkalint.engine import RunResult, run  # noqa: E402
from kafkalint.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"

# Subprocesses the tests start (`python -m kafkalint ...`, the language server) must run this
# tree, not whichever kafkalint is installed in the environment. Tests of an installed copy
# (packaging, pre-commit) take PYTHONPATH out again: see `without_this_tree`.
os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])


def without_this_tree(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment minus PYTHONPATH: for running an installed copy of kafkalint."""
    return {key: value for key, value in (env if env is not None else os.environ).items() if key != "PYTHONPATH"}


def write_files(base: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def lint_files(
    base: Path,
    files: dict[str, str],
    select: list[str] | None = None,
    targets: dict[str, str] | None = None,
    parameters: dict[str, Any] | None = None,
    settings: Settings | None = None,
) -> RunResult:
    """Write `files` under `base`, lint from inside it (paths relative), return the result."""
    write_files(base, files)
    settings = settings or Settings()
    if select is not None:
        settings.select = select
    if targets:
        settings.targets = dict(targets)
    if parameters:
        settings.parameters = dict(parameters)
    previous = os.getcwd()
    os.chdir(base)
    try:
        return run([Path(".")], settings)
    finally:
        os.chdir(previous)


@pytest.fixture(autouse=True, scope="session")
def _private_parse_cache(tmp_path_factory) -> None:
    """Runs in tests (and the CLIs they start) keep their parse cache out of the user's folder."""
    os.environ["KAFKALINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("kafkalint-cache"))


@pytest.fixture
def lint(tmp_path: Path):
    def _lint(files: dict[str, str], **kwargs: Any) -> RunResult:
        return lint_files(tmp_path, files, **kwargs)

    return _lint


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory) -> Path:
    """kafkalint built as a wheel, once per test session (hatchling comes from the test extra)."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("wheel")
    completed = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    wheels = list(out.glob("kafkalint-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def corpus_dir(*parts: str) -> Path:
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference corpus not present at {path} (../shared/corpus is outside the project)")
    return path
