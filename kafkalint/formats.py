"""The input formats kafkalint reads, one entry each: the only place that says what a format is.

For every format: which file names it owns, the byte sniff that drops a file before it is
decoded, the reader that turns it into model objects, the comment syntax suppressions are
written in, and whether it is parsed in worker processes. Discovery, the source dispatch, the
suppression reader, `explain` and the worker pool all read this table; none of them names a
format of its own. Adding a format is one entry here plus one reader module (README, "Writing a
source").

Readers are named as `"module:function"` strings and imported on first use, so a run that meets
no YAML file never imports PyYAML and one without Python never imports libcst. This module
imports nothing of kafkalint's: everything else may import it.

Two orders are explicit here rather than implied by code layout:
- a file belongs to the format owning its exact name, else a glob of its name, else its
  extension; at each step a name two formats claim goes to the lower `priority` (so `pom.xml`
  is a build file whatever `.xml` may become);
- inside one format, `claimants` (Spring, Strimzi, ... inside YAML) are offered the parsed file
  by ascending `priority`; the first that claims it wins, and the format's reader falls back to
  a plain map of client settings when none does.
"""

from __future__ import annotations

import fnmatch
import importlib
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Any, Callable, Iterator


class CommentSyntax(Enum):
    """How a format writes comments, so `# kafkalint: disable=...` is found only in one."""

    PROPERTIES = "properties"  # whole-line `#` or `!` (java.util.Properties)
    YAML = "yaml"  # `#` at line start or after whitespace, outside quotes
    PYTHON = "python"  # tokenizer COMMENT tokens
    NONE = "none"  # JSON has no comments: nothing can be suppressed inline
    GENERIC = "generic"  # `#`, `//` or `<!--` before the marker (build files, Java, Kotlin)


@dataclass(slots=True, frozen=True)
class Claimant:
    """A reader of one framework or resource family inside a generic format."""

    name: str
    reader: str  # "module:function"(parsed content, text, display, project) -> bool: claimed
    priority: int


@dataclass(slots=True, frozen=True)
class FileFormat:
    """A kind of file kafkalint reads: the names it owns, its byte sniff and its reader."""

    name: str
    reader: str  # "module:function"(text, display, project, claimants) or (text, display, project)
    priority: int
    extensions: tuple[str, ...] = ()  # lower case, with the dot
    file_names: tuple[str, ...] = ()  # exact base names
    name_globs: tuple[str, ...] = ()  # fnmatch patterns on the base name
    # Extensions read as this format only when the user names the file itself (`app.conf`).
    explicit_extensions: tuple[str, ...] = ()
    # Byte (and text) markers: a file containing none of them cannot concern Kafka and is dropped
    # before it is decoded. Empty: every file of the format is read.
    sniff: tuple[bytes, ...] = ()
    # A second, exact test on the decoded text ("module:function"(text) -> bool), for formats
    # whose cheap sniff lets many files through (Python: does it import a client package?).
    text_filter: str | None = None
    comments: CommentSyntax = CommentSyntax.GENERIC
    # Parsing dominates large trees of this format: many such files go to a pool of processes.
    parallel: bool = False
    # Legacy encodings: java.util.Properties.load(InputStream) reads ISO-8859-1, so does kafkalint.
    latin1_fallback: bool = False
    # The file states client versions (build manifests), not configuration: `explain` reads
    # those beside and above the file it explains.
    states_versions: bool = False
    claimants: tuple[Claimant, ...] = ()
    # The Markdown code-fence language rule docs show examples of this format in.
    fence: str = ""

    def may_concern_kafka(self, content: bytes | str) -> bool:
        """The cheap test a file passes before it is decoded (bytes) or parsed (text)."""
        if not self.sniff:
            return True
        # A plain loop: run on every file of a tree, a generator's overhead showed.
        for marker in self.sniff if isinstance(content, bytes) else _text_markers(self.sniff):
            if marker in content:
                return True
        return False

    def ordered_claimants(self) -> tuple[Claimant, ...]:
        return tuple(sorted(self.claimants, key=lambda claimant: claimant.priority))


