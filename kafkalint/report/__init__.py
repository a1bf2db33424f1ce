"""Reports render findings; they never decide anything. One module per output format."""

from __future__ import annotations

import importlib
from typing import Callable

FORMATS: dict[str, str] = {
    "text": "kafkalint.report.text",
    "json": "kafkalint.report.json_report",
    "sarif": "kafkalint.report.sarif",
    "github": "kafkalint.report.github",
    "junit": "kafkalint.report.junit",
    "gitlab": "kafkalint.report.gitlab",
    "markdown": "kafkalint.report.markdown",
}


def renderer(name: str) -> Callable[..., str]:
    return getattr(importlib.import_module(FORMATS[name]), "render")
