"""The walk of a large tree takes shortcuts (string paths, shared directory listings, .gitignore
facts learnt from the listing); these tests hold it to the plain answers: every directory is
listed once per command, and what the walk keeps is what the .gitignore matcher says when asked
about each path on its own."""

from __future__ import annotations

import os
import random
from pathlib import Path

from kafkalint.discovery import SKIP_DIRECTORIES, classify, discover
from kafkalint.gitignore import GitignoreMatcher, discovery_ignore_filter
from kafkalint.settings import Settings
from kafkalint.sources.reading import read_bytes, read_bytes_and_status
from tests.clirunner import run_cli
from tests.conftest import write_files

ACKS_ZERO = "bootstrap.servers=b:9092\nacks=0\n"


def test_a_check_lists_each_directory_once_though_settings_search_and_discovery_both_walk(tmp_path, monkeypatch):
    write_files(tmp_path, {
        "a/b/producer.properties": ACKS_ZERO,
        "a/c/notes.txt": "nothing\n",
        "d/app.yaml": "kafka:\n  acks: all\n",
    })
    listed: list[str] = []
    real_scandir = os.scandir

    def counting_scandir(path="."):
        listed.append(os.path.abspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", counting_scandir)
    outcome = run_cli(tmp_path, "check", "--no-cache", ".")
    assert "a/b/producer.properties:2:1: KL101" in outcome.stdout
    walked = [path for path in listed if path == str(tmp_path) or path.startswith(str(tmp_path) + os.sep)]
    assert sorted(walked) == sorted({*walked}), "a directory was listed twice"
    assert {os.path.relpath(path, tmp_path) for path in walked} == {".", "a", "a/b", "a/c", "d"}


_NAMES = ["a", "b", "build", "conf", "deep", "gen", "x.properties", "app.yaml", "k.py", "notes.txt",
          "Foo.java", "a.log", "keep.log", "pyproject.toml"]
_PATTERNS = ["build/", "*.log", "!keep.log", "/conf", "gen", "**/deep", "a/**", "*.properties",
             "!x.properties", "b/*.yaml", "*a*", "?.py", "[ab]", "conf/", "/a/b", "**/x.*", "deep/**/",
             "*.y?ml", "a/**/b", "[z-a]", "!build/"]


def _random_repository(root: Path, rng: random.Random) -> None:
    (root / ".git" / "info").mkdir(parents=True)

    def fill(folder: Path, depth: int) -> None:
        for _ in range(rng.randint(1, 5)):
            name = rng.choice(_NAMES)
            path = folder / name
            if path.exists():
                continue
            if depth < 4 and "." not in name and rng.random() < 0.4:
                path.mkdir()
                fill(path, depth + 1)
            else:
                path.write_text(ACKS_ZERO, encoding="utf-8")
        if rng.random() < 0.5:
            (folder / ".gitignore").write_text("\n".join(rng.sample(_PATTERNS, rng.randint(1, 5))) + "\n", encoding="utf-8")

    fill(root, 0)
    if rng.random() < 0.3:
        (root / ".git" / "info" / "exclude").write_text(rng.choice(_PATTERNS) + "\n", encoding="utf-8")


def _kept_by_asking_for_each_path(root: Path) -> set[str]:
    """Files kafkalint reads, by asking a fresh matcher about each file on its own."""
    matcher = GitignoreMatcher(frozenset({str(root)}))
    kept = set()
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [name for name in subfolders if name not in SKIP_DIRECTORIES]
        for name in names:
            path = Path(folder, name)
            if classify(name) is not None and not matcher.ignored(path, False):
                kept.add(path.relative_to(root).as_posix())
    return kept


def test_the_walk_keeps_what_the_gitignore_matcher_says_path_by_path(tmp_path, monkeypatch):
    for seed in range(40):
        root = tmp_path / f"repository-{seed}"
        root.mkdir()
        _random_repository(root, random.Random(seed))
        monkeypatch.chdir(root)
        walked = {item.display for item in discover([Path(".")], ignore_filter=discovery_ignore_filter(Settings(), [Path(".")]))}
        assert walked == _kept_by_asking_for_each_path(root), f"seed {seed}"


def test_reading_gives_the_whole_file_and_the_status_it_was_read_with(tmp_path):
    empty = tmp_path / "empty.properties"
    empty.write_bytes(b"")
    assert read_bytes(empty) == b""
    larger = tmp_path / "larger.properties"
    content = b"acks=all\n" * 100_000
    larger.write_bytes(content)
    data, status = read_bytes_and_status(str(larger))
    assert data == content and status.st_size == len(content)


def test_discovery_replays_the_walk_the_settings_search_made(tmp_path, monkeypatch):
    """One walk per command: the search for nested settings walks the whole tree, discovery
    replays it (same filters), and finds what a walk of its own finds."""
    import kafkalint.discovery as discovery
    from kafkalint.scopes import plan_scopes

    write_files(tmp_path, {
        "a/b/producer.properties": ACKS_ZERO,
        "a/.gitignore": "ignored/\n",
        "a/ignored/consumer.properties": ACKS_ZERO,
        "d/e/f/app.yaml": "kafka:\n  acks: all\n",
    })
    (tmp_path / ".git").mkdir()  # a work tree: its .gitignore files apply
    monkeypatch.chdir(tmp_path)
    walks: list[str] = []
    real_walked = discovery._walked
    monkeypatch.setattr(discovery, "_walked", lambda root, *rest: (walks.append(str(root)), real_walked(root, *rest))[1])
    scope = plan_scopes([Path(".")], None, lambda start: Settings())[0]
    ignored = scope.listings.ignore_filter(scope.settings, scope.paths)
    replayed = discover(scope.paths, scope.settings.exclude, ignore_filter=ignored, listings=scope.listings)
    assert walks == ["."]
    fresh = discover([Path(".")], [], ignore_filter=discovery_ignore_filter(Settings(), [Path(".")]))
    assert replayed == fresh
    assert [item.display for item in fresh] == ["a/b/producer.properties", "d/e/f/app.yaml"]


def test_a_replayed_walk_refuses_what_is_too_deep_as_a_walk_would(tmp_path):
    from kafkalint.discovery import DirectoryListings, walk_directories

    write_files(tmp_path, {"one/two/three/four/app.properties": ACKS_ZERO, "one/x.properties": ACKS_ZERO})
    listings = DirectoryListings()
    ignored = listings.ignore_filter(Settings(), [tmp_path])
    everything = list(walk_directories(tmp_path, [], ignored, max_depth=None, listings=listings))
    assert len(everything) == 5
    for depth in (0, 1, 2, 3, 4):
        replayed = [(item.display, item.files, item.refused) for item in walk_directories(tmp_path, [], ignored, depth, listings)]
        walked = [(item.display, item.files, item.refused) for item in walk_directories(tmp_path, [], ignored, depth)]
        assert sorted(replayed, key=str) == sorted(walked, key=str)
    shallow = {item.display: item.refused for item in walk_directories(tmp_path, [], ignored, 1, listings)}
    assert shallow[str(tmp_path / "one" / "two")] == "directory not walked (nested deeper than 1 levels)"
