"""The rule catalogue: `rules/*.yaml` loaded into Rule objects.

The shipped catalogue is validated against `rules/schema.json` by the test suite (and so in
every build); user rule files are validated with jsonschema when they are loaded, since nobody
tested them. That keeps jsonschema out of the start-up of an ordinary run.
"""

from __future__ import annotations

import json
import marshal
import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from kafkalint.hashing import blake2b
from kafkalint.model import Severity

_PACKAGE = Path(__file__).parent


MAX_RULE_FILE_BYTES = 1024 * 1024

_CODE_PREFIX = re.compile(r"[A-Za-z]{1,5}[0-9]{0,4}")


class CatalogueError(Exception):
    """A rule file is unreadable or breaks the schema; the message names the file."""


def builtin_rules_dir() -> Path:
    installed = _PACKAGE / "rules"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "rules"


@dataclass(slots=True)
class Rule:
    """One rule of the catalogue, as its rule file describes it."""

    code: str
    name: str
    severity: Severity
    target: str
    summary: str
    message: str
    rationale: str
    fix: str
    path: Path
    roles: tuple[str, ...] = ()
    dialects: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    # Whether the rule judges clients configured, and code facts found, in test code too
    # (validity rules do: a typo is a bug there as well; rules about production behaviour,
    # and code rules about what a test does on purpose, do not).
    test_code: bool = False
    references: tuple[str, ...] = ()
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    check: str | None = None
    condition: dict[str, Any] | None = None
    report_at: str | None = None
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    builtin: bool = True
    template: str | None = None  # a parameterised check (kafkalint/checks/templates.py)
    # name -> description of every ${name} of the message a check supplies (None: not declared)
    variables: dict[str, str] | None = None
    # the canonical config keys the rule looks at (None: not declared)
    reads: tuple[str, ...] | None = None
    # Rules that own a root cause this rule would only restate: when one of them reports the
    # same cause (setting) on the same target, this rule's finding stands down.
    stands_down_for: tuple[str, ...] = ()
    # "safe" or "unsafe" when kafkalint can fix a finding of this rule (kafkalint/fixes/)
    fix_applicability: str | None = None

    def template_variables(self) -> set[str]:
        """The `${names}` the message template uses."""
        return set(_PLACEHOLDER.findall(self.message))

    def supplied_variables(self) -> set[str]:
        """The names a finding of this rule can fill: declared ones, the condition's keys
        (`KEY`, `KEY.source`) and the parameters."""
        names = set(self.variables or {}) | set(self.parameters)
        for key in condition_keys(self.condition):
            names |= {key, f"{key}.source"}
        return names

    def parameter_defaults(self) -> dict[str, Any]:
        return {name: spec["default"] for name, spec in self.parameters.items()}

    def matches(self, selector: str) -> bool:
        return selector_matches(selector, self.code, self.name)


def selector_matches(selector: str, code: str, name: str) -> bool:
    """A code, a code prefix (`KL1`, `KL`), a name, or ALL - wherever a rule is named
    (--select, --ignore, settings, per-file ignores, suppressions)."""
    selector = selector.strip()
    if selector == name or selector.upper() == "ALL":
        return True
    return bool(_CODE_PREFIX.fullmatch(selector)) and code.startswith(selector.upper())


def _rule_from_data(data: dict[str, Any], path: Path, builtin: bool) -> Rule:
    applies = data["applies_to"]
    return Rule(
        code=data["code"],
        name=data["name"],
        severity=Severity(data["severity"]),
        target=applies["target"],
        summary=data["summary"].strip(),
        message=data["message"].strip(),
        rationale=data["rationale"].strip(),
        fix=data["fix"].strip(),
        path=path,
        roles=tuple(applies.get("roles", ())),
        dialects=tuple(applies.get("dialects", ())),
        kinds=tuple(applies.get("kinds", ())),
        test_code=bool(applies.get("test_code", False)),
        references=tuple(data.get("references", ())),
        parameters=data.get("parameters", {}) or {},
        check=data.get("check"),
        condition=data.get("condition"),
        report_at=data.get("report_at"),
        examples=data.get("examples", {}),
        builtin=builtin,
        template=data.get("template"),
        variables=data.get("variables"),
        reads=tuple(data["reads"]) if "reads" in data else None,
        stands_down_for=tuple(data.get("stands_down_for", ())),
        fix_applicability=data.get("fix_applicability"),
    )


_PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")


def condition_keys(condition: dict[str, Any] | None) -> list[str]:
    """The config keys a declarative condition tests, in order."""
    if not condition:
        return []
    if "setting" in condition:
        return [condition["setting"]["key"]]
    parts = condition.get("all") or condition.get("any") or ([condition["not"]] if "not" in condition else [])
    keys: list[str] = []
    for part in parts:
        keys += [key for key in condition_keys(part) if key not in keys]
    return keys


