"""Values filled in after the file is written: they are unknown, never judged.

`${env:X}` / `${file:...}` (Kafka config providers), `${X}` (Spring, Quarkus, envsubst),
`{{ .Values.x }}` (Helm, Jinja, Go templates) and a bare `$X` (envsubst in container
entrypoints) all mean the real value is only known at deploy or run time.
"""

from __future__ import annotations

import re
from typing import Any

_PLACEHOLDER = re.compile(r"\$\{[^}]*\}?|\{\{.*?\}\}|^\s*\$[A-Za-z_][A-Za-z0-9_]*\s*$")


def is_placeholder(text: str) -> bool:
    """True when the text is, or contains, a placeholder."""
    return bool(_PLACEHOLDER.search(text))


def holds_placeholder(value: Any) -> bool:
    """A written value (text or list of texts) that is, or contains, a placeholder."""
    if isinstance(value, str):
        return is_placeholder(value)
    if isinstance(value, (list, tuple)):
        return any(isinstance(item, str) and is_placeholder(item) for item in value)
    return False
