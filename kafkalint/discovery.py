"""Discovery: walk the paths, drop what cannot concern Kafka, classify the rest by name.

Classification is by file name and extension only, as kafkalint/formats.py says; the byte sniff
happens in sources/ on bytes already read, so every file is opened at most once.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

from kafkalint.formats import format_named, format_of

SKIP_DIRECTORIES = {
    ".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", "dist", "build", ".idea",
    ".gradle", "target", ".eggs",
}


@dataclass(slots=True, frozen=True)
class DiscoveredFile:
    path: Path
    display: str
    kind: str
    # Why the walk did not read this entry (an unreadable directory, a symlink out of the
    # tree): it becomes a finding, so a run that could not look everywhere is not green.
    refused: str | None = None


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
) -> list[DiscoveredFile]:
    """Files under the paths, sorted, each once. Explicitly named files are always kept."""
    excludes = excludes or []
    found: dict[str, DiscoveredFile] = {}
    for root in paths:
        if root.is_file():
            kind = classify(root.name, enabled_kinds, named_explicitly=True)
            if kind is not None:
                display = display_path(root)
                found.setdefault(display, DiscoveredFile(root, display, kind))
            continue
        _walk(root, excludes, enabled_kinds, ignore_filter, found)
    return [found[key] for key in sorted(found)]


def _tree_boundary(root: Path) -> str:
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


def _walk(root: Path, excludes: list[str], enabled_kinds: set[str] | None, ignore_filter, found: dict[str, DiscoveredFile]) -> None:
    """Every file under root, without following symlinked directories; a directory that
    cannot be listed, or is nested too deep, and a file symlinked from outside the tree are
    recorded as refused rather than skipped in silence."""
    boundary = _tree_boundary(root)
    pending: list[tuple[str, int]] = [(str(root), 0)]
    while pending:
        directory, depth = pending.pop()
        # One relpath per directory, not per file: it dominates the walk of a large tree.
        prefix = display_path(Path(directory))
        here = prefix
        prefix = "" if prefix == "." else prefix + "/"
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            reason = "permission denied" if isinstance(error, PermissionError) else (error.strerror or str(error))
            found.setdefault(here, DiscoveredFile(Path(directory), here, "directory", f"directory not walked ({reason})"))
            continue
        subdirectories: list[str] = []
        for entry in entries:
            name = entry.name
            try:
                is_directory = entry.is_dir()  # follows a symlink: a linked directory is not walked
                is_link = entry.is_symlink()
            except OSError:
                is_directory = is_link = False
            if is_directory:
                if not is_link:
                    subdirectories.append(name)
                continue
            kind = classify(name, enabled_kinds)
            if kind is None:
                continue
            display = prefix + name
            full = Path(directory, name)
            if (excludes and _excluded(display, excludes)) or (ignore_filter and ignore_filter(full, False)):
                continue
            refused = None
            if is_link and os.path.exists(full) and not _inside(str(full), boundary):
                # Read, it would print another file's lines under this name.
                refused = "a symbolic link to a file outside the linted tree; not followed"
            found.setdefault(display, DiscoveredFile(full, display, kind, refused))
        kept = [
            name for name in subdirectories
            if name not in SKIP_DIRECTORIES and not name.endswith(".egg-info")
            and not _excluded(prefix + name, excludes)
            and not (ignore_filter and ignore_filter(Path(directory) / name, True))
        ]
        for name in reversed(kept):
            if depth + 1 > MAX_DIRECTORY_DEPTH:
                display = prefix + name
                found.setdefault(display, DiscoveredFile(
                    Path(directory, name), display, "directory",
                    f"directory not walked (nested deeper than {MAX_DIRECTORY_DEPTH} levels)",
                ))
            else:
                pending.append((os.path.join(directory, name), depth + 1))
