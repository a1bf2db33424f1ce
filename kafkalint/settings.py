"""kafkalint's own settings: what to select, ignore, how strict to be, which versions to assume.

Settings come from `[tool.kafkalint]` in pyproject.toml, `.kafkalint.toml` or `.kafkalint.yaml`:
the nearest one to each linted file, found upward from its folder (kafkalint.scopes), or the one
named by --config. It is checked against `settings.schema.json` with jsonschema; the command
line wins over the file. Option names are
kebab-case, like ruff's. jsonschema is imported only when there is a file to check, so a run
without settings starts light.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kafkalint.safefile import read_regular_text
from kafkalint.catalogue import selector_matches
from kafkalint.model import Severity
from kafkalint.spelling import closest

SCHEMA_PATH = Path(__file__).parent / "settings.schema.json"

# Looked for in each folder from the linted file's upward; in one folder, the first of these
# that applies wins (the documented precedence).
# pyproject.toml only applies when it has a [tool.kafkalint] table.
SETTINGS_FILE_NAMES = (".kafkalint.toml", ".kafkalint.yaml", ".kafkalint.yml", "pyproject.toml")

MAX_SETTINGS_BYTES = 1_000_000  # a settings file is a few hundred bytes; anything this large is not one


class SettingsError(Exception):
    """The user's kafkalint configuration is wrong; the message says where and what to do."""


@dataclass(slots=True)
class Settings:
    """The settings a run applies: rule selection, severities, excludes, targets and more."""

    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    targets: dict[str, str] = field(default_factory=dict)
    extra_rule_dirs: list[str] = field(default_factory=list)
    fail_on: Severity = Severity.WARNING
    respect_gitignore: bool = True
    source: str | None = None
    # The directory of the settings file: exclude and per-file-ignores globs are also matched
    # relative to it, so a setting means the same whatever directory kafkalint runs from.
    root: str | None = None
    # Absolute folders under the linted paths that have a settings file of their own: they are
    # linted with those settings, in a run of their own (kafkalint.scopes).
    skip_folders: frozenset[str] = frozenset()


def resolve_settings(
    config: Any = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    extend_select: list[str] | None = None,
    extend_exclude: list[str] | None = None,
    fail_on: str | None = None,
    targets: dict[str, str] | None = None,
    extra_rule_dirs: list[str] | None = None,
    start: Path | None = None,
) -> Settings:
    """Settings from the settings file (explicit, or the nearest one upward from `start`,
    default the current directory), overridden by the command line."""
    settings = load_settings_file(config, start=start)
    if select is not None:
        settings.select = select
    settings.ignore = [*settings.ignore, *(ignore or [])]
    settings.extend_select = [*settings.extend_select, *(extend_select or [])]
    settings.exclude = [*settings.exclude, *(extend_exclude or [])]
    if fail_on is not None:
        settings.fail_on = Severity(fail_on)
    settings.targets = {**settings.targets, **(targets or {})}
    settings.extra_rule_dirs = [*settings.extra_rule_dirs, *(extra_rule_dirs or [])]
    return settings


def parse_targets(items: list[str]) -> dict[str, str]:
    """`--target` values (`java=3.6`, `confluent-kafka=2.3`) as dialect -> version."""
    from kafkalint.model import Dialect

    targets: dict[str, str] = {}
    names = {dialect.value for dialect in Dialect} | {"kafka_python", "confluent-kafka", "confluent_kafka", "kafka-clients"}
    aliases = {"kafka_python": "kafka-python", "confluent-kafka": "librdkafka", "confluent_kafka": "librdkafka", "kafka-clients": "java"}
    for item in items:
        if "=" not in item:
            raise SettingsError(f"--target {item!r}: expected CLIENT=VERSION, e.g. --target java=3.6")
        client, version = (part.strip() for part in item.split("=", 1))
        if client not in names:
            raise SettingsError(f"--target {item!r}: unknown client {client!r}; choose from java, librdkafka, kafka-python, aiokafka")
        if not version or not version[0].isdigit():
            raise SettingsError(f"--target {item!r}: {version!r} is not a version number")
        client = aliases.get(client, client)
        reason = unknown_target_reason(client, version)
        if reason is not None:
            raise SettingsError(f"--target {item!r}: {reason}")
        targets[client] = version
    return targets


def unknown_target_reason(dialect_name: str, version: str) -> str | None:
    """Why kafkalint cannot assume `version` of this client (None when it can): its facts start
    at the first version it lists and end with the newest release line it knows."""
    from kafkalint.knowledge import catalogue, version_line, version_tuple
    from kafkalint.model import Dialect

    known = [str(item) for item in catalogue(Dialect(dialect_name)).data.get("versions", [])]
    if not known:
        return None  # a client without version data: any version reads the same facts
    wanted = version_tuple(version)
    if version_tuple(known[0]) <= wanted and version_tuple(version_line(version)) <= version_tuple(version_line(known[-1])):
        return None
    return (f"kafkalint knows {dialect_name} {known[0]} to {known[-1]} "
            f"(known versions: {', '.join(known)}, and the patch releases of each line)")


