"""A progress bar on stderr while files are read, for long runs on a terminal only.

Never on a pipe, in CI logs or with --no-progress; short runs finish before a bar would help,
so it appears only above MIN_FILES files. It is transient: nothing is left on the screen.
"""

from __future__ import annotations

import os
import sys
from typing import Iterator, Sequence, TypeVar

Item = TypeVar("Item")

MIN_FILES = 200


def wants_progress(count: int) -> bool:
    if count < MIN_FILES or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


def with_progress(items: Sequence[Item]) -> Sequence[Item] | Iterator[Item]:
    if not wants_progress(len(items)):
        return items
    return _track(items)


def _track(items: Sequence[Item]) -> Iterator[Item]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True, no_color=bool(os.environ.get("NO_COLOR")))
    columns = (TextColumn("reading files"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("read", total=len(items))
        for item in items:
            yield item
            progress.advance(task)
