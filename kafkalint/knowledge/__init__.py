"""What kafkalint knows about Kafka clients, and the small query API rules use.

The facts live as JSON in `data/` (one file per client dialect, each entry citing its source);
this module loads them lazily and answers: which key is this (aliases, keywords), what is its
effective value for this client and version, is this value valid, what did the user mean.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kafkalint.model import UNKNOWN, ClientConfig, Dialect, GroupMembership, Role, Setting, VersionAssumption

DATA = Path(__file__).parent / "data"

_FILES = {
    Dialect.JAVA: "java.json",
    Dialect.LIBRDKAFKA: "librdkafka.json",
    Dialect.KAFKA_PYTHON: "kafka_python.json",
    Dialect.AIOKAFKA: "aiokafka.json",
}

_INT_TYPES = {"int", "long", "short"}

# The most requests in flight per connection an idempotent producer may have, the same in every
# client: Java ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_FOR_IDEMPOTENCE, librdkafka
# RD_KAFKA_IDEMP_MAX_INFLIGHT (rdkafka_idempotence.h), kafka-python/aiokafka idempotent senders.
IDEMPOTENCE_MAX_IN_FLIGHT = 5


@lru_cache(maxsize=1024)  # a run asks about the same few versions tens of thousands of times
def version_tuple(version: str) -> tuple[int, ...]:
    parts: list[int] = []
    for piece in version.replace("-", ".").split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits[:_MAX_INTEGER_DIGITS]))  # no real version part is longer
    return tuple(parts) or (0,)


def version_line(version: str) -> str:
    """`3.7.1` -> `3.7`: defaults change with release lines, not patches."""
    return ".".join(str(part) for part in version_tuple(version)[:2])


@dataclass(slots=True, frozen=True)
class KeyInfo:
    """What the knowledge base records of one configuration key of one client dialect."""

    name: str
    entry: dict[str, Any]
    dialect: Dialect | None = None
    python_only: bool = False

    @property
    def type(self) -> str:
        return self.entry.get("type", "string")

    @property
    def scopes(self) -> list[str]:
        return self.entry.get("scopes", [])

    @property
    def secret(self) -> bool:
        return self.type == "password"

    @property
    def since(self) -> str | None:
        return self.entry.get("since")

    @property
    def removed(self) -> str | None:
        return self.entry.get("removed")

    @property
    def source(self) -> str | None:
        return self.entry.get("source")

    def default(self, version: str | None, role: Role | None = None) -> Any:
        """The default for this client version and, where the clients differ, this role."""
        role_name = role.value if role is not None else None
        scope_history = self.entry.get("scope_history", {})
        if role_name in scope_history and version is not None:
            step = _step_for(scope_history[role_name], version)
            if step is not None:
                return step.get("default")
        history = self.entry.get("history")
        if history and version is not None:
            chosen = _step_for(history, version) or history[0]
            per_role = chosen.get("scope_defaults", {})
            if role_name in per_role:
                return per_role[role_name]
            if role_name in self.entry.get("scope_defaults", {}) and chosen is history[-1]:
                return self.entry["scope_defaults"][role_name]
            return chosen.get("default")
        if role_name in self.entry.get("scope_defaults", {}):
            return self.entry["scope_defaults"][role_name]
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
        for absent in self.entry.get("absent_in", ()):
            if version_tuple(absent) == target:
                return False
        return True

    def allowed_values(self, version: str | None) -> list[Any] | None:
        """The values this version accepts (None: any value of the type)."""
        history = self.entry.get("values_history")
        if history and version is not None:
            step = _step_for(history, version)
            if step is not None:
                return list(step.get("values", []))
        values = self.entry.get("values")
        return list(values) if values is not None else None

    def value_patterns(self, version: str | None) -> list[str]:
        patterns = []
        for item in self.entry.get("value_patterns", ()):
            since = item.get("since")
            if since and version is not None and version_tuple(version) < version_tuple(since):
                continue
            patterns.append(item["pattern"])
        return patterns

    @property
    def case_insensitive(self) -> bool:
        # librdkafka matches its enumerated values with strcasecmp, except the few it checks
        # itself when the client is created.
        if self.dialect is Dialect.LIBRDKAFKA:
            return self.name not in LIBRDKAFKA_CASE_SENSITIVE
        return bool(self.entry.get("case_insensitive"))

    def deprecation(self, version: str | None) -> dict[str, Any] | None:
        """The deprecation notice in force at this version, or None."""
        deprecated = self.entry.get("deprecated")
        if not deprecated:
            return None
        if not isinstance(deprecated, dict):
            deprecated = {"note": str(deprecated)}
        since = deprecated.get("since")
        if since and version is not None and version_tuple(version) < version_tuple(since):
            return None
        return deprecated


def _step_for(steps: list[dict[str, Any]], version: str) -> dict[str, Any] | None:
    target = version_tuple(version)
    chosen = None
    for step in steps:
        if version_tuple(step["version"]) <= target:
            chosen = step
    return chosen


class DialectCatalogue:
    def __init__(self, dialect: Dialect, data: dict[str, Any]) -> None:
        self.dialect = dialect
        self.data = data
        self.keys: dict[str, dict[str, Any]] = data.get("keys", {})
        self.latest: str = data.get("latest", "")
        self.sources: Any = data.get("sources", {})
        self.python_only_keys: dict[str, dict[str, Any]] = _as_key_map(data.get("python_only_keys", {}))
        self.prefixes: dict[str, dict[str, Any]] = data.get("prefixes", {}) or {}
        self.classes: dict[str, dict[str, Any]] = data.get("classes", {}) or {}
        self.implied_values: list[dict[str, Any]] = data.get("implied_values", []) or []
        self._alias: dict[str, str] = {}
        self._infos: dict[str, KeyInfo] = {}
        for name, entry in self.keys.items():
            for alias in entry.get("aliases", []):
                self._alias[alias] = name
            keyword = entry.get("kwarg")
            if keyword:
                self._alias[keyword] = name
        for name in self.python_only_keys:
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
        # One (immutable) KeyInfo per key and entry: the rules ask for the same keys of every
        # client, thousands of times a run.
        found = self._infos.get(canonical)
        if found is None or found.entry is not entry:
            found = self._infos[canonical] = KeyInfo(canonical, entry, self.dialect)
        return found

    def python_only_info(self, name: str) -> KeyInfo | None:
        """A key the Python binding handles itself (confluent-kafka's error_cb, on_delivery, ...)."""
        entry = self.python_only_keys.get(name)
        if entry is None:
            return None
        return KeyInfo(name, entry, self.dialect, python_only=True)

    def is_known(self, name: str) -> bool:
        canonical = self.canonical(name)
        return canonical in self.keys or canonical in self.python_only_keys

    def names(self) -> list[str]:
        return sorted(self.keys)

    def spellings(self) -> dict[str, str]:
        """Every accepted spelling (names, aliases, keywords) -> canonical key."""
        spelled = {name: name for name in self.keys}
        spelled.update(self._alias)
        return spelled

    @property
    def empty(self) -> bool:
        return bool(self.data.get("empty")) or not self.keys

    def prefix_of(self, name: str) -> str | None:
        for prefix in self.prefixes:
            if name.startswith(prefix):
                return prefix
        return None


def _as_key_map(value: Any) -> dict[str, dict[str, Any]]:
    if isinstance(value, dict):
        return value
    return {name: {} for name in value or ()}


@lru_cache(maxsize=None)
def catalogue(dialect: Dialect) -> DialectCatalogue:
    path = DATA / _FILES[dialect]
    if not path.is_file():
        # A dialect without its data yet: knows no key, so validity rules stay silent on it.
        return DialectCatalogue(dialect, {"keys": {}, "empty": True})
    with path.open(encoding="utf-8") as handle:
        return DialectCatalogue(dialect, json.load(handle))


def default_version(dialect: Dialect) -> str:
    return catalogue(dialect).latest


def has_catalogue(dialect: Dialect) -> bool:
    return (DATA / _FILES[dialect]).is_file()


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
    Parsing follows the client: librdkafka reads numbers like C's strtol/strtod (a number
    prefix is enough) and booleans as true/false/t/f/1/0; Java is strict.
    """
    if value is UNKNOWN:
        return UNKNOWN
    if info is None or value is None:
        return value
    if info.dialect is Dialect.LIBRDKAFKA and not info.python_only:
        return _coerce_librdkafka(info, value)
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
        if isinstance(value, float) and info.dialect in (Dialect.KAFKA_PYTHON, Dialect.AIOKAFKA):
            if value != value or value in (float("inf"), float("-inf")):
                raise InvalidValue(f"expected a number of {info.type} range, got {value!r}")
            return value  # Python clients compare numbers; a float works where an int is documented
        text = str(value).strip()
        if _JAVA_INTEGER.fullmatch(text):
            number = _decimal(text)
            low, high = _INT_BOUNDS.get(kind, _INT_BOUNDS["long"])
            if number is None or not low <= number <= high:
                raise InvalidValue(f"{text} does not fit a Java {kind}")
            return number
        if info.name in _NORMALIZERS:
            return _NORMALIZERS[info.name](text)
        raise InvalidValue(f"expected an integer, got {text!r}")
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


_JAVA_INTEGER = re.compile(r"[+-]?\d+")
# More significant digits than any Java long or C long has: such a number is out of every
# range, and converting it would run into Python's limit on int-string conversion (4,300 digits).
_MAX_INTEGER_DIGITS = 20


def _decimal(text: str) -> int | None:
    """The integer a decimal text (optional sign) writes, or None when it is too long to be
    any client's integer."""
    if len(text.lstrip("+-").lstrip("0")) > _MAX_INTEGER_DIGITS:
        return None
    return int(text)
