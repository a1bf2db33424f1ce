"""What the user silenced: per-file-ignores from the settings and inline suppression comments.

    acks=0  # kafkalint: disable=KL101,producer-acks-leader-only   (Python, YAML: this line)
    # kafkalint: disable=KL101                                      (a comment line: the next line)
    ! kafkalint: disable=producer-acks-zero                         (.properties also use `!`)
    # kafkalint: disable-file=KL401                                 (the whole file)

Comments are found per format: .properties comment lines (`#`, `!`, never inside a continued
value), YAML `#` comments (not inside quotes or block scalars) and Python comment tokens (the
tokenizer, and only for files that contain the marker, so a `#` in a string is never taken for
a comment). A suppression that suppresses nothing is reported as `unused-suppression`, one that
cannot be read as `invalid-suppression`, like ruff's unused-noqa.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from kafkalint.formats import CommentSyntax, format_named
from kafkalint.model import Finding, Location, ParseProblem, Project, SourceFile
from kafkalint.settings import Settings, check_rule_references, selector_matches
from kafkalint.spelling import closest, closest_rule

MARKER = "kafkalint:"
_DIRECTIVE = re.compile(r"kafkalint:\s*(?P<kind>disable-file|disable)\s*=\s*(?P<names>[A-Za-z0-9_\-]+(?:\s*,\s*[A-Za-z0-9_\-]+)*)")
_ANY_DIRECTIVE = re.compile(r"kafkalint:\s*(?P<word>[A-Za-z_-]*)")
_NAME = re.compile(r"[A-Za-z0-9_\-]+")

UNUSED_RULE = "unused-suppression"
INVALID_RULE = "invalid-suppression"


@dataclass(slots=True)
class Comment:
    """A comment found in a file, where it starts and whether code precedes it."""

    line: int
    column: int  # 1-based column of the comment's first character after the comment sign
    text: str
    trailing: bool  # code stands before it on the same line


@dataclass(slots=True)
class Suppression:
    """One kafkalint suppression comment: the rules it names and the lines it covers."""

    path: str
    line: int
    file_level: bool
    # (selector as written, 1-based column, exclusive end column)
    names: list[tuple[str, int, int]]
    covers: tuple[int, ...] = ()
    used: set[str] = field(default_factory=set)

    def selects(self, finding: Finding) -> str | None:
        for name, _, _ in self.names:
            if name.upper() == finding.code or name == finding.name:
                return name
        return None


@dataclass(slots=True)
class FileSuppressions:
    """A file's suppression comments, and the ones that could not be understood."""

    suppressions: list[Suppression] = field(default_factory=list)
    invalid: list[tuple[Location, dict[str, str]]] = field(default_factory=list)


# --- comments per format ----------------------------------------------------------------------


def properties_comments(text: str) -> Iterator[Comment]:
    continued = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" \t\f")
        if not continued and stripped[:1] in ("#", "!"):
            start = len(line) - len(stripped)
            yield Comment(number, start + 2, stripped[1:], trailing=False)
            continue
        if not stripped:
            continued = False
            continue
        trailing_backslashes = len(line) - len(line.rstrip("\\"))
        continued = trailing_backslashes % 2 == 1


_BLOCK_SCALAR = re.compile(r"""(?:^|[\s:\-])[|>][0-9+\-]*\s*(?:#.*)?$""")


def yaml_comments(text: str) -> Iterator[Comment]:
    block_indent: int | None = None  # inside a block scalar: lines indented past this are text
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block_indent is not None:
            if not stripped.strip() or indent > block_indent:
                continue
            block_indent = None
        position = _yaml_comment_start(line)
        code = line[:position] if position is not None else line
        if position is not None:
            yield Comment(number, position + 2, line[position + 1 :], trailing=bool(code.strip()))
        if _BLOCK_SCALAR.search(code.rstrip()) and code.strip():
            block_indent = indent


def _yaml_comment_start(line: str) -> int | None:
    quote: str | None = None
    index = 0
    while index < len(line):
        char = line[index]
        if quote == '"':
            if char == "\\":
                index += 2
                continue
            if char == '"':
                quote = None
        elif quote == "'":
            if char == "'" and line[index + 1 : index + 2] == "'":
                index += 2  # '' is a quote inside a single-quoted scalar
                continue
            if char == "'":
                quote = None
        elif char in "\"'" and (index == 0 or line[index - 1] in " \t:[{,-"):
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return index
        index += 1
    return None


