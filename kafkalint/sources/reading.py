"""Reading one file safely: regular files only, a size cap, NUL and encoding checks.

Below the dispatch in sources/__init__.py and every reader, so none imports the other.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_FILE_BYTES = 5 * 1024 * 1024


class Unreadable(Exception):
    """The file cannot be read as text; the message says why in a few words."""


def read_text(path: Path, display: str, allow_latin1: bool = False) -> str:
    return decode(read_bytes(path), allow_latin1)


def read_bytes(path: Path | str) -> bytes:
    return read_bytes_and_status(path)[0]


def read_bytes_and_status(path: Path | str) -> tuple[bytes, os.stat_result]:
    """The file's bytes and the status of the descriptor they were read from (what the parse
    cache records), under the same checks as read_bytes."""
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode):
            # A FIFO or device named like a config would block or never end: never open one.
            raise Unreadable("not a regular file")
        size = status.st_size
        if size > MAX_FILE_BYTES:
            raise Unreadable(
                f"file is {size // (1024 * 1024)} MB, over the {MAX_FILE_BYTES // (1024 * 1024)} MB "
                "limit kafkalint reads; refused"
            )
        # Opened non-blocking and checked again on the descriptor: a file swapped for a FIFO
        # after the stat above is refused, not waited on for ever.
        descriptor = _open_nonblocking(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                raise Unreadable("not a regular file")
            # Asked for its size (plus one byte, to see growth), not for the cap: a read of the
            # cap allocates 5 MB per file, which dominated the reading of a large tree.
            data = _read_up_to(descriptor, min(status.st_size, MAX_FILE_BYTES) + 1)
            if len(data) > status.st_size and len(data) <= MAX_FILE_BYTES:  # grew since: read on
                data += _read_up_to(descriptor, MAX_FILE_BYTES + 1 - len(data))
        finally:
            os.close(descriptor)
    except PermissionError:
        raise Unreadable("permission denied") from None
    except OSError as error:
        raise Unreadable(error.strerror or str(error)) from None
    return data, status


def _open_nonblocking(path: Path | str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))


def _read_up_to(descriptor: int, count: int) -> bytes:
    """Up to `count` bytes, fewer only at the end of the file. A regular file returns fewer
    bytes than asked for only at its end: one read of a file's size plus one byte is the whole
    file, without a second read to see the end."""
    chunks = []
    while count > 0:
        chunk = os.read(descriptor, count)
        if not chunk:
            break
        chunks.append(chunk)
        if len(chunk) < count:
            break
        count -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def decode(data: bytes, allow_latin1: bool = False) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise Unreadable(f"file is over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit kafkalint reads; refused")
    if b"\x00" in data[:8192]:
        raise Unreadable("binary file (contains NUL bytes), not a text configuration")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if not allow_latin1:
            raise Unreadable(f"not valid UTF-8 text (byte {error.start})") from None
        # java.util.Properties.load(InputStream) reads ISO-8859-1: so does the Java client.
        text = data.decode("latin-1")
    return text
