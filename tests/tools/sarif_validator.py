"""Microsoft's SARIF validator (`@microsoft/sarif-multitool` from npm) for the SARIF test.

Installed with npm into a cache folder outside the repository (KAFKALINT_TOOLS_CACHE, else
~/.cache/kafkalint-tools), pinned, once per machine:

    python -m tests.tools.sarif_validator install     # what .ci/run calls
    python -m tests.tools.sarif_validator path        # prints the validator binary

The npm package's `sarif-multitool` launcher passes its arguments through a shell, which
splits `--rule-kind "Sarif;Gh"` at the semicolon; so the platform binary is run directly.
"""

from __future__ import annotations

import os
import platform
import shutil
import stat
import subprocess
import sys
from pathlib import Path

PACKAGE = "@microsoft/sarif-multitool"
VERSION = "5.7.0"


class ValidatorUnavailable(Exception):
    """npm is missing, or installing the validator failed; the message says which."""


def cache_dir() -> Path:
    configured = os.environ.get("KAFKALINT_TOOLS_CACHE")
    base = Path(configured) if configured else Path.home() / ".cache" / "kafkalint-tools"
    return base / f"sarif-multitool-{VERSION}"


def _platform_package() -> str:
    system = platform.system()
    if system == "Linux":
        return "sarif-multitool-linux"
    if system == "Darwin":
        return "sarif-multitool-darwin"
    if system == "Windows":
        return "sarif-multitool-win32"
    raise ValidatorUnavailable(f"no SARIF multitool build for {system}")


def binary_path() -> Path:
    name = "Sarif.Multitool.exe" if platform.system() == "Windows" else "Sarif.Multitool"
    return cache_dir() / "node_modules" / "@microsoft" / _platform_package() / name


def installed() -> Path | None:
    path = binary_path()
    return path if path.is_file() else None


def install() -> Path:
    existing = installed()
    if existing is not None:
        return existing
    npm = shutil.which("npm")
    if npm is None:
        raise ValidatorUnavailable("npm is not installed, so the SARIF validator cannot be installed")
    target = cache_dir()
    target.mkdir(parents=True, exist_ok=True)
    completed = subprocess.run(
        [npm, "install", "--prefix", str(target), "--no-audit", "--no-fund", "--no-save", f"{PACKAGE}@{VERSION}"],
        capture_output=True, text=True, timeout=600,
    )
    path = binary_path()
    if completed.returncode != 0 or not path.is_file():
        raise ValidatorUnavailable(
            f"npm install {PACKAGE}@{VERSION} failed (exit {completed.returncode}): {completed.stderr.strip()[-500:]}"
        )
    # The package's postinstall (chmod u+x) may be skipped by npm's install-script policy.
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "install"
    try:
        if command == "install":
            print(install())
            return 0
        if command == "path":
            path = installed()
            if path is None:
                print("not installed; run: python -m tests.tools.sarif_validator install", file=sys.stderr)
                return 1
            print(path)
            return 0
    except ValidatorUnavailable as error:
        print(f"sarif validator: {error}", file=sys.stderr)
        return 1
    print("usage: python -m tests.tools.sarif_validator [install|path]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