# --- finding and reading the file -----------------------------------------------------------


def find_settings_file(start: Path | None = None) -> tuple[Path, str] | None:
    """The nearest settings file from `start` (default: the current directory) upward, with the
    table it lives in (`tool.kafkalint` for pyproject.toml, empty for kafkalint's own files)."""
    directory = (start or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        found = settings_file_in(folder)
        if found is not None:
            return found
    return None


def settings_file_in(folder: Path) -> tuple[Path, str] | None:
    """The settings file of this folder itself, if any. When several are there, the first of
    SETTINGS_FILE_NAMES wins: .kafkalint.toml, then .kafkalint.yaml / .yml, then pyproject.toml
    (only with a [tool.kafkalint] table); the others are not read."""
    for name in SETTINGS_FILE_NAMES:
        candidate = folder / name
        if not candidate.is_file():
            continue
        if name != "pyproject.toml":
            return candidate, ""
        if _pyproject_has_section(candidate):
            return candidate, "tool.kafkalint"
    return None


def describe_settings(settings: Settings, path: Path) -> str:
    """What `--show-settings FILE` prints: where the settings for FILE come from and every value
    in effect (kebab-case, as written in a settings file)."""
    source = "none found; defaults" if settings.source is None else _describe(
        Path(settings.source), "tool.kafkalint" if Path(settings.source).name == "pyproject.toml" else "")
    values: dict[str, Any] = {
        "select": settings.select if settings.select is not None else ["ALL"],
        "extend-select": settings.extend_select,
        "ignore": settings.ignore,
        "severity": {rule: level.value for rule, level in settings.severity.items()},
        "per-file-ignores": settings.per_file_ignores,
        "exclude": settings.exclude,
        "respect-gitignore": settings.respect_gitignore,
        "parameters": settings.parameters,
        "targets": settings.targets,
        "rules-dir": settings.extra_rule_dirs,
        "fail-on": settings.fail_on.value,
    }
    lines = [f"Settings for {path}", f"settings file: {source}"]
    lines += [f"{name} = {json.dumps(value)}" for name, value in values.items()]
    return "\n".join(lines) + "\n"


def _pyproject_has_section(path: Path) -> bool:
    # A cheap text test first: most pyproject.toml files never mention kafkalint.
    try:
        text = read_regular_text(path, MAX_SETTINGS_BYTES)
    except (OSError, UnicodeDecodeError):
        return False
    if "kafkalint" not in text:
        return False
    try:
        data = _parse_toml(text, path)
    except SettingsError:
        return "[tool.kafkalint" in text  # let loading report the syntax error
    return isinstance(data.get("tool"), dict) and "kafkalint" in data["tool"]


def _parse_toml(text: str, path: Path) -> dict[str, Any]:
    """Parsed TOML; a syntax error is a SettingsError naming the file as the user sees it."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{_describe(path, '')}: not valid TOML ({error}); fix the syntax") from None
    except ValueError:  # an integer over Python's 4,300-digit conversion limit
        raise SettingsError(f"{_describe(path, '')}: a number of more than 4300 digits; no option takes one") from None
    except RecursionError:
        raise SettingsError(f"{_describe(path, '')}: nested too deep to read; fix the file") from None


def _read_settings_data(path: Path, table: str) -> dict[str, Any]:
    try:
        # A FIFO, /dev/zero or a huge file named like a settings file is refused, never waited on.
        text = read_regular_text(path, MAX_SETTINGS_BYTES)
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"{_describe(path, '')}: cannot read settings file ({error})") from None
    if path.suffix in (".yaml", ".yml"):
        from kafkalint.safe_yaml import YamlError, load_plain

        try:
            data = load_plain(text)
        except YamlError as error:
            reason = str(error).removeprefix("invalid YAML: ")
            raise SettingsError(f"{_describe(path, '')}: not valid YAML at line {error.line} ({reason}); fix the file") from None
        if data is None:
            data = {}
    else:
        data = _parse_toml(text, path)
        for part in table.split(".") if table else []:
            data = data.get(part, {}) if isinstance(data, dict) else {}
    if not isinstance(data, dict):
        raise SettingsError(f"{_describe(path, table)}: kafkalint settings must be a mapping of option names to values")
    return data


def load_settings_file(config: Any = None, start: Path | None = None) -> Settings:
    """The settings file named by --config, else the nearest one upward from `start`; without
    one, defaults."""
    if config is not None:
        path = Path(config)
        if not path.is_file():
            raise SettingsError(f"{config}: settings file not found")
        table = ""
        if path.name == "pyproject.toml":
            table = "tool.kafkalint"
        found: tuple[Path, str] | None = (path, table)
    else:
        found = find_settings_file(start)
    if found is None:
        return Settings()
    path, table = found
    data = _read_settings_data(path, table)
    where = _describe(path, table)
    validate_settings_data(data, where)
    settings = settings_from_data(data, path)
    for dialect_name, version in settings.targets.items():
        reason = unknown_target_reason(dialect_name, version)
        if reason is not None:
            raise SettingsError(f"{where}: option 'targets.{dialect_name}' cannot be {version!r}: {reason}")
    for written, directory in zip(data.get("rules-dir", []), settings.extra_rule_dirs):
        if not Path(directory).is_dir():
            raise SettingsError(f"{where}: option 'rules-dir': directory '{written}' does not exist (paths are relative to the settings file)")
    check_rule_references(settings, where)
    return settings


def _describe(path: Path, table: str) -> str:
    shown = str(path)
    try:
        relative = path.resolve().relative_to(Path.cwd().resolve())
        shown = str(relative)
    except ValueError:
        pass
    return f"{shown} [{table}]" if table else shown


# --- checking ---------------------------------------------------------------------------------


def settings_schema() -> dict[str, Any]:
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        return json.load(handle)


def _closest(name: str, choices: list[str]) -> str:
    close = closest(name, choices, cutoff=0.5)
    if close:
        return f"; did you mean '{close}'?"
    return f"; valid names: {', '.join(sorted(choices))}"


_TYPE_WORDS = {
    "array": "a list",
    "object": "a table (mapping)",
    "string": "a string",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
}


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _option_path(parts: list[Any]) -> str:
    return _visible(".".join(str(part) for part in parts))


def _visible(text: str) -> str:
    """A name as the user wrote it, with control characters escaped: an error is one line."""
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


def validate_settings_data(data: dict[str, Any], where: str) -> None:
    """Raise SettingsError with one sentence for the first problem: the file, the option and
    (for a misspelling) the closest valid name."""
    import jsonschema

    schema = settings_schema()
    validator = jsonschema.Draft202012Validator(schema)
    errors = list(validator.iter_errors(data))
    if not errors:
        return
    error = min(errors, key=lambda item: (len(item.absolute_path), list(map(str, item.absolute_path))))
    raise SettingsError(f"{where}: {_explain(error)}")


def _explain(error: Any) -> str:
    path = list(error.absolute_path)
    option = _option_path(path)
    subschema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties":
        allowed = sorted(subschema.get("properties", {}))
        # YAML keys may be numbers or booleans: sorted and matched as text
        name = sorted((key for key in error.instance if key not in allowed), key=str)[0]
        return f"unknown option '{_option_path([*path, name])}'{_closest(str(name), allowed)}"
    if error.validator == "enum" and "propertyNames" in error.schema_path:
        names = [str(item) for item in error.validator_value]
        return f"option '{option}' has no entry '{_visible(str(error.instance))}'{_closest(str(error.instance), names)}"
    if error.validator == "type":
        wanted = error.validator_value
        wanted_text = " or ".join(_TYPE_WORDS.get(item, item) for item in ([wanted] if isinstance(wanted, str) else wanted))
        hint = f' (write it quoted: "{error.instance}")' if wanted == "string" and isinstance(error.instance, (int, float)) else ""
        return f"option '{option}' must be {wanted_text}, not {_type_name(error.instance)}{hint}"
    if error.validator == "enum":
        choices = [str(item) for item in error.validator_value]
        close = closest(str(error.instance), choices, cutoff=0.5)
        advice = f"did you mean '{close}'?" if close else f"choose one of {', '.join(choices)}"
        return f"option '{option}' cannot be {error.instance!r}; {advice}"
    if error.validator == "pattern":
        return f"option '{option}' cannot be {error.instance!r}: expected a version number such as \"3.6\""
    return f"option '{option or '(top level)'}' is invalid: {error.message}"


_PARAMETER_TYPE_WORDS = {
    "integer": "a whole number",
    "number": "a finite number",
    "string": "a string",
    "boolean": "true or false",
    "array": "a list",
}


def _declared_type(declaration: dict[str, Any]) -> str | None:
    """A rule parameter's type: declared, else that of its default."""
    declared = declaration.get("type")
    if declared:
        return str(declared)
    default = declaration.get("default")
    if isinstance(default, bool):
        return "boolean"
    if isinstance(default, int):
        return "integer"
    if isinstance(default, float):
        return "number"
    if isinstance(default, str):
        return "string"
    if isinstance(default, list):
        return "array"
    return None


def parameter_type_problem(declaration: dict[str, Any], value: Any) -> str | None:
    """Why `value` cannot be this rule parameter (the end of a sentence), or None."""
    import math

    wanted = _declared_type(declaration if isinstance(declaration, dict) else {})
    if wanted is None:
        return None
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    fits = {
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": is_number and not (isinstance(value, float) and not math.isfinite(value)),
        "string": isinstance(value, str),
        "boolean": isinstance(value, bool),
        "array": isinstance(value, list),
    }.get(wanted, True)
    if fits:
        return None
    hint = ""
    if wanted in ("integer", "number") and isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        hint = f" (write it without quotes: {value.strip()})"
    shown = "NaN" if isinstance(value, float) and math.isnan(value) else _type_name(value)
    return f"must be {_PARAMETER_TYPE_WORDS.get(wanted, wanted)}, not {shown}{hint}"


def settings_from_data(data: dict[str, Any], path: Path) -> Settings:
    root = path.resolve().parent
    settings = Settings(source=str(path), root=str(root))
    if "select" in data:
        settings.select = list(data["select"])
    settings.ignore = list(data.get("ignore", []))
    settings.extend_select = list(data.get("extend-select", []))
    settings.severity = {rule: Severity(level) for rule, level in data.get("severity", {}).items()}
    settings.per_file_ignores = {glob: list(rules) for glob, rules in data.get("per-file-ignores", {}).items()}
    settings.exclude = list(data.get("exclude", []))
    settings.parameters = {rule: dict(values) for rule, values in data.get("parameters", {}).items()}
    settings.targets = {dialect: str(version) for dialect, version in data.get("targets", {}).items()}
    settings.extra_rule_dirs = [str((root / directory)) for directory in data.get("rules-dir", [])]
    if "fail-on" in data:
        settings.fail_on = Severity(data["fail-on"])
    settings.respect_gitignore = bool(data.get("respect-gitignore", True))
    return settings


# --- rule names in the settings ---------------------------------------------------------------


def parameter_setting_name(parameter: str) -> str:
    """A rule parameter as written in a settings file: kebab-case, like every other option."""
    return parameter.strip().lower().replace("_", "-")


def check_rule_references(settings: Settings, where: str | None = None) -> None:
    """Every rule a setting names must exist: one sentence with the closest name otherwise."""
    if not (settings.select or settings.ignore or settings.extend_select or settings.severity
            or settings.parameters or settings.per_file_ignores):
        return
    from kafkalint.catalogue import CatalogueError, load_catalogue
    from kafkalint.spelling import closest_rule

    where = where or settings.source or "settings"
    try:
        catalogue = load_catalogue(settings.extra_rule_dirs)
    except CatalogueError as error:
        raise SettingsError(f"{where}: option 'rules-dir': {error}") from None

    def unknown(option: str, name: str) -> SettingsError:
        close = closest_rule(catalogue, name)
        hint = f"; did you mean '{close}'?" if close else "; see `kafkalint rules`"
        return SettingsError(f"{where}: option '{option}' names no rule '{name}'{hint}")

    for option, selectors in (("select", settings.select or []), ("ignore", settings.ignore),
                              ("extend-select", settings.extend_select)):
        for selector in selectors:
            if not any(selector_matches(selector, rule.code, rule.name) for rule in catalogue.rules):
                raise unknown(option, selector)
    for option in ("severity", "parameters"):
        for name in getattr(settings, option):
            if catalogue.find(name) is None:
                raise unknown(f"{option}.{name}", name)
    for name, values in settings.parameters.items():
        rule = catalogue.by_name(name)
        # Written in kebab-case like every other option (`per-record-floor-ms`); the rule file's
        # own spelling is accepted too, and the value is stored under that spelling.
        spelled = {parameter_setting_name(parameter): parameter for parameter in rule.parameters}
        renamed: dict[str, Any] = {}
        for parameter, value in values.items():
            actual = spelled.get(parameter_setting_name(parameter))
            if actual is None:
                known = sorted(spelled)
                close = closest(parameter_setting_name(parameter), known, cutoff=0.5)
                hint = f"; did you mean '{close}'?" if close else (
                    f"; it has {', '.join(known)}" if known else "; it takes no parameters"
                )
                raise SettingsError(f"{where}: option 'parameters.{name}' has no parameter '{parameter}'{hint}")
            problem = parameter_type_problem(rule.parameters[actual], value)
            if problem is not None:
                raise SettingsError(f"{where}: option 'parameters.{name}.{parameter}' {problem}")
            renamed[actual] = value
        values.clear()
        values.update(renamed)
    for pattern, selectors in settings.per_file_ignores.items():
        for selector in selectors:
            if not any(selector_matches(selector, rule.code, rule.name) for rule in catalogue.rules):
                raise unknown(f"per-file-ignores.{pattern}", selector)
