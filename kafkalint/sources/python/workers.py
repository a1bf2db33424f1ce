"""Python files are parsed behind a wall: in worker processes with a CPU-time and a memory
limit, watched by this process, so that a parser crash, blow-up or hang costs one file.

libcst's native parser overflows its stack on deep nesting (a segfault that no `except`
catches) and some small inputs cost it minutes or gigabytes. CPython's own parser is asked
first (`syntax_problem` in sources/python), which refuses most of those cheaply; the workers
are for whatever gets past it. A worker that dies (a signal, the memory limit) or outlives its
time is killed and replaced, and its file becomes a parse-error; every other file is parsed.
Workers are forked, so they share what this process has imported and read, and each parses
many files in turn: a run pays for the forks, not for a worker per file.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from kafkalint.model import Project
from kafkalint.sources.read_problems import parse_problem

# Set to parse Python in this process (no workers, no limits): for profiling and debugging.
IN_PROCESS_VARIABLE = "KAFKALINT_PARSE_IN_PROCESS"


@dataclass(slots=True, frozen=True)
class ParseBudget:
    """What one Python file may cost its worker (documented in the README under Limits)."""

    cpu_seconds: int = 60
    memory_bytes: int = 2 * 1024 * 1024 * 1024  # beyond what the worker holds when it starts
    # Wall-clock allowance per file: the CPU limit is the real bound, this one catches a worker
    # that waits instead of computing (on a busy machine wall time runs ahead of CPU time).
    wall_seconds: float = 300.0


@dataclass(slots=True, frozen=True)
class ParseJob:
    """One code file (Python, or another format parsed in workers): read from `path` in the
    worker, or given as `text` (stdin)."""

    display: str
    kind: str = "python"
    path: Path | None = None
    text: str | None = None


Reader = Callable[[ParseJob, Project], None]

# The budget every run uses (tests lower it to see the limits work).
BUDGET = ParseBudget()


def walled_parsing_available() -> bool:
    if os.environ.get(IN_PROCESS_VARIABLE):
        return False
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def parse_in_workers(jobs: list[ParseJob], reader: Reader, workers: int, budget: ParseBudget | None = None) -> list[Project]:
    """One project fragment per job, in job order, whatever happens to the workers."""
    import multiprocessing
    from multiprocessing.connection import wait

    budget = budget or BUDGET
    context = multiprocessing.get_context("fork")
    results: list[Project | None] = [None] * len(jobs)
    pending = list(range(len(jobs)))
    pending.reverse()  # popped from the end: job order
    busy: dict[Any, _Worker] = {}

    def start_worker() -> _Worker:
        parent_end, child_end = context.Pipe()
        process = context.Process(target=_worker_main, args=(jobs, reader, child_end, budget), daemon=True)
        process.start()
        child_end.close()  # so that the worker's death reads as end-of-file here
        return _Worker(process, parent_end)

    def assign(worker: _Worker) -> None:
        if not pending:
            worker.stop()
            return
        worker.index = pending.pop()
        worker.started = time.monotonic()
        try:
            worker.connection.send(worker.index)
        except OSError:
            pass  # it died already: the wait below sees end-of-file
        busy[worker.connection] = worker

    try:
        for _ in range(max(1, min(workers, len(jobs)))):
            assign(start_worker())
        while busy:
            ready = wait(list(busy), timeout=1.0)
            for connection in ready:
                worker = busy.pop(connection)
                try:
                    index, fragment = connection.recv()
                except (EOFError, OSError):
                    results[worker.index] = _failed(jobs[worker.index], worker.died_reason())
                    worker.kill()
                    if pending:
                        assign(start_worker())
                    continue
                results[index] = fragment
                assign(worker)
            now = time.monotonic()
            for connection, worker in list(busy.items()):
                if now - worker.started > budget.wall_seconds:
                    busy.pop(connection)
                    worker.kill()
                    results[worker.index] = _failed(
                        jobs[worker.index], f"parsing took longer than {budget.wall_seconds:.0f} s; refused"
                    )
                    if pending:
                        assign(start_worker())
    finally:
        for worker in busy.values():
            worker.kill()
    return [fragment if fragment is not None else Project() for fragment in results]


class _Worker:
    def __init__(self, process: Any, connection: Any) -> None:
        self.process = process
        self.connection = connection
        self.index = -1
        self.started = 0.0

    def stop(self) -> None:
        try:
            self.connection.send(None)
        except OSError:
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()

    def died_reason(self) -> str:
        import signal

        self.process.join(timeout=5)
        code = self.process.exitcode
        if code == -signal.SIGXCPU:
            return "parsing used more than its CPU time budget; refused"
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"the Python parser crashed on this file ({name}: nesting or size beyond what it handles); refused"
        return "the Python parser stopped on this file (out of its memory budget, or crashed); refused"


def _failed(job: ParseJob, reason: str) -> Project:
    return Project(problems=[parse_problem(job.display, reason)])


def _worker_main(jobs: list[ParseJob], reader: Reader, connection: Any, budget: ParseBudget) -> None:
    _limit_memory(budget.memory_bytes)
    while True:
        try:
            index = connection.recv()
        except (EOFError, OSError):
            return _leave()
        if index is None:
            return _leave()
        _limit_cpu(budget.cpu_seconds)
        fragment = Project()
        try:
            reader(jobs[index], fragment)
        except MemoryError:
            fragment = _failed(jobs[index], "parsing needs more than its memory budget; refused")
        try:
            connection.send((index, fragment))
        except MemoryError:
            connection.send((index, _failed(jobs[index], "parsing needs more than its memory budget; refused")))


def _leave() -> None:
    """A worker leaves through os._exit (multiprocessing), without atexit handlers: a lone
    worker of a fresh run imported libcst itself, and keeps the dataclass methods it compiled
    for the next run here (kafkalint/dataclass_cache.py; libcst's import is 3x faster with them)."""
    try:
        from kafkalint import dataclass_cache

        dataclass_cache.save()
    except Exception:  # noqa: BLE001 - speed only, never a result
        pass


def _limit_memory(extra: int) -> None:
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as handle:
            current = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = current + extra
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        if soft == resource.RLIM_INFINITY or wanted < soft:
            resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ImportError, OSError, ValueError):
        pass  # no /proc (macOS) or no resource module: the wall-clock limit still holds


def _limit_cpu(seconds: int) -> None:
    """Each file gets `seconds` of CPU from now: the soft limit moves with the worker's use."""
    try:
        import resource

        usage = resource.getrusage(resource.RUSAGE_SELF)
        used = int(usage.ru_utime + usage.ru_stime) + 1
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        wanted = used + seconds
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (wanted, hard))
    except (ImportError, OSError, ValueError):
        pass