_INT_BOUNDS = {"short": (-(2**15), 2**15 - 1), "int": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}

# strtol(value, &end, 0): optional sign, then hex, octal or decimal digits; the rest is ignored.
_C_LONG = re.compile(r"\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)")
_C_DOUBLE = re.compile(r"\s*[+-]?(?:inf(?:inity)?|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)", re.IGNORECASE)
_RDKAFKA_TRUE = {"true", "t", "1"}
_RDKAFKA_FALSE = {"false", "f", "0"}


def _librdkafka_text(value: Any) -> str:
    # confluent-kafka hands non-string values to librdkafka as str(value): True -> "True".
    return value if isinstance(value, str) else str(value)


def _coerce_librdkafka(info: KeyInfo, value: Any) -> Any:
    kind = info.type
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        text = _librdkafka_text(value).lower()
        if text in _RDKAFKA_TRUE:
            return True
        if text in _RDKAFKA_FALSE:
            return False
        raise InvalidValue(f"expected true or false, got {_librdkafka_text(value)!r}")
    if kind in _INT_TYPES:
        text = _librdkafka_text(value)
        if text == "":
            raise InvalidValue("an integer property cannot be set to an empty value")
        if info.name in _NORMALIZERS and text.strip().lower() == "all":
            return "all"
        match = _C_LONG.match(text)
        if match is None:
            raise InvalidValue(f"expected an integer, got {text!r}")
        sign, digits = match.groups()
        if len(digits.lstrip("0")) > _MAX_INTEGER_DIGITS and digits[:2] not in ("0x", "0X"):
            digits = str(2**63)  # strtol saturates at LONG_MAX; clamped below like any other
        number = int(digits, 0) if not (len(digits) > 1 and digits[0] == "0" and digits[1] not in "xX") else int(digits, 8)
        number = -number if sign == "-" else number
        number = max(min(number, 2**63 - 1), -(2**63))
        number = (number + 2**31) % 2**32 - 2**31  # stored in a C int
        return number
    if kind == "double":
        text = _librdkafka_text(value)
        if text == "":
            raise InvalidValue("a number property cannot be set to an empty value")
        match = _C_DOUBLE.match(text)
        if match is None:
            raise InvalidValue(f"expected a number, got {text!r}")
        return float(match.group(0))
    if kind == "list":
        if isinstance(value, (list, tuple)):
            return [str(item).strip() for item in value]
        text = _librdkafka_text(value)
        return [item.strip() for item in text.split(",") if item.strip()]
    if kind == "pointer":
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return _librdkafka_text(value)


