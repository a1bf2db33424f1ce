"""Spreading one step over the machine's cores with forked children, for steps that cost the
same whatever runs them (reading and byte-testing thousands of files, parsing the Java and
Kotlin ones).

`map_dealt(function, count, jobs)` computes `function(index)` for every index below `count`
in this process and jobs - 1 forked children at once, each taking the next small batch of
indices when it is free, and returns the results in index order. A child shares what this
process has imported and read (copy-on-write), sends its results back pickled through a pipe
(after their length, and closes it before leaving: its end of the pipe would otherwise close
only once its memory is torn down), and leaves with os._exit (no atexit handler, no flush of
inherited buffers). A child that fails for any reason (an exception, a signal, a result that
cannot be pickled or is cut short) costs only speed: what it had taken is then computed here,
as if nothing had been forked. With `meanwhile`, this process first does other work of its
own while the children have started (engine.run loads the rules then).

Forking is used only where it is safe and cheap: on Linux (macOS system libraries are not
fork-safe, Windows has no fork) and in a process with a single thread (a fork copies no other
thread, so a lock another thread held would stay held in the child for ever). Elsewhere, and
with KAFKALINT_JOBS=1, every index is computed here in turn.
"""

from __future__ import annotations

import os
import sys
from typing import Callable, TypeVar

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


# A child's result is preceded by its length in this many bytes.
_LENGTH_BYTES = 8

# At most this many batches are dealt: their tokens (4 bytes each) must fit in a pipe's buffer,
# which is one page when the user has used up their pipe allowance.
MAX_BATCHES = 1024


def map_dealt(
    function: Callable[[int], Result], count: int, jobs: int, meanwhile: Callable[[], object] | None = None
) -> list[Result]:
    """[function(index) for index in range(count)], spread over `jobs` processes: this one and
    jobs - 1 forked children. The indices are dealt in small batches, each to whichever process
    is free first, so that a process that drew the costly items (the few files of a tree that
    must be parsed) does not keep the others waiting. A batch is a token in a pipe every
    process reads from (reads of a pipe are atomic); a child returns what it computed, and
    whatever a failed child had taken is computed here afterwards.

    `meanwhile`, when given, is called here once the children are at work and before this
    process takes its own batches: serial work of this process's that the indices do not
    need, done while the children deal with them (what it raises is raised once they are
    stopped). It is not called when nothing could be forked: the caller then does that work
    when it would have anyway."""
    def serially() -> list[Result]:
        return [function(index) for index in range(count)]

    if jobs < 2 or count < 2 or not can_fork():
        return serially()
    size = -(-count // MAX_BATCHES)
    try:
        reading, writing = os.pipe()
    except OSError:
        return serially()
    try:
        tokens = b"".join(start.to_bytes(4, "little") for start in range(0, count, size))
        os.set_blocking(writing, False)
        written = os.write(writing, tokens)
    except OSError:
        written = 0
    finally:
        os.close(writing)  # every token is in: an empty pipe now reads as the end of the deal
    results: dict[int, Result] = {}
    if written != len(tokens):
        os.close(reading)
        return serially()
    import gc
    import pickle  # noqa: F401 - loaded once here, for every child to share

    # Objects that exist now are left out of every later collection, here and in the children:
    # a collection in a child would otherwise touch, and so copy, every page they are on.
    gc.freeze()
    children: list[tuple[int, int] | None] = []
    try:
        for _ in range(jobs - 1):
            children.append(_start(lambda: _take_batches(function, reading, count, size)))
    finally:
        gc.unfreeze()
    try:
        if meanwhile is not None:
            try:
                meanwhile()
            except BaseException:
                _stop(children)  # their results would be thrown away with this process's
                raise
        results.update(_take_batches(function, reading, count, size))
    finally:
        # Collected even when this process's own work failed: no child is left behind.
        os.close(reading)
        received = [_receive(child) for child in children]
        _reap(children)
    for ok, value in received:
        if ok and isinstance(value, dict):
            results.update(value)
    return [results[index] if index in results else function(index) for index in range(count)]


def _take_batches(function: Callable[[int], Result], tokens: int, count: int, size: int) -> dict[int, Result]:
    """function(index) for the indices of every batch this process takes, until none is left."""
    done: dict[int, Result] = {}
    while True:
        try:
            token = os.read(tokens, 4)
        except OSError:
            return done
        if len(token) != 4:
            return done
        start = int.from_bytes(token, "little")
        for index in range(start, min(start + size, count)):
            done[index] = function(index)


def _start(work: Callable[[], object]) -> tuple[int, int] | None:
    """A forked child that does `work` and sends its result back: (its pid, the reading end of
    that result's pipe), or None when it could not be started."""
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
            payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(len(payload).to_bytes(_LENGTH_BYTES, "little") + payload)
            while view:
                view = view[os.write(writing, view):]
            # Closed here, not by exiting: a process's pipes close only after its memory is
            # torn down, and the parent would wait those milliseconds for the end of the pipe.
            os.close(writing)
            code = 0
        except BaseException:  # noqa: BLE001 - whatever it was, the parent redoes its work
            pass
        finally:
            os._exit(code)
    os.close(writing)
    return pid, reading


def _stop(children: list[tuple[int, int] | None]) -> None:
    import signal  # ~1 ms of enum classes, for this rare path only

    for child in children:
        if child is not None:
            try:
                os.kill(child[0], signal.SIGKILL)
            except OSError:
                pass


def _receive(child: tuple[int, int] | None) -> tuple[bool, object]:
    """(True, the child's result) or (False, None) when it could not be had: the result is
    whole when it is as long as the child said it would be (the child is reaped later, by
    _reap, while this process goes on)."""
    if child is None:
        return False, None
    _pid, reading = child
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
    data = b"".join(chunks)
    if len(data) < _LENGTH_BYTES or int.from_bytes(data[:_LENGTH_BYTES], "little") != len(data) - _LENGTH_BYTES:
        return False, None  # the child died before it had said everything
    import pickle

    try:
        return True, pickle.loads(memoryview(data)[_LENGTH_BYTES:])
    except Exception:  # noqa: BLE001 - a torn result: redo its work here
        return False, None


def _reap(children: list[tuple[int, int] | None]) -> None:
    for child in children:
        if child is not None:
            try:
                os.waitpid(child[0], 0)
            except ChildProcessError:
                pass
