"""Which hash a producer applies to record keys, per dialect and setting (data/partitioners.json).

Two producers of one topic keep a key on one partition only when they hash it alike; this
module answers "which hash" for a ClientConfig, or None when it cannot be known statically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kafkalint.knowledge import DATA
from kafkalint.model import UNKNOWN, ClientConfig, Setting


@lru_cache(maxsize=1)
def partitioner_facts() -> dict[str, Any]:
    with (DATA / "partitioners.json").open(encoding="utf-8") as handle:
        return json.load(handle)


@dataclass(slots=True, frozen=True)
class KeyHashing:
    """How one producer maps keys to partitions: `hash` is murmur2, crc32, fnv1a or none."""

    hash: str
    partitioner: str
    setting: Setting | None
    source: str

    def describe(self) -> str:
        name = partitioner_facts()["hash_names"].get(self.hash, self.hash)
        how = "set" if self.setting is not None else "default"
        return f"{name}, partitioner {self.partitioner} ({how})"


def _dialect_facts(config: ClientConfig) -> dict[str, Any] | None:
    return partitioner_facts()["dialects"].get(config.dialect.value)


def key_hashing(config: ClientConfig) -> KeyHashing | None:
    """The producer's key hash, or None when a custom or unknowable partitioner is in use."""
    facts = _dialect_facts(config)
    if facts is None:
        return None
    values: dict[str, Any] = facts["values"]
    setting = config.settings.get(facts["setting"])
    if setting is None:
        if not config.all_settings_known:
            return None
        ignore_key = facts.get("ignore_keys_setting")
        if ignore_key:
            ignore = config.settings.get(ignore_key)
            if ignore is not None:
                if ignore.value is UNKNOWN:
                    return None
                if str(ignore.value).strip().lower() == "true":
                    return KeyHashing("none", f"{ignore_key}=true", ignore, facts["source"])
        chosen = values[facts["default"]]
        return KeyHashing(chosen["hash"], facts["default"], None, chosen["source"])
    if setting.value is UNKNOWN or setting.value is None:
        return None
    written = str(setting.value).strip()
    for name, chosen in values.items():
        if written == name or written.lower() == name.lower() or written.rsplit(".", 1)[-1] == name:
            return KeyHashing(chosen["hash"], name, setting, chosen["source"])
    return None  # a custom partitioner: its hash is not knowable statically


def murmur2_setting(config: ClientConfig) -> str | None:
    """The setting that makes this dialect hash keys like the Java client, if it has one."""
    facts = _dialect_facts(config)
    if facts is None or "compatible_with_murmur2" not in facts:
        return None
    return f"{facts['setting']}={facts['compatible_with_murmur2']}"
