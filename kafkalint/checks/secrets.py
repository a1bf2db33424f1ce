"""Secrets committed in plain text: passwords, keys, JAAS configs with inline credentials."""

from __future__ import annotations

import re
from typing import Iterator

from kafkalint.checks import CheckContext, Hit
from kafkalint.checks.registry import check
from kafkalint.knowledge import looks_secret
from kafkalint.model import UNKNOWN, Project, Setting
from kafkalint.sources.placeholders import is_placeholder

# Values that point elsewhere instead of holding the secret: config providers, env and
# template placeholders (sources/placeholders.py), `<your password>` and masked values.
_DOCUMENTATION = re.compile(r"^\s*(%\{[^}]*\}|<[^>]*>|\*+)\s*$")
_JAAS_CREDENTIAL = re.compile(r"""(?i)\b(password|secret|clientSecret|token|key)\s*=\s*"([^"]*)\"""")


def _indirect(text: str) -> bool:
    return not text.strip() or is_placeholder(text) or bool(_DOCUMENTATION.match(text))


def secret_problem(setting: Setting) -> str | None:
    """What a setting holds in plain text ("a literal secret", "an inline password"), or None."""
    if setting.value is None:
        return None
    if setting.value is UNKNOWN:
        # Unknown because the written text holds a placeholder somewhere: a JAAS line may still
        # carry a literal password next to a templated user name. Code expressions are not text.
        if not ("jaas.config" in setting.key and setting.raw and is_placeholder(setting.raw)):
            return None
    text = setting.raw if setting.raw else str(setting.value)
    if "jaas.config" in setting.key:
        for match in _JAAS_CREDENTIAL.finditer(text):
            if not _indirect(match.group(2)):
                return f"an inline {match.group(1)}"
        return None
    if not (setting.secret or looks_secret(setting.key)):
        return None
    if _indirect(text):
        return None
    return "a literal secret"


@check("KL401")
def plaintext_secret(project: Project, context: CheckContext) -> Iterator[Hit]:
    holders = project.setting_holders()
    for holder in holders:
        for setting in holder.settings.values():
            problem = secret_problem(setting)
            if problem is not None:
                yield Hit(setting.key_location, {"key": setting.written_key or setting.key, "secret": problem})
