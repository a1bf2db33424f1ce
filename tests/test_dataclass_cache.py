"""The bytecode cache of dataclass methods: classes are defined exactly as without it, the
table is reused, and a damaged or foreign table is ignored."""

from __future__ import annotations

import dataclasses
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

import kafkalint
from kafkalint import dataclass_cache

SOURCE = """
from dataclasses import dataclass, field

@dataclass(slots=True, frozen=True)
class Point:
    x: int
    y: int = 0
    tags: tuple = field(default_factory=tuple)

@dataclass(slots=True)
class Box:
    corner: Point
    items: list = field(default_factory=list)
"""


@pytest.fixture(autouse=True)
def _installed():
    dataclass_cache.install()  # as the command line does before anything else


def _define() -> dict:
    namespace: dict = {"__name__": "cached_classes"}
    exec(compile(SOURCE, "cached_classes.py", "exec", dont_inherit=True), namespace)
    return namespace


def test_the_command_line_routes_dataclasses_exec_through_the_table():
    script = (
        "import sys, dataclasses; sys.argv = ['kafkalint', 'rules']\n"
        "from kafkalint import cli, dataclass_cache\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(str(vars(dataclasses).get('exec') is dataclass_cache._cached_exec))"
    )
    outcome = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert outcome.stderr.endswith("True")


def test_installing_twice_changes_nothing():
    dataclass_cache.install()
    dataclass_cache.install()
    assert vars(dataclasses)["exec"] is dataclass_cache._cached_exec


def _fresh_tables(monkeypatch, folder: Path | None = None) -> None:
    """Empty tables for this test, kept in `folder` (or nowhere)."""
    monkeypatch.setattr(dataclass_cache, "_TABLES", {})
    if folder is not None:
        monkeypatch.setattr(dataclass_cache, "_path", lambda name: str(folder / f"dataclass-methods-{name}.marshal"))
    else:
        monkeypatch.setattr(dataclass_cache, "_path", lambda name: None)


def test_classes_defined_from_the_table_behave_as_compiled_ones(monkeypatch):
    _fresh_tables(monkeypatch)
    first = _define()
    table = dataclass_cache._TABLES["libraries"]  # the classes' module is not kafkalint's
    compiled = dict(table.codes)
    assert table.added == len(compiled) > 0
    second = _define()  # every method's text is now in the table: nothing compiled again
    assert table.codes == compiled and table.added == len(compiled)
    for namespace in (first, second):
        point_class, box_class = namespace["Point"], namespace["Box"]
        point = point_class(1)
        assert (point.x, point.y, point.tags) == (1, 0, ())
        assert point == point_class(1, 0) and point != point_class(2)
        assert hash(point) == hash(point_class(1, 0))
        assert repr(point) == "Point(x=1, y=0, tags=())"
        with pytest.raises(dataclasses.FrozenInstanceError):
            point.x = 5
        box = box_class(point)
        box.items.append(3)
        assert box_class(point).items == []  # a fresh default per instance
        assert [item.name for item in dataclasses.fields(box_class)] == ["corner", "items"]
        assert dataclasses.replace(point, y=7) == point_class(1, 7)
        assert not hasattr(box, "__dict__")  # slots


def test_kafkalints_classes_and_libraries_classes_keep_separate_tables(monkeypatch):
    import types

    _fresh_tables(monkeypatch)
    module = types.ModuleType("kafkalint.sources.example")  # dataclasses passes its globals
    monkeypatch.setitem(sys.modules, module.__name__, module)
    exec(compile(SOURCE, "example.py", "exec", dont_inherit=True), module.__dict__)
    assert set(dataclass_cache._TABLES) == {"own"}
    _define()
    assert set(dataclass_cache._TABLES) == {"own", "libraries"}


