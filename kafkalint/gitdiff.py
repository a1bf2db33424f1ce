"""`--diff-base REF`: the files changed since a git ref (committed, staged, unstaged or new).

Asks git itself (`git diff --name-only REF` plus untracked, not ignored files), keeps the files
under the paths the user gave, and returns them as paths relative to the current directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


def _git(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, text=True, timeout=120)


def changed_files(ref: str, paths: list[Path]) -> list[Path]:
    """Existing files changed since `ref` under `paths`; ValueError with one sentence when the
    ref or the repository cannot be used."""
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
    diff = _git(["-c", "core.quotepath=off", "diff", "--name-only", "-z", "--no-renames", "--diff-filter=ACMRT", commit, "--"], root)
    untracked = _git(["-c", "core.quotepath=off", "ls-files", "-z", "--others", "--exclude-standard"], root)
    if diff.returncode != 0 or untracked.returncode != 0:
        raise ValueError(f"--diff-base {ref}: git diff failed: {(diff.stderr or untracked.stderr).strip().splitlines()[-1:]}")
    names = {name for name in (diff.stdout + untracked.stdout).split("\0") if name}
    scopes = [path.resolve() for path in (paths or [Path(".")])]
    selected: list[Path] = []
    for name in sorted(names):
        absolute = (root / name).resolve()
        if not absolute.is_file():
            continue
        if not any(absolute == scope or scope in absolute.parents for scope in scopes):
            continue
        relative = os.path.relpath(absolute, here)
        selected.append(Path(relative))
    return selected
