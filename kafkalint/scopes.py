"""Which settings apply to which files: the settings file nearest to each linted file, as ruff
does. `kafkalint check cfg` uses `cfg/pyproject.toml`; `kafkalint check .` lints `cfg/` with
the settings of `cfg/` and the rest with the settings found from `.` upward.

Each settings file makes a scope, linted in a run of its own (a folder with its own settings is
a project of its own). Within a run, kafkalint/scope.py widens what is *read*: the project root
of a scope is its settings file's folder (the nearest settings file holding the scope's paths,
which is how scopes are formed here), else the git root, else the common parent of the paths;
everything under that root is read for the cross-file rules, minus the folders of nested scopes
(`skip_folders`), and findings are reported only on the scope's own paths.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from kafkalint.discovery import DirectoryListings
from kafkalint.settings import Settings, find_settings_file, settings_file_in


@dataclass(slots=True)
class Scope:
    """Paths linted with one settings file, and those settings."""

    start: Path | None  # the folder the settings file is searched from, upward
    paths: list[Path] = field(default_factory=list)
    stdin: bool = False  # the stdin content (--stdin-filename) belongs here
    settings: Settings = field(default_factory=Settings)
    # The directory listings the search for nested settings made, shared by every scope of
    # the command so that discovery does not list the same directories again.
    listings: DirectoryListings | None = None


def plan_scopes(paths: list[Path], stdin_name: str | None, load: Callable[[Path | None], Settings]) -> list[Scope]:
    """The paths grouped by nearest settings file, then split where a folder under them has a
    settings file of its own. `load(start)` gives the settings found from `start` upward, with
    the command line applied."""
    named: dict[Path | None, Scope] = {}

    def scope_of(start: Path) -> Scope:
        found = find_settings_file(start)
        return named.setdefault(found[0] if found is not None else None, Scope(start))

    for path in paths:
        scope_of(path if path.is_dir() else path.parent).paths.append(path)
    if stdin_name is not None:
        scope_of(Path(stdin_name).parent).stdin = True
    if not named:
        named[None] = Scope(None)
    named_folders = {os.path.abspath(path) for path in paths if path.is_dir()}
    listings = DirectoryListings()
    scopes: list[Scope] = []
    for scope in named.values():
        scope.settings = load(scope.start)
        scope.listings = listings
        nested = [
            folder
            for path in scope.paths if path.is_dir()
            for folder in nested_settings_folders(path, scope.settings, listings)
            if os.path.abspath(folder) not in named_folders  # named itself: a scope already
        ]
        scope.settings.skip_folders = frozenset(os.path.abspath(folder) for folder in nested)
        scopes.append(scope)
        for folder in nested:
            inner = Scope(folder, [folder], settings=load(folder), listings=listings)
            inner.settings.skip_folders = frozenset(
                os.path.abspath(other) for other in nested if other != folder and _is_within(other, folder)
            )
            scopes.append(inner)
    return scopes


def nested_settings_folders(directory: Path, settings: Settings, listings: DirectoryListings | None = None) -> list[Path]:
    """Folders strictly below `directory` that hold a settings file, in the part of the tree
    these settings let kafkalint walk (excludes, .gitignore and the always-skipped folders).
    `listings` keeps what was listed for discovery to reuse (see DirectoryListings)."""
    from kafkalint.discovery import walk_directories
    from kafkalint.gitignore import discovery_ignore_filter
    from kafkalint.settings import SETTINGS_FILE_NAMES

    ignored = listings.ignore_filter(settings, [directory]) if listings is not None else discovery_ignore_filter(settings, [directory])
    found: list[Path] = []
    # Any depth: a folder too deep for discovery is reported by it, but settings below it
    # still make a scope of their own, as before the walk was shared.
    for folder in walk_directories(directory, settings.exclude, ignored, max_depth=None, listings=listings):
        if folder.files is None or folder.path == str(directory):
            continue
        if any(name in SETTINGS_FILE_NAMES for name, _is_link in folder.files) and settings_file_in(Path(folder.path)) is not None:
            found.append(Path(folder.path))
    return found


def _is_within(path: Path, folder: Path) -> bool:
    return os.path.abspath(path).startswith(os.path.abspath(folder) + os.sep)