def template_problem(rule: Rule) -> str | None:
    """Why the rule's message template cannot be filled, or None.

    A declarative rule's names come from its condition and parameters; a rule with a check
    declares `variables:`. Checked on every load (a regex, cheap) for each rule that can be
    held to it: declarative rules and rules that declare their variables.
    """
    if rule.variables is None and rule.condition is None:
        return None  # a check not yet moved to declared variables (tests list them)
    undeclared = sorted(rule.template_variables() - rule.supplied_variables())
    if undeclared:
        names = ", ".join("${" + name + "}" for name in undeclared)
        return f"{rule.path}: the message of {rule.code} uses {names}, which the rule does not declare under variables:"
    return None


def _read_rule_file(path: Path) -> dict[str, Any]:
    from kafkalint.safe_yaml import YamlError, load_plain  # only when the cache is stale, or for user rule files

    from kafkalint.safefile import read_regular_text

    try:
        text = read_regular_text(path, MAX_RULE_FILE_BYTES)  # a FIFO or /dev/zero named *.yaml: refused
        data = load_plain(text)
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError(f"{path}: cannot read rule file ({error})") from None
    except YamlError as error:
        raise CatalogueError(f"{path}: rule file is not valid YAML at line {error.line} ({error})") from None
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: a rule file must hold one mapping")
    return data


@lru_cache(maxsize=1)
def rule_schema() -> dict[str, Any]:
    schema_path = builtin_rules_dir() / "schema.json"
    with schema_path.open(encoding="utf-8") as handle:
        return json.load(handle)


def validate_rule_data(data: dict[str, Any], path: Path) -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(rule_schema())
    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(part) for part in first.absolute_path) or "(top level)"
        raise CatalogueError(f"{path}: rule file breaks the rule schema at {where}: {first.message}")


def rule_files(directory: Path) -> list[Path]:
    return [path for path, _stamp in _rule_file_stamps(directory)]


def _rule_file_stamps(directory: Path) -> list[tuple[Path, tuple[int, int]]]:
    """The directory's `*.yaml` regular files, sorted, each with (size, mtime_ns): one listing
    and one stat per file (a glob, then is_file, then the cache key's stat cost three)."""
    try:
        with os.scandir(directory) as listing:
            entries = [entry for entry in listing if entry.name.endswith(".yaml")]
    except OSError:
        return []
    found: list[tuple[Path, tuple[int, int]]] = []
    for entry in entries:
        try:
            status = entry.stat()  # follows a symbolic link, as is_file() did
        except OSError:
            continue
        if stat.S_ISREG(status.st_mode):
            found.append((directory / entry.name, (status.st_size, status.st_mtime_ns)))
    found.sort(key=lambda item: item[0])
    return found


@dataclass(slots=True)
class Catalogue:
    """The rules kafkalint knows (built in and from extra rule folders), by code."""

    rules: list[Rule]

    def __post_init__(self) -> None:
        self.rules.sort(key=lambda rule: rule.code)

    def find(self, selector: str) -> Rule | None:
        for rule in self.rules:
            if rule.code == selector.upper() or rule.name == selector:
                return rule
        return None

    def by_name(self, name: str) -> Rule:
        rule = self.find(name)
        if rule is None:
            raise KeyError(name)
        return rule

    def select(self, selectors: Iterable[str]) -> list[Rule]:
        selectors = list(selectors)
        return [rule for rule in self.rules if any(rule.matches(item) for item in selectors)]

    def unknown_selectors(self, selectors: Iterable[str]) -> list[str]:
        return [item for item in selectors if not any(rule.matches(item) for rule in self.rules)]


CACHE_FORMAT = 3
MAX_CACHE_BYTES = 16 * 1024 * 1024
CACHE_FILES_KEPT = 8  # a few installed versions side by side, not one file per edit for ever
_REQUIRED_TEXT = ("code", "name", "summary", "message", "rationale", "fix")


def _cache_file(paths: list[Path], stamps: list[tuple[int, int]] | None = None) -> Path | None:
    """Where the parsed built-in catalogue is cached, keyed by every rule file's size and mtime
    (`stamps`, when the listing already has them).

    Parsing ~100 YAML files costs ~35 ms on every run; reading the cache, ~2 ms.
    KAFKALINT_NO_CACHE=1 turns the cache off.
    """
    if os.environ.get("KAFKALINT_NO_CACHE"):
        return None
    from kafkalint import __version__

    digest = blake2b(__version__.encode(), digest_size=10)
    for index, path in enumerate(paths):
        if stamps is not None:
            size, mtime_ns = stamps[index]
        else:
            try:
                status = path.stat()
            except OSError:
                return None
            size, mtime_ns = status.st_size, status.st_mtime_ns
        digest.update(f"{path}\0{size}\0{mtime_ns}\n".encode())
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kafkalint" / f"catalogue-{digest.hexdigest()}.v{CACHE_FORMAT}"


def _rules_text(rules: Any) -> bytes:
    """The rules as stored: marshal, which the rule data (dicts, lists, strings, numbers) fits,
    reads in 40 % of the time JSON took (~1.8 of 4.2 ms for ~400 KB, 60 % of it examples) and
    gives back exactly what was stored. A file that fails the checksum is never unmarshalled."""
    return marshal.dumps(rules)


