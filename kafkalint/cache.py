"""The parse cache: what each file's source produced, keyed by the file's content (ruff's model).

One cache file per project root and key (kafkalint version and code, settings) maps
each file's display path to its size, mtime, content digest and the model objects its source
yielded (a `Project` fragment, before cross-resource resolution). A file whose size and mtime
are unchanged, and whose mtime is older than the last time its content was verified (git's
"racy" rule), is not read at all; any other file is read and hashed, and re-parsed only when its
digest changed.

Where: the user's cache folder (`$KAFKALINT_CACHE_DIR`, else `$XDG_CACHE_HOME/kafkalint`, else
`~/.cache/kafkalint`), never the project: the cache is unpickled, and a repository must not be
able to plant a file kafkalint will load. Loading also accepts only kafkalint's own classes and
plain containers, and a cache file whose checksum or header does not match is discarded.

Safety: each save writes a temporary file created exclusively beside the target and renames it
over the target (`kafkalint.safefile.write_atomically`: mkstemp + os.replace), so concurrent runs never see half a file (the last writer wins).
Bounds: entries for files that no longer exist are dropped on save; cache files unused for
30 days are deleted, and the oldest go first when the folder grows over `MAX_CACHE_BYTES`.
"""

from __future__ import annotations

import io
import os
import pickle
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kafkalint.hashing import blake2b
from kafkalint.safefile import read_regular_bytes, write_atomically

FORMAT = b"kafkalint-parse-cache-1\n"
MAX_CACHE_BYTES = 256 * 1024 * 1024
MAX_AGE_SECONDS = 30 * 24 * 3600
# A file modified less than this before its content was last verified may have changed again
# within the same mtime tick: it is re-read (git's racy-timestamp rule).
RACY_NANOSECONDS = 2_000_000_000

# Most files of a repository yield nothing (no Kafka in them): stored as this, not as a pickle.
EMPTY = b""
# The digest of a file dropped on its bytes (it cannot concern Kafka): never hashed, since the
# byte test is as cheap as hashing. It matches no content digest: such a file whose mtime
# changed is read and tested again.
NO_DIGEST = ""


_NOTHING: Any = None


def _empty_fragment() -> Any:
    """The fragment of a file that yielded nothing: one shared empty Project (fragments are only
    ever merged into the run's project, never added to), since building one per file was a
    measurable part of a warm run over thousands of files."""
    global _NOTHING
    if _NOTHING is None:
        from kafkalint.model import Project

        _NOTHING = Project()
    return _NOTHING


def _is_empty(fragment: Any) -> bool:
    return not any(getattr(fragment, name) for name in fragment.__slots__)


_SAFE_BUILTINS = frozenset({
    "set", "frozenset", "tuple", "list", "dict", "int", "float", "str", "bytes", "bool", "complex", "object",
})


def cache_folder() -> Path:
    configured = os.environ.get("KAFKALINT_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kafkalint"


def code_fingerprint() -> str:
    """kafkalint's version and its own source files' sizes and mtimes: a changed reader must not
    reuse what an older one parsed (the version alone does not change in a development tree)."""
    from kafkalint import __version__

    package = Path(__file__).resolve().parent
    digest = blake2b(__version__.encode(), digest_size=16)
    for folder, _subfolders, names in sorted(os.walk(package)):
        for name in sorted(names):
            if name.endswith((".py", ".json", ".yaml")):
                status = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name}:{status.st_size}:{status.st_mtime_ns}\n".encode())
    return digest.hexdigest()


_ALLOWED: dict[tuple[str, str], Any] = {}


class _ModelUnpickler(pickle.Unpickler):
    """Rebuilds only kafkalint's classes and plain containers; anything else means the file was
    not written by kafkalint, and it is discarded."""

    def find_class(self, module: str, name: str) -> Any:
        found = _ALLOWED.get((module, name))
        if found is not None:
            return found
        if module == "builtins" and name in _SAFE_BUILTINS:
            found = super().find_class(module, name)
        elif module == "copyreg" and name in ("_reconstructor", "__newobj__"):
            found = super().find_class(module, name)
        elif module == "kafkalint" or module.startswith("kafkalint."):
            found = super().find_class(module, name)
            if not isinstance(found, type):
                found = None
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a kafkalint cache")
        _ALLOWED[(module, name)] = found
        return found


def _loads(data: bytes) -> Any:
    return _ModelUnpickler(io.BytesIO(data)).load()


# What the cache compares of a file's status, as the scan gives it: (st_size, st_mtime_ns). A
# plain pair, not a named tuple: a forked scan sends back one per file, thousands, and a named
# tuple costs five times as much to pickle and unpickle (a Python-level __new__ for each).
Stamp = tuple  # (int, int)


def file_stamp(status: os.stat_result) -> Stamp:
    return status.st_size, status.st_mtime_ns


@dataclass(slots=True)
class CacheEntry:
    """What the parse cache keeps of one file: its stamp, content digest and pickled fragment."""

    size: int
    mtime_ns: int
    digest: str
    verified_ns: int
    fragment: bytes  # the pickled Project fragment


def content_digest(data: bytes) -> str:
    return blake2b(data, digest_size=20).hexdigest()


