"""The pipeline: discover -> sources -> Project -> rules -> findings (sorted, filtered).

The CLI, the tests and the pre-commit hook all come through `run`; reports only render what
it returns.
"""

from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from kafkalint.catalogue import Catalogue, Rule, load_catalogue
from kafkalint.checks import CheckContext, Hit, render
from kafkalint.discovery import DiscoveredFile, classify, discover
from kafkalint.formats import format_named
from kafkalint.model import MAX_RELATED, ClientConfig, Dialect, Finding, Location, Project, Severity, VersionAssumption
from kafkalint.redaction import SourceLines, redact_text, secret_spans, secret_texts, snippet_for
from kafkalint.settings import Settings, SettingsError
from kafkalint.sources.read_problems import parse_problem
from kafkalint.sources import read_file, read_text_as


@dataclass(slots=True)
class RunResult:
    """What a run found: the findings, the project model, the files read and the rules run."""

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
    ("kafkalint.sources.connect_clients", "resolve_connect_clients"),
    ("kafkalint.knowledge.versions", "resolve_versions"),
    ("kafkalint.sources.jvm.templates", "resolve_template_topics"),
    ("kafkalint.sources.quarkus", "merge_microprofile_channels"),
    ("kafkalint.sources.test_paths", "mark_test_clients"),
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
        # An explicit target wins over the version of the client's own manifest.
        if client.dialect.value in settings.targets or (client.version is None and client.dialect in project.versions):
            client.version = project.versions[client.dialect]


def _call(spec: tuple[str, str]) -> Callable[..., Any]:
    module_name, function_name = spec
    return getattr(importlib.import_module(module_name), function_name)


def _targets(rule: Rule, project: Project) -> Iterable[Any]:
    if rule.target == "client":
        for client in project.clients:
            if client.in_test_code and not rule.test_code:
                continue  # a test's fixture: only the rules that apply to test code judge it
            if rule.roles and client.role.value not in rule.roles:
                continue
            if rule.dialects and client.dialect.value not in rule.dialects:
                continue
            yield client
    elif rule.target == "broker":
        from kafkalint.broker_groups import judged_brokers

        yield from judged_brokers(project)
    elif rule.target == "topic":
        yield from project.topics
    elif rule.target == "resource":
        for resource in project.resources:
            if not rule.kinds or resource.kind in rule.kinds:
                yield resource
    elif rule.target == "fact":
        from kafkalint.sources.test_paths import is_test_code

        for fact in project.facts:
            if rule.kinds and fact.kind not in rule.kinds:
                continue
            if not rule.test_code and is_test_code(fact.location.path):
                continue  # code in a test does on purpose what production code must not
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


@dataclass(slots=True, frozen=True)
class InternalFailure:
    """A step of kafkalint (a rule on one target, a project resolver) that raised: reported as
    an internal-error finding at `location`, and the rest of the run goes on."""

    step: str
    location: Location
    error: str


# Set to let a failing rule, reader or resolver raise with its traceback instead of becoming
# a finding (the CLI honours it too).
DEBUG_VARIABLE = "KAFKALINT_DEBUG"


def _reraise() -> bool:
    return bool(os.environ.get(DEBUG_VARIABLE))


def _target_location(target: Any, project: Project) -> Location:
    for name in ("anchor", "location", "key_location"):
        location = getattr(target, name, None)
        if isinstance(location, Location):
            return location
    first = project.files[0].path if project.files else "."
    return Location(first, 1, 1)


def rule_hits(
    rule: Rule, project: Project, parameters: dict[str, Any], failures: list[InternalFailure] | None = None
) -> Iterator[Hit]:
    """Every hit of one rule; with `failures`, a target whose evaluation raises is recorded
    there and skipped, so one bad target costs one finding, not the run."""
    targets = list(_targets(rule, project))
    if not targets:  # nothing to check: its module is not even imported
        return
    context = CheckContext(project, rule, parameters)
    function = check_function(rule)
    if function is None:
        from kafkalint.conditions import declarative_hits

        def function(target: Any, context: CheckContext) -> Iterable[Hit]:
            for hit in declarative_hits(rule, target):
                hit.cause = hit.cause or rule.report_at  # a condition's cause is the setting it reports
                yield hit

    for target in targets:
        try:
            hits = list(function(target, context))
        except Exception as error:
            if failures is None or _reraise():
                raise
            failures.append(InternalFailure(f"rule {rule.code} ({rule.name})", _target_location(target, project), type(error).__name__))
            continue
        for hit in hits:
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
    hit.target = target
    profile = getattr(target, "profile", None)
    if profile:
        hit.profile = profile
    hit.target = target
    return hit


