"""Which files discovery skips beyond its built-in list: what git ignores, and the user's
`exclude` globs read relative to the settings file.

A small reading of gitignore(5): per-directory `.gitignore` files plus `.git/info/exclude`,
negation, directory-only and anchored patterns, `*`, `?`, `[...]` and `**`. Only inside a git
work tree, as git itself and ripgrep do, so a stray .gitignore elsewhere changes nothing.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from kafkalint.settings import Settings


@dataclass(slots=True, frozen=True)
class IgnorePattern:
    regex: re.Pattern[str]
    negated: bool
    directory_only: bool


def _translate(body: str) -> str:
    """A gitignore glob (no leading `!`, no trailing `/`) as a regex over a relative posix path."""
    anchored = "/" in body
    body = body.lstrip("/")
    out: list[str] = []
    index = 0
    length = len(body)
    while index < length:
        char = body[index]
        if char == "*" and body[index : index + 2] == "**":
            at_start = index == 0
            before_slash = at_start or body[index - 1] == "/"
            after = body[index + 2 : index + 3]
            if before_slash and after == "/":  # `**/` : zero or more directories
                out.append("(?:.*/)?")
                index += 3
                continue
            if before_slash and after == "":  # trailing `/**`: everything inside
                out.append(".*")
                index += 2
                continue
            out.append("[^/]*")
            index += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            close = body.find("]", index + 2 if body[index + 1 : index + 2] in ("!", "^") else index + 1)
            if close < 0:
                out.append(re.escape(char))
            else:
                inner = body[index + 1 : close]
                if inner[:1] in ("!", "^"):
                    inner = "^" + inner[1:]
                out.append("[" + inner.replace("\\", "\\\\") + "]")
                index = close + 1
                continue
        elif char == "\\" and index + 1 < length:
            out.append(re.escape(body[index + 1]))
            index += 2
            continue
        else:
            out.append(re.escape(char))
        index += 1
    prefix = "" if anchored else "(?:.*/)?"
    return prefix + "".join(out)


def parse_gitignore(text: str) -> list[IgnorePattern]:
    patterns: list[IgnorePattern] = []
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if not line or line.startswith("#"):
            continue
        # Trailing spaces are ignored unless escaped with a backslash.
        stripped = line.rstrip(" ")
        if stripped.endswith("\\") and len(stripped) < len(line):
            stripped += " "
        line = stripped
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        elif line.startswith("\\!") or line.startswith("\\#"):
            line = line[1:]
        directory_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        patterns.append(IgnorePattern(re.compile(_translate(line) + r"\Z"), negated, directory_only))
    return patterns


class GitignoreMatcher:
    """Answers `ignored(path, is_dir)` for absolute paths, caching each directory's patterns."""

    def __init__(self, explicit_roots: set[str] | frozenset[str] = frozenset()) -> None:
        # Directories the user named: linted even when ignored, like the files inside them
        # that no pattern of their own ignores (`kafkalint check build/` means it).
        self._explicit_roots = explicit_roots
        self._patterns: dict[str, list[IgnorePattern]] = {}
        self._repo_roots: dict[str, str | None] = {}
        self._directory_verdicts: dict[str, bool] = {}

    def _repo_root(self, directory: str) -> str | None:
        if directory in self._repo_roots:
            return self._repo_roots[directory]
        if os.path.exists(os.path.join(directory, ".git")):
            root: str | None = directory
        else:
            parent = os.path.dirname(directory)
            root = None if parent == directory else self._repo_root(parent)
        self._repo_roots[directory] = root
        return root

    def _patterns_of(self, directory: str, repo_root: str) -> list[IgnorePattern]:
        if directory not in self._patterns:
            patterns: list[IgnorePattern] = []
            sources = [os.path.join(directory, ".gitignore")]
            if directory == repo_root:
                sources.insert(0, os.path.join(directory, ".git", "info", "exclude"))
            for source in sources:
                try:
                    with open(source, encoding="utf-8", errors="replace") as handle:
                        patterns.extend(parse_gitignore(handle.read()))
                except OSError:
                    continue
            self._patterns[directory] = patterns
        return self._patterns[directory]

    def ignored(self, path: Path | str, is_dir: bool) -> bool:
        absolute = os.path.abspath(path)
        parent = os.path.dirname(absolute)
        repo_root = self._repo_root(parent)
        if repo_root is None or absolute == repo_root or absolute in self._explicit_roots:
            return False
        # Git never looks inside an ignored directory, so nothing under it can come back.
        if parent != repo_root and self._directory_ignored(parent, repo_root):
            return True
        return self._matches(absolute, is_dir, repo_root)

    def _directory_ignored(self, directory: str, repo_root: str) -> bool:
        if directory in self._explicit_roots:
            return False
        if directory not in self._directory_verdicts:
            parent = os.path.dirname(directory)
            verdict = (parent != repo_root and self._directory_ignored(parent, repo_root)) or self._matches(
                directory, True, repo_root
            )
            self._directory_verdicts[directory] = verdict
        return self._directory_verdicts[directory]

    def _matches(self, absolute: str, is_dir: bool, repo_root: str) -> bool:
        verdict = False
        relative_to_root = os.path.relpath(absolute, repo_root).replace(os.sep, "/")
        parts = relative_to_root.split("/")
        directory = repo_root
        # From the repository root down: a deeper .gitignore overrides a shallower one, and
        # within a file the last matching pattern wins.
        for depth in range(len(parts)):
            relative = "/".join(parts[depth:])
            for pattern in self._patterns_of(directory, repo_root):
                if pattern.directory_only and not is_dir:
                    continue
                if pattern.regex.match(relative):
                    verdict = not pattern.negated
            directory = os.path.join(directory, parts[depth])
        return verdict


def _glob_matches(relative: str, pattern: str) -> bool:
    if pattern.startswith("./"):
        pattern = pattern[2:]
    if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern.rstrip("/") + "/*"):
        return True
    return "/" not in pattern and any(fnmatch.fnmatch(part, pattern) for part in relative.split("/"))


def relative_to_root(path: Path | str, root: str | None) -> str | None:
    """The path relative to the settings file's directory, `/`-separated; None when outside it."""
    if root is None:
        return None
    relative = os.path.relpath(os.path.abspath(path), root)
    if relative == ".." or relative.startswith(".." + os.sep):
        return None
    return relative.replace(os.sep, "/")


def discovery_ignore_filter(settings: Settings, roots: list[Path] | None = None) -> Callable[[Path, bool], bool] | None:
    """The `ignore_filter` discovery calls for every directory and file it walks into under
    `roots`, the paths the user named."""
    explicit = frozenset(os.path.abspath(root) for root in roots or [] if os.path.isdir(root))
    matcher = GitignoreMatcher(explicit) if settings.respect_gitignore else None
    root_excludes = settings.exclude if settings.root is not None else []
    skipped = settings.skip_folders
    if matcher is None and not root_excludes and not skipped:
        return None

    def ignored(path: Path, is_dir: bool) -> bool:
        if is_dir and skipped and os.path.abspath(path) in skipped:
            return True
        if root_excludes:
            relative = relative_to_root(path, settings.root)
            if relative is not None and any(_glob_matches(relative, pattern) for pattern in root_excludes):
                return True
        return matcher is not None and matcher.ignored(path, is_dir)

    return ignored
