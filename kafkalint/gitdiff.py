"""`--diff-base REF`: the files (and lines) changed on this branch since it left REF.

Like a pull request's diff (`REF...HEAD`): changes are taken from the merge base of REF and
HEAD, so what happened on REF since the branch was cut is not "changed" here. Committed, staged
and unstaged changes and new (untracked, not ignored) files all count. Asks git itself, keeps
the files under the paths the user gave, and returns them as paths relative to the current
directory, with their changed line numbers for `--changed-lines-only`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from kafkalint.discovery import display_path


@dataclass(slots=True)
class ChangedFiles:
    paths: list[Path]
    # display path -> changed (new-side) line numbers; None: the whole file is new.
    lines: dict[str, frozenset[int] | None] = field(default_factory=dict)
    merge_base: str = ""


def _git(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, text=True, timeout=120)


_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


def changed_lines_of(diff_text: str) -> dict[str, frozenset[int]]:
    """`git diff -U0` output -> repository path -> added or changed line numbers (new side)."""
    found: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in diff_text.splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            current = None if name == "/dev/null" else found.setdefault(name[2:] if name.startswith("b/") else name, set())
            continue
        if current is None or not line.startswith("@@"):
            continue
        match = _HUNK.match(line)
        if match is None:
            continue
        start = int(match.group(1))
        count = int(match.group(2)) if match.group(2) is not None else 1
        current.update(range(start, start + count))
    return {name: frozenset(lines) for name, lines in found.items()}


def changed_files(ref: str, paths: list[Path]) -> ChangedFiles:
    """Existing files changed since the merge base of `ref` and HEAD under `paths`; ValueError
    with one sentence when the ref or the repository cannot be used."""
    if shutil.which("git") is None:
        raise ValueError("--diff-base needs git, which is not installed")
    here = Path.cwd()
    top = _git(["rev-parse", "--show-toplevel"], here)
    if top.returncode != 0:
        raise ValueError(f"--diff-base {ref}: {here} is not inside a git repository")
    root = Path(top.stdout.strip())
    if ref.startswith("-"):
        raise ValueError(f"--diff-base {ref}: not a git ref")
    verified = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root)
    if verified.returncode != 0:
        raise ValueError(f"--diff-base {ref}: no such commit, branch or tag in {root} (fetch it first in a shallow CI clone)")
    commit = verified.stdout.strip()
    base = _git(["merge-base", commit, "HEAD"], root)
    if base.returncode != 0:
        raise ValueError(f"--diff-base {ref}: it has no common history with HEAD (fetch more history: fetch-depth: 0)")
    merge_base = base.stdout.strip()
    common = ["-c", "core.quotepath=off", "diff", "--no-renames", "--diff-filter=ACMRT", "--no-ext-diff", "--no-color"]
    diff = _git([*common, "-U0", merge_base, "--"], root)
    untracked = _git(["-c", "core.quotepath=off", "ls-files", "-z", "--others", "--exclude-standard"], root)
    if diff.returncode != 0 or untracked.returncode != 0:
        raise ValueError(f"--diff-base {ref}: git diff failed: {(diff.stderr or untracked.stderr).strip().splitlines()[-1:]}")
    by_name: dict[str, frozenset[int] | None] = dict(changed_lines_of(diff.stdout))
    for name in untracked.stdout.split("\0"):
        if name:
            by_name[name] = None
    scopes = [path.resolve() for path in (paths or [Path(".")])]
    selected = ChangedFiles([], {}, merge_base)
    for name in sorted(by_name):
        absolute = (root / name).resolve()
        if not absolute.is_file():
            continue
        if not any(absolute == scope or scope in absolute.parents for scope in scopes):
            continue
        selected.paths.append(Path(os.path.relpath(absolute, here)))
        selected.lines[display_path(absolute)] = by_name[name]
    return selected
