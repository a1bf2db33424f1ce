"""What the user probably meant by a key the client does not know.

First the common mistakes (a dropped or extra plural `s`, `_` or `-` for `.`, Spring's relaxed
dashes, camelCase), then the closest spelling by edit distance, then the same setting under
another client's name (`queue.buffering.max.ms` in a Java file means `linger.ms`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from kafkalint.model import Dialect, Role

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _variants(written: str) -> Iterable[str]:
    """Spellings the user may have meant, from the usual slips."""
    base = written.strip()
    forms = {base, base.lower()}
    dotted = _CAMEL.sub(".", base).lower()
    forms.add(dotted)
    for form in list(forms):
        forms.add(form.replace("_", ".").replace("-", "."))
        forms.add(form.replace(".", "_").replace("-", "_"))
    for form in list(forms):
        separator = "." if "." in form else "_"
        parts = form.split(separator)
        for index, part in enumerate(parts):
            if not part:
                continue
            toggled = part[:-1] if part.endswith("s") else part + "s"
            forms.add(separator.join(parts[:index] + [toggled] + parts[index + 1 :]))
    forms.discard(base)
    return forms


def edit_distance(left: str, right: str, limit: int = 3) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`."""
    if abs(len(left) - len(right)) > limit:
        return limit + 1
    previous = list(range(len(right) + 1))
    for row, left_char in enumerate(left, 1):
        current = [row]
        best = row
        for column, right_char in enumerate(right, 1):
            cost = 0 if left_char == right_char else 1
            value = min(previous[column] + 1, current[column - 1] + 1, previous[column - 1] + cost)
            current.append(value)
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _display(dialect: Dialect, canonical: str, written: str, entry: dict[str, Any]) -> str:
    """Suggest in the user's own style: kafka-python keywords for keywords, dotted otherwise."""
    if dialect in (Dialect.KAFKA_PYTHON, Dialect.AIOKAFKA) and "." not in written and entry.get("kwarg"):
        return entry["kwarg"]
    return canonical


def suggest(
    dialect: Dialect,
    written: str,
    role: Role | None = None,
    version: str | None = None,
    limit: int = 2,
) -> list[str]:
    """Up to `limit` known keys the user probably meant, best first."""
    return list(_suggest(dialect, written, role, version, limit))


@lru_cache(maxsize=4096)
def _suggest(dialect: Dialect, written: str, role: Role | None, version: str | None, limit: int) -> tuple[str, ...]:
    # Cached (a file repeating one unknown key asks once) and compared only with spellings of
    # about its length: 40,000 unknown keys in one file took 24 s when each was measured
    # against every spelling the client knows.
    from kafkalint.knowledge import catalogue

    cat = catalogue(dialect)
    candidates = _candidates(dialect, role, version)
    found: list[str] = []

    def add(canonical: str) -> None:
        entry = cat.keys.get(canonical, {})
        shown = _display(dialect, canonical, written, entry)
        if shown not in found and shown != written:
            found.append(shown)

    for variant in sorted(_variants(written)):
        known = candidates.exact.get(variant)
        if known is not None:
            add(known)
    lowered = written.lower().replace("_", ".").replace("-", ".")
    allowed = 1 if len(lowered) <= 6 else 2 if len(lowered) <= 14 else 3
    scored: list[tuple[int, int, str]] = []
    letters = frozenset(lowered)
    for length in range(len(lowered) - allowed, len(lowered) + allowed + 1):
        for spelling, canonical, role_rank, their_letters in candidates.by_length.get(length, ()):
            # One edit adds or removes at most two letters from the set of letters used.
            if len(letters ^ their_letters) > 2 * allowed:
                continue
            distance = edit_distance(lowered, spelling, allowed)
            if distance <= allowed:
                scored.append((distance, role_rank, canonical))
    for _distance, _role_rank, canonical in sorted(scored, key=lambda item: (item[1], item[0], item[2])):
        add(canonical)
    return tuple(found[:limit])


@dataclass(slots=True, frozen=True)
class _Candidates:
    """The spellings a misspelt key is compared with, indexed for the search."""

    exact: dict[str, str]  # spelling -> canonical key, for keys usable in this version
    # normalised spelling, canonical key, role rank, letters used
    by_length: dict[int, list[tuple[str, str, int, frozenset[str]]]]


@lru_cache(maxsize=64)
def _candidates(dialect: Dialect, role: Role | None, version: str | None) -> _Candidates:
    """The spellings a suggestion may name for this client, role and version, worked out once."""
    from kafkalint.knowledge import catalogue

    cat = catalogue(dialect)
    spellings = dict(cat.spellings())
    for name in cat.python_only_keys:
        spellings.setdefault(name, name)

    def usable(canonical: str) -> bool:
        info = cat.info(canonical)
        if info is None:
            return canonical in cat.python_only_keys
        return info.exists_in(version)

    def fits_role(canonical: str) -> bool:
        info = cat.info(canonical)
        if info is None or role is None or role.value not in ("producer", "consumer", "admin"):
            return True
        return role.value in info.scopes

    exact: dict[str, str] = {}
    by_length: dict[int, list[tuple[str, str, int, frozenset[str]]]] = {}
    for spelling, canonical in spellings.items():
        if not usable(canonical):
            continue
        exact[spelling] = canonical
        normalised = spelling.lower().replace("_", ".")
        entry = (normalised, canonical, 0 if fits_role(canonical) else 1, frozenset(normalised))
        by_length.setdefault(len(normalised), []).append(entry)
    return _Candidates(exact, by_length)


@lru_cache(maxsize=4096)
def other_client_equivalent(dialect: Dialect, written: str) -> tuple[Dialect, str] | None:
    """(other client, this client's key) when `written` is another client's name for a setting
    this client knows under another name (librdkafka `queue.buffering.max.ms` -> Java `linger.ms`)."""
    from kafkalint.knowledge import catalogue, has_catalogue

    own = catalogue(dialect)
    for other in Dialect:
        if other is dialect or not has_catalogue(other):
            continue
        theirs = catalogue(other)
        info = theirs.info(written)
        if info is None:
            continue
        names = [info.name, *info.entry.get("aliases", [])]
        for name in names:
            if name != written and own.info(name) is not None:
                return other, own.canonical(name)
        return other, ""
    return None