def _root_causes(hits: list[tuple[Rule, Hit]]) -> list[tuple[Rule, Hit]]:
    """Drop the hits that only restate a root cause another active rule reports.

    A rule file's `stands_down_for` lists the rules that own a cause; a hit of this rule with
    cause K on a target stands down when one of them has a hit with cause K on the same target.
    """
    owners: set[tuple[str, int, str]] = {
        (rule.code, id(hit.target), hit.cause) for rule, hit in hits if hit.cause is not None
    }
    return [
        (rule, hit)
        for rule, hit in hits
        if hit.cause is None
        or not any((owner, id(hit.target), hit.cause) in owners for owner in rule.stands_down_for)
    ]


# --- snippets and secrets: kafkalint.redaction holds the one policy -------------------------


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


_PROJECT_LISTS = Project.LISTS


def read_isolated(read: Callable[[], None], display: str, project: Project) -> None:
    """Run one file's reader; if it raises, drop what it half-added and record a parse-error
    naming the file, so every other file is still read. The exception's text is left out of
    the message: it may quote a value from the file, and a value may be a secret."""
    marks = {name: len(getattr(project, name)) for name in _PROJECT_LISTS}
    versions = dict(project.versions)
    try:
        read()
    except Exception as error:
        if _reraise():
            raise
        for name, length in marks.items():
            del getattr(project, name)[length:]
        project.versions.clear()
        project.versions.update(versions)
        if isinstance(error, MemoryError):
            reason = "reading it needs more than its memory budget; refused"
        elif isinstance(error, RecursionError):
            reason = "nested too deep to read safely; refused"
        else:
            reason = (
                f"kafkalint's reader failed on it ({type(error).__name__}); the other files were read "
                "(a bug in kafkalint: please report it)"
            )
        project.problems.append(parse_problem(display, reason))


def _read_one(item: DiscoveredFile, project: Project) -> None:
    read_isolated(lambda: read_file(item.path, item.display, item.kind, project), item.display, project)


def _read_cached(item: DiscoveredFile, cache: Any) -> Project:
    """One file's model objects, as a project of their own: from the parse cache when its size
    and mtime say it is unchanged, else scanned as any file (and then stored)."""
    try:
        status = os.stat(item.file_path)
    except OSError:
        fragment = Project()
        _read_one(item, fragment)  # reports why it cannot be read
        return fragment
    cached = cache.unchanged(item.display, status)
    if cached is not None:
        return cached
    return _settled(item, _scan_file(item, cache), cache)


def _settled(item: DiscoveredFile, scanned: _Scanned, cache: Any) -> Project:
    """The fragment of a scanned file (not Python, which is parsed behind the wall), with what
    was found told to the parse cache."""
    outcome, status, digest, fragment = scanned
    if outcome == _UNREADABLE:
        fragment = Project()
        _read_one(item, fragment)  # reports why
        return fragment
    if outcome == _NOTHING:
        if cache is not None:
            cache.store_nothing(item.display, status)
        return Project()
    if fragment is None:  # the same content as cached (a checkout, a touch)
        fragment = cache.same_content(item.display, digest, status)
        if fragment is None:  # the entry could not be loaded after all
            fragment = Project()
            _read_one(item, fragment)
    elif cache is not None:
        cache.store(item.display, status, digest, fragment)
    return fragment


def _merge(project: Project, fragment: Project) -> None:
    for name in Project.LISTS:
        items = getattr(fragment, name)
        if items:
            getattr(project, name).extend(items)
    if fragment.versions:
        project.versions.update(fragment.versions)


def _parses_in_workers(item: DiscoveredFile) -> bool:
    file_format = format_named(item.kind)
    return file_format is not None and file_format.parallel


