"""Client versions detected from the scanned tree's build files.

Readers for requirements*.txt, pyproject.toml (PEP 621, Poetry, dependency groups), setup.cfg,
Pipfile, poetry.lock / uv.lock, pom.xml and build.gradle(.kts) record what they find as
`client-version` facts; `resolve_versions` then gives each client the version of the nearest
manifest above its file (its own module: the same directory, else the closest parent that
states a version for that client), the most precise one there (a lock file beats an exact pin,
which beats a version range or a Spring-managed version). One module's pom.xml never decides
the version of a sibling module. `--target` still wins over anything detected; a client with
no manifest above it takes the settings' target, else the default.

A Java module's kafka-clients version is read from kafka-clients itself, else kafka-streams or
the broker's jar kafka_<Scala version> (both depend on kafka-clients of their own version),
else a kafka.version property, else the version Spring Kafka or Spring Boot manages; in Gradle
files both as `group:name:version` and in the map notation (`group: ..., name: ..., version: ...`).
"""

from __future__ import annotations

import json
import posixpath
import re
from functools import lru_cache
from typing import Any, Iterable

from kafkalint.model import CodeFact, Dialect, Location, Project, VersionAssumption

FACT_KIND = "client-version"

# Python distributions -> the client whose configuration they read.
PYTHON_PACKAGES = {
    "confluent-kafka": Dialect.LIBRDKAFKA,
    "kafka-python": Dialect.KAFKA_PYTHON,
    "kafka-python-ng": Dialect.KAFKA_PYTHON,
    "aiokafka": Dialect.AIOKAFKA,
}

# How precise a detection is: the most precise one per client wins.
RANK_LOCK = 4
RANK_EXACT = 3
RANK_MANAGED = 2
RANK_RANGE = 1


