"""The official AsyncAPI parser (`@asyncapi/parser` from npm) for the AsyncAPI test.

Installed with npm into a cache folder outside the repository (KAFKALINT_TOOLS_CACHE, else
~/.cache/kafkalint-tools), pinned, once per machine, like the SARIF validator:

    python -m tests.tools.asyncapi_validator install     # what .ci/run calls
    python -m tests.tools.asyncapi_validator check FILE  # prints the parser's diagnostics

`diagnostics(text)` runs the parser under node on a document and returns its diagnostics
(code, message, severity, path); severity 0 is an error, 1 a warning, 2 information, 3 a hint.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

PACKAGE = "@asyncapi/parser"
VERSION = "3.6.6"
ERROR = 0

# Reads the document on stdin, prints the diagnostics as JSON; exit 3 when the parser throws.
_SCRIPT = """
const { Parser } = require(process.argv[1]);
const fs = require('fs');
(async () => {
  const { diagnostics } = await new Parser().parse(fs.readFileSync(0, 'utf8'));
  process.stdout.write(JSON.stringify(diagnostics.map(d => ({code: d.code, message: d.message, severity: d.severity, path: d.path}))));
})().catch(error => { console.error(String(error)); process.exit(3); });
"""


class ParserUnavailable(Exception):
    """node/npm is missing, or installing the parser failed; the message says which."""


def cache_dir() -> Path:
    configured = os.environ.get("KAFKALINT_TOOLS_CACHE")
    base = Path(configured) if configured else Path.home() / ".cache" / "kafkalint-tools"
    return base / f"asyncapi-parser-{VERSION}"


def package_path() -> Path:
    return cache_dir() / "node_modules" / "@asyncapi" / "parser"


def installed() -> Path | None:
    path = package_path()
    return path if (path / "package.json").is_file() and shutil.which("node") else None


def install() -> Path:
    existing = installed()
    if existing is not None:
        return existing
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise ParserUnavailable("node/npm is not installed, so the AsyncAPI parser cannot be installed")
    target = cache_dir()
    target.mkdir(parents=True, exist_ok=True)
    completed = subprocess.run(
        [npm, "install", "--prefix", str(target), "--no-audit", "--no-fund", "--no-save", f"{PACKAGE}@{VERSION}"],
        capture_output=True, text=True, timeout=900,
    )
    if completed.returncode != 0 or installed() is None:
        raise ParserUnavailable(
            f"npm install {PACKAGE}@{VERSION} failed (exit {completed.returncode}): {completed.stderr.strip()[-500:]}"
        )
    return package_path()


def diagnostics(text: str) -> list[dict[str, Any]]:
    package = installed()
    if package is None:
        raise ParserUnavailable(f"{PACKAGE} is not installed: run python -m tests.tools.asyncapi_validator install")
    completed = subprocess.run(
        [shutil.which("node") or "node", "-e", _SCRIPT, str(package)],
        input=text, capture_output=True, text=True, timeout=300,
    )
    if completed.returncode != 0:
        raise AssertionError(f"the AsyncAPI parser failed (exit {completed.returncode}): {completed.stderr.strip()[-1000:]}")
    return json.loads(completed.stdout)


def main(argv: list[str]) -> int:
    if argv[:1] == ["install"]:
        try:
            print(install())
        except ParserUnavailable as error:
            print(error, file=sys.stderr)
            return 1
        return 0
    if len(argv) == 2 and argv[0] == "check":
        found = diagnostics(Path(argv[1]).read_text(encoding="utf-8"))
        print(json.dumps(found, indent=2))
        return 1 if any(item["severity"] == ERROR for item in found) else 0
    print("usage: python -m tests.tools.asyncapi_validator install | check FILE", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
