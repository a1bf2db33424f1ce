"""Discovery: walk the paths, drop what cannot concern Kafka, classify the rest by name.

Classification is by file name and extension only, as kafkalint/formats.py says; the byte sniff
happens in sources/ on bytes already read, so every file is opened at most once.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from kafkalint.formats import format_named, format_of

SKIP_DIRECTORIES = {
    ".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", "dist", "build", ".idea",
    ".gradle", "target", ".eggs",
}


@dataclass(slots=True, frozen=True)
class DiscoveredFile:
    """A file the walk found: its path, how it is shown, its format, or why it was refused."""

    # The file as the walk reached it (relative when the walk's root was given relative): a
    # string, because most discovered files are only read once, by `file_path`, and never
    # need a Path (building one per file was a third of the walk of a large tree).
    file_path: str
    display: str
    kind: str
    # Why the walk did not read this entry (an unreadable directory, a symlink out of the
    # tree): it becomes a finding, so a run that could not look everywhere is not green.
    refused: str | None = None

    @property
    def path(self) -> Path:
        return Path(self.file_path)


# Deeper than this, a directory is reported instead of walked: real trees are far shallower,
# and a path this deep approaches PATH_MAX anyway.
MAX_DIRECTORY_DEPTH = 64


def display_path(path: Path) -> str:
    """The path as the user would write it: relative to the current directory, `/` separators."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        relative = str(path)
    if relative.startswith(".." + os.sep) or relative == "..":
        relative = str(path)
    return relative.replace(os.sep, "/")


def classify(name: str, enabled_kinds: set[str] | None = None, named_explicitly: bool = False) -> str | None:
    """The format of a file by its base name (see kafkalint/formats.py), or None to skip it.

    `enabled_kinds` narrows the extension-owned formats (properties, yaml, ...); files with
    exact names (build manifests) are always kept. A file the user named explicitly is read
    even with an unusual extension (`app.conf` as properties)."""
    kind = format_of(name, named_explicitly)
    if kind is None or enabled_kinds is None:
        return kind
    file_format = format_named(kind)
    if file_format is not None and (name in file_format.file_names or file_format.name_globs):
        return kind
    return kind if kind in enabled_kinds else None


def _excluded(display: str, excludes: list[str]) -> bool:
    for pattern in excludes:
        if fnmatch.fnmatch(display, pattern) or fnmatch.fnmatch(display, pattern.rstrip("/") + "/*"):
            return True
        if "/" not in pattern and any(fnmatch.fnmatch(part, pattern) for part in display.split("/")):
            return True
    return False


def discover(
    paths: list[Path],
    excludes: list[str] | None = None,
    enabled_kinds: set[str] | None = None,
    ignore_filter=None,
    listings: DirectoryListings | None = None,
) -> list[DiscoveredFile]:
    """Files under the paths, sorted, each once. Explicitly named files are always kept."""
    excludes = excludes or []
    found: dict[str, DiscoveredFile] = {}
    for root in paths:
        if root.is_file():
            kind = classify(root.name, enabled_kinds, named_explicitly=True)
            if kind is not None:
                display = display_path(root)
                found.setdefault(display, DiscoveredFile(os.fspath(root), display, kind))
            continue
        _walk(root, excludes, enabled_kinds, ignore_filter, found, listings)
    return [found[key] for key in sorted(found)]


def _tree_boundary(root: Path | str) -> str:
    """The tree a walk stays in: the git work tree around root, else root itself."""
    real = os.path.realpath(root)
    directory = real
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return real
        directory = parent


def _inside(path: str, boundary: str) -> bool:
    real = os.path.realpath(path)
    return real == boundary or real.startswith(boundary.rstrip(os.sep) + os.sep)


@dataclass(slots=True)
class WalkedDirectory:
    """One directory of a walk. `path` is as the walk's root was given (relative or not) plus the
    names below it, `absolute` the same as an absolute, normalised path, `display` as the user
    writes it (see display_path). `files` are its entries that are not directories, as
    (name, is a symbolic link); None with `refused` saying why it was not listed."""

    path: str
    absolute: str
    display: str
    files: list[tuple[str, bool]] | None
    refused: str | None = None

    @property
    def prefix(self) -> str:
        """What a file name is prefixed with to make its display path."""
        return "" if self.display == "." else self.display + "/"


class _DisplayNames:
    """display_path for directories below a root, by slicing strings: os.path.relpath per
    directory dominated the walk of a large tree."""

    def __init__(self) -> None:
        self.cwd = os.getcwd()
        self.cwd_prefix = self.cwd if self.cwd.endswith(os.sep) else self.cwd + os.sep

    def of(self, absolute: str, outside: str) -> str:
        """The display path of `absolute`; `outside` is what display_path gives for it when it is
        not under the current directory (the path as given)."""
        if absolute == self.cwd:
            return "."
        if absolute.startswith(self.cwd_prefix):
            return absolute[len(self.cwd_prefix):].replace(os.sep, "/")
        return outside