class ParseCache:
    def __init__(self, root: Path, key: str, folder: Path | None = None) -> None:
        self.folder = folder or cache_folder()
        name = blake2b(f"{root.resolve()}\0{key}".encode(), digest_size=16).hexdigest()
        self.path = self.folder / f"{name}.cache"
        self.entries: dict[str, CacheEntry] = {}
        self.fresh: dict[str, CacheEntry] = {}
        self.hits = 0
        self.misses = 0
        self._load()

    def _load(self) -> None:
        try:
            raw = read_regular_bytes(self.path, MAX_CACHE_BYTES)  # never a FIFO or a device
        except OSError:  # RefusedFile included: start from nothing
            return
        header_length = len(FORMAT) + 32
        if len(raw) < header_length or not raw.startswith(FORMAT):
            return
        checksum, body = raw[len(FORMAT):header_length], raw[header_length:]
        if blake2b(body, digest_size=32).digest() != checksum:
            return  # torn or tampered: start from nothing
        try:
            table = _loads(body)
        except Exception:  # any doubt about the file: discard it
            return
        if not isinstance(table, dict):
            return
        for display, row in table.items():
            if isinstance(display, str) and isinstance(row, tuple) and len(row) == 5:
                size, mtime_ns, digest, verified_ns, fragment = row
                if isinstance(fragment, bytes) and isinstance(digest, str):
                    self.entries[display] = CacheEntry(size, mtime_ns, digest, verified_ns, fragment)

    def knows(self, display: str) -> bool:
        """Whether the cache has an entry for this file at all (no stat needed to say no)."""
        return display in self.entries

    def unchanged(self, display: str, status: os.stat_result) -> Any | None:
        """The cached fragment when size and mtime say the file cannot have changed, else None."""
        entry = self.entries.get(display)
        if entry is None or entry.size != status.st_size or entry.mtime_ns != status.st_mtime_ns:
            return None
        if status.st_mtime_ns >= entry.verified_ns - RACY_NANOSECONDS:
            return None
        return self._fragment(display, entry)

    def holds(self, display: str, digest: str) -> bool:
        """Whether an entry of this content exists (same_content would then give it); asks
        nothing else, changes nothing."""
        entry = self.entries.get(display)
        return entry is not None and entry.digest == digest and digest != NO_DIGEST

    def same_content(self, display: str, digest: str, stamp: Stamp) -> Any | None:
        entry = self.entries.get(display)
        if entry is None or entry.digest != digest or digest == NO_DIGEST:
            return None
        return self._fragment(display, CacheEntry(stamp[0], stamp[1], digest, time.time_ns(), entry.fragment))

    def _fragment(self, display: str, entry: CacheEntry) -> Any | None:
        try:
            fragment = _empty_fragment() if entry.fragment == EMPTY else _loads(entry.fragment)
        except Exception:
            return None
        self.fresh[display] = entry
        self.hits += 1
        return fragment

    def store(self, display: str, stamp: Stamp, digest: str, fragment: Any) -> None:
        self.misses += 1
        try:
            payload = EMPTY if _is_empty(fragment) else pickle.dumps(fragment, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an object a source made that cannot be stored: parse it next time
            return
        self.fresh[display] = CacheEntry(stamp[0], stamp[1], digest, time.time_ns(), payload)

    def store_nothing(self, display: str, stamp: Stamp) -> None:
        """A file dropped on its bytes: nothing in it, and no digest (see NO_DIGEST)."""
        self.misses += 1
        self.fresh[display] = CacheEntry(stamp[0], stamp[1], NO_DIGEST, time.time_ns(), EMPTY)

    def save(self) -> None:
        """Write this run's entries (only files seen now: the cache cleans itself) atomically."""
        if self.misses == 0 and self.fresh.keys() == self.entries.keys() and all(
            self.fresh[key].verified_ns == self.entries[key].verified_ns for key in self.fresh
        ):
            return  # nothing new to say
        table = {
            display: (entry.size, entry.mtime_ns, entry.digest, entry.verified_ns, entry.fragment)
            for display, entry in self.fresh.items()
        }
        body = pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL)
        data = FORMAT + blake2b(body, digest_size=32).digest() + body
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # mkstemp + os.replace; no fsync: a torn file fails the checksum and is discarded.
            write_atomically(self.path, data, mode=0o600, durable=False)
            prune(self.folder, keep=self.path)
        except OSError:
            pass  # a read-only or full disk costs speed, never a result


def prune(folder: Path, keep: Path, max_bytes: int = MAX_CACHE_BYTES, max_age: float = MAX_AGE_SECONDS) -> None:
    """Delete cache files unused for `max_age`, then the oldest until the folder fits `max_bytes`."""
    now = time.time()
    files: list[tuple[float, int, Path]] = []
    for path in folder.glob("*.cache"):
        try:
            status = path.stat()
        except OSError:
            continue
        if path != keep and now - status.st_mtime > max_age:
            _remove(path)
            continue
        files.append((status.st_mtime, status.st_size, path))
    for path in folder.glob(".*.tmp"):  # left by a run that was killed mid-write
        try:
            if now - path.stat().st_mtime > 3600:
                _remove(path)
        except OSError:
            continue
    total = sum(size for _, size, _ in files)
    for _mtime, size, path in sorted(files):
        if total <= max_bytes:
            break
        if path == keep:
            continue
        _remove(path)
        total -= size


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def cache_key(settings: Any) -> str:
    """What else a cached result depends on: kafkalint itself and the settings. Not the rules:
    a file's model is what its source says, whichever rules then read it (so the cache is
    opened, and the scan started, before the rule catalogue is loaded; see engine.run)."""
    digest = blake2b(code_fingerprint().encode(), digest_size=16)
    digest.update(repr(settings).encode())
    return digest.hexdigest()
