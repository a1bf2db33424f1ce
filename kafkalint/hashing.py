"""BLAKE2b for the caches, without the cost of `import hashlib`.

`hashlib` loads OpenSSL's libcrypto (`_hashlib`) when it is imported, whichever hash is asked
for: about 11 million instructions, ~3 ms, on every run, while the caches only ever use BLAKE2b,
which CPython implements in its own `_blake2` module. `hashlib.blake2b` *is* `_blake2.blake2b`;
a Python built without that module falls back to hashlib, with the same digests.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - every CPython build we know of has _blake2
    from hashlib import blake2b

__all__ = ["blake2b"]
