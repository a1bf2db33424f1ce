"""BLAKE2b (the caches) and SHA-256 (finding fingerprints), without the cost of `import hashlib`.

`hashlib` loads OpenSSL's libcrypto (`_hashlib`) when it is imported, whichever hash is asked
for: about 11 million instructions, ~3-5 ms, on every run. CPython implements both hashes in
modules of its own: `hashlib.blake2b` *is* `_blake2.blake2b`, and `_sha256` (`_sha2` from
Python 3.12) computes the same SHA-256 as OpenSSL's. A Python built without them falls back to
hashlib, with the same digests.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - every CPython build we know of has _blake2
    from hashlib import blake2b

try:
    from _sha2 import sha256  # Python 3.12+
except ImportError:
    try:
        from _sha256 import sha256  # Python 3.11
    except ImportError:  # pragma: no cover
        from hashlib import sha256

__all__ = ["blake2b", "sha256"]