def test_other_exec_calls_go_through_unchanged():
    namespace: dict = {}
    dataclass_cache._cached_exec(compile("value = 6 * 7", "<test>", "exec"), namespace)
    assert namespace["value"] == 42
    dataclass_cache._cached_exec("other = value + 1", namespace)
    assert namespace["other"] == 43


def test_the_tables_round_trip_and_a_damaged_one_is_ignored(tmp_path, monkeypatch):
    _fresh_tables(monkeypatch, tmp_path)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    _define()
    saved = dict(dataclass_cache._TABLES["libraries"].codes)
    dataclass_cache.save()
    table = tmp_path / "dataclass-methods-libraries.marshal"
    loaded = dataclass_cache._load(str(table))
    assert set(loaded) == set(saved)  # each entry still marshalled: decoded when a class asks
    assert all(type(entry) is bytes and marshal.loads(entry) == saved[text] for text, entry in loaded.items())
    assert not list(tmp_path.glob("*.tmp"))
    before = table.stat().st_mtime_ns
    dataclass_cache.save()  # nothing new: not written again
    assert table.stat().st_mtime_ns == before
    _fresh_tables(monkeypatch, tmp_path)  # as a new process: read back, nothing compiled
    _define()
    assert dataclass_cache._TABLES["libraries"].added == 0
    assert dataclass_cache._TABLES["libraries"].codes == saved  # the entries used, decoded

    # An entry whose bytes are no code object is compiled again, and the class still defined.
    text = next(iter(saved))
    table.write_bytes(dataclass_cache._MAGIC + marshal.dumps({**{key: marshal.dumps(code) for key, code in saved.items()}, text: b"\x00garbage"}))
    _fresh_tables(monkeypatch, tmp_path)
    namespace = _define()
    assert dataclass_cache._TABLES["libraries"].added == 1
    assert namespace["Point"](1) == namespace["Point"](1, 0)

    for damaged in (
        b"garbage",
        dataclass_cache._MAGIC + b"\x00\x01\x02",
        dataclass_cache._MAGIC + marshal.dumps({"text": "not a code object"}),
        dataclass_cache._MAGIC + marshal.dumps(saved),  # code objects: the first format's table
        dataclass_cache._MAGIC + marshal.dumps(["a list"]),
        marshal.dumps(saved),  # no header: another writer's file
    ):
        table.write_bytes(damaged)
        assert dataclass_cache._load(str(table)) == {}


def test_a_full_table_starts_again(monkeypatch):
    _fresh_tables(monkeypatch)
    monkeypatch.setattr(dataclass_cache, "MAX_ENTRIES", 3)
    _define()  # more than three methods
    assert 0 < len(dataclass_cache._TABLES["libraries"].codes) <= 3


def test_nothing_is_written_when_python_writes_no_bytecode(tmp_path, monkeypatch):
    _fresh_tables(monkeypatch, tmp_path)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    _define()
    dataclass_cache.save()
    assert not list(tmp_path.iterdir())


def test_the_table_lives_with_kafkalints_own_bytecode():
    path = Path(dataclass_cache._path("own"))
    package = Path(kafkalint.__file__).resolve().parent
    if sys.pycache_prefix:
        assert str(path).startswith(os.path.abspath(sys.pycache_prefix))
    else:
        assert path.parent == package / "__pycache__"
    assert sys.implementation.cache_tag in path.name


def test_a_fresh_process_fills_the_table_and_the_next_one_uses_it(tmp_path):
    """Two real runs with their own bytecode folder: the first writes the table, the second
    compiles nothing."""
    environment = dict(os.environ, PYTHONPYCACHEPREFIX=str(tmp_path / "pycache"))
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    script = (
        "import kafkalint.dataclass_cache as cache, sys; cache.install(); import kafkalint.model; "
        "sys.stdout.write(str(cache._TABLES['own'].added))"
    )
    first = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True)
    assert int(first.stdout) > 10
    assert list((tmp_path / "pycache").rglob("dataclass-methods-own.*.marshal"))
    second = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True)
    assert second.stdout == "0"
