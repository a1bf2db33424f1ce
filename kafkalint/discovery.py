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
        for directory, subdirectories, files in os.walk(root):
            # One relpath per directory, not per file: it dominates the walk of a large tree.
            prefix = display_path(Path(directory))
            prefix = "" if prefix == "." else prefix + "/"
            subdirectories[:] = sorted(
                name for name in subdirectories
                if name not in SKIP_DIRECTORIES and not name.endswith(".egg-info")
                and not _excluded(prefix + name, excludes)
                and not (ignore_filter and ignore_filter(Path(directory) / name, True))
            )
            for name in sorted(files):
                kind = classify(name, enabled_kinds)
                if kind is None:
                    continue
                display = prefix + name
                full = Path(directory, name)
                if (excludes and _excluded(display, excludes)) or (ignore_filter and ignore_filter(full, False)):
                    continue
                found.setdefault(display, DiscoveredFile(full, display, kind))
    return [found[key] for key in sorted(found)]
