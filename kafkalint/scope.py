"""Context vs scope: the project every rule sees, and the files findings are reported on.

The project root is the settings file's folder, else the git work tree's top, else the common
parent of the paths the user named. Every Kafka-relevant file under it is read (the context), so
a cross-file rule sees both files of a pair whatever was named. Findings are then reported only
on the files the user named or changed (the scope): a finding belongs to the file of its primary
location when that file is in scope, else to the first in-scope file among its related locations.

pre-commit may split the staged files into several runs ("batches"). Each batch reads the whole
project, and `home` picks one file per finding from the *whole* set pre-commit passes (the staged
files), so a finding appears in exactly one batch.

Relation to kafkalint/scopes.py (per-folder settings): the CLI first splits the named paths into
settings scopes, one run each; this module then gives each run its context. `project_root` is
called with that scope's settings file, which holds the scope's paths by construction, so the
root is the settings file's folder; a settings file that does not hold them (`--config` from
elsewhere, one in a home folder) roots nothing and the git root or common parent is used.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kafkalint.discovery import display_path
from kafkalint.model import Finding, Location


def git_top(start: Path) -> Path | None:
    """The work tree's top folder, found by looking for `.git` upward (no subprocess)."""
    directory = start.resolve()
    for folder in (directory, *directory.parents):
        if (folder / ".git").exists():
            return folder
    return None


def project_root(paths: list[Path], settings_source: str | None) -> Path:
    """The settings file's folder, else the git root above the paths, else their common parent."""
    absolute = [path.resolve() for path in paths] or [Path.cwd().resolve()]
    if settings_source:
        folder = Path(settings_source).resolve().parent
        # A settings file that does not hold the paths (one in a home folder, say) is not
        # theirs to root: reading everything under it could mean a whole disk.
        if all(path == folder or folder in path.parents for path in absolute):
            return folder
    folders = [path if path.is_dir() else path.parent for path in absolute]
    try:
        common = Path(os.path.commonpath([str(folder) for folder in folders]))
    except ValueError:  # different drives
        return folders[0]
    return git_top(common) or common


@dataclass(slots=True)
class ReportScope:
    """The files (display paths) findings are reported on, and optionally only some lines.

    `files`: this run's files. `candidates`: every file any run of the same batch set is given
    (pre-commit's staged files), used to pick a finding's one home; it holds `files`.
    `lines`: for --changed-lines-only, display path -> changed line numbers (None: whole file).
    """

    files: frozenset[str]
    candidates: frozenset[str] = frozenset()
    lines: dict[str, frozenset[int] | None] | None = None
    prefixes: tuple[str, ...] = field(default=())

    def holds(self, path: str) -> bool:
        return path in self.files or any(path.startswith(prefix) for prefix in self.prefixes)

    def _candidate(self, path: str) -> bool:
        return self.holds(path) or path in self.candidates

    def home(self, finding: Finding) -> str | None:
        """The one file this finding is reported on, or None when none of its files is in scope."""
        if self._candidate(finding.location.path):
            return finding.location.path
        for location in finding.related:
            if self._candidate(location.path):
                return location.path
        return None

    def _on_changed_line(self, location: Location) -> bool:
        assert self.lines is not None
        if location.path not in self.lines:
            return False
        changed = self.lines[location.path]
        if changed is None:
            return True
        last = location.end_line or location.line
        return any(line in changed for line in range(location.line, max(last, location.line) + 1))

    def keeps(self, finding: Finding) -> bool:
        if finding.name == "internal-error":
            # A step of kafkalint that failed may have hidden findings on these files, wherever
            # it is located (a rule over the whole project is located at the project's first file).
            return True
        home = self.home(finding)
        if home is None or not self.holds(home):
            return False
        if self.lines is None:
            return True
        return any(self._on_changed_line(location) for location in (finding.location, *finding.related) if self.holds(location.path))

    def filter(self, findings: list[Finding]) -> list[Finding]:
        return [finding for finding in findings if self.keeps(finding)]


def _git_names(root: Path, arguments: list[str]) -> frozenset[str] | None:
    """Display paths of the files a git listing names, or None when git cannot say."""
    import subprocess  # only under pre-commit: ~10 ms of start-up every other run saves

    try:
        listed = subprocess.run(["git", "-c", "core.quotepath=off", *arguments], cwd=root, capture_output=True, text=True, timeout=60)
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    if listed.returncode != 0 or top.returncode != 0:
        return None
    base = Path(top.stdout.strip())
    return frozenset(display_path(base / name) for name in listed.stdout.split("\0") if name)


def batch_candidates(given: frozenset[str], root: Path) -> frozenset[str]:
    """Display paths every batch of this invocation could be given.

    Under pre-commit (it sets PRE_COMMIT=1) the files of all batches are the staged files on a
    commit, and the tracked files with `--all-files`: when this run's files are among the staged
    (else the tracked) files, so are the other batches'. Anywhere else the run is the only one."""
    if os.environ.get("PRE_COMMIT") != "1" or not given:
        return given
    staged = _git_names(root, ["diff", "--cached", "--name-only", "-z", "--diff-filter=ACMRT"])
    if staged is not None and given <= staged:
        return staged
    tracked = _git_names(root, ["ls-files", "-z", "--cached"])
    if tracked is not None and given <= tracked:
        return tracked
    return given