def value_problem(info: KeyInfo, value: Any, version: str | None) -> str | None:
    """Why a typed value is not acceptable for this key and version (range, allowed values)."""
    if value is UNKNOWN or value is None:
        return None
    librdkafka = info.dialect is Dialect.LIBRDKAFKA and not info.python_only
    if librdkafka and info.type in ("string", "list") and info.entry.get("values") is not None:
        if (isinstance(value, str) and value == "") or (isinstance(value, list) and not value):
            if info.name in _LIBRDKAFKA_FLAG_LISTS or (
                info.type == "string" and info.name not in _LIBRDKAFKA_COMMA_STRINGS
            ):
                return "it cannot be set to an empty value"
    number = _numeric(info, value)
    if number is not None:
        low, high = info.entry.get("min"), info.entry.get("max")
        if (low is not None and number < low) or (high is not None and number > high):
            if high is None:
                return f"{_plain(number)} is below the minimum {_plain(low)}"
            if low is None:
                return f"{_plain(number)} is above the maximum {_plain(high)}"
            return f"{_plain(number)} is outside the allowed range {_plain(low)}..{_plain(high)}"
    allowed = info.allowed_values(version)
    if allowed is None or info.type in _INT_TYPES and info.dialect is Dialect.LIBRDKAFKA:
        return None
    if librdkafka and info.name in _LIBRDKAFKA_UNCHECKED_VALUES:
        return None
    items = value if isinstance(value, list) else [value]
    if librdkafka and info.name in _LIBRDKAFKA_COMMA_STRINGS and isinstance(value, str):
        items = [item.strip() for item in value.split(",") if item.strip()]
    patterns = info.value_patterns(version)
    for item in items:
        if _value_allowed(info, item, allowed, patterns, version):
            continue
        choices = ", ".join(str(choice) for choice in allowed)
        return f"{_plain(item)!r} is not one of the accepted values ({choices})"
    return None