def normalize_package(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@lru_cache(maxsize=1)
def managed_versions() -> dict[str, Any]:
    from kafkalint.knowledge import DATA

    with (DATA / "managed_versions.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def record(project: Project, dialect: Dialect, version: str, rank: int, display: str, line: int, why: str) -> None:
    project.facts.append(
        CodeFact(
            FACT_KIND,
            Location(display, line, 1),
            {"dialect": dialect.value, "version": version, "rank": rank, "reason": f"detected in {display}: {why}"},
        )
    )


def _directory(path: str) -> str:
    return posixpath.dirname(path.replace("\\", "/"))


def _ancestors(directory: str) -> Iterable[str]:
    """The directory itself, then each parent up to the scanned root ("")."""
    while True:
        yield directory
        if not directory or directory in (".", "/"):
            return
        parent = posixpath.dirname(directory)
        directory = "" if parent == directory else parent


def detected_versions(project: Project) -> dict[Dialect, VersionAssumption]:
    """The most precise detection per client over the whole tree (first file on a tie): what
    the tree's build files say, for reports; a client takes its own module's (resolve_versions)."""
    best: dict[Dialect, tuple[int, CodeFact]] = {}
    for fact in project.facts_of(FACT_KIND):
        dialect = Dialect(fact.detail["dialect"])
        if dialect not in best or fact.detail["rank"] > best[dialect][0]:
            best[dialect] = (fact.detail["rank"], fact)
    return {
        dialect: VersionAssumption(dialect, fact.detail["version"], fact.detail["reason"])
        for dialect, (_rank, fact) in best.items()
    }


def _nearest_detections(project: Project) -> dict[tuple[str, Dialect], tuple[int, CodeFact]]:
    """The most precise detection (first file on a tie) per directory and client."""
    best: dict[tuple[str, Dialect], tuple[int, CodeFact]] = {}
    for fact in project.facts_of(FACT_KIND):
        key = (_directory(fact.location.path), Dialect(fact.detail["dialect"]))
        rank = fact.detail["rank"]
        if key not in best or rank > best[key][0]:
            best[key] = (rank, fact)
    return best


def _nearest(best: dict[tuple[str, Dialect], tuple[int, CodeFact]], dialect: Dialect, path: str) -> VersionAssumption | None:
    for directory in _ancestors(_directory(path)):
        found = best.get((directory, dialect)) or (best.get((".", dialect)) if directory == "" else None)
        if found is not None:
            fact = found[1]
            return VersionAssumption(dialect, fact.detail["version"], fact.detail["reason"])
    return None


def version_at(project: Project, dialect: Dialect, path: str) -> VersionAssumption | None:
    """The client version that governs code in `path`: --target/settings first, then the
    nearest directory above it that states one (its own module), else None."""
    if dialect in project.versions:
        return project.versions[dialect]
    return _nearest(_nearest_detections(project), dialect, path)


def resolve_versions(project: Project, settings: Any = None) -> None:
    """Each client takes the most precise detection (first file on a tie) of the nearest
    directory above its file that states a version for its dialect."""
    best = _nearest_detections(project)
    if not best:
        return
    for client in project.clients:
        if client.version is None:
            client.version = _nearest(best, client.dialect, client.anchor.path)


# --- version specifiers ----------------------------------------------------------------------

_CLAUSE = re.compile(r"\s*(===|==|!=|~=|>=|<=|>|<|\^|~)?\s*([0-9][0-9A-Za-z.*+!-]*)\s*")


def _padded(version: str, width: int = 4) -> tuple[int, ...]:
    from kafkalint.knowledge import version_tuple

    parts = version_tuple(version)
    return parts + (0,) * (width - len(parts))


def _clauses(spec: str) -> list[tuple[str, str]]:
    clauses = []
    for piece in re.split(r"[,\s]+(?=[=!~<>^])|,", spec.strip().strip("()")):
        piece = piece.strip()
        if not piece or piece == "*":
            continue
        match = _CLAUSE.fullmatch(piece)
        if match is None:
            return []
        operator, version = match.groups()
        clauses.append((operator or "==", version))
    return clauses


def _satisfies(candidate: str, operator: str, version: str) -> bool:
    from kafkalint.knowledge import version_tuple

    if version.endswith(".*"):
        prefix = version_tuple(version[:-2])
        matches = version_tuple(candidate)[: len(prefix)] == prefix
        return matches if operator == "==" else not matches
    have, want = _padded(candidate), _padded(version)
    parts = version_tuple(version)
    if operator in ("==", "==="):
        return have == want
    if operator == "!=":
        return have != want
    if operator == ">=":
        return have >= want
    if operator == "<=":
        return have <= want
    if operator == ">":
        return have > want
    if operator == "<":
        return have < want
    if operator == "~=":  # compatible release: ~=2.3 -> >=2.3,<3 ; ~=2.3.1 -> >=2.3.1,<2.4
        stem = parts[:-1] if len(parts) > 1 else parts
        return have >= want and version_tuple(candidate)[: len(stem)] == stem
    if operator == "^":  # Poetry caret: same leftmost non-zero component
        significant = next((index for index, part in enumerate(parts) if part != 0), len(parts) - 1)
        return have >= want and version_tuple(candidate)[: significant + 1] == parts[: significant + 1]
    if operator == "~":  # Poetry tilde: ~2.3 -> >=2.3,<2.4 ; ~2 -> >=2,<3
        stem = parts[:2] if len(parts) >= 2 else parts[:1]
        return have >= want and version_tuple(candidate)[: len(stem)] == stem
    return False


def version_for_spec(dialect: Dialect, spec: str) -> tuple[str, int, str] | None:
    """(version, rank, how) a specifier means for a client, or None when it says nothing."""
    from kafkalint.knowledge import catalogue

    clauses = _clauses(spec)
    if not clauses:
        return None
    if len(clauses) == 1 and clauses[0][0] in ("==", "===") and not clauses[0][1].endswith(".*"):
        return clauses[0][1], RANK_EXACT, "pinned"
    known = catalogue(dialect).data.get("versions", []) or []
    latest = catalogue(dialect).latest
    candidates = sorted({*known, latest} - {""}, key=_padded)
    matching = [candidate for candidate in candidates if all(_satisfies(candidate, op, v) for op, v in clauses)]
    if not matching:
        return None
    return matching[-1], RANK_RANGE, "newest release matching the range"


def _detect_python(project: Project, display: str, line: int, name: str, spec: str) -> None:
    """confluent-kafka X.Y.Z bundles librdkafka X.Y, so its version is the librdkafka version."""
    dialect = PYTHON_PACKAGES.get(normalize_package(name))
    if dialect is None:
        return
    chosen = version_for_spec(dialect, spec)
    if chosen is None:
        return
    version, rank, how = chosen
    written = f"{name}{spec.strip()}"
    record(project, dialect, version, rank, display, line, written if rank == RANK_EXACT else f"{written} ({how})")


# --- requirements.txt, setup.cfg -------------------------------------------------------------

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(\(?[^;#@]*\)?)")


def _requirement_lines(text: str) -> Iterable[tuple[int, str, str]]:
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        match = _REQUIREMENT.match(line)
        if match:
            yield number, match.group(1), match.group(2) or ""


def read_requirements(text: str, display: str, project: Project) -> None:
    for number, name, spec in _requirement_lines(text):
        _detect_python(project, display, number, name, spec)


def read_setup_cfg(text: str, display: str, project: Project) -> None:
    section = ""
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped
            continue
        if not stripped or stripped.startswith(("#", ";")):
            continue
        if section == "[options]":
            assignment = re.match(r"install_requires\s*=\s*(.*)", stripped)
            if assignment:
                candidate = assignment.group(1)
            elif raw[:1].isspace():
                candidate = stripped  # a continuation line of install_requires (or another key)
            else:
                continue
        elif section == "[options.extras_require]":
            candidate = stripped.split("=", 1)[1] if re.match(r"[\w-]+\s*=(?!=)", stripped) else stripped
        else:
            continue
        for _line, name, spec in _requirement_lines(candidate):
            _detect_python(project, display, number, name, spec)


# --- TOML files: pyproject.toml, Pipfile, poetry.lock, uv.lock ------------------------------


def _toml(text: str) -> dict[str, Any] | None:
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ModuleNotFoundError:
            return None
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return None


def _line_of(text: str, name: str) -> int:
    pattern = re.compile(re.escape(name).replace(r"\-", "[-_.]"), re.IGNORECASE)
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.search(line):
            return number
    return 1


def _poetry_spec(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("version", "")
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if value and value[0].isdigit() and "," not in value and not value.endswith("*"):
        return "==" + value  # Poetry: a bare version is an exact pin
    return value


def read_pyproject(text: str, display: str, project: Project) -> None:
    data = _toml(text)
    if not isinstance(data, dict):
        return
    requirements: list[str] = []
    section = data.get("project", {})
    if isinstance(section, dict):
        requirements.extend(item for item in section.get("dependencies", []) or [] if isinstance(item, str))
        for group in (section.get("optional-dependencies", {}) or {}).values():
            requirements.extend(item for item in group or [] if isinstance(item, str))
    for group in (data.get("dependency-groups", {}) or {}).values():
        requirements.extend(item for item in group or [] if isinstance(item, str))
    for requirement in requirements:
        for _line, name, spec in _requirement_lines(requirement):
            _detect_python(project, display, _line_of(text, name), name, spec)
    poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) else {}
    tables = [poetry.get("dependencies", {}), poetry.get("dev-dependencies", {})]
    tables.extend(group.get("dependencies", {}) for group in (poetry.get("group", {}) or {}).values() if isinstance(group, dict))
    for table in tables:
        if not isinstance(table, dict):
            continue
        for name, value in table.items():
            spec = _poetry_spec(value)
            if spec:
                _detect_python(project, display, _line_of(text, name), name, spec)


def read_pipfile(text: str, display: str, project: Project) -> None:
    data = _toml(text)
    if not isinstance(data, dict):
        return
    for table_name in ("packages", "dev-packages"):
        table = data.get(table_name, {})
        if not isinstance(table, dict):
            continue
        for name, value in table.items():
            spec = value.get("version", "") if isinstance(value, dict) else value
            if isinstance(spec, str) and spec.strip() not in ("", "*"):
                _detect_python(project, display, _line_of(text, name), name, spec)


def read_lock(text: str, display: str, project: Project) -> None:
    data = _toml(text)
    if not isinstance(data, dict):
        return
    for package in data.get("package", []) or []:
        if not isinstance(package, dict):
            continue
        name, version = package.get("name"), package.get("version")
        dialect = PYTHON_PACKAGES.get(normalize_package(str(name or "")))
        if dialect is None or not isinstance(version, str):
            continue
        record(project, dialect, version, RANK_LOCK, display, _line_of(text, f'name = "{name}"'), f"{name} {version} (locked)")


# --- Maven and Gradle ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def confluent_platform() -> dict[str, Any]:
    from kafkalint.knowledge import DATA

    with (DATA / "confluent_platform.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def apache_line_of_confluent(version: str) -> str | None:
    """The Apache Kafka release line of a Confluent build of the clients (`7.5.0-ccs` -> `3.5`),
    None for an Apache version or a Confluent line kafkalint does not know."""
    from kafkalint.knowledge import version_line

    facts = confluent_platform()
    if not version.endswith(tuple(facts["suffixes"])):
        return None
    entry = facts["apache_kafka_line"].get(version_line(version))
    return entry["line"] if entry is not None else None


def _kafka_clients_line(version: str) -> str | None:
    """The Apache Kafka release line of a kafka-clients version; None for a Confluent build of a
    line kafkalint does not know (the newest line is then assumed, as with no version at all)."""
    from kafkalint.knowledge import version_line

    if version.endswith(tuple(confluent_platform()["suffixes"])):
        return apache_line_of_confluent(version)
    return version_line(version)


def _clients_version_text(version: str) -> str:
    """How a detected version is named: a Confluent build says which Apache Kafka it is."""
    apache = apache_line_of_confluent(version)
    return f"{version} (Confluent Platform, Apache Kafka {apache})" if apache else version


def _managed(table: str, version: str) -> tuple[str, str] | None:
    from kafkalint.knowledge import version_line

    entry = managed_versions().get(table, {}).get(version_line(version))
    if not isinstance(entry, dict):
        return None
    return entry["kafka-clients"], entry.get("source", "")


def _record_java(project: Project, display: str, text: str, found: dict[str, tuple[str, str]]) -> None:
    """found: kind -> (version, the text to find its line by)."""
    for kind in ("kafka-clients", "kafka-streams", "kafka-core", "kafka.version"):
        if kind in found and _kafka_clients_line(found[kind][0]) is None:
            return  # a Confluent build of a line kafkalint does not know: no version is claimed
    # What names the client's version, most direct first. Kafka Streams and the broker's jar are
    # released with the clients and depend on kafka-clients of their own version (Kafka's
    # build.gradle: project(':streams') and project(':core') have `api project(':clients')`,
    # published as org.apache.kafka:kafka-clients:${version} in their poms).
    for kind, brings in (
        ("kafka-clients", ""), ("kafka-streams", "kafka-streams"), ("kafka-core", "kafka (the broker's jar)"), ("kafka.version", ""),
    ):
        if kind in found:
            version, marker = found[kind]
            why = f"{brings} {_clients_version_text(version)}, which brings kafka-clients {version}" if brings else f"{kind} {_clients_version_text(version)}"
            record(project, Dialect.JAVA, _kafka_clients_line(version), RANK_EXACT, display, _line_of(text, marker), why)
            return
    for kind in ("spring-kafka", "spring-boot"):
        if kind in found:
            version, marker = found[kind]
            managed = _managed(kind, version)
            if managed is not None:
                record(
                    project, Dialect.JAVA, managed[0], RANK_MANAGED, display, _line_of(text, marker),
                    f"{kind} {version}, which manages kafka-clients {managed[0]}",
                )
                return


def read_pom(text: str, display: str, project: Project) -> None:
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        return  # entity declarations: nothing a build file needs, and not parsed for safety
    import xml.etree.ElementTree as ElementTree

    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    def child_text(element: Any, name: str) -> str:
        for child in element:
            if local(child.tag) == name:
                return (child.text or "").strip()
        return ""

    properties: dict[str, str] = {}
    for element in root:
        if local(element.tag) == "properties":
            for prop in element:
                properties[local(prop.tag)] = (prop.text or "").strip()
        if local(element.tag) == "version":
            properties.setdefault("project.version", (element.text or "").strip())

    def resolve(value: str) -> str:
        for _ in range(5):
            match = re.search(r"\$\{([^}]+)\}", value)
            if not match or match.group(1) not in properties:
                break
            value = value.replace(match.group(0), properties[match.group(1)])
        return value if "${" not in value else ""

    found: dict[str, tuple[str, str]] = {}
    if properties.get("kafka.version"):
        found["kafka.version"] = (resolve(properties["kafka.version"]), "<kafka.version>")
    for element in root.iter():
        name = local(element.tag)
        if name not in ("dependency", "parent"):
            continue
        group, written_artifact, version = child_text(element, "groupId"), child_text(element, "artifactId"), resolve(child_text(element, "version"))
        artifact = resolve(written_artifact)
        if not version or not version[0].isdigit():
            continue
        if group == "org.apache.kafka" and artifact in ("kafka-clients", "kafka-streams"):
            found.setdefault(artifact, (version, f"<artifactId>{artifact}</artifactId>"))
        elif group == "org.apache.kafka" and _KAFKA_CORE_ARTIFACT.fullmatch(artifact):
            found.setdefault("kafka-core", (version, f"<artifactId>{written_artifact}</artifactId>"))
        elif group == "org.springframework.kafka" and artifact == "spring-kafka":
            found.setdefault("spring-kafka", (version, "<artifactId>spring-kafka</artifactId>"))
        elif group == "org.springframework.boot" and artifact in ("spring-boot-starter-parent", "spring-boot-dependencies"):
            found.setdefault("spring-boot", (version, f"<artifactId>{artifact}</artifactId>"))
    _record_java(project, display, text, found)


_GRADLE_COORDINATE = r"""['"]{group}:{artifact}:([^'"@]+)['"]"""
# The broker's own jar, kafka_<Scala version> (kafka_2.12), which applications once depended on
# for the clients: its POM names kafka-clients of its own version as a compile dependency.
_KAFKA_CORE_ARTIFACT = re.compile(r"kafka_2\.\d+")
# The map notation: `group: 'org.apache.kafka', name: 'kafka-clients', version: '1.0.0'` (Groovy),
# `group = "org.apache.kafka", name = "kafka-clients", version = "1.0.0"` (Kotlin).
_GRADLE_MAP_COORDINATE = (
    r"""\bgroup\s*[:=]\s*['"]{group}['"]\s*,\s*name\s*[:=]\s*['"]{artifact}['"]\s*,\s*version\s*[:=]\s*['"]([^'"@]+)['"]"""
)


def read_gradle(text: str, display: str, project: Project) -> None:
    variables = dict(re.findall(r"""\b(?:val\s+|def\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*['"]([0-9][^'"]*)['"]""", text))
    for key, value in re.findall(r"""(?:ext|extra)\s*\[\s*['"]([\w.]+)['"]\s*\]\s*=\s*['"]([^'"]+)['"]""", text):
        variables[key] = value
    for key, value in re.findall(r"""\bset\(\s*['"]([\w.]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)""", text):
        variables[key] = value

    def resolve(value: str) -> str:
        match = re.fullmatch(r"\$\{?([A-Za-z_][\w.]*)\}?", value.strip())
        if match:
            return variables.get(match.group(1), "")
        return value.strip()

    found: dict[str, tuple[str, str]] = {}
    coordinates = {
        "kafka-clients": ("org\\.apache\\.kafka", re.escape("kafka-clients")),
        "kafka-streams": ("org\\.apache\\.kafka", re.escape("kafka-streams")),
        "kafka-core": ("org\\.apache\\.kafka", _KAFKA_CORE_ARTIFACT.pattern),
        "spring-kafka": ("org\\.springframework\\.kafka", re.escape("spring-kafka")),
    }
    for kind, (group, artifact) in coordinates.items():
        for pattern in (_GRADLE_COORDINATE, _GRADLE_MAP_COORDINATE):
            match = re.search(pattern.format(group=group, artifact=artifact), text)
            if match:
                version = resolve(match.group(1))
                if version and version[0].isdigit():
                    found[kind] = (version, text[match.start():match.end()].splitlines()[0])  # its line
                    break
    if variables.get("kafka.version"):
        found["kafka.version"] = (variables["kafka.version"], "kafka.version")
    boot = re.search(r"""id\s*\(?\s*['"]org\.springframework\.boot['"]\s*\)?\s*version\s*['"]([^'"]+)['"]""", text)
    if boot:
        found["spring-boot"] = (boot.group(1), "org.springframework.boot")
    _record_java(project, display, text, found)


def read_version_catalog(text: str, display: str, project: Project) -> None:
    """Gradle version catalogs (gradle/libs.versions.toml): [libraries] entries with their
    version written inline or referenced from [versions]."""
    data = _toml(text)
    if not isinstance(data, dict):
        return
    versions = data.get("versions", {}) if isinstance(data.get("versions"), dict) else {}
    coordinates = {
        ("org.apache.kafka", "kafka-clients"): "kafka-clients",
        ("org.apache.kafka", "kafka-streams"): "kafka-streams",
        ("org.springframework.kafka", "spring-kafka"): "spring-kafka",
    }
    found: dict[str, tuple[str, str]] = {}
    for alias, library in (data.get("libraries", {}) or {}).items():
        if isinstance(library, str):
            group, _, rest = library.partition(":")
            artifact, _, version = rest.partition(":")
        elif isinstance(library, dict):
            module = library.get("module", "")
            group, _, artifact = module.partition(":") if module else (library.get("group", ""), "", library.get("name", ""))
            version = library.get("version", "")
            if isinstance(version, dict):
                version = versions.get(version.get("ref", ""), "") or version.get("strictly", "") or version.get("require", "")
            elif "version.ref" in library:
                version = versions.get(library["version.ref"], "")
        else:
            continue
        kind = coordinates.get((group, artifact))
        if kind and isinstance(version, str) and version[:1].isdigit():
            found.setdefault(kind, (version, str(alias)))
    for alias, plugin in (data.get("plugins", {}) or {}).items():
        if isinstance(plugin, dict) and plugin.get("id") == "org.springframework.boot":
            version = plugin.get("version", "")
            if isinstance(version, dict):
                version = versions.get(version.get("ref", ""), "")
            if isinstance(version, str) and version[:1].isdigit():
                found.setdefault("spring-boot", (version, str(alias)))
    _record_java(project, display, text, found)
