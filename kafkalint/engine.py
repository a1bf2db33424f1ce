"""The pipeline: discover -> sources -> Project -> rules -> findings (sorted, filtered).

The CLI, the tests and the pre-commit hook all come through `run`; reports only render what
it returns.
"""

from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from kafkalint.catalogue import Catalogue, Rule, load_catalogue
from kafkalint.checks import CheckContext, Hit, render
from kafkalint.discovery import DiscoveredFile, classify, discover
from kafkalint.formats import format_named
from kafkalint.model import MAX_RELATED, Dialect, Finding, Location, Project, Severity, VersionAssumption
from kafkalint.settings import Settings, SettingsError
from kafkalint.sources import read_file, read_text_as


@dataclass(slots=True)
class RunResult:
    findings: list[Finding]
    project: Project
    files: list[DiscoveredFile]
    rules: list[Rule]
    suppressed: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    # How this run turns problems into findings, for finding filters that report findings of
    # their own (unused suppressions): handed over so no filter imports the engine back.
    evaluate: Callable[[Project, list[Rule], Settings], list[Finding]] | None = None

    def __post_init__(self) -> None:
        if self.evaluate is None:
            self.evaluate = evaluate


# Called after every file is read, before rules: cross-resource resolution, version detection.
PROJECT_RESOLVERS: list[tuple[str, str]] = [
    ("kafkalint.sources.strimzi", "resolve_strimzi"),
    ("kafkalint.knowledge.versions", "resolve_versions"),
]

# Called on the sorted findings before they are returned: suppressions, baseline, ...
FINDING_FILTERS: list[tuple[str, str]] = [
    ("kafkalint.suppressions", "apply_suppressions"),
    ("kafkalint.baseline", "apply_baseline"),
]


def active_rules(catalogue: Catalogue, settings: Settings) -> list[Rule]:
    selectors = settings.select if settings.select is not None else ["ALL"]
    selectors = list(selectors) + list(settings.extend_select)
    unknown = catalogue.unknown_selectors(selectors + list(settings.ignore))
    if unknown:
        raise SettingsError(f"no rule matches {', '.join(repr(item) for item in unknown)} (see `kafkalint rules`)")
    chosen = catalogue.select(selectors)
    return [rule for rule in chosen if not any(rule.matches(item) for item in settings.ignore)]


def apply_versions(project: Project, settings: Settings) -> None:
    for dialect_name, version in settings.targets.items():
        dialect = Dialect(dialect_name)
        project.versions[dialect] = VersionAssumption(dialect, version, "--target / settings")
    for client in project.clients:
        if client.version is None and client.dialect in project.versions:
            client.version = project.versions[client.dialect]


def _call(spec: tuple[str, str]) -> Callable[..., Any]:
    module_name, function_name = spec
    return getattr(importlib.import_module(module_name), function_name)


def _targets(rule: Rule, project: Project) -> Iterable[Any]:
    if rule.target == "client":
        for client in project.clients:
            if rule.roles and client.role.value not in rule.roles:
                continue
            if rule.dialects and client.dialect.value not in rule.dialects:
                continue
            yield client
    elif rule.target == "broker":
        yield from project.brokers
    elif rule.target == "topic":
        yield from project.topics
    elif rule.target == "resource":
        for resource in project.resources:
            if not rule.kinds or resource.kind in rule.kinds:
                yield resource
    elif rule.target == "fact":
        for fact in project.facts:
            if not rule.kinds or fact.kind in rule.kinds:
                yield fact
    elif rule.target == "project":
        yield project
    elif rule.target == "problem":
        for problem in project.problems:
            if problem.rule == rule.name:
                yield problem


def _problem_hits(problem: Any, context: CheckContext) -> Iterator[Hit]:
    variables = getattr(problem, "variables", None)
    if variables is not None:
        yield Hit(problem.location, dict(variables))
    else:  # a source not yet moved to typed problem variables
        yield Hit(problem.location, {"detail": problem.message}, message=problem.message)