# Values librdkafka documents but only checks later (sasl.mechanisms: only once SASL is used).
# share.acknowledgement.mode: only a share consumer reads it; a regular consumer ignores any value.
_LIBRDKAFKA_UNCHECKED_VALUES = {"sasl.mechanisms", "share.acknowledgement.mode"}
# Flag lists (S2F) refuse an empty value; plain comma lists accept one.
_LIBRDKAFKA_FLAG_LISTS = {"debug", "builtin.features"}
# Strings librdkafka splits on commas itself and checks when the client is created.
_LIBRDKAFKA_COMMA_STRINGS = {"partition.assignment.strategy"}
# Checked with strcmp when the client is created, not with the case-blind table lookup.
LIBRDKAFKA_CASE_SENSITIVE = {"partitioner", "partition.assignment.strategy"}


def _numeric(info: KeyInfo, value: Any) -> float | int | None:
    if info.type not in _INT_TYPES and info.type != "double":
        return None
    if isinstance(value, bool) or value == "all":
        return None
    if isinstance(value, (int, float)):
        return value
    text = str(value).strip()
    if not _JAVA_INTEGER.fullmatch(text):
        return None
    return _decimal(text)


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _value_allowed(info: KeyInfo, item: Any, allowed: list[Any], patterns: list[str], version: str | None = None) -> bool:
    text = _plain(item).strip() if info.dialect is Dialect.LIBRDKAFKA else _plain(item)
    normalized = normalize(info.name, text)
    fold = info.case_insensitive and not (
        version is not None and version_line(version) in info.entry.get("case_sensitive_in", ())
    )
    for choice in allowed:
        candidate = normalize(info.name, _plain(choice))
        if candidate == normalized or (fold and str(candidate).lower() == str(normalized).lower()):
            return True
    return any(re.fullmatch(pattern, text) for pattern in patterns)


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


_LISTENER_NAME_PREFIX = re.compile(r"^listener\.name\.[^.]+\.(?=.)")


