"""Applying fixes: edits turned into new file contents, written atomically, or shown as a diff.

Edits are applied to the file as it is on disk, decoded the way the sources read it; a file
whose text no longer matches what was linted is left alone. Overlapping edits of one run are
not combined: the first (in file order) wins and the rest wait for the next pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from kafkalint.fixes import Applicability, Fix, TextEdit
from kafkalint.safefile import write_atomically


@dataclass(slots=True)
class FileChange:
    display: str
    path: Path
    before: str
    after: str
    fixed: int  # findings whose fix this change carries
    byte_order_mark: str = ""  # kept in front of `after` when written, as the file had it


def chosen_fixes(findings: Iterable[Any], unsafe: bool) -> list[tuple[Any, Fix]]:
    chosen = []
    for finding in findings:
        proposal = finding.autofix
        if proposal is None:
            continue
        if proposal.applicability is Applicability.UNSAFE and not unsafe:
            continue
        chosen.append((finding, proposal))
    return chosen


def _offsets(text: str) -> list[int]:
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    return starts


def _span(starts: list[int], text: str, edit: TextEdit) -> tuple[int, int] | None:
    if not (1 <= edit.line <= len(starts) and 1 <= edit.end_line <= len(starts)):
        return None
    start = starts[edit.line - 1] + edit.column - 1
    end = starts[edit.end_line - 1] + edit.end_column - 1
    if not 0 <= start <= end <= len(text):
        return None
    return start, end


def apply_fixes(text: str, fixes: list[Fix]) -> tuple[str, int]:
    """The text with every fix whose edits fit beside the others applied, and how many fixes
    that was. A fix whose edits equal ones already taken (two rules, one cure) counts as applied."""
    starts = _offsets(text)
    taken: list[tuple[int, int, str]] = []
    applied = 0
    for proposal in sorted(fixes, key=lambda item: min((edit.line, edit.column) for edit in item.edits)):
        spans = [_span(starts, text, edit) for edit in proposal.edits]
        if any(span is None for span in spans):
            continue
        wanted = [(span[0], span[1], edit.replacement) for span, edit in zip(spans, proposal.edits) if span is not None]
        if all(item in taken for item in wanted):
            applied += 1
            continue
        if any(_overlaps(item, other) for item in wanted for other in taken):
            continue
        taken.extend(wanted)
        applied += 1
    for start, end, replacement in sorted(taken, key=lambda item: (item[0], item[1]), reverse=True):
        text = text[:start] + replacement + text[end:]
    return text, applied


def _overlaps(first: tuple[int, int, str], second: tuple[int, int, str]) -> bool:
    if first[0] == first[1] and second[0] == second[1]:
        return first[0] == second[0]  # two insertions at one point: order would be a guess
    return first[0] < second[1] and second[0] < first[1] or first[0] == second[0]


def read_for_fixing(path: Path, linted: str | None) -> tuple[str, str] | None:
    """(byte order mark, the file's text with its own line endings), or None when it is not a
    regular UTF-8 file (a symbolic link is not written through) or not what was linted."""
    from kafkalint.safefile import read_regular_bytes
    from kafkalint.sources import MAX_FILE_BYTES

    try:
        text = read_regular_bytes(path, MAX_FILE_BYTES, follow_symlinks=False).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None  # a latin-1 properties file too: its bytes would not round-trip through UTF-8
    mark = "\ufeff" if text.startswith("\ufeff") else ""
    text = text[len(mark):]
    if linted is None or text.replace("\r\n", "\n") != linted.replace("\r\n", "\n"):
        return None
    return mark, text


def planned_changes(result: Any, unsafe: bool) -> list[FileChange]:
    by_path: dict[str, list[Fix]] = {}
    for _finding, proposal in chosen_fixes(result.findings, unsafe):
        by_path.setdefault(proposal.edits[0].path, []).append(proposal)
    on_disk = {item.display: Path(item.path) for item in result.files}
    linted = {item.path: item.text for item in result.project.files}
    changes = []
    for display, fixes in sorted(by_path.items()):
        path = on_disk.get(display)
        if path is None or any(edit.path != display for proposal in fixes for edit in proposal.edits):
            continue
        read = read_for_fixing(path, linted.get(display))
        if read is None:
            continue
        mark, before = read
        after, applied = apply_fixes(before, fixes)
        if after != before:
            changes.append(FileChange(display, path, before, after, applied, mark))
    return changes


def unified_diff(changes: list[FileChange]) -> str:
    import difflib

    parts = []
    for change in changes:
        parts.extend(
            difflib.unified_diff(
                change.before.splitlines(keepends=True),
                change.after.splitlines(keepends=True),
                fromfile=f"a/{change.display.lstrip('/')}",
                tofile=f"b/{change.display.lstrip('/')}",
            )
        )
    text = "".join(parts)
    return text if not text or text.endswith("\n") else text + "\n"


# How many times `--fix` re-lints and fixes again before it reports what remains: a fix may make
# room for another (overlapping edits wait a pass, an idempotence key fixed makes acks safe).
FIX_PASSES = 5


def fix_in_place(result: Any, lint: Callable[[], Any], unsafe: bool) -> tuple[Any, int]:
    """Apply the chosen fixes to the files on disk and lint again, until nothing is left to fix:
    (the last result, how many findings were fixed). OSError from writing propagates."""
    fixed = 0
    for _attempt in range(FIX_PASSES):
        changes = planned_changes(result, unsafe)
        if not changes:
            break
        for change in changes:
            # One rename, the file's mode kept, the exact bytes (no newline translation).
            write_atomically(change.path, change.byte_order_mark + change.after)
            fixed += change.fixed
        result = lint()
    return result, fixed