def python_comments(text: str) -> Iterator[Comment]:
    import io
    import tokenize

    lines = text.splitlines()
    found: list[Comment] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                row, column = token.start
                before = lines[row - 1][:column] if row - 1 < len(lines) else ""
                found.append(Comment(row, column + 2, token.string[1:], trailing=bool(before.strip())))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        # Code that does not tokenize: whole-line comments are still unambiguous.
        found = []
        for number, line in enumerate(lines, 1):
            stripped = line.lstrip()
            if stripped.startswith("#"):
                found.append(Comment(number, len(line) - len(stripped) + 2, stripped[1:], trailing=False))
    return iter(found)


def generic_comments(text: str) -> Iterator[Comment]:
    """Other kinds (build files, ...): `#`, `//` or `<!--` comments holding the marker."""
    for number, line in enumerate(text.splitlines(), 1):
        position = line.find(MARKER)
        if position < 0:
            continue
        head = line[:position]
        opener = max(head.rfind("#"), head.rfind("//"), head.rfind("<!--"))
        if opener < 0:
            continue
        width = 4 if head.startswith("<!--", opener) else 2 if head.startswith("//", opener) else 1
        yield Comment(number, opener + width + 1, line[opener + width :], trailing=bool(line[:opener].strip()))


def comments_of(source: SourceFile) -> Iterator[Comment]:
    """The comments of a file, in its format's comment syntax (kafkalint/formats.py)."""
    text = source.text or ""
    file_format = format_named(source.kind)
    syntax = file_format.comments if file_format is not None else CommentSyntax.GENERIC
    if syntax is CommentSyntax.NONE:
        return iter(())
    return _COMMENT_READERS[syntax](text)


_COMMENT_READERS = {
    CommentSyntax.PROPERTIES: properties_comments,
    CommentSyntax.YAML: yaml_comments,
    CommentSyntax.PYTHON: python_comments,
    CommentSyntax.GENERIC: generic_comments,
}


# --- reading suppressions ---------------------------------------------------------------------


def _next_code_line(lines: list[str], comment_lines: set[int], after: int) -> int | None:
    for number in range(after + 1, len(lines) + 1):
        if lines[number - 1].strip() and number not in comment_lines:
            return number
    return None


def read_suppressions(source: SourceFile) -> FileSuppressions:
    found = FileSuppressions()
    text = source.text or ""
    if MARKER not in text:
        return found
    comments = list(comments_of(source))
    lines = text.splitlines()
    comment_lines = {comment.line for comment in comments if not comment.trailing}
    for comment in comments:
        position = comment.text.find(MARKER)
        if position < 0:
            continue
        base = comment.column + position  # column of the `k` of `kafkalint:`
        match = _DIRECTIVE.match(comment.text, position)
        if match is None:
            if comment.text[:position].strip(" \t#!"):
                continue  # prose that mentions kafkalint, not an attempt at a suppression
            word = _ANY_DIRECTIVE.match(comment.text, position)
            written = comment.text[position:].strip()
            found.invalid.append(
                (Location(source.path, comment.line, base, comment.line, base + len(written)), _invalid_reason(word.group("word") if word else ""))
            )
            continue
        names: list[tuple[str, int, int]] = []
        for name in _NAME.finditer(match.group("names")):
            start = comment.column + match.start("names") + name.start()
            names.append((name.group(0), start, start + len(name.group(0))))
        file_level = match.group("kind") == "disable-file"
        covers: tuple[int, ...] = ()
        if not file_level:
            if comment.trailing:
                covers = (comment.line,)
            else:
                target = _next_code_line(lines, comment_lines, comment.line)
                covers = (comment.line,) if target is None else (comment.line, target)
        found.suppressions.append(Suppression(source.path, comment.line, file_level, names, covers))
    return found


def _invalid_reason(word: str) -> dict[str, str]:
    """The invalid-suppression rule's message variables for a `kafkalint:` comment it cannot use."""
    if word in ("disable", "disable-file"):
        return {"word": word, "problem": "needs '=' and rule codes or names"}
    close = closest(word, ["disable", "disable-file"], cutoff=0.5)
    hint = f" (did you mean '{close}'?)" if close else ""
    return {"word": word, "problem": f"is not a suppression{hint}"}


# --- per-file-ignores ---------------------------------------------------------------------------


def _glob_matches(path: str, pattern: str) -> bool:
    if pattern.startswith("./"):
        pattern = pattern[2:]
    if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, pattern.rstrip("/") + "/*"):
        return True
    return "/" not in pattern and fnmatch.fnmatch(path.rsplit("/", 1)[-1], pattern)


def _candidate_paths(display: str, settings: Settings) -> list[str]:
    paths = [display]
    if settings.root is not None:
        relative = os.path.relpath(os.path.abspath(display), settings.root)
        if not relative.startswith(".."):
            paths.append(relative.replace(os.sep, "/"))
    return paths