# The entries of a directory the .gitignore matcher wants to know about (see note_listing).
GIT_ENTRIES = frozenset({".git", ".gitignore"})


def _list_directory(directory: str) -> tuple[list[tuple[str, bool]], list[str], frozenset[str]] | str:
    """A directory's non-directory entries as (name, is a symbolic link), its subdirectories
    that are not symbolic links, and which of `.git` and `.gitignore` it has; or why it cannot
    be listed."""
    try:
        with os.scandir(directory) as listing:
            entries = list(listing)
    except OSError as error:
        return "permission denied" if isinstance(error, PermissionError) else (error.strerror or str(error))
    files: list[tuple[str, bool]] = []
    subdirectories: list[str] = []
    git_entries: frozenset[str] = frozenset()
    for entry in entries:
        name = entry.name
        if name in GIT_ENTRIES:
            git_entries |= {name}
        try:
            is_directory = entry.is_dir()  # follows a symlink: a linked directory is not walked
            is_link = entry.is_symlink()
        except OSError:
            is_directory = is_link = False
        if not is_directory:
            files.append((name, is_link))
        elif not is_link:
            subdirectories.append(name)
    return files, subdirectories, git_entries


class DirectoryListings:
    """The listings of one command's walks, by absolute path: `kafkalint check DIR` walks DIR
    once to find folders with settings of their own (kafkalint/scopes.py) and once to discover
    its files, and each directory is listed only the first time. Kept for one command only (a
    long-lived process such as the language server lists afresh each time)."""

    def __init__(self) -> None:
        self._by_directory: dict[str, tuple[list[tuple[str, bool]], list[str], frozenset[str]] | str] = {}
        # Whole walks, replayed when the same tree is walked again with the same filters: the
        # search for nested settings walks every directory discovery then walks. Each entry is
        # (directory, its depth below the root).
        self._walks: dict[tuple, list[tuple[WalkedDirectory, int]]] = {}
        self._filters: dict[tuple, Any] = {}

    def list(self, directory: str, absolute: str) -> tuple[list[tuple[str, bool]], list[str], frozenset[str]] | str:
        listing = self._by_directory.get(absolute)
        if listing is None:
            listing = self._by_directory[absolute] = _list_directory(directory)
        return listing

    def ignore_filter(self, settings: Any, roots: list[Path]) -> Any:
        """discovery_ignore_filter(settings, roots), the same object for the same settings
        and roots: a walk with it can then be replayed (and its .gitignore answers reused)."""
        from kafkalint.gitignore import discovery_ignore_filter

        key = (
            tuple(os.path.abspath(root) for root in roots), settings.root, tuple(settings.exclude),
            settings.respect_gitignore, frozenset(settings.skip_folders),
        )
        if key not in self._filters:
            self._filters[key] = discovery_ignore_filter(settings, roots)
        return self._filters[key]

    def walk_key(self, root: Path, excludes: list[str], ignore_filter: Any) -> tuple | None:
        """What identifies a walk that can be recorded and replayed: one with no ignore filter
        or with one of ignore_filter's (each the same object for the same configuration)."""
        if ignore_filter is not None and not any(ignore_filter is known for known in self._filters.values()):
            return None
        return (str(root), tuple(excludes), id(ignore_filter))

    def recorded_walk(self, key: tuple) -> list[tuple[WalkedDirectory, int]] | None:
        return self._walks.get(key)

    def record_walk(self, key: tuple, walked: list[tuple[WalkedDirectory, int]]) -> None:
        self._walks[key] = walked


def walk_directories(
    root: Path, excludes: list[str], ignore_filter, max_depth: int | None = MAX_DIRECTORY_DEPTH,
    listings: DirectoryListings | None = None,
) -> Iterator[WalkedDirectory]:
    """Every directory under root (root first, then depth first by name), without following
    symlinked directories, skipping SKIP_DIRECTORIES, the excludes and what `ignore_filter`
    skips. A directory that cannot be listed, or is nested deeper than `max_depth`, comes with
    `refused` set instead of its files. `listings` lets walks of one command share listings,
    and whole walks: a tree walked to any depth (max_depth None) with an ignore filter from
    listings.ignore_filter is replayed, not walked, the next time it is asked for."""
    replay_key = listings.walk_key(root, excludes, ignore_filter) if listings is not None else None
    if replay_key is not None:
        recorded = listings.recorded_walk(replay_key)  # type: ignore[union-attr]
        if recorded is not None:
            yield from _replayed(recorded, max_depth)
            return
    walked_here: list[tuple[WalkedDirectory, int]] | None = [] if replay_key is not None and max_depth is None else None
    for walked, depth in _walked(root, excludes, ignore_filter, max_depth, listings):
        if walked_here is not None:
            walked_here.append((walked, depth))
        yield walked
    if walked_here is not None:  # walked to the end: the whole tree is known
        listings.record_walk(replay_key, walked_here)  # type: ignore[union-attr, arg-type]