def check_function(rule: Rule) -> Callable[..., Iterable[Hit]] | None:
    """The Python behind a rule: the check registered under its code (built-in rules only;
    user rule files are declarative), else None for a declarative rule."""
    if rule.target == "problem":
        return _problem_hits
    if not rule.builtin:
        return None
    from kafkalint.checks.registry import check_for

    function = check_for(rule.code)
    if function is None and rule.template is not None:
        from kafkalint.checks.templates import template_check

        function = template_check(rule.template)
    if function is None and rule.check is not None:  # legacy module:function, until registered
        module_name, function_name = rule.check.split(":")
        function = getattr(importlib.import_module(f"kafkalint.checks.{module_name}"), function_name)
    return function


def rule_hits(rule: Rule, project: Project, parameters: dict[str, Any]) -> Iterator[Hit]:
    context = CheckContext(project, rule, parameters)
    function = check_function(rule)
    if function is None:
        from kafkalint.conditions import declarative_hits

        for target in _targets(rule, project):
            for hit in declarative_hits(rule, target):
                yield _checked(rule, _with_profile(target, hit))
        return
    for target in _targets(rule, project):
        for hit in function(target, context):
            yield _checked(rule, _with_profile(target, hit))


# Tests (and KAFKALINT_CHECK_VARIABLES=1) hold every Hit to its rule's declared variables.
CHECK_HIT_VARIABLES = bool(os.environ.get("KAFKALINT_CHECK_VARIABLES"))


class HitVariablesError(AssertionError):
    """A check returned other variables than its rule declares: a bug in kafkalint."""


def _checked(rule: Rule, hit: Hit) -> Hit:
    if CHECK_HIT_VARIABLES and rule.variables is not None:
        supplied = set(hit.variables)
        declared = set(rule.variables)
        if supplied != declared or hit.message is not None:
            raise HitVariablesError(
                f"{rule.code} {rule.name}: its check returned variables {sorted(supplied)} but the rule "
                f"declares {sorted(declared)}" + (" and it overrode the message" if hit.message is not None else "")
            )
    return hit


def _with_profile(target: Any, hit: Hit) -> Hit:
    """Findings on a client of one framework profile (Spring, Quarkus) name that profile."""
    profile = getattr(target, "profile", None)
    if profile:
        hit.profile = profile
    return hit


# --- snippets and secrets --------------------------------------------------------------------

_SECRET_INLINE = re.compile(
    r"""(?ix)
    ( (?:password|passwd|secret|token|api[._-]?key|credentials?|jaas\.config|sasl\.jaas)[\w.\-]*
      ["']?\s*[:=]\s*["']? )
    ( [^\s"',;]+ (?:\s+[^\s"',;]+)* )
    """
)


def redact_line(line: str, spans: list[tuple[int, int]]) -> str:
    """Mask secret value spans (1-based columns, end exclusive), then anything that looks
    like `password=...` left over."""
    chars = list(line)
    for start, end in spans:
        for index in range(max(start - 1, 0), min(end - 1, len(chars))):
            chars[index] = "*"
    masked = "".join(chars)
    masked = re.sub(r"\*{2,}", "****", masked)
    return _SECRET_INLINE.sub(lambda match: match.group(1) + "****", masked)


def secret_spans(project: Project) -> dict[tuple[str, int], list[tuple[int, int]]]:
    spans: dict[tuple[str, int], list[tuple[int, int]]] = {}
    holders = project.setting_holders()
    for holder in holders:
        for setting in holder.settings.values():
            if not setting.secret:
                continue
            location = setting.location
            end_line = location.end_line or location.line
            for line in range(location.line, end_line + 1):
                start = location.column if line == location.line else 1
                end = (location.end_column or 10_000) if line == end_line else 10_000
                spans.setdefault((location.path, line), []).append((start, end))
    for key, extra in project_secret_spans(project):
        spans.setdefault(key, []).append(extra)
    return spans


