"""Fixers that rewrite one client setting in place: a misspelt or retired key, an acks value,
an in-flight limit that contradicts idempotence.

Each edit replaces exactly the located span of the key or the value, keeping the quotes the
author wrote; when the span's text is not what the model says was written there (a properties
escape, a Spring relaxed spelling, a key built at run time) no fix is offered.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from kafkalint.fixes import Applicability, Fix, TextEdit, replace_span
from kafkalint.fixes.registry import fix
from kafkalint.model import ClientConfig, Location, Project, Setting

_KEY_NAME = re.compile(r"[A-Za-z][A-Za-z0-9._\-]*")
_QUOTES = ("\"", "'")
# Formats whose unquoted value must become a string literal when it turns into `all`.
_QUOTE_WHEN_BARE = {"json": "\"", "python": "\""}
# Formats where kafkalint reads only string literals: a bare value is an expression, never edited.
_LITERAL_ONLY = {"java", "kotlin"}


def file_of(project: Project, path: str) -> tuple[str | None, str | None]:
    for item in project.files:
        if item.path == path:
            return item.kind, item.text
    return None, None


def span_text(text: str, location: Location) -> str | None:
    """The text of a single-line span, or None (multi-line spans are never edited)."""
    if location.end_line not in (None, location.line) or location.end_column is None:
        return None
    lines = text.split("\n")
    if not 1 <= location.line <= len(lines):
        return None
    line = lines[location.line - 1]
    if location.end_column - 1 > len(line.rstrip("\r")):
        return None
    return line[location.column - 1 : location.end_column - 1]


def _unquoted(span: str) -> tuple[str, str]:
    """(quote, inner text): the quote is '' for a bare span."""
    if len(span) >= 2 and span[0] in _QUOTES and span[-1] == span[0]:
        return span[0], span[1:-1]
    return "", span


# Settings by key location, per settings map: a file with 10,000 unknown keys asks 10,000 times,
# and a scan each time made that minutes. A few recent maps are kept (the run asks per config).
_INDEXES: "OrderedDict[int, tuple[dict[str, Setting], int, dict[Location, Setting]]]" = OrderedDict()
_KEPT_INDEXES = 16


def setting_at(config: ClientConfig, location: Location) -> Setting | None:
    settings = config.settings
    cached = _INDEXES.get(id(settings))
    if cached is None or cached[0] is not settings or cached[1] != len(settings):
        index: dict[Location, Setting] = {}
        for setting in settings.values():
            index.setdefault(setting.key_location, setting)
        cached = (settings, len(settings), index)
        _INDEXES[id(settings)] = cached
        while len(_INDEXES) > _KEPT_INDEXES:
            _INDEXES.popitem(last=False)
    return cached[2].get(location)


def written_form(setting: Setting, new_key: str) -> str | None:
    """How `new_key` is written where the setting's key is: the same framework prefix
    (spring.kafka.properties.<key>); None when the written key is another spelling of the
    canonical one (a kafka-python keyword, a Spring relaxed name) that a rename cannot follow."""
    written = setting.written_key or setting.key
    if written == setting.key:
        return new_key
    if written.endswith("." + setting.key):
        return written[: -len(setting.key)] + new_key
    return None


def rename_key(project: Project, config: ClientConfig, setting: Setting, new_key: str) -> TextEdit | None:
    """An edit that writes `new_key` where the setting's key is written, or None when that is
    not a plain rename (the span holds another spelling, or the new key is already set)."""
    new_written = written_form(setting, new_key)
    if new_written is None or not _KEY_NAME.fullmatch(new_key):
        return None
    if any(new_key in (other.key, other.written_key) for other in config.settings.values()):
        return None  # renaming would set it twice
    kind, text = file_of(project, setting.key_location.path)
    if text is None:
        return None
    span = span_text(text, setting.key_location)
    if span is None:
        return None
    quote, inner = _unquoted(span)
    if inner != (setting.written_key or setting.key):
        return None
    if kind in _LITERAL_ONLY and not quote:
        return None
    if kind == "python" and not quote and not new_written.isidentifier():
        return None  # a keyword argument takes only an identifier
    return replace_span(setting.key_location, f"{quote}{new_written}{quote}")


def replace_value(project: Project, setting: Setting, new_value: str, string: bool = True) -> TextEdit | None:
    """An edit that writes `new_value` where the setting's value is written, in the quotes
    written there (a bare value becomes a string literal where the format needs one)."""
    kind, text = file_of(project, setting.location.path)
    if text is None or setting.implied:
        return None
    key, value = setting.key_location, setting.location
    if value.path != key.path or (value.line, value.column) < (key.end_line or key.line, key.end_column or key.column):
        return None  # the value is written elsewhere (a YAML alias's anchor): editing it edits every use
    span = span_text(text, setting.location)
    if span is None or not span.strip() or span != span.strip():
        return None
    quote, _inner = _unquoted(span)
    if not quote:
        if kind in _LITERAL_ONLY:
            return None
        quote = _QUOTE_WHEN_BARE.get(kind or "", "") if string else ""
    return replace_span(setting.location, f"{quote}{new_value}{quote}")


# --- KL003 unknown-config-key ----------------------------------------------------------------

_ONE_SUGGESTION = re.compile(r"^; did you mean '([^']+)'\?$")


@fix("KL003")
def misspelt_key(hit: Any, config: ClientConfig, context: Any) -> Fix | None:
    # Only an unambiguous suggestion is a fix: with two candidates the author must choose.
    match = _ONE_SUGGESTION.match(str(hit.variables.get("hint", "")))
    if match is None:
        return None
    setting = setting_at(config, hit.location)
    if setting is None:
        return None
    written = setting.written_key or setting.key
    edit = rename_key(context.project, config, setting, match.group(1))
    if edit is None:
        return None
    return Fix(f"Replace '{written}' with '{match.group(1)}'", Applicability.SAFE, (edit,))


# --- KL006 deprecated-config-key, KL007 removed-config-key -----------------------------------

_REPLACEMENT = re.compile(r"^; use (\S+) instead$")


@fix("KL006", "KL007")
def retired_key(hit: Any, config: ClientConfig, context: Any) -> Fix | None:
    """The key its replacement names, when the replacement is one key of the same type
    (auto.include.jmx.reporter=false -> metric.reporters is no rename: no fix).

    Unsafe: the knowledge base says which key replaces which, not that the value means the
    same there (librdkafka's reconnect.backoff.jitter.ms -> reconnect.backoff.ms, both int,
    turns an ignored setting into an active backoff)."""
    from kafkalint.knowledge import catalogue

    match = _REPLACEMENT.match(str(hit.variables.get("replacement", "")))
    setting = setting_at(config, hit.location)
    if match is None or setting is None:
        return None
    new_key = match.group(1)
    known = catalogue(config.dialect)
    old_info, new_info = known.info(setting.key), known.info(new_key)
    if old_info is None or new_info is None or old_info.type != new_info.type:
        return None
    edit = rename_key(context.project, config, setting, new_key)
    if edit is None:
        return None
    return Fix(f"Replace '{setting.written_key or setting.key}' with '{new_key}'", Applicability.UNSAFE, (edit,))


# --- KL101/KL102 acks, KL104 idempotence conflicts ----------------------------------------------


def _idempotence_asked(config: ClientConfig) -> bool:
    """The author wrote enable.idempotence=true: acks=all is what they asked for already."""
    setting = config.get("enable.idempotence")
    return setting is not None and setting.value is True


def _acks_to_all(hit: Any, config: ClientConfig, context: Any) -> Fix | None:
    setting = setting_at(config, hit.location)
    if setting is None or setting.key not in ("acks", "request.required.acks"):
        return None  # a default value: nothing written to edit
    edit = replace_value(context.project, setting, "all")
    if edit is None:
        return None
    # Waiting for every in-sync replica costs latency and availability the author may rely on;
    # only where they asked for idempotence (which needs acks=all) does the fix keep their intent.
    applicability = Applicability.SAFE if _idempotence_asked(config) else Applicability.UNSAFE
    return Fix(f"Set {setting.written_key or setting.key} to all", applicability, (edit,))


@fix("KL101", "KL102")
def acks_to_all(hit: Any, config: ClientConfig, context: Any) -> Fix | None:
    return _acks_to_all(hit, config, context)


@fix("KL104")
def idempotence_conflict(hit: Any, config: ClientConfig, context: Any) -> Fix | None:
    from kafkalint.knowledge import IDEMPOTENCE_MAX_IN_FLIGHT

    setting = setting_at(config, hit.location)
    if setting is None:
        return None
    if setting.key in ("acks", "request.required.acks"):
        return _acks_to_all(hit, config, context)
    if setting.key == "max.in.flight.requests.per.connection" and _idempotence_asked(config):
        edit = replace_value(context.project, setting, str(IDEMPOTENCE_MAX_IN_FLIGHT), string=False)
        if edit is None:
            return None
        return Fix(f"Set {setting.written_key or setting.key} to {IDEMPOTENCE_MAX_IN_FLIGHT}", Applicability.SAFE, (edit,))
    return None  # retries=0, or idempotence off under transactions: the author must choose