def looks_secret(key: str) -> bool:
    from kafkalint.redaction import names_no_secret  # one list of such last words, for masking too

    if names_no_secret(key):
        return False
    # The listener's name in `listener.name.<listener>.<setting>` is anyone's choice (TOKEN).
    lowered = _LISTENER_NAME_PREFIX.sub("", key.lower())
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
    # Set when the client derives the value from another setting instead of its default
    # (transactional.id turns idempotence on): `implied by transactional.id (line 4)`.
    implied_by: str = ""
    # The canonical key of the setting that implied the value (the root cause a rule may name).
    implied_from: str | None = None

    @property
    def explicit(self) -> bool:
        return self.setting is not None

    @property
    def known(self) -> bool:
        return self.value is not UNKNOWN

    def describe_source(self) -> str:
        if self.setting is not None and self.setting.implied:
            return self.setting.implied
        if self.implied_by:
            return self.implied_by
        if self.setting is not None:
            line = self.setting.location.line
            return f"set at line {line}"
        return f"default for {self.version.describe()}"


def effective(config: ClientConfig, key: str) -> Effective:
    """The value the client runs with: explicit, implied by another setting, or its default."""
    cat = catalogue(config.dialect)
    canonical = cat.canonical(key)
    version = assumed_version(config)
    info = cat.info(canonical)
    explicit = _explicit(config, canonical, info, version)
    if explicit is not None:
        overridden = _implied(config, cat, canonical, version, overriding_only=True) if explicit.known else None
        return overridden if overridden is not None and overridden.known else explicit
    if info is None:
        return Effective(canonical, None, None, version, known_key=False)
    if not config.all_settings_known:
        # `Producer(**conf)` with conf from somewhere we cannot see: any key may be set.
        return Effective(canonical, UNKNOWN, None, version)
    framework_default = config.extras.get("framework_defaults", {}).get(canonical)
    if framework_default is not None:
        # A framework (Spring Kafka, SmallRye) applies its own default: (value, why).
        value, why = framework_default
        return Effective(canonical, normalize(canonical, value), None, VersionAssumption(config.dialect, version.version, why))
    implied = _implied(config, cat, canonical, version)
    if implied is not None:
        return implied
    default = info.default(version.version, config.role)
    try:
        typed = coerce(info, default) if default is not None else None
    except InvalidValue:
        typed = default
    if canonical == "enable.idempotence" and typed is True and info.entry.get("default_yields_to_conflicts"):
        conflicts = idempotence_conflicts(config)
        if conflicts:
            first = conflicts[0][0]
            why = "turned off by " + ", ".join(f"{eff.key}={eff.setting.raw} (line {eff.setting.location.line})" for eff, _ in conflicts)
            return Effective(canonical, False, None, version, implied_by=why, implied_from=first.key)
    return Effective(canonical, normalize(canonical, typed), None, version)


def _explicit(config: ClientConfig, key: str, info: KeyInfo | None, version: VersionAssumption) -> Effective | None:
    setting = config.settings.get(key)
    if setting is None:
        return None
    if info is not None and setting.value is not UNKNOWN and (
        key in config.type_problems or value_problem(info, setting.value, version.version)
    ):
        # An invalid value is invalid-config-value's finding; the client refuses it or
        # cannot use it, so no other rule may reason from it.
        return Effective(key, UNKNOWN, setting, version)
    return Effective(key, setting.value, setting, version)


def explicit_effective(config: ClientConfig, key: str) -> Effective:
    """The key's explicit value (UNKNOWN when invalid), or an Effective with value None."""
    cat = catalogue(config.dialect)
    canonical = cat.canonical(key)
    version = assumed_version(config)
    found = _explicit(config, canonical, cat.info(canonical), version)
    return found if found is not None else Effective(canonical, None, None, version)


