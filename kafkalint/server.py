"""`kafkalint server`: a language server (LSP over stdio) for editors.

It lints an open buffer exactly as `kafkalint check --stdin-filename PATH -` would, with the
project around it as context (the folder of the nearest settings file, else the editor's
workspace folder), and publishes the findings for that file as diagnostics. Hover over a
finding shows its rule's documentation (`kafkalint rule X`); code actions offer edits.

Code actions come from EDIT_PROVIDERS: functions from (document, finding) to proposed edits.
One provider offers the rule's fix (kafkalint.fixes), another writes a suppression comment.

The editor-neutral parts (linting a buffer, proposing edits) are plain functions tested without
an editor; pygls is imported only by `build_server`, so nothing else pays for it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from kafkalint.model import Finding

# Formats whose comments kafkalint reads suppressions from (kafkalint.suppressions).
COMMENT_KINDS = frozenset({"properties", "yaml", "python"})

# How long a burst of typing must pause before the buffer is linted again.
CHANGE_DELAY_SECONDS = 0.3


@dataclass(slots=True)
class DocumentLint:
    """The findings on one buffer, and what hover and code actions need to explain them."""

    path: Path
    display: str
    kind: str | None
    findings: list[Finding] = field(default_factory=list)
    rules: dict[str, Any] = field(default_factory=dict)  # code -> catalogue Rule
    error: str | None = None  # a settings or catalogue problem the user must fix


@dataclass(slots=True, frozen=True)
class TextEdit:
    """Replace the text between two 0-based (line, character) positions, in code points."""

    start: tuple[int, int]
    end: tuple[int, int]
    new_text: str


@dataclass(slots=True, frozen=True)
class ProposedEdit:
    title: str
    edits: tuple[TextEdit, ...]
    preferred: bool = False


def context_root(path: Path, settings_root: str | None, workspace_folders: Iterable[Path]) -> Path | None:
    """The folder whose files are the linted buffer's context: the settings file's folder, else
    the innermost workspace folder holding the file; None when the file stands alone."""
    if settings_root is not None:
        return Path(settings_root)
    holders = [folder for folder in workspace_folders if _is_within(path, folder)]
    return max(holders, key=lambda folder: len(folder.parts)) if holders else None


def _is_within(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def lint_document(path: Path, text: str, workspace_folders: Iterable[Path] = ()) -> DocumentLint:
    """Lint `text` as the content of `path`, with the files around it as context."""
    from kafkalint.catalogue import CatalogueError
    from kafkalint.discovery import classify, display_path
    from kafkalint.engine import run
    from kafkalint.settings import SettingsError, resolve_settings

    path = path.absolute()
    display = display_path(path)
    lint = DocumentLint(path, display, classify(path.name))
    try:
        settings = resolve_settings(start=path.parent)
        root = context_root(path, settings.root, [folder.absolute() for folder in workspace_folders])
        if root is not None:
            # As in `kafkalint check`: folders with settings of their own are projects of their own.
            from kafkalint.scopes import nested_settings_folders

            settings.skip_folders = frozenset(str(folder.absolute()) for folder in nested_settings_folders(root, settings))
        # The parse cache: an edit re-reads the buffer, not every unchanged file around it.
        result = run([root] if root is not None else [], settings, stdin=(display, text), options={"cache": True})
    except (SettingsError, CatalogueError) as error:
        lint.error = str(error)
        return lint
    lint.findings = [finding for finding in result.findings if finding.location.path == display]
    lint.rules = {rule.code: rule for rule in result.rules}
    return lint


# --- proposed edits ---------------------------------------------------------------------------


def suppression_edits(lines: list[str], finding: Finding, kind: str | None) -> list[ProposedEdit]:
    """`# kafkalint: disable=CODE` on a comment line above the finding (added to one already
    there), in the formats whose comments kafkalint reads."""
    if kind not in COMMENT_KINDS:
        return []
    index = finding.location.line - 1
    if not 0 <= index < len(lines):
        return []
    title = f"Disable {finding.code} ({finding.name}) on this line"
    above = lines[index - 1] if index > 0 else None
    if above is not None and kind == "properties" and _continues(above):
        return []  # the finding's line is the tail of a continued value: no comment fits there
    if above is not None:
        existing = re.match(r"(\s*[#!]\s*kafkalint:\s*disable\s*=\s*)([A-Za-z0-9_\-]+(?:\s*,\s*[A-Za-z0-9_\-]+)*)", above)
        if existing and (kind == "properties" or existing.group(1).lstrip().startswith("#")):
            end = existing.end(2)
            return [ProposedEdit(title, (TextEdit((index - 1, end), (index - 1, end), f",{finding.code}"),), True)]
    line = lines[index]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    newline = "\r\n" if line.endswith("\r\n") else "\n"
    comment = f"{indent}# kafkalint: disable={finding.code}{newline}"
    return [ProposedEdit(title, (TextEdit((index, 0), (index, 0), comment),), True)]


def _continues(line: str) -> bool:
    body = line.rstrip("\r\n")
    trailing = len(body) - len(body.rstrip("\\"))
    return trailing % 2 == 1


def rule_fix_edits(lines: list[str], finding: Finding, kind: str | None) -> list[ProposedEdit]:
    """The rule's own fix (kafkalint.fixes), when it edits only this buffer; a safe fix is the
    preferred action, an unsafe one says so in its title."""
    proposal = finding.autofix
    if proposal is None or any(edit.path != finding.location.path for edit in proposal.edits):
        return []
    unsafe = proposal.applicability.value == "unsafe"
    title = f"Fix{' (unsafe)' if unsafe else ''}: {proposal.title}"
    edits = tuple(TextEdit((edit.line - 1, edit.column - 1), (edit.end_line - 1, edit.end_column - 1), edit.replacement) for edit in proposal.edits)
    return [ProposedEdit(title, edits, preferred=not unsafe)]


# Each provider proposes edits for one finding: the rule's fix first, then a suppression.
EDIT_PROVIDERS: list[Callable[[list[str], Finding, str | None], list[ProposedEdit]]] = [rule_fix_edits, suppression_edits]


def proposed_edits(lines: list[str], finding: Finding, kind: str | None) -> list[ProposedEdit]:
    proposals: list[ProposedEdit] = []
    for provider in EDIT_PROVIDERS:
        proposals.extend(provider(lines, finding, kind))
    # One preferred action at most (an editor's "auto fix" takes it): the first provider's.
    first = next((index for index, proposal in enumerate(proposals) if proposal.preferred), None)
    return [
        proposal if index == first or not proposal.preferred else ProposedEdit(proposal.title, proposal.edits, False)
        for index, proposal in enumerate(proposals)
    ]


def covers(finding: Finding, line: int, character: int) -> bool:
    """Whether the 0-based position lies on the finding's span (its whole line when the span
    has no end)."""
    location = finding.location
    first, last = location.line - 1, (location.end_line or location.line) - 1
    if not first <= line <= last:
        return False
    if location.end_column is None:
        return True
    start = location.column - 1 if line == first else 0
    end = location.end_column - 1 if line == last else 1 << 30
    return start <= character <= end


def hover_markdown(lint: DocumentLint, line: int, character: int) -> str | None:
    from kafkalint.ruledoc import rule_markdown

    parts: list[str] = []
    shown: set[str] = set()
    for finding in lint.findings:
        if finding.code in shown or not covers(finding, line, character):
            continue
        shown.add(finding.code)
        rule = lint.rules.get(finding.code)
        text = f"**{finding.code} {finding.name}** ({finding.severity.value}): {finding.message}"
        if rule is not None:
            text += "\n\n" + rule_markdown(rule, heading="###")
        parts.append(text)
    return "\n\n---\n\n".join(parts) if parts else None


# --- the server -------------------------------------------------------------------------------


def build_server() -> Any:
    import asyncio

    from lsprotocol import types
    from pygls.lsp.server import LanguageServer
    from pygls.uris import from_fs_path, to_fs_path
    from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

    from kafkalint import __version__

    server = LanguageServer("kafkalint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
    lints: dict[str, DocumentLint] = {}
    reported_errors: set[str] = set()
    severities = {
        "error": types.DiagnosticSeverity.Error,
        "warning": types.DiagnosticSeverity.Warning,
        "info": types.DiagnosticSeverity.Information,
    }

    def folders() -> list[Path]:
        found = [Path(to_fs_path(folder.uri)) for folder in server.workspace.folders.values()]
        if not found and server.workspace.root_path:
            found.append(Path(server.workspace.root_path))
        return found

    def client_range(document: Any, start: tuple[int, int], end: tuple[int, int]) -> Any:
        return document.range_to_client_units(
            ServerTextRange(ServerTextPosition(*start), ServerTextPosition(*end))
        )

    def finding_range(document: Any, finding: Finding) -> Any:
        location = finding.location
        start = (location.line - 1, location.column - 1)
        if location.end_column is not None:
            end = ((location.end_line or location.line) - 1, location.end_column - 1)
        else:
            end = (location.line - 1, len(document.lines[location.line - 1].rstrip("\r\n")) if location.line <= len(document.lines) else location.column - 1)
        return client_range(document, start, end)

    def diagnostic(document: Any, finding: Finding) -> Any:
        related = []
        for location in finding.related:
            target = Path(location.path)
            position = types.Position(location.line - 1, location.column - 1)
            related.append(types.DiagnosticRelatedInformation(
                types.Location(from_fs_path(str(target.absolute())), types.Range(position, position)),
                "related",
            ))
        return types.Diagnostic(
            range=finding_range(document, finding),
            message=finding.message,
            severity=severities[finding.severity.value],
            code=finding.code,
            source="kafkalint",
            related_information=related or None,
            data={"code": finding.code, "line": finding.location.line, "column": finding.location.column},
        )

    def publish(uri: str) -> None:
        document = server.workspace.get_text_document(uri)
        if not document.path:
            return
        try:
            lint = lint_document(Path(document.path), document.source, folders())
        except Exception as error:  # a bug in kafkalint must not take the editor's server down
            server.window_log_message(types.LogMessageParams(types.MessageType.Error, f"kafkalint: internal error on {uri}: {type(error).__name__}: {error}"))
            return
        lints[uri] = lint
        if lint.error and lint.error not in reported_errors:
            reported_errors.add(lint.error)
            server.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"kafkalint: {lint.error}"))
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri,
            version=document.version,
            diagnostics=[diagnostic(document, finding) for finding in lint.findings],
        ))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: Any, params: types.DidOpenTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: Any, params: types.DidChangeTextDocumentParams) -> None:
        uri, version = params.text_document.uri, params.text_document.version
        await asyncio.sleep(CHANGE_DELAY_SECONDS)
        if server.workspace.get_text_document(uri).version == version:
            publish(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: Any, params: types.DidSaveTextDocumentParams) -> None:
        # A saved file is context for the others: findings across files may have changed.
        for uri in list(lints):
            publish(uri)
        if params.text_document.uri not in lints:
            publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: Any, params: types.DidCloseTextDocumentParams) -> None:
        lints.pop(params.text_document.uri, None)
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: Any, params: types.HoverParams) -> Any:
        lint = lints.get(params.text_document.uri)
        if lint is None:
            return None
        document = server.workspace.get_text_document(params.text_document.uri)
        position = document.position_codec.position_from_client_units(document.lines, params.position)
        text = hover_markdown(lint, position.line, position.character)
        if text is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: Any, params: types.CodeActionParams) -> Any:
        uri = params.text_document.uri
        lint = lints.get(uri)
        if lint is None:
            return []
        document = server.workspace.get_text_document(uri)
        wanted = {
            (item.data.get("code"), item.data.get("line"), item.data.get("column")): item
            for item in params.context.diagnostics
            if isinstance(item.data, dict)
        }
        actions = []
        for finding in lint.findings:
            key = (finding.code, finding.location.line, finding.location.column)
            if key not in wanted:
                continue
            for proposal in proposed_edits(list(document.lines), finding, lint.kind):
                edits = [types.TextEdit(client_range(document, edit.start, edit.end), edit.new_text) for edit in proposal.edits]
                actions.append(types.CodeAction(
                    title=proposal.title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[wanted[key]],
                    is_preferred=proposal.preferred,
                    edit=types.WorkspaceEdit(changes={uri: edits}),
                ))
        return actions

    return server


def serve() -> None:
    """Speak LSP on stdin/stdout until the editor says exit."""
    os.environ.setdefault("KAFKALINT_JOBS", "1")  # no worker pool under an editor
    build_server().start_io()