# From this many Python, Java and Kotlin files to read on, reading them (and parsing the Java
# and Kotlin ones that concern Kafka) is spread over the cores (kafkalint/forked.py): a fork
# costs a few milliseconds; reading a hundred files, or parsing a few Kafka ones, more.
PARALLEL_SCAN_FILES = 100

# What the scan of one file found (see _scan_file).
_UNREADABLE, _NOTHING, _CANDIDATE, _PARSED = "unreadable", "nothing", "candidate", "parsed"

_Scanned = tuple  # (outcome, cache.Stamp, digest, fragment)


@lru_cache(maxsize=1)
def _scanning_modules() -> tuple[Any, Any, Any]:
    """The modules _scan_file calls into, imported once: thousands of files come through
    it, and a function-level import costs microseconds each time. Their functions are looked
    up at each call, so that a replaced one (a test's spy) is the one called."""
    from kafkalint import cache, sources
    from kafkalint.sources import reading

    return sources, reading, cache


def _scan_file(item: DiscoveredFile, cache: Any) -> _Scanned:
    """(outcome, stamp, digest, fragment) of one file, its bytes read once: unreadable (the
    reader reports why), nothing (it cannot concern Kafka), candidate (Python that may: parsed
    later, behind the wall of sources/python/workers.py), parsed (any other format, with its
    fragment; None when the parse cache holds this content; see _settled). The
    digest is computed only for the parse cache: files that cannot concern Kafka are stored
    there as empty, without one (the byte test costs no more than hashing would)."""
    sources, reading, caching = _scanning_modules()
    try:
        data, status = reading.read_bytes_and_status(item.file_path)
    except sources.Unreadable:
        return _UNREADABLE, None, None, None
    # What the parse cache keeps of the status: what a forked child sends back for each of
    # thousands of files is then two numbers, not the 200 bytes of a pickled os.stat_result.
    status = caching.file_stamp(status)
    if not sources.may_concern_kafka(item.kind, data):
        return _NOTHING, status, None, None
    digest = caching.content_digest(data) if cache is not None else None
    if item.kind == "python":
        return _CANDIDATE, status, digest, None
    if digest is not None and cache.holds(item.display, digest):
        return _PARSED, status, digest, None
    fragment = Project()
    read_isolated(lambda: sources.read_bytes_as(data, item.display, item.kind, fragment), item.display, fragment)
    return _PARSED, status, digest, fragment


def _scan_files(files: list[DiscoveredFile], cache: Any, meanwhile: Callable[[], object] | None = None) -> list[_Scanned]:
    """_scan_file of every Python, Java and Kotlin file, in order; over several processes
    for a large tree, once this one has loaded the Java and Kotlin parsers (so that each
    process does not load them again). `meanwhile` is this process's own work to do while
    the other processes scan (forked.map_dealt); it is not called when the scan is not
    spread."""
    from kafkalint.forked import available_jobs

    jobs = available_jobs() if len(files) >= PARALLEL_SCAN_FILES else 1
    if jobs < 2:
        return [_scan_file(item, cache) for item in files]
    from kafkalint.forked import map_dealt

    # Forked children share what this process has loaded: the parsers are loaded here once
    # (a Java tree that never names Kafka pays for that in vain, about 30 ms).
    for kind in sorted({item.kind for item in files} & set(_WARM_UP_TEXTS)):
        _warm_up_parsing(kind)
    return map_dealt(lambda index: _scan_file(files[index], cache), len(files), jobs, meanwhile)


# Our own small texts, read once before parsing is spread over processes so that the
# parser, its modules and their first-use work are loaded here, once, and shared by forking.
_WARM_UP_TEXTS = {
    "java": (
        "import org.apache.kafka.clients.producer.KafkaProducer;\n"
        "class WarmUp { void run(java.util.Properties props) { new KafkaProducer<String, String>(props).close(); } }\n"
    ),
    "kotlin": (
        "import org.apache.kafka.clients.producer.KafkaProducer\n"
        "fun run(props: java.util.Properties) { KafkaProducer<String, String>(props).close() }\n"
    ),
}
_WARMED_UP: set[str] = set()


def _warm_up_parsing(kind: str) -> None:
    text = _WARM_UP_TEXTS.get(kind)
    if text is not None and kind not in _WARMED_UP:
        _WARMED_UP.add(kind)
        read_isolated(lambda: read_text_as(text, f"warm-up.{kind}", kind, Project()), "warm-up", Project())


