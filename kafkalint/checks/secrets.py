"""Secrets committed in plain text: passwords, keys, JAAS configs with inline credentials."""

from __future__ import annotations

import re
from typing import Iterator

from kafkalint.checks import CheckContext, Hit
from kafkalint.checks.registry import check
from kafkalint.knowledge import looks_secret
from kafkalint.model import UNKNOWN, Project, Setting, Severity
from kafkalint.sources.placeholders import is_placeholder, is_stand_in

_JAAS_CREDENTIAL = re.compile(r"""(?i)\b(password|secret|clientSecret|token|key)\s*=\s*"([^"]*)\"""")
# Keys that name how credentials are found, not the credentials: an enumerated choice
# (basic.auth.credentials.source=USER_INFO, bearer.auth.credentials.source=SASL_INHERIT).
_CHOICE_SUFFIXES = (".credentials.source",)
# Schema Registry clients: `user:password` in one value.
_USER_INFO_KEYS = ("basic.auth.user.info",)


def _indirect(text: str) -> bool:
    """The value points elsewhere or stands in for the secret: a config provider, an env or
    template placeholder, a documentation stand-in (sources/placeholders.py), or a password
    software ships as its published default (knowledge/default_credentials.py)."""
    from kafkalint.knowledge.default_credentials import is_public_default_password

    return not text.strip() or is_placeholder(text) or is_stand_in(text) or is_public_default_password(text)


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
    if setting.key.endswith(_USER_INFO_KEYS):
        _user, colon, password = text.partition(":")
        return "an inline password" if colon and not _indirect(password) else None
    if setting.key.endswith(_CHOICE_SUFFIXES):
        return None
    if not (setting.secret or looks_secret(setting.key)):
        return None
    if _indirect(text):
        return None
    return "a literal secret"


@check("KL401")
def plaintext_secret(project: Project, context: CheckContext) -> Iterator[Hit]:
    from kafkalint.sources.test_paths import is_test_code

    holders = project.setting_holders()
    for holder in holders:
        for setting in holder.settings.values():
            problem = secret_problem(setting)
            if problem is None:
                continue
            variables = {"key": setting.written_key or setting.key, "secret": problem}
            if is_test_code(setting.key_location.path):
                # A test's fixture (a test keystore's password, a local test cluster's JAAS
                # line) is most often a throwaway credential; it may be a real one.
                variables["secret"] = f"{problem} in test code (it may be a test-only credential)"
                yield Hit(setting.key_location, variables, severity=Severity.INFO)
            else:
                yield Hit(setting.key_location, variables)
