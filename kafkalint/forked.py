"""Spreading one step over the machine's cores with forked children, for steps that cost the
same whatever runs them (reading and byte-testing thousands of files, parsing the Java and
Kotlin ones).

`map_chunks(function, chunks)` runs `function` on every chunk but the last in a forked child
and on the last one here, at the same time, and returns the results in chunk order. A child
shares what this process has imported and read (copy-on-write), sends its result back pickled
through a pipe, and leaves with os._exit (no atexit handler, no flush of inherited buffers).
A child that fails for any reason (an exception, a signal, a result that cannot be pickled)
costs only speed: its chunk is then done here, as if nothing had been forked.

Forking is used only where it is safe and cheap: on Linux (macOS system libraries are not
fork-safe, Windows has no fork) and in a process with a single thread (a fork copies no other
thread, so a lock another thread held would stay held in the child for ever). Elsewhere, and
with KAFKALINT_JOBS=1, every chunk is done here in turn.
"""

from __future__ import annotations

import os
import sys
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

JOBS_VARIABLE = "KAFKALINT_JOBS"
MAX_DEFAULT_JOBS = 4


def available_jobs() -> int:
    """How many processes a parallel step may use: KAFKALINT_JOBS, else the cores this process
    may run on (its CPU affinity, which a container limits), at most MAX_DEFAULT_JOBS."""
    configured = os.environ.get(JOBS_VARIABLE, "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_JOBS))


def can_fork() -> bool:
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


def split(items: Sequence[Item], parts: int) -> list[list[Item]]:
    """`items` dealt round-robin into `parts` chunks: files of one kind sit together in a
    listing (a package of Kafka code), dealt out they share the work evenly."""
    return [list(items[start::parts]) for start in range(parts) if start < len(items)]


def map_chunks(function: Callable[[list[Item]], Result], chunks: list[list[Item]]) -> list[Result]:
    if len(chunks) < 2 or not can_fork():
        return [function(chunk) for chunk in chunks]
    import gc
    import pickle  # noqa: F401 - loaded once here, for every child to share

    # Objects that exist now are left out of every later collection, here and in the children:
    # a collection in a child would otherwise touch, and so copy, every page they are on.
    gc.freeze()
    children: list[tuple[int, int] | None] = []
    try:
        for chunk in chunks[:-1]:
            children.append(_start(function, chunk))
    finally:
        gc.unfreeze()
    results: list[Result | None] = [None] * len(chunks)
    try:
        results[-1] = function(chunks[-1])
    finally:
        # Collected even when this process's own chunk failed: no child is left behind.
        received = [_collect(child) for child in children]
    for index, (chunk, (ok, value)) in enumerate(zip(chunks, received)):
        results[index] = value if ok else function(chunk)
    return results  # type: ignore[return-value]


def _start(function: Callable[[list[Item]], Result], chunk: list[Item]) -> tuple[int, int] | None:
    try:
        reading, writing = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(reading)
        os.close(writing)
        return None
    if pid == 0:  # the child: compute, send, leave without running this process's exit code
        code = 1
        try:
            import pickle

            os.close(reading)
            import gc

            gc.disable()  # a short life: collecting would only copy the parent's pages
            payload = pickle.dumps(function(chunk), protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(payload)
            while view:
                view = view[os.write(writing, view):]
            code = 0
        except BaseException:  # noqa: BLE001 - whatever it was, the parent redoes the chunk
            pass
        finally:
            os._exit(code)
    os.close(writing)
    return pid, reading


def _collect(child: tuple[int, int] | None) -> tuple[bool, object]:
    """(True, the child's result) or (False, None) when it could not be had."""
    if child is None:
        return False, None
    pid, reading = child
    chunks = []
    try:
        while True:
            block = os.read(reading, 1 << 20)
            if not block:
                break
            chunks.append(block)
    except OSError:
        chunks = []
    finally:
        os.close(reading)
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return False, None
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return False, None
    import pickle

    try:
        return True, pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - a torn result: redo the chunk here
        return False, None
