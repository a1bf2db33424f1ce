"""Sources: each turns one file into model objects; this module reads files and dispatches.

What a format is (its names, byte sniff, reader, claimants) lives in kafkalint/formats.py; this
module only applies it. A file is read once, dropped on its bytes when it cannot concern Kafka,
decoded once and handed to its format's reader, which is imported only when a file needs it
(PyYAML is ~10 ms of start-up, libcst far more).
"""

from __future__ import annotations

from pathlib import Path

from kafkalint.formats import FileFormat, claimant_readers, format_named, load
from kafkalint.model import Project, SourceFile
from kafkalint.sources.read_problems import parse_problem
from kafkalint.sources.reading import MAX_FILE_BYTES, Unreadable, decode, read_bytes, read_text

__all__ = [
    "MAX_FILE_BYTES", "Unreadable", "decode", "parse_problem", "read_bytes", "read_text",
    "may_concern_kafka", "read_file", "read_bytes_as", "read_text_as",
]


def may_concern_kafka(kind: str, content: bytes | str) -> bool:
    """The cheap test every file passes before it is decoded or parsed (its format's sniff)."""
    file_format = format_named(kind)
    return file_format is None or file_format.may_concern_kafka(content)


def read_file(path: Path, display: str, kind: str, project: Project) -> None:
    """Read one discovered file into the project; every failure becomes a parse problem.

    Most YAML, JSON and Python files in a repository never mention Kafka: they are dropped on
    their bytes, before decoding, so a binary or non-UTF-8 file that cannot concern Kafka is
    not reported either.
    """
    file_format = format_named(kind)
    if file_format is None:
        return
    try:
        data = read_bytes(path)
    except Unreadable as error:
        project.problems.append(parse_problem(display, str(error)))
        return
    read_bytes_as(data, display, kind, project)


def read_bytes_as(data: bytes, display: str, kind: str, project: Project) -> None:
    """Read a file's bytes, already read from disk (the parse cache hashes them first)."""
    file_format = format_named(kind)
    if file_format is None or not file_format.may_concern_kafka(data):
        return
    try:
        text = decode(data, allow_latin1=file_format.latin1_fallback)
    except Unreadable as error:
        project.problems.append(parse_problem(display, str(error)))
        return
    _read_decoded(text, display, file_format, project)


def read_text_as(text: str, display: str, kind: str, project: Project) -> None:
    """Read text that did not come from disk (stdin, rule examples) as a file of this format."""
    file_format = format_named(kind)
    if file_format is None or not file_format.may_concern_kafka(text):
        return
    _read_decoded(text, display, file_format, project)


def _read_decoded(text: str, display: str, file_format: FileFormat, project: Project) -> None:
    if file_format.text_filter is not None and not load(file_format.text_filter)(text):
        return
    project.files.append(SourceFile(display, file_format.name, text))
    reader = load(file_format.reader)
    if file_format.claimants:
        reader(text, display, project, claimant_readers(file_format))
    else:
        reader(text, display, project)
