"""Configuration values read as numbers, the one way every rule does it.

A value may arrive as an int, a float or text (`"30000"`); booleans are never numbers (True
is not 1 to a Kafka client), and None, UNKNOWN or non-numeric text give None, so a rule that
cannot know the number stays silent.
"""

from __future__ import annotations

from typing import Any

from kafkalint.model import UNKNOWN


def as_number(value: Any) -> int | float | None:
    """An int stays an int, a float a float; numeric text becomes an int when it can."""
    if value is None or value is UNKNOWN or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    text = str(value).strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return None


def as_integer(value: Any) -> int | None:
    """A whole number, or None (1.5 is not a replication factor)."""
    number = as_number(value)
    if isinstance(number, float):
        return int(number) if number.is_integer() else None
    return number
