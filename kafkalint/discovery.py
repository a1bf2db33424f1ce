"""Discovery: walk the paths, drop what cannot concern Kafka, classify the rest by name.

Classification is by file name and extension only; content sniffing happens in sources/ on
bytes already read, so every file is opened at most once.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

SKIP_DIRECTORIES = {
    ".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", "dist", "build", ".idea",
    ".gradle", "target", ".eggs",
}

_EXTENSIONS = {
    ".properties": "properties",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".py": "python",
    ".pyi": None,
}

# Exact names of files that carry client versions or other non-config facts.
NAMED_KINDS: dict[str, str] = {
    "pyproject.toml": "pyproject", "setup.cfg": "setup-cfg", "Pipfile": "pipfile", "poetry.lock": "lock",
    "uv.lock": "lock", "pom.xml": "pom", "build.gradle": "gradle", "build.gradle.kts": "gradle",
    "libs.versions.toml": "gradle-catalog",
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


def classify(name: str, enabled_kinds: set[str] | None = None) -> str | None:
    named = NAMED_KINDS.get(name)
    if named is None:
        for pattern, kind in NAMED_PATTERNS:
            if fnmatch.fnmatch(name, pattern):
                named = kind
                break
    if named is not None:
        return named
    dot = name.rfind(".")
    if dot < 0:
        return None
    kind = _EXTENSIONS.get(name[dot:].lower())
    if kind is None:
        return None
    if enabled_kinds is not None and kind not in enabled_kinds:
        return None
    return kind


# Glob patterns of file names with a kind of their own (requirements*.txt, ...).
NAMED_PATTERNS: list[tuple[str, str]] = [("*requirements*.txt", "requirements")]


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
            kind = classify(root.name, enabled_kinds) or _explicit_kind(root)
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


def _explicit_kind(path: Path) -> str | None:
    """A file the user named explicitly is read even with an unusual extension, as properties
    when it looks like `key=value` lines; otherwise it is not a configuration we know."""
    if path.suffix.lower() in (".conf", ".config"):
        return "properties"
    return None