def project_secret_spans(project: Project) -> Iterator[tuple[tuple[str, int], tuple[int, int]]]:
    for fact in project.facts:
        if fact.kind == "secret-value":
            location = fact.location
            yield (location.path, location.line), (location.column, location.end_column or 10_000)


class SourceLines:
    """Each file's lines, split on first use: only files with findings are split."""

    def __init__(self, project: Project) -> None:
        self._texts = {file.path: file.text for file in project.files}
        self._lines: dict[str, list[str]] = {}

    def line(self, path: str, number: int) -> str | None:
        if path not in self._lines:
            text = self._texts.get(path)
            self._lines[path] = text.splitlines() if text is not None else []
        lines = self._lines[path]
        return lines[number - 1] if 1 <= number <= len(lines) else None


def snippet_for(lines: SourceLines, location: Location, spans: dict[tuple[str, int], list[tuple[int, int]]]) -> str:
    line = lines.line(location.path, location.line)
    if line is None:
        return ""
    return redact_line(line, spans.get((location.path, location.line), []))


# --- the run ---------------------------------------------------------------------------------


# Parsing Python with libcst dominates large trees; from this many Kafka-using Python files on,
# a pool of worker processes (one per core) pays for its start-up.
PARALLEL_PYTHON_FILES = 8


def _worker_count(candidates: int) -> int:
    configured = os.environ.get("KAFKALINT_JOBS", "")
    if configured.isdigit() and int(configured) > 0:
        jobs = int(configured)
    else:
        jobs = min(os.cpu_count() or 1, 4)
    if candidates < PARALLEL_PYTHON_FILES or jobs < 2:
        return 1
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # spawning a fresh interpreter per worker costs more than it saves
    return min(jobs, candidates)


def _read_one(item: DiscoveredFile, cache: Any = None) -> Project:
    """One file's model objects, as a project of their own: from the cache when its content is
    unchanged, else from its source (and then stored in the cache)."""
    from kafkalint.cache import content_digest
    from kafkalint.sources import Unreadable, read_bytes, read_bytes_as

    fragment = Project()
    if cache is None:
        read_file(item.path, item.display, item.kind, fragment)
        return fragment
    try:
        status = os.stat(item.path)
    except OSError:
        read_file(item.path, item.display, item.kind, fragment)  # reports why it cannot be read
        return fragment
    cached = cache.unchanged(item.display, status)
    if cached is not None:
        return cached
    try:
        data = read_bytes(item.path)
    except Unreadable:
        read_file(item.path, item.display, item.kind, fragment)
        return fragment
    digest = content_digest(data)
    cached = cache.same_content(item.display, digest, status)
    if cached is not None:
        return cached
    read_bytes_as(data, item.display, item.kind, fragment)
    cache.store(item.display, status, digest, fragment)
    return fragment


def _read_files(items: list[DiscoveredFile]) -> list[tuple[str, Any, Project]]:
    """Read files, each into a project of its own (in a worker process, or in this one), with
    (stat, digest) of the bytes parsed, for the cache."""
    from kafkalint.cache import content_digest
    from kafkalint.sources import Unreadable, read_bytes, read_bytes_as

    results: list[tuple[str, Any, Project]] = []
    for item in items:
        fragment = Project()
        try:
            status = os.stat(item.path)
            data = read_bytes(item.path)
        except (OSError, Unreadable):
            read_file(item.path, item.display, item.kind, fragment)
            results.append((item.display, None, fragment))
            continue
        read_bytes_as(data, item.display, item.kind, fragment)
        results.append((item.display, (status, content_digest(data)), fragment))
    return results


def _merge(project: Project, fragment: Project) -> None:
    for name in ("files", "clients", "brokers", "topics", "resources", "facts", "problems", "connectors"):
        items = getattr(fragment, name)
        if items:
            getattr(project, name).extend(items)
    if fragment.versions:
        project.versions.update(fragment.versions)


def _parses_in_workers(item: DiscoveredFile) -> bool:
    file_format = format_named(item.kind)
    return file_format is not None and file_format.parallel


