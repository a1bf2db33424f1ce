"""kafkalint: a linter for Kafka client, framework and cluster configuration."""

__version__ = "0.2.1"

# Before any of kafkalint's dataclasses is defined: their generated methods are compiled once,
# not at every start (see kafkalint/dataclass_cache.py).
from kafkalint import dataclass_cache as _dataclass_cache  # noqa: E402

_dataclass_cache.install()