def _rules_from_text(text: bytes) -> Any:
    return marshal.loads(text)


def _payload_checksum(text: bytes) -> str:
    return blake2b(text, digest_size=32).hexdigest()


def _looks_like_rule_data(data: Any) -> bool:
    """The fields every Rule is built from have the types it needs (the cache only)."""
    if not isinstance(data, dict) or any(not isinstance(data.get(key), str) for key in _REQUIRED_TEXT):
        return False
    if data.get("severity") not in {severity.value for severity in Severity}:
        return False
    applies = data.get("applies_to")
    return isinstance(applies, dict) and isinstance(applies.get("target"), str)


def _read_cache(cache: Path, paths: list[Path]) -> list[dict[str, Any]] | None:
    """The cached rule data, or None on any doubt: missing, not a regular file of this user,
    not our format, written for other rule files, edited (checksum) or of the wrong shape.

    The file is a JSON header line (format, rule files, checksum) then the rules (_rules_text):
    the checksum is over the rules' bytes as stored, so checking it costs a hash, not a re-dump."""
    from kafkalint.safefile import read_regular_bytes

    try:
        status = os.lstat(cache)
        if hasattr(os, "getuid") and (status.st_uid != os.getuid() or status.st_mode & 0o022):
            return None  # someone else could have written it
        header_text, _, rules_text = read_regular_bytes(cache, MAX_CACHE_BYTES, follow_symlinks=False).partition(b"\n")
        header = json.loads(header_text)
        if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT:
            return None
        if header.get("files") != [str(path) for path in paths] or header.get("checksum") != _payload_checksum(rules_text):
            return None
        rules = _rules_from_text(rules_text)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(rules, list) or len(rules) != len(paths) or not all(_looks_like_rule_data(data) for data in rules):
        return None
    return rules


def _write_cache(cache: Path, paths: list[Path], rules: list[dict[str, Any]]) -> None:
    from kafkalint.safefile import write_atomically

    try:
        cache.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        rules_text = _rules_text(rules)
        header = {"format": CACHE_FORMAT, "files": [str(path) for path in paths], "checksum": _payload_checksum(rules_text)}
        # An exclusive temporary name (mkstemp) then a rename: nothing planted at a predictable
        # name can redirect the write, and a concurrent run reads the old file or the new one.
        write_atomically(cache, json.dumps(header).encode() + b"\n" + rules_text, mode=0o600)
    except (OSError, TypeError, ValueError):
        return  # a read-only home or an unserialisable value: parse again next time
    _prune_cache(cache)


def _prune_cache(current: Path) -> None:
    """Keep the newest few catalogue caches; each rule edit or upgrade would add one more."""
    try:
        entries = [(entry.stat().st_mtime_ns, entry) for entry in current.parent.glob("catalogue-*") if entry != current]
        entries.sort(reverse=True)
        for _, entry in entries[CACHE_FILES_KEPT - 1 :]:
            entry.unlink()
    except OSError:
        pass


def _builtin_rule_data() -> list[tuple[Path, dict[str, Any]]]:
    stamped = _rule_file_stamps(builtin_rules_dir())
    paths = [path for path, _stamp in stamped]
    cache = _cache_file(paths, [stamp for _path, stamp in stamped])
    if cache is not None:
        cached = _read_cache(cache, paths)
        if cached is not None:
            return list(zip(paths, cached))
    loaded = [(path, _read_rule_file(path)) for path in paths]
    if cache is not None:
        _write_cache(cache, paths, [data for _, data in loaded])
    return loaded


@lru_cache(maxsize=8)
def _load(extra_dirs: tuple[str, ...]) -> Catalogue:
    rules: list[Rule] = []
    for path, data in _builtin_rule_data():
        rules.append(_rule_from_data(data, path, builtin=True))
    for rule in rules:
        problem = template_problem(rule)
        if problem:
            raise CatalogueError(problem)
    seen = {rule.code: rule for rule in rules}
    names = {rule.name: rule for rule in rules}
    for directory in extra_dirs:
        folder = Path(directory)
        if not folder.is_dir():
            raise CatalogueError(f"{directory}: extra rule directory does not exist")
        for path in rule_files(folder):
            data = _read_rule_file(path)
            validate_rule_data(data, path)
            rule = _rule_from_data(data, path, builtin=False)
            if rule.condition is None:
                raise CatalogueError(f"{path}: a user rule is declarative: it needs a condition: (checks are kafkalint's own)")
            problem = template_problem(rule)
            if problem:
                raise CatalogueError(problem)
            if rule.code in seen or rule.name in names:
                raise CatalogueError(
                    f"{path}: rule {rule.code} {rule.name} clashes with an existing rule's code or name"
                )
            seen[rule.code] = rule
            names[rule.name] = rule
            rules.append(rule)
    return Catalogue(rules)


def load_catalogue(extra_dirs: Iterable[str] = ()) -> Catalogue:
    return _load(tuple(str(item) for item in extra_dirs))