def _read_python_job(job: Any, project: Project) -> None:
    if job.path is not None:
        read_isolated(lambda: read_file(job.path, job.display, job.kind, project), job.display, project)
    else:
        read_isolated(lambda: read_text_as(job.text, job.display, job.kind, project), job.display, project)


_PYTHON_WARMED_UP = False
_WARM_UP_SOURCE = "from confluent_kafka import Consumer\nc = Consumer({'group.id': 'g'})\nwhile True:\n    m = c.poll(1)\n"


def _warm_up_python_parsing() -> None:
    global _PYTHON_WARMED_UP
    if not _PYTHON_WARMED_UP:
        from kafkalint.sources.python import read_python

        read_python(_WARM_UP_SOURCE, "warm-up.py", Project())  # our own text: safe in-process
        _PYTHON_WARMED_UP = True


def _parse_python(jobs: list[Any]) -> list[Project]:
    """Parse Kafka-using Python files behind the wall of sources/python/workers.py (worker
    processes with time and memory limits), or here when processes cannot be forked: one
    fragment per job, in job order."""
    if not jobs:
        return []
    from kafkalint.sources.python import workers

    if not workers.walled_parsing_available():
        fragments = []
        for job in jobs:
            fragment = Project()
            _read_python_job(job, fragment)
            fragments.append(fragment)
        return fragments
    import sys

    count = _worker_count(len(jobs))
    if count > 1 or "libcst" in sys.modules:
        # Warmed up before the fork (modules, regex and type caches), so the workers share that
        # instead of each doing it again; a lone worker in a fresh run loads libcst itself, and
        # only if a file really imports a Kafka client.
        _warm_up_python_parsing()
    return list(workers.parse_in_workers(jobs, _read_python_job, count))


def _cached_unchanged(item: DiscoveredFile, cache: Any) -> Project | None:
    """The cached fragment of a file whose size and mtime say it is unchanged (not read at all)."""
    if not cache.knows(item.display):
        return None
    try:
        status = os.stat(item.file_path)
    except OSError:
        return None
    return cache.unchanged(item.display, status)


