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
        with open(path, "rb", opener=_open_nonblocking) as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise Unreadable("not a regular file")
            data = handle.read(MAX_FILE_BYTES + 1)
    except PermissionError:
        raise Unreadable("permission denied") from None
    except OSError as error:
        raise Unreadable(error.strerror or str(error)) from None
    return data


def _open_nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))


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
