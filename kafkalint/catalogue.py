"""The rule catalogue: `rules/*.yaml` loaded into Rule objects.

The shipped catalogue is validated against `rules/schema.json` by the test suite (and so in
every build); user rule files are validated with jsonschema when they are loaded, since nobody
tested them. That keeps jsonschema out of the start-up of an ordinary run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from kafkalint.model import Severity

_PACKAGE = Path(__file__).parent


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
    import yaml  # only when the cached catalogue is stale, or for user rule files

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=loader)
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError(f"{path}: cannot read rule file ({error})") from None
    except yaml.YAMLError as error:
        raise CatalogueError(f"{path}: rule file is not valid YAML ({error})") from None
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
    return sorted(path for path in directory.glob("*.yaml") if path.is_file())


@dataclass(slots=True)
class Catalogue:
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


def _cache_file(paths: list[Path]) -> Path | None:
    """Where the parsed built-in catalogue is cached, keyed by every rule file's size and mtime.

    Parsing ~70 YAML files costs ~35 ms on every run; reading one JSON file costs ~3 ms.
    KAFKALINT_NO_CACHE=1 turns the cache off.
    """
    if os.environ.get("KAFKALINT_NO_CACHE"):
        return None
    from kafkalint import __version__

    digest = hashlib.sha1(__version__.encode())
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            return None
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kafkalint" / f"catalogue-{digest.hexdigest()[:20]}.json"


def _builtin_rule_data() -> list[tuple[Path, dict[str, Any]]]:
    paths = rule_files(builtin_rules_dir())
    cache = _cache_file(paths)
    if cache is not None:
        try:
            cached = json.loads(cache.read_text(encoding="utf-8"))
            if len(cached) == len(paths):
                return [(path, data) for path, data in zip(paths, cached)]
        except (OSError, ValueError):
            pass
    loaded = [(path, _read_rule_file(path)) for path in paths]
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            temporary = cache.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps([data for _, data in loaded]), encoding="utf-8")
            os.replace(temporary, cache)
        except (OSError, TypeError, ValueError):
            pass  # a read-only home or an unserialisable value: parse again next time
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
