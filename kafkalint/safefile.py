"""Reading and writing the files kafkalint itself uses, whatever a repository put in their place.

Reading (settings, `.gitignore`, baseline, rule files, the catalogue cache): only a regular
file is read, and at most `limit` bytes of it. A FIFO would block for ever and `/dev/zero`
would never end; a path is opened non-blocking and checked on the open descriptor, so nothing
can be swapped in between the check and the read.

Writing (baseline, `--output`, the catalogue cache): into a temporary file created
exclusively (random name, O_EXCL) in the target's folder, then renamed over the target. A
reader sees the old file or the new one, never a torn one, and a symlink planted at a
predictable temporary name cannot redirect the write.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


class RefusedFile(OSError):
    """The path is not a regular file, or is larger than kafkalint reads for its purpose."""


def read_regular_bytes(path: Path | str, limit: int, follow_symlinks: bool = True) -> bytes:
    """The file's bytes; RefusedFile when it is not a regular file or is over `limit` bytes,
    OSError (FileNotFoundError, PermissionError, ...) when it cannot be opened."""
    # Checked before opening (opening some devices has effects of its own), and again on the
    # descriptor (the path may have been swapped in between).
    status = os.stat(path) if follow_symlinks else os.lstat(path)
    if stat.S_ISLNK(status.st_mode):
        raise RefusedFile(f"{os.fsdecode(path)}: a symbolic link; not followed")
    if not stat.S_ISREG(status.st_mode):
        raise RefusedFile(f"{os.fsdecode(path)}: not a regular file")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if not follow_symlinks and os.path.islink(path):
            raise RefusedFile(f"{os.fsdecode(path)}: a symbolic link; not followed") from None
        raise error
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise RefusedFile(f"{os.fsdecode(path)}: not a regular file")
        if status.st_size > limit:
            raise RefusedFile(f"{os.fsdecode(path)}: {_size(status.st_size)}, over the {_size(limit)} kafkalint reads")
        # Its size plus one byte, not the limit: a read of the limit allocates all of it (256 MB
        # for the parse cache). The size may grow after fstat: then read on, up to the limit.
        data = handle.read(status.st_size + 1)
        if len(data) > status.st_size:
            data += handle.read(limit + 1 - len(data))
    if len(data) > limit:
        raise RefusedFile(f"{os.fsdecode(path)}: over the {_size(limit)} kafkalint reads")
    return data


def read_regular_text(path: Path | str, limit: int, follow_symlinks: bool = True) -> str:
    """The file as UTF-8 text (UnicodeDecodeError when it is not), under the same checks."""
    return read_regular_bytes(path, limit, follow_symlinks).decode("utf-8-sig")


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.0f} MB"
    if count >= 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count} bytes"


def write_atomically(
    path: Path | str, text: str | bytes, mode: int | None = None, to_streams: bool = False, durable: bool = True
) -> None:
    """Replace `path` with `text` (UTF-8; bytes as they are) in one rename, with `mode` or else the mode the file
    had (a new file: as an ordinary write would create it). With `to_streams` (a path the user
    named), a path that exists and is not a regular file (`/dev/stdout`, a FIFO a script
    reads) is written to as a stream instead; otherwise it is replaced like any file.
    `durable=False` skips the fsync, for caches: a file torn by a crash fails their checksum and
    is discarded, and an fsync per run costs a busy disk tens of milliseconds."""
    path = Path(path)
    try:
        status = os.stat(path)
    except FileNotFoundError:
        status = None
    data = text.encode("utf-8") if isinstance(text, str) else text
    if to_streams and status is not None and not stat.S_ISREG(status.st_mode):
        with open(path, "wb") as stream:
            stream.write(data)
        return
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        # mkstemp creates the file 0600: give it the mode an ordinary write would have.
        if mode is None:
            regular = status is not None and stat.S_ISREG(status.st_mode)
            mode = stat.S_IMODE(status.st_mode) if regular else 0o666 & ~_umask()
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