def build_project(
    files: list[DiscoveredFile],
    stdin: tuple[str, str] | None = None,
    progress: bool = False,
    cache: Any = None,
) -> Project:
    """Every file's model objects, merged in display-path order whatever was cached or parsed
    in parallel. Files the cache cannot answer for and whose format parses in workers (Python)
    go to a pool of processes when there are many."""
    fragments: dict[str, Project] = {}
    pending: list[DiscoveredFile] = []
    pooled: list[DiscoveredFile] = []
    for item in files:
        if _parses_in_workers(item) and not _cached(item, cache):
            pooled.append(item)
        else:
            pending.append(item)
    workers = _worker_count(len(pooled))
    if workers == 1:
        pending, pooled = sorted([*pending, *pooled], key=lambda item: item.display), []
    if progress:
        from kafkalint.report.progress import with_progress

        pending = with_progress(pending)
    for item in pending:
        fragments[item.display] = _read_one(item, cache)
    if pooled:
        import multiprocessing

        from kafkalint.cache import content_digest
        from kafkalint.sources import Unreadable, may_concern_kafka, read_bytes

        # Only files that may concern Kafka go to the pool; the rest are done with here.
        candidates = []
        for item in pooled:
            try:
                data = read_bytes(item.path)
            except Unreadable:
                candidates.append(item)  # the worker reports it
                continue
            if may_concern_kafka(item.kind, data):
                candidates.append(item)
            else:
                fragments[item.display] = Project()
                if cache is not None:
                    cache.store(item.display, os.stat(item.path), content_digest(data), fragments[item.display])
        workers = _worker_count(len(candidates))
        if workers > 1:
            # Round-robin chunks keep big and small files mixed.
            chunks = [candidates[index::workers] for index in range(workers)]
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = [pair for chunk in pool.map(_read_files, chunks) for pair in chunk]
        else:
            results = _read_files(candidates)
        for display, identity, fragment in results:
            fragments[display] = fragment
            if cache is not None and identity is not None:
                cache.store(display, identity[0], identity[1], fragment)
    project = Project()
    for display in sorted(fragments):
        _merge(project, fragments[display])
    if stdin is not None:
        display, text = stdin
        kind = classify(display.rsplit("/", 1)[-1], named_explicitly=True) or "properties"
        read_text_as(text, display, kind, project)
    return project


def _cached(item: DiscoveredFile, cache: Any) -> bool:
    """The cache can answer for this file without reading it (size and mtime unchanged)."""
    if cache is None:
        return False
    entry = cache.entries.get(item.display)
    if entry is None:
        return False
    try:
        status = os.stat(item.path)
    except OSError:
        return False
    return entry.size == status.st_size and entry.mtime_ns == status.st_mtime_ns


def evaluate(project: Project, rules: list[Rule], settings: Settings) -> list[Finding]:
    spans = secret_spans(project)
    lines = SourceLines(project)
    findings: list[Finding] = []
    seen: set[tuple[Any, ...]] = set()
    for rule in rules:
        parameters = rule.parameter_defaults()
        parameters.update(settings.parameters.get(rule.name, {}))
        parameters.update(settings.parameters.get(rule.code, {}))
        severity_override = settings.severity.get(rule.name) or settings.severity.get(rule.code)
        for hit in rule_hits(rule, project, parameters):
            severity = severity_override or hit.severity or rule.severity
            message = hit.message if hit.message is not None else render(rule.message, {**parameters, **hit.variables})
            if hit.profile and f"profile {hit.profile}" not in message:
                message = f"{message} (profile {hit.profile})"
            location = hit.location
            identity = (rule.code, location.path, location.line, location.column, message)
            if identity in seen:
                continue
            seen.add(identity)
            findings.append(
                Finding(
                    code=rule.code,
                    name=rule.name,
                    severity=severity,
                    message=message,
                    location=location,
                    snippet=snippet_for(lines, location, spans),
                    fix=rule.fix,
                    related=hit.related[:MAX_RELATED],
                    related_omitted=hit.related_omitted + max(0, len(hit.related) - MAX_RELATED),
                )
            )
    findings.sort(key=Finding.sort_key)
    return findings


