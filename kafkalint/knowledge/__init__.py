"""What kafkalint knows about Kafka clients, and the small query API rules use.

The facts live as JSON in `data/` (one file per client dialect, each entry citing its source);
this module loads them lazily and answers: which key is this (aliases, keywords), what is its
effective value for this client and version, is this value valid, what did the user mean.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kafkalint.model import UNKNOWN, ClientConfig, Dialect, Role, Setting, VersionAssumption

DATA = Path(__file__).parent / "data"

_FILES = {
    Dialect.JAVA: "java.json",
    Dialect.LIBRDKAFKA: "librdkafka.json",
    Dialect.KAFKA_PYTHON: "kafka_python.json",
    Dialect.AIOKAFKA: "aiokafka.json",
}

_INT_TYPES = {"int", "long", "short"}


def version_tuple(version: str) -> tuple[int, ...]:
    parts: list[int] = []
    for piece in version.replace("-", ".").split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts) or (0,)


def version_line(version: str) -> str:
    """`3.7.1` -> `3.7`: defaults change with release lines, not patches."""
    return ".".join(str(part) for part in version_tuple(version)[:2])


@dataclass(slots=True, frozen=True)
class KeyInfo:
    name: str
    entry: dict[str, Any]

    @property
    def type(self) -> str:
        return self.entry.get("type", "string")

    @property
    def scopes(self) -> list[str]:
        return self.entry.get("scopes", [])

    @property
    def secret(self) -> bool:
        return self.type == "password"

    def default(self, version: str | None) -> Any:
        history = self.entry.get("history")
        if history and version is not None:
            target = version_tuple(version)
            chosen = None
            for step in history:
                if version_tuple(step["version"]) <= target:
                    chosen = step
            if chosen is not None:
                return chosen.get("default")
            return history[0].get("default")
        return self.entry.get("default")

    def exists_in(self, version: str | None) -> bool:
        if version is None:
            return "removed" not in self.entry
        target = version_tuple(version)
        since = self.entry.get("since")
        removed = self.entry.get("removed")
        if since and target < version_tuple(since):
            return False
        if removed and target >= version_tuple(removed):
            return False
        return True


class DialectCatalogue:
    def __init__(self, dialect: Dialect, data: dict[str, Any]) -> None:
        self.dialect = dialect
        self.data = data
        self.keys: dict[str, dict[str, Any]] = data.get("keys", {})
        self.latest: str = data.get("latest", "")
        self.sources: dict[str, str] = data.get("sources", {})
        self._alias: dict[str, str] = {}
        for name, entry in self.keys.items():
            for alias in entry.get("aliases", []):
                self._alias[alias] = name
            keyword = entry.get("kwarg")
            if keyword:
                self._alias[keyword] = name
        for name, entry in data.get("python_only_keys", {}).items():
            self._alias.setdefault(name, name)

    def canonical(self, name: str) -> str:
        """The primary name of a key, whichever alias or keyword the user wrote."""
        if name in self.keys:
            return name
        return self._alias.get(name, name)

    def info(self, name: str) -> KeyInfo | None:
        canonical = self.canonical(name)
        entry = self.keys.get(canonical)
        if entry is None:
            return None
        return KeyInfo(canonical, entry)

    def is_known(self, name: str) -> bool:
        canonical = self.canonical(name)
        return canonical in self.keys or canonical in self.data.get("python_only_keys", {})

    def names(self) -> list[str]:
        return sorted(self.keys)


@lru_cache(maxsize=None)
def catalogue(dialect: Dialect) -> DialectCatalogue:
    path = DATA / _FILES[dialect]
    with path.open(encoding="utf-8") as handle:
        return DialectCatalogue(dialect, json.load(handle))


def default_version(dialect: Dialect) -> str:
    return catalogue(dialect).latest


def assumed_version(config: ClientConfig) -> VersionAssumption:
    if config.version is not None:
        return config.version
    return VersionAssumption(config.dialect, default_version(config.dialect), "newest release line")


# --- typed values ---------------------------------------------------------------------------


class InvalidValue(ValueError):
    """The text cannot be a value of the key's type; the message says why."""


def normalize_acks(value: Any) -> Any:
    """acks as one vocabulary for every client: "0", "1" or "all" (-1 is all)."""
    if value is UNKNOWN or value is None:
        return value
    text = str(value).strip().lower()
    if text in ("all", "-1"):
        return "all"
    return text


_NORMALIZERS = {"acks": normalize_acks, "request.required.acks": normalize_acks}