def build_project(
    files: list[DiscoveredFile],
    stdin: tuple[str, str] | None = None,
    progress: bool = False,
    cache: Any = None,
    meanwhile: Callable[[], object] | None = None,
) -> Project:
    """Every file's model objects. With `cache` (kafkalint/cache.py), a file whose content is
    unchanged gives its cached fragment; every other file is read exactly as without the cache
    (isolated per file, Python behind the parser wall) and its fragment stored. Fragments are
    merged in the same order either way: other files by display path, then Python, then stdin.
    `meanwhile` is called while forked processes scan the Python, Java and Kotlin files (see
    _scan_files), if they do."""
    project = Project()
    if stdin is not None:
        # The buffer stands for the file on disk (an editor's unsaved text): never read both.
        files = [item for item in files if item.display != stdin[0]]
    if any(item.refused for item in files):

        project.problems.extend(parse_problem(item.display, item.refused) for item in files if item.refused)
        files = [item for item in files if not item.refused]
    parallel = [item for item in files if _parses_in_workers(item)]
    # Fragments of unchanged files (size and mtime), not read at all: Python ones are merged
    # with the parsed Python, the others (Java, Kotlin) in display order with every other file.
    cached_python: dict[str, Project] = {}
    cached_other: dict[str, Project] = {}
    if cache is not None:
        for item in parallel:
            found = _cached_unchanged(item, cache)
            if found is not None:
                (cached_python if item.kind == "python" else cached_other)[item.display] = found
    python_files: list[tuple[DiscoveredFile, Any]] = []
    if parallel:
        # Every Python (Java, Kotlin) file's bytes are read once here; those that cannot
        # concern Kafka are done with, Java and Kotlin are parsed (tree-sitter needs no wall),
        # and the Python that may concern Kafka is parsed below, behind the wall.
        unread = [item for item in parallel if item.display not in cached_python and item.display not in cached_other]
        files = [item for item in files if not _parses_in_workers(item)]
        others = [item for item in parallel if item.display in cached_other]
        for item, scanned in zip(unread, _scan_files(unread, cache, meanwhile)):
            outcome, status, digest, _fragment = scanned
            if outcome == _NOTHING:  # most files of a tree: recorded as such, nothing to merge
                if cache is not None:
                    cache.store_nothing(item.display, status)
                continue
            if item.kind == "python":  # parsed below; an unreadable one reports why
                python_files.append((item, (status, digest) if cache is not None and outcome == _CANDIDATE else None))
                continue
            others.append(item)
            cached_other[item.display] = _settled(item, scanned, cache)
        files = sorted([*files, *others], key=lambda item: item.display)
        if cache is not None:
            # Same content under a new mtime (a checkout, a touch): the cached fragment, no parse.
            unparsed = []
            for item, identity in python_files:
                found = cache.same_content(item.display, identity[1], identity[0]) if identity is not None else None
                if found is not None:
                    cached_python[item.display] = found
                else:
                    unparsed.append((item, identity))
            python_files = unparsed
    if progress:
        from kafkalint.report.progress import with_progress

        files = with_progress(files)
    for item in files:
        if item.display in cached_other:
            _merge(project, cached_other[item.display])
        elif cache is not None:
            _merge(project, _read_cached(item, cache))
        else:
            _read_one(item, project)
    python_files.sort(key=lambda pair: pair[0].display)
    jobs = []
    if python_files:  # the worker module is not imported for a tree without Kafka-using Python
        from kafkalint.sources.python.workers import ParseJob

        jobs = [ParseJob(item.display, item.kind, path=item.path) for item, _identity in python_files]
    stdin_kind = None
    stdin_job = None
    if stdin is not None:
        display, text = stdin
        stdin_kind = classify(display.rsplit("/", 1)[-1], named_explicitly=True) or "properties"
        if not text.isascii() and re.search(_SURROGATE_ESCAPES, text):
            # Bytes on stdin that are not UTF-8 (kept by the CLI as surrogates): decoded as a
            # file of this format would be (Latin-1 for .properties) or refused, never parsed raw.
            from kafkalint.sources import Unreadable, decode

            file_format = format_named(stdin_kind)
            try:
                text = decode(text.encode("utf-8", "surrogateescape"), allow_latin1=bool(file_format and file_format.latin1_fallback))
            except Unreadable as error:
                project.problems.append(parse_problem(display, str(error)))
                stdin = None
        if stdin is not None and stdin_kind == "python":
            from kafkalint.sources.python.workers import ParseJob

            stdin_job = ParseJob(display, stdin_kind, text=text)
    parsed = _parse_python([*jobs, *([stdin_job] if stdin_job is not None else [])])
    by_display = dict(cached_python)
    for (item, identity), fragment in zip(python_files, parsed):
        by_display[item.display] = fragment
        if cache is not None and identity is not None:
            cache.store(item.display, identity[0], identity[1], fragment)
    for display in sorted(by_display):
        _merge(project, by_display[display])
    if stdin_job is not None:
        _merge(project, parsed[-1])
    if stdin is not None and stdin_kind != "python":
        read_isolated(lambda: read_text_as(text, display, stdin_kind, project), display, project)
    return project


# Compiled only for the stdin text that is not ASCII (re caches it): ~0.4 ms a run otherwise.
_SURROGATE_ESCAPES = "[\udc80-\udcff]"
INTERNAL_ERROR_RULE = "internal-error"