def load_project(
    paths: list[Path],
    settings: Settings,
    stdin: tuple[str, str] | None = None,
    progress: bool = False,
    context_root: Path | None = None,
    cache: Any = None,
) -> tuple[list[DiscoveredFile], Project]:
    """The model every command reads (`check`, `explain`, `inventory`): discovery with the
    user's excludes and .gitignore, every source, cross-resource resolution and versions.

    With `context_root`, every file under it is read as well as the paths (the context); the
    returned files are still only those under the paths (the scope)."""
    from kafkalint.gitignore import discovery_ignore_filter

    def walk(roots: list[Path]) -> list[DiscoveredFile]:
        return discover(roots, settings.exclude, ignore_filter=discovery_ignore_filter(settings, roots)) if roots else []

    files = walk(paths)
    read = files
    if context_root is not None:
        named = {item.display for item in files}
        resolved_root = context_root.resolve()
        if not any(path.is_dir() and path.resolve() == resolved_root for path in paths):
            read = sorted({item.display: item for item in [*walk([context_root]), *files]}.values(), key=lambda item: item.display)
        if stdin is not None:  # the text on stdin replaces the file of that name on disk
            read = [item for item in read if item.display != stdin[0]]
        files = [item for item in read if item.display in named]
    project = build_project(read, stdin, progress=progress, cache=cache)
    for resolver in PROJECT_RESOLVERS:
        _call(resolver)(project, settings)
    apply_versions(project, settings)
    return files, project


def run(
    paths: list[Path],
    settings: Settings | None = None,
    stdin: tuple[str, str] | None = None,
    catalogue: Catalogue | None = None,
    options: dict[str, Any] | None = None,
) -> RunResult:
    """Lint `paths`. Options: `project_context` (read the whole project around the paths, report
    only on them; see kafkalint/scope.py), `changed_lines` (display path -> changed lines, None
    for a whole file: report only findings on them), `cache` (use the parse cache), `progress`,
    `baseline`, `write_baseline`."""
    settings = settings or Settings()
    options = dict(options or {})
    catalogue = catalogue or load_catalogue(settings.extra_rule_dirs)
    rules = active_rules(catalogue, settings)
    context_root = None
    if options.get("project_context"):
        from kafkalint.scope import project_root

        context_root = project_root(paths, settings.source)
    cache = None
    if options.get("cache"):
        from kafkalint.cache import ParseCache, cache_key

        cache = ParseCache(context_root or Path.cwd(), cache_key(catalogue, settings))
    files, project = load_project(
        paths, settings, stdin, progress=bool(options.get("progress")), context_root=context_root, cache=cache
    )
    if cache is not None:
        cache.save()
    findings = evaluate(project, rules, settings)
    result = RunResult(findings, project, files, rules, extra=options)
    scope = None
    if context_root is not None:
        from kafkalint.scope import ReportScope, batch_candidates

        given = frozenset(item.display for item in files) | ({stdin[0]} if stdin is not None else frozenset())
        changed = options.get("changed_lines")
        scope = ReportScope(given, batch_candidates(given, context_root), lines=changed)
        result.findings = scope.filter(result.findings)
        result.extra["context_root"] = context_root
        result.extra["scope_files"] = given
    # Filters need to know whether every file was looked at (a directory walk, or the whole
    # project as context) or only some.
    result.extra["partial"] = context_root is None and (stdin is not None or any(path.is_file() for path in paths))
    for finding_filter in FINDING_FILTERS:
        _call(finding_filter)(result, settings)
    if scope is not None:  # filters add findings of their own (unused suppressions) anywhere
        result.findings = scope.filter(result.findings)
    return result


def fails(findings: Iterable[Finding], fail_on: Severity) -> bool:
    return any(finding.severity.rank >= fail_on.rank for finding in findings)