def coerce(info: KeyInfo | None, value: Any) -> Any:
    """Turn a written value (text from a file, or a Python literal) into the key's type.

    Raises InvalidValue when the text cannot be of that type. Unknown keys keep text.
    """
    if value is UNKNOWN:
        return UNKNOWN
    if info is None:
        return value
    kind = info.type
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text == "true":
            return True
        if text == "false":
            return False
        raise InvalidValue(f"expected true or false, got {str(value)!r}")
    if kind in _INT_TYPES:
        if isinstance(value, bool):
            raise InvalidValue(f"expected an integer, got {value!r}")
        if isinstance(value, int):
            return value
        text = str(value).strip()
        try:
            return int(text)
        except ValueError:
            if info.name in _NORMALIZERS:
                return _NORMALIZERS[info.name](text)
            raise InvalidValue(f"expected an integer, got {text!r}") from None
    if kind == "double":
        if isinstance(value, bool):
            raise InvalidValue(f"expected a number, got {value!r}")
        try:
            return float(value)
        except (TypeError, ValueError):
            raise InvalidValue(f"expected a number, got {str(value)!r}") from None
    if kind == "list":
        if isinstance(value, (list, tuple)):
            return [str(item).strip() for item in value]
        text = str(value).strip()
        return [item.strip() for item in text.split(",") if item.strip()] if text else []
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def normalize(key: str, value: Any) -> Any:
    normalizer = _NORMALIZERS.get(key)
    return normalizer(value) if normalizer else value


def make_setting(
    config_dialect: Dialect,
    written_key: str,
    raw_value: Any,
    location: Any,
    key_location: Any,
    raw_text: str | None = None,
) -> tuple[Setting, str | None]:
    """Build a Setting with its canonical key and typed value; second item: a type problem."""
    cat = catalogue(config_dialect)
    canonical = cat.canonical(written_key)
    info = cat.info(canonical)
    problem = None
    try:
        typed = coerce(info, raw_value)
    except InvalidValue as error:
        typed = raw_value if raw_value is UNKNOWN else str(raw_value)
        problem = str(error)
    typed = normalize(canonical, typed)
    secret = (info is not None and info.secret) or looks_secret(canonical)
    raw = raw_text if raw_text is not None else ("" if raw_value is UNKNOWN else str(raw_value))
    return (
        Setting(
            key=canonical,
            raw=raw,
            value=typed,
            location=location,
            key_location=key_location,
            written_key=written_key,
            secret=secret,
        ),
        problem,
    )


_SECRET_MARKERS = ("password", "secret", "jaas.config", "api.key", "token", "credentials")


def looks_secret(key: str) -> bool:
    lowered = key.lower()
    if lowered.endswith((".location", ".type", ".algorithm", ".file", ".path", ".url", ".uri", ".class")):
        return False
    if "token.endpoint" in lowered or "callback" in lowered:
        return False
    return any(marker in lowered for marker in _SECRET_MARKERS) or lowered.endswith(
        (".key", "key.password", "ssl.key", "private.key")
    )


# --- effective values -----------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class Effective:
    """A key's value for one client: explicit, the dialect's default, or unknown."""

    key: str
    value: Any
    setting: Setting | None
    version: VersionAssumption
    known_key: bool = True

    @property
    def explicit(self) -> bool:
        return self.setting is not None

    @property
    def known(self) -> bool:
        return self.value is not UNKNOWN

    def describe_source(self) -> str:
        if self.setting is not None:
            line = self.setting.location.line
            return f"set at line {line}"
        return f"default for {self.version.describe()}"


def effective(config: ClientConfig, key: str) -> Effective:
    cat = catalogue(config.dialect)
    canonical = cat.canonical(key)
    version = assumed_version(config)
    setting = config.settings.get(canonical)
    if setting is not None:
        return Effective(canonical, setting.value, setting, version)
    info = cat.info(canonical)
    if info is None:
        return Effective(canonical, None, None, version, known_key=False)
    if not config.all_settings_known:
        # `Producer(**conf)` with conf from somewhere we cannot see: any key may be set.
        return Effective(canonical, UNKNOWN, None, version)
    default = info.default(version.version)
    try:
        typed = coerce(info, default) if default is not None else None
    except InvalidValue:
        typed = default
    return Effective(canonical, normalize(canonical, typed), None, version)


def role_of_scopes(scopes: list[str]) -> set[Role]:
    return {Role(scope) for scope in scopes if scope in {"producer", "consumer", "admin"}}