def evaluate(
    project: Project, rules: list[Rule], settings: Settings, failures: list[InternalFailure] | None = None
) -> list[Finding]:
    """Findings of `rules` on the project. A rule that raises on one target is reported as an
    internal-error finding there (unless the user ignores that rule) and every other rule and
    target is still evaluated; `failures` may bring failures of earlier steps to report."""
    spans = secret_spans(project)
    secrets = secret_texts(project)
    lines = SourceLines(project)
    findings: list[Finding] = []
    seen: set[tuple[Any, ...]] = set()
    # One finding of a rule per place across targets: two clients built from one map share its
    # key's location, and a key refused by both (`sasl_mechanism` for a librdkafka producer and
    # its admin client) is one mistake with one fix; the most severe is kept. One target's
    # findings at one place are distinct problems (a resource lacking two required fields).
    at_place: dict[tuple[Any, ...], tuple[int, ClientConfig]] = {}
    failures = list(failures or [])

    def add(
        rule: Rule,
        severity: Severity,
        message: str,
        location: Location,
        related: tuple[Location, ...],
        omitted: int = 0,
        autofix: Any = None,
        target: Any = None,
    ) -> None:
        identity = (rule.code, location.path, location.line, location.column, message)
        if identity in seen:
            return
        seen.add(identity)
        # Only clients share places this way; facts, resources and brokers, and one client's
        # own findings at one place, are problems of their own.
        client = target if isinstance(target, ClientConfig) else None
        place = (rule.code, location.path, location.line, location.column)
        earlier = at_place.get(place) if client is not None else None
        if earlier is not None and earlier[1] is not client and findings[earlier[0]].severity.rank >= severity.rank:
            return  # another client's finding here says it already
        # Related locations are capped (a cross-file finding must not carry every file of a repository).
        finding = (
            Finding(
                code=rule.code,
                name=rule.name,
                severity=severity,
                message=message,
                location=location,
                snippet=snippet_for(lines, location, spans),
                fix=rule.fix,
                related=related[:MAX_RELATED],
                related_omitted=omitted + max(0, len(related) - MAX_RELATED),
                autofix=autofix,
            )
        )
        if earlier is not None and earlier[1] is not client:
            findings[earlier[0]] = finding  # more severe for this client than for the other
            return
        if client is not None:
            at_place.setdefault(place, (len(findings), client))
        findings.append(finding)

    collected: list[tuple[Rule, Hit]] = []
    parameters_of: dict[str, dict[str, Any]] = {}
    for rule in rules:
        if rule.name == INTERNAL_ERROR_RULE:
            continue  # its findings are the failures of the others, added below
        parameters = rule.parameter_defaults()
        parameters.update(settings.parameters.get(rule.name, {}))
        parameters.update(settings.parameters.get(rule.code, {}))
        parameters_of[rule.code] = parameters
        collected.extend((rule, hit) for hit in rule_hits(rule, project, parameters, failures))
    for rule, hit in _root_causes(collected):
        parameters = parameters_of[rule.code]
        severity_override = settings.severity.get(rule.name) or settings.severity.get(rule.code)
        try:
            severity = severity_override or hit.severity or rule.severity
            message = hit.message if hit.message is not None else render(rule.message, {**parameters, **hit.variables})
            message = redact_text(message, secrets)  # whatever a check put in, no secret
            if hit.profile and f"profile {hit.profile}" not in message:
                message = f"{message} (profile {hit.profile})"
        except Exception as error:
            if _reraise():
                raise
            failures.append(InternalFailure(f"rule {rule.code} ({rule.name})", hit.location, type(error).__name__))
            continue
        autofix = None
        if rule.fix_applicability is not None and rule.builtin:
            try:
                autofix = _autofix(rule, hit, project, parameters)
            except Exception as error:  # a fixer's bug: reported like a check's, the finding stays
                if _reraise():
                    raise
                failures.append(InternalFailure(f"fix of rule {rule.code} ({rule.name})", hit.location, type(error).__name__))
        add(rule, severity, message, hit.location, hit.related, hit.related_omitted, autofix, hit.target)
    internal = _internal_error_rule(rules, settings) if failures else None
    if internal is not None:
        severity = settings.severity.get(internal.name) or settings.severity.get(internal.code) or internal.severity
        for failure in failures:
            message = render(internal.message, {"step": failure.step, "error": failure.error})
            add(internal, severity, message, failure.location, ())
    findings.sort(key=Finding.sort_key)
    return findings


def _internal_error_rule(rules: list[Rule], settings: Settings) -> Rule | None:
    """The internal-error rule, reported whatever `select` says (a selection of rules must not
    hide that one of them could not run); only an explicit `ignore` silences it."""
    for rule in rules:
        if rule.name == INTERNAL_ERROR_RULE:
            return rule
    rule = load_catalogue(settings.extra_rule_dirs).find(INTERNAL_ERROR_RULE)
    if rule is None or any(rule.matches(item) for item in settings.ignore):
        return None
    return rule