def per_file_ignored(finding: Finding, settings: Settings) -> bool:
    if not settings.per_file_ignores:
        return False
    paths = _candidate_paths(finding.location.path, settings)
    for pattern, selectors in settings.per_file_ignores.items():
        if any(_glob_matches(path, pattern) for path in paths):
            if any(selector_matches(selector, finding.code, finding.name) for selector in selectors):
                return True
    return False


# --- the filter ---------------------------------------------------------------------------------


def apply_suppressions(result: Any, settings: Settings) -> None:
    """FINDING_FILTERS entry: drop per-file-ignored and inline-suppressed findings, then report
    suppressions that suppressed nothing or cannot be read."""
    check_rule_references(settings)  # settings made in code never went through the loader
    findings: list[Finding] = [finding for finding in result.findings if not per_file_ignored(finding, settings)]
    project: Project = result.project
    by_path: dict[str, FileSuppressions] = {}
    for source in project.files:
        if source.text and MARKER in source.text:
            by_path[source.path] = read_suppressions(source)
    if not by_path:
        result.findings = findings
        return
    kept: list[Finding] = []
    for finding in findings:
        if _suppress(finding, by_path.get(finding.location.path)):
            result.suppressed += 1
        else:
            kept.append(finding)
    reported = _suppression_findings(result, settings, by_path)
    reported = [
        finding for finding in reported
        if not per_file_ignored(finding, settings) and not _suppress(finding, by_path.get(finding.location.path))
    ]
    result.findings = sorted(kept + reported, key=Finding.sort_key)


def _suppress(finding: Finding, file_suppressions: FileSuppressions | None) -> bool:
    if file_suppressions is None:
        return False
    for suppression in file_suppressions.suppressions:
        if not suppression.file_level and finding.location.line not in suppression.covers:
            continue
        name = suppression.selects(finding)
        if name is not None:
            suppression.used.add(name)
            return True
    return False


def _suppression_findings(result: Any, settings: Settings, by_path: dict[str, FileSuppressions]) -> list[Finding]:
    active = {rule.name: rule for rule in result.rules}
    wanted = [active[name] for name in (UNUSED_RULE, INVALID_RULE) if name in active]
    if not wanted:
        return []
    from kafkalint.catalogue import load_catalogue

    catalogue = load_catalogue(settings.extra_rule_dirs)
    active_codes = {rule.code for rule in result.rules}
    # Only some files named (pre-commit, --diff-base, stdin): rules over the whole project may
    # miss the other files they need, so their silence proves nothing.
    partial = bool(result.extra.get("partial"))
    problems: list[ParseProblem] = []
    for path, file_suppressions in by_path.items():
        for location, reason in file_suppressions.invalid:
            problems.append(ParseProblem(INVALID_RULE, "", location, reason))
        for suppression in file_suppressions.suppressions:
            if any(_names_suppression_rule(catalogue, name) for name, _, _ in suppression.names):
                continue  # `disable=...,unused-suppression` keeps this comment out of the report
            for name, column, end in suppression.names:
                if name in suppression.used:
                    continue
                rule = catalogue.find(name)
                where = Location(path, suppression.line, column, suppression.line, end)
                if rule is None:
                    close = closest_rule(catalogue, name)
                    hint = f" (did you mean {close}?)" if close else ""
                    variables = {"suppression": f"suppression of '{name}'", "why": f"no kafkalint rule has that name{hint}"}
                elif rule.code not in active_codes:
                    continue  # the rule did not run, so whether it would fire here is unknown
                elif partial and rule.target == "project":
                    continue  # a cross-file rule may need files this run was not given
                elif suppression.file_level:
                    variables = {"suppression": f"file-level suppression of {rule.code} ({rule.name})", "why": "the rule reports nothing in this file"}
                else:
                    lines = " or ".join(str(line) for line in suppression.covers)
                    variables = {"suppression": f"suppression of {rule.code} ({rule.name})", "why": f"the rule reports nothing on line {lines}"}
                problems.append(ParseProblem(UNUSED_RULE, "", where, variables))
    if not problems:
        return []
    # The run's own evaluation (severity overrides, redacted snippets) turns them into findings;
    # it travels on the result so this filter never imports the engine that calls it.
    scratch = Project(files=list(result.project.files), problems=problems)
    return result.evaluate(scratch, wanted, settings)


def _names_suppression_rule(catalogue: Any, name: str) -> bool:
    rule = catalogue.find(name)
    return rule is not None and rule.name in (UNUSED_RULE, INVALID_RULE)