@lru_cache(maxsize=None)
def _text_markers(markers: tuple[bytes, ...]) -> tuple[str, ...]:
    return tuple(marker.decode() for marker in markers)


# Words without which a YAML or JSON file cannot be a Kafka client, cluster or connector file.
_STRUCTURED_SNIFF = (
    b"kafka", b"Kafka", b"KAFKA", b"bootstrap", b"acks", b"group.id", b"serializer",
    b"strimzi", b"auto.commit", b"max.poll", b"sasl.", b"security.protocol",
    b"connector.class",
)

# Frameworks that write client settings in .properties files: Spring, Quarkus, MirrorMaker 2,
# Connect workers.
_PROPERTIES_CLAIMANTS = (
    Claimant("spring", "kafkalint.sources.spring:read_spring_properties", 10),
    Claimant("quarkus", "kafkalint.sources.quarkus:read_quarkus_properties", 20),
    Claimant("mirror-maker", "kafkalint.sources.mirror_maker:read_mirror_maker_properties", 25),
    Claimant("connect", "kafkalint.sources.connect:read_connect_properties", 30),
)

# Resources and frameworks written in YAML or JSON. Strimzi first: a custom resource's `spec`
# holds maps that a framework reader would otherwise mistake for client settings.
_DOCUMENT_CLAIMANTS = (
    Claimant("strimzi", "kafkalint.sources.strimzi:read_strimzi_documents", 10),
    Claimant("spring", "kafkalint.sources.spring:read_spring_documents", 20),
    Claimant("quarkus", "kafkalint.sources.quarkus:read_quarkus_documents", 30),
    Claimant("compose", "kafkalint.sources.compose:read_compose_documents", 40),
    Claimant("connect", "kafkalint.sources.connect:read_connect_documents", 50),
)

# Java and Kotlin: an import from Kafka, Spring Kafka or SmallRye Reactive Messaging.
_JVM_SNIFF = (b"org.apache.kafka", b"org.springframework.kafka", b"io.smallrye.reactive.messaging", b"KafkaTemplate")

_VERSIONS = "kafkalint.knowledge.versions"


def _build_file(name: str, function: str, **owned: Any) -> FileFormat:
    # Build manifests are named exactly, so they come before any extension-owned format.
    return FileFormat(name, f"{_VERSIONS}:{function}", priority=10, states_versions=True, **owned)


FORMATS: tuple[FileFormat, ...] = (
    _build_file("requirements", "read_requirements", name_globs=("*requirements*.txt",)),
    _build_file("pyproject", "read_pyproject", file_names=("pyproject.toml",)),
    _build_file("setup-cfg", "read_setup_cfg", file_names=("setup.cfg",)),
    _build_file("pipfile", "read_pipfile", file_names=("Pipfile",)),
    _build_file("lock", "read_lock", file_names=("poetry.lock", "uv.lock")),
    _build_file("pom", "read_pom", file_names=("pom.xml",)),
    _build_file("gradle", "read_gradle", file_names=("build.gradle", "build.gradle.kts")),
    _build_file("gradle-catalog", "read_version_catalog", file_names=("libs.versions.toml",)),
    FileFormat(
        "properties", "kafkalint.sources.properties:read_properties", priority=50,
        extensions=(".properties",), explicit_extensions=(".conf", ".config"),
        comments=CommentSyntax.PROPERTIES, latin1_fallback=True, claimants=_PROPERTIES_CLAIMANTS,
        fence="properties",
    ),
    FileFormat(
        "yaml", "kafkalint.sources.structured:read_yaml", priority=50, extensions=(".yaml", ".yml"),
        sniff=_STRUCTURED_SNIFF, comments=CommentSyntax.YAML, claimants=_DOCUMENT_CLAIMANTS, fence="yaml",
    ),
    FileFormat(
        "json", "kafkalint.sources.structured:read_json", priority=50, extensions=(".json",),
        sniff=_STRUCTURED_SNIFF, comments=CommentSyntax.NONE, claimants=_DOCUMENT_CLAIMANTS, fence="json",
    ),
    FileFormat(
        "python", "kafkalint.sources.python:read_python", priority=50, extensions=(".py",),
        sniff=(b"kafka",), text_filter="kafkalint.sources.python:mentions_kafka",
        comments=CommentSyntax.PYTHON, parallel=True, fence="python",
    ),
    FileFormat(
        "java", "kafkalint.sources.jvm.reader:read_java", priority=50, extensions=(".java",),
        sniff=_JVM_SNIFF, comments=CommentSyntax.GENERIC, parallel=True, fence="java",
    ),
    FileFormat(
        "kotlin", "kafkalint.sources.jvm.reader:read_kotlin", priority=50, extensions=(".kt",),
        sniff=_JVM_SNIFF, comments=CommentSyntax.GENERIC, parallel=True, fence="kotlin",
    ),
)