def _autofix(rule: Rule, hit: Hit, project: Project, parameters: dict[str, Any]) -> Any:
    from kafkalint.fixes.registry import proposed_fix

    return proposed_fix(rule, hit, hit.target, CheckContext(project, rule, parameters))


def load_project(
    paths: list[Path],
    settings: Settings,
    stdin: tuple[str, str] | None = None,
    progress: bool = False,
    failures: list[InternalFailure] | None = None,
    context_root: Path | None = None,
    cache: Any = None,
    listings: Any = None,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[list[DiscoveredFile], Project]:
    """The model every command reads (`check`, `explain`, `inventory`): discovery with the
    user's excludes and .gitignore, every source, cross-resource resolution and versions.
    With `failures`, a resolver that raises is recorded there and the run goes on.
    `meanwhile`: see build_project.

    With `context_root`, every file under it is read as well as the paths (the context); the
    returned files are still only those under the paths (the scope)."""
    from kafkalint.gitignore import discovery_ignore_filter

    def walk(roots: list[Path]) -> list[DiscoveredFile]:
        if not roots:
            return []
        ignored = listings.ignore_filter(settings, roots) if listings is not None else discovery_ignore_filter(settings, roots)
        return discover(roots, settings.exclude, ignore_filter=ignored, listings=listings)

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
    project = build_project(read, stdin, progress=progress, cache=cache, meanwhile=meanwhile)
    for resolver in PROJECT_RESOLVERS:
        try:
            _call(resolver)(project, settings)
        except Exception as error:
            if failures is None or _reraise():
                raise
            # Half-resolved is still better than nothing: the rules run on what is there.
            step = f"{resolver[1].replace('_', ' ')} ({resolver[0]})"
            failures.append(InternalFailure(step, _target_location(project, project), type(error).__name__))
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
    `baseline`, `write_baseline`, `listings` (directory listings this command already made,
    kafkalint.discovery.DirectoryListings)."""
    settings = settings or Settings()
    options = dict(options or {})
    # The rules are made ready (the catalogue loaded, the rules chosen, the modules of their
    # checks and of the later steps imported) while forked processes scan a large tree's files
    # (_scan_files): the model does not depend on them. Otherwise before or just after reading
    # (a small tree), the modules imported as they are needed.
    ready: list[list[Rule]] = []

    def prepare_rules(import_ahead: bool = True) -> None:
        if not ready:
            chosen = active_rules(catalogue or load_catalogue(settings.extra_rule_dirs), settings)
            if import_ahead:
                _import_ahead(chosen)
            ready.append(chosen)

    from kafkalint.forked import available_jobs, can_fork

    if available_jobs() < 2 or not can_fork():
        # Nothing to overlap the rules with: they are ready before any file is read, so that a
        # rule selection that matches nothing fails at once, not after reading a large tree.
        prepare_rules(import_ahead=False)
    failures: list[InternalFailure] = []
    context_root = None
    if options.get("project_context"):
        from kafkalint.scope import project_root

        context_root = project_root(paths, settings.source)
    cache = None
    if options.get("cache"):
        from kafkalint.cache import ParseCache, cache_key

        cache = ParseCache(context_root or Path.cwd(), cache_key(settings))
    files, project = load_project(
        paths, settings, stdin, bool(options.get("progress")), failures, context_root=context_root, cache=cache,
        listings=options.get("listings"), meanwhile=prepare_rules,
    )
    if cache is not None:
        cache.save()
    prepare_rules(import_ahead=False)
    rules = ready[0]
    findings = evaluate(project, rules, settings, failures)
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


def _import_ahead(rules: list[Rule]) -> None:
    """Import, ahead of their use, the modules the rest of the run calls into: the check
    modules of these rules (evaluation would import only those of the rules with targets;
    the others are a few milliseconds, in time that costs half), the resolvers and the
    finding filters. A module that fails to import fails again where it is used, and is
    reported there."""
    for rule in rules:
        try:
            check_function(rule)
        except Exception:  # noqa: BLE001 - see above
            continue
    for spec in (*PROJECT_RESOLVERS, *FINDING_FILTERS):
        try:
            _call(spec)
        except Exception:  # noqa: BLE001 - see above
            continue


def fails(findings: Iterable[Finding], fail_on: Severity) -> bool:
    return any(finding.severity.rank >= fail_on.rank for finding in findings)