def idempotence_conflicts(config: ClientConfig) -> list[tuple[Effective, str]]:
    """Explicit settings that contradict idempotence, each with the client's own complaint.

    Every client treats only *explicit* values as conflicts: with idempotence on, an unset
    acks becomes all, unset retries stay positive and an unset in-flight limit drops to the
    client's maximum. A default-on idempotence (Java 3.0+, kafka-python 3.0+) is silently
    turned off by them; an explicit or transactional one makes the client refuse to start.
    """
    from kafkalint.numeric import as_number

    conflicts: list[tuple[Effective, str]] = []
    acks = explicit_effective(config, "acks")
    retries = explicit_effective(config, "retries")
    in_flight = explicit_effective(config, "max.in.flight.requests.per.connection")
    if acks.explicit and acks.known and acks.value != "all":
        conflicts.append((acks, "acks must be all"))
    if retries.explicit and as_number(retries.value) == 0:
        conflicts.append((retries, "retries must be greater than 0"))
    if in_flight.explicit and (as_number(in_flight.value) or 0) > IDEMPOTENCE_MAX_IN_FLIGHT:
        conflicts.append((in_flight, f"max.in.flight.requests.per.connection must be at most {IDEMPOTENCE_MAX_IN_FLIGHT}"))
    return conflicts


def _implied(
    config: ClientConfig, cat: DialectCatalogue, key: str, version: VersionAssumption, overriding_only: bool = False
) -> Effective | None:
    """The value another setting gives an unset key (the dialect's `implied_values`), if any.

    The client derives it when it is created: a transactional.id turns idempotence on, and
    idempotence turns an unset acks into all. An unknowable trigger makes the key unknowable.
    """
    for rule in cat.implied_values:
        if rule["key"] != key or not _in_version_range(rule, version.version):
            continue
        if overriding_only and not rule.get("overrides_explicit"):
            continue
        trigger = effective(config, rule["when"])
        if rule["is"] == "unset" and trigger.explicit:
            continue  # set, even when its value cannot be known statically
        if trigger.value is UNKNOWN:
            return Effective(key, UNKNOWN, None, version)
        if rule["is"] == "unset":
            # The client's own rule for a missing setting (no group.id: nothing is committed).
            if trigger.value not in (None, ""):
                continue
            return Effective(key, normalize(key, rule["value"]), None, version, implied_by=f"no {trigger.key}", implied_from=trigger.key)
        if not trigger.explicit and not trigger.implied_by:
            continue  # a default trigger: the dialect's defaults already agree with each other
        if rule["is"] == "set":
            holds = trigger.explicit and trigger.value not in (None, "")
        else:
            holds = trigger.value == rule["is"]
        if not holds:
            continue
        # Name the setting the user wrote, however many steps lie between.
        why = trigger.implied_by or f"implied by {trigger.key} (line {trigger.setting.location.line})"
        origin = trigger.implied_from or trigger.key
        return Effective(key, normalize(key, rule["value"]), None, version, implied_by=why, implied_from=origin)
    return None


def _in_version_range(rule: dict[str, Any], version: str) -> bool:
    target = version_tuple(version)
    since, until = rule.get("since"), rule.get("until")
    return not (since and target < version_tuple(since)) and not (until and target >= version_tuple(until))


def group_membership(config: ClientConfig) -> GroupMembership:
    """Whether a consumer is in a consumer group: what the code shows, else its group.id."""
    if config.group_membership is not GroupMembership.UNKNOWN:
        return config.group_membership
    group = effective(config, "group.id")
    if group.explicit and group.value is UNKNOWN:
        return GroupMembership.IN_GROUP  # written, from somewhere kafkalint cannot see
    if group.value is UNKNOWN:
        return GroupMembership.UNKNOWN
    if group.value in (None, ""):
        return GroupMembership.NO_GROUP
    return GroupMembership.IN_GROUP


def is_known_key(dialect: Dialect, key: str, version: str | None = None) -> bool:
    """True when this client (at this version, if given) accepts the key."""
    cat = catalogue(dialect)
    if cat.python_only_info(key) is not None:
        return True
    info = cat.info(key)
    if info is None:
        return False
    return info.exists_in(version)


def effective_value(config: ClientConfig, key: str) -> Any:
    """Shorthand for rules that only need the value (explicit, default, or UNKNOWN)."""
    return effective(config, key).value