@lru_cache(maxsize=None)
def _by_name() -> dict[str, FileFormat]:
    return {file_format.name: file_format for file_format in FORMATS}


def format_named(name: str) -> FileFormat | None:
    return _by_name().get(name)


def _literal_tail(pattern: str) -> str:
    """What every name a glob matches ends with (the text after its last wildcard): a cheap
    test before fnmatch, which discovery would otherwise run on every file name."""
    last = max(pattern.rfind(char) for char in "*?[]")
    return pattern[last + 1:].lower()  # lower: fnmatch ignores case where the file system does


@lru_cache(maxsize=None)
def _lookup_tables() -> tuple[dict[str, str], list[tuple[str, str, str]], dict[str, str], dict[str, str]]:
    """(exact names, name globs with their literal tails, extensions, explicit extensions) ->
    format name; a name is owned by the first format in priority order that lists it."""
    exact: dict[str, str] = {}
    globs: list[tuple[str, str, str]] = []
    extensions: dict[str, str] = {}
    explicit: dict[str, str] = {}
    for file_format in sorted(FORMATS, key=lambda item: item.priority):
        for file_name in file_format.file_names:
            exact.setdefault(file_name, file_format.name)
        globs.extend((pattern, _literal_tail(pattern), file_format.name) for pattern in file_format.name_globs)
        for extension in file_format.extensions:
            extensions.setdefault(extension, file_format.name)
        for extension in file_format.explicit_extensions:
            explicit.setdefault(extension, file_format.name)
    return exact, globs, extensions, explicit


def format_of(file_name: str, named_explicitly: bool = False) -> str | None:
    """The format that owns a file, by its base name; None when kafkalint does not read it."""
    exact, globs, extensions, explicit = _lookup_tables()
    owner = exact.get(file_name)
    if owner is not None:
        return owner
    lower = file_name.lower()
    for pattern, tail, name in globs:
        if lower.endswith(tail) and fnmatch.fnmatch(file_name, pattern):
            return name
    dot = file_name.rfind(".")
    if dot < 0:
        return None
    extension = lower[dot:]
    owner = extensions.get(extension)
    if owner is None and named_explicitly:
        owner = explicit.get(extension)
    return owner


def load(spec: str) -> Callable[..., Any]:
    """The function a `"module:function"` spec names, imported now (and cached by Python)."""
    module_name, function_name = spec.split(":", 1)
    return getattr(importlib.import_module(module_name), function_name)


def claimant_readers(file_format: FileFormat) -> Iterator[Callable[..., bool]]:
    """The format's claimants as functions, by priority, each imported only when reached."""
    for claimant in file_format.ordered_claimants():
        yield load(claimant.reader)
