"""Values filled in after the file is written: they are unknown, never judged.

`${env:X}` / `${file:...}` (Kafka config providers), `${X}` (Spring, Quarkus, envsubst),
`{{ .Values.x }}` (Helm, Jinja, Go templates) and a bare `$X` (envsubst in container
entrypoints) all mean the real value is only known at deploy or run time.

Documentation has stand-ins of its own that a reader replaces by hand: `<password>`,
`{API Secret or Password}`, `%{SECRET}`, `CCLOUD_API_KEY`, `_ADMIN_PASS_`, `****`, `changeme`.
"""

from __future__ import annotations

import re
from functools import lru_cache
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


# A stand-in is the whole value: angle or curly brackets around words, a masked value, an
# upper-case name (an environment variable or a template slot, `_ADMIN_PASS_`), the word naming
# the slot itself (`username:password`: no one's secret, and the first guess of anyone), or a
# word that asks to be replaced. Compiled on first use: its case-insensitive Unicode classes take ~5 ms to
# compile, and only a run that meets a secret-like value asks.
_STAND_IN = (
    r"""^\s*(?:
        %\{[^}]*\}                          # %{SECRET}
      | <[^<>]+>                            # <password>
      | <[A-Za-z][\w .-]*                   # <my-api-key, its closing bracket forgotten
      | \{[^{}]+\}                          # {API Secret or Password}
      | \[[^\[\]]+\]                         # [your password]
      | [*xX.]{3,}                          # ****, xxx, ...
      | _*[A-Z]+(?:_[A-Z0-9]+)+_*           # CCLOUD_API_KEY, API_SECRET_2 (an upper-case name with _)
      | _+[A-Z]+_+                          # _PASSWORD_
      | (?i:token|password|passwd|secret|api[-_]?key|pass|key)  # a bare word naming the slot (user:password)
      | (?i:change[-_ ]?me|replace[-_ ]?me|to[-_ ]?be[-_ ]?replaced|your[-_ ][\w -]+|my[-_ ]?(?:secret|password|api[-_ ]?key))
      | (?i:dummy|placeholder|redacted)     # a word that says it is not the value
    )\s*$"""
)


@lru_cache(maxsize=1)
def _stand_in_pattern() -> re.Pattern[str]:
    return re.compile(_STAND_IN, re.VERBOSE)


def is_stand_in(text: str) -> bool:
    """True when the whole text is a documentation stand-in for a value, not the value itself."""
    return bool(_stand_in_pattern().match(text))