def _replayed(recorded: list[tuple[WalkedDirectory, int]], max_depth: int | None) -> Iterator[WalkedDirectory]:
    """A recorded walk (to any depth) as a walk to max_depth would have gone: directories one
    level too deep refused, deeper ones not reached."""
    for walked, depth in recorded:
        if max_depth is None or depth <= max_depth:
            yield walked
        elif depth == max_depth + 1:
            yield WalkedDirectory(
                walked.path, walked.absolute, walked.display, None,
                f"directory not walked (nested deeper than {max_depth} levels)",
            )


def _walked(
    root: Path, excludes: list[str], ignore_filter, max_depth: int | None, listings: DirectoryListings | None,
) -> Iterator[tuple[WalkedDirectory, int]]:
    """walk_directories' walk, each directory with its depth below the root."""
    names = _DisplayNames()
    given = str(root)
    absolute_root = os.path.abspath(given)
    root_display = display_path(root)
    # (path as given, absolute, display when outside the current directory, depth)
    pending: list[tuple[str, str, str, int]] = [(given, absolute_root, root_display, 0)]
    fast_filter = getattr(ignore_filter, "ignored_entry", None)
    note_listing = getattr(ignore_filter, "note_listing", None)
    while pending:
        directory, absolute, outside, depth = pending.pop()
        display = names.of(absolute, outside) if depth else root_display
        listing = listings.list(directory, absolute) if listings is not None else _list_directory(directory)
        if isinstance(listing, str):
            yield WalkedDirectory(directory, absolute, display, None, f"directory not walked ({listing})"), depth
            continue
        files, subdirectories, git_entries = listing
        if note_listing is not None:
            note_listing(absolute, git_entries)
        walked = WalkedDirectory(directory, absolute, display, files)
        yield walked, depth
        prefix = walked.prefix
        outside_prefix = "" if outside == "." else outside if outside.endswith("/") else outside + "/"
        kept = [
            name for name in sorted(subdirectories)
            if name not in SKIP_DIRECTORIES and not name.endswith(".egg-info")
            and not (excludes and _excluded(prefix + name, excludes))
            and not (ignore_filter and (
                fast_filter(absolute, name, True) if fast_filter else ignore_filter(Path(directory, name), True)
            ))
        ]
        path_prefix = directory if directory.endswith(os.sep) else directory + os.sep
        absolute_prefix = absolute if absolute.endswith(os.sep) else absolute + os.sep
        for name in reversed(kept):
            if max_depth is not None and depth + 1 > max_depth:
                yield WalkedDirectory(
                    path_prefix + name, absolute_prefix + name, prefix + name, None,
                    f"directory not walked (nested deeper than {max_depth} levels)",
                ), depth + 1
            else:
                pending.append((path_prefix + name, absolute_prefix + name, outside_prefix + name, depth + 1))


def _walk(
    root: Path, excludes: list[str], enabled_kinds: set[str] | None, ignore_filter, found: dict[str, DiscoveredFile],
    listings: DirectoryListings | None = None,
) -> None:
    """Every file under root kafkalint reads; a directory that cannot be listed, or is nested
    too deep, and a file symlinked from outside the tree are recorded as refused rather than
    skipped in silence."""
    boundary: str | None = None  # found when a symlink needs it
    fast_filter = getattr(ignore_filter, "ignored_entry", None)
    for directory in walk_directories(root, excludes, ignore_filter, listings=listings):
        if directory.files is None:
            found.setdefault(directory.display, DiscoveredFile(directory.path, directory.display, "directory", directory.refused))
            continue
        prefix = directory.prefix
        path_prefix = directory.path if directory.path.endswith(os.sep) else directory.path + os.sep
        for name, is_link in directory.files:
            kind = classify(name, enabled_kinds)
            if kind is None:
                continue
            display = prefix + name
            if excludes and _excluded(display, excludes):
                continue
            if ignore_filter and (
                fast_filter(directory.absolute, name, False) if fast_filter else ignore_filter(Path(directory.path, name), False)
            ):
                continue
            full = path_prefix + name
            refused = None
            if is_link and os.path.exists(full):
                if boundary is None:
                    boundary = _tree_boundary(root)
                if not _inside(full, boundary):
                    # Read, it would print another file's lines under this name.
                    refused = "a symbolic link to a file outside the linted tree; not followed"
            found.setdefault(display, DiscoveredFile(full, display, kind, refused))
