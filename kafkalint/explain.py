"""`kafkalint explain FILE|DIR`: the effective configuration of each client, cluster and topic a
file (or every file of a folder) configures.

For every client key: the value in force, where it comes from (explicit at a line, an alias, the
default of the assumed client version and why that version), and which rules read it. Build
files beside or above the file (pom.xml, requirements.txt, ...) are read for the version, as
`check` would. Clusters and topics (Strimzi, compose, server.properties) are explained by
kafkalint/explain_clusters.py. The whole project around the file is read as `check` reads it, so
a KafkaTopic finds its Kafka in another file and the findings are those `check` reports on the
file. Secret values are never printed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable, Optional

from kafkalint.explained_key import ExplainedKey, key_lines, shown_value
from kafkalint.model import UNKNOWN, ClientConfig, Finding, Setting

# Rules that judge every key (unknown, invalid, other role, deprecated, removed): listing them
# beside each key says nothing; their findings are shown instead.
_EVERY_KEY_RULES = {"KL003", "KL004", "KL005", "KL006", "KL007"}


def rules_reading(names: list[str], rules: list[Any], config: ClientConfig) -> list[str]:
    """Client rules for this role and dialect whose declared `reads:` list names the key (or
    one of its aliases)."""
    wanted = {name for name in names if name}
    found = []
    for rule in rules:
        if rule.code in _EVERY_KEY_RULES or rule.target != "client":
            continue
        if rule.roles and config.role.value not in rule.roles:
            continue
        if rule.dialects and config.dialect.value not in rule.dialects:
            continue
        if wanted.intersection(getattr(rule, "reads", ()) or ()):
            found.append(rule.code)
    return found


def _names_of(cat: Any, key: str) -> list[str]:
    """The key and every name a rule may read it under: aliases, the Python keyword form."""
    info = cat.info(key)
    names = [key]
    if info is not None:
        names.extend(info.entry.get("aliases", []))
        if info.entry.get("kwarg"):
            names.append(info.entry["kwarg"])
    return names


def _explicit_source(setting: Setting, config: ClientConfig, cat: Any, version: Any) -> str:
    from kafkalint.checks.validity import is_pass_through

    line = setting.key_location.line
    if cat.info(setting.key) is None and not cat.is_known(setting.key):
        if is_pass_through(config, setting.key):
            source = f"explicit at line {line}; passed through to serializers, interceptors or the framework"
        else:
            source = f"explicit at line {line}; not a key {version.describe()} knows"
    elif setting.written_key and setting.written_key != setting.key:
        source = f"explicit at line {line}, written as {setting.written_key} (alias of {setting.key})"
    else:
        source = f"explicit at line {line}"
    if setting.value is UNKNOWN:
        source += "; value not knowable statically"
    return source


def _findings_on(setting: Setting, findings: list[Finding], anchor: Any) -> list[str]:
    places = {(at.path, at.line, at.column) for at in (setting.key_location, setting.location)}
    return [
        f"{finding.code} {finding.name}"
        for finding in findings
        if finding.location != anchor
        and (finding.location.path, finding.location.line, finding.location.column) in places
    ]


def _default_keys(config: ClientConfig, rules: list[Any], cat: Any, version: Any, show_all: bool) -> list[ExplainedKey]:
    """Keys the client does not set, with their default: those a rule reads (all with --all)."""
    from kafkalint.knowledge import effective

    role = config.role.value
    keys: list[ExplainedKey] = []
    for name in cat.names():
        if name in config.settings:
            continue
        info = cat.info(name)
        if info is None or not info.exists_in(version.version):
            continue
        if info.scopes and role in ("producer", "consumer", "admin") and role not in info.scopes:
            continue
        readers = rules_reading(_names_of(cat, name), rules, config)
        if not readers and not show_all:
            continue
        eff = effective(config, name)
        if eff.value is UNKNOWN:
            source = "not set here, but the whole configuration is not knowable statically"
        else:
            source = eff.describe_source()  # the default, or what another setting implies
        keys.append(ExplainedKey(name, shown_value(eff.value, info.secret), source, False, None, "", readers, []))
    return keys


def explain_client(config: ClientConfig, rules: list[Any], findings: list[Finding], show_all: bool) -> dict[str, Any]:
    from kafkalint.knowledge import assumed_version, catalogue
    from kafkalint.redaction import is_secret_key

    cat = catalogue(config.dialect)
    version = assumed_version(config)
    keys = [
        ExplainedKey(
            setting.key, shown_value(setting.value, setting.secret or is_secret_key(setting.written_key or setting.key)),
            _explicit_source(setting, config, cat, version), True,
            setting.key_location.line, setting.written_key, rules_reading(_names_of(cat, setting.key), rules, config),
            _findings_on(setting, findings, config.anchor),
        )
        for setting in config.settings.values()
    ]
    keys.extend(_default_keys(config, rules, cat, version, show_all))
    at_client = [f"{finding.code} {finding.name}" for finding in findings if finding.location == config.anchor]
    return {
        "name": config.name,
        "findings": at_client,
        "role": config.role.value,
        "dialect": config.dialect.value,
        "origin": config.origin,
        "anchor": config.anchor.to_dict(),
        "version": {"client": version.dialect.value, "version": version.version, "reason": version.reason},
        "keys": [item.to_dict() for item in keys],
    }


def version_files_above(path: Path, ignored: Callable[[Path, bool], bool] | None = None) -> list[Path]:
    """Build files in the file's directory and its parents up to the repository (or cwd) root,
    except those the run ignores (.gitignore, excludes) as `check` would."""
    from kafkalint.discovery import classify
    from kafkalint.formats import format_named

    found: list[Path] = []
    cwd = Path.cwd().resolve()
    directory = path.resolve().parent
    while True:
        try:
            entries = sorted(directory.iterdir())
        except OSError:
            entries = []
        for entry in entries:
            kind = classify(entry.name)
            file_format = format_named(kind) if kind is not None else None
            if file_format is None or not file_format.states_versions or not entry.is_file():
                continue
            if ignored is not None and ignored(entry, False):
                continue
            found.append(entry)
        if (directory / ".git").exists() or directory == cwd or directory.parent == directory:
            break
        directory = directory.parent
    return found


def explain(path: Path, settings: Any, show_all: bool) -> dict[str, Any]:
    """The explanation of one file, read through the same pipeline, settings and rules as `check`."""
    from kafkalint.discovery import display_path
    from kafkalint.engine import run
    from kafkalint.gitignore import discovery_ignore_filter

    ignored = discovery_ignore_filter(settings, [path.resolve().parent])
    # The project around the path is the context, as for `check`: a topic's cluster, a client's
    # cross-file findings. Only the path's own files are explained.
    result = run([path, *version_files_above(path, ignored)], settings, options={"project_context": True})
    if path.is_dir():
        # A folder: every file in it that configures something, each as `explain FILE` shows it.
        in_scope = {item.display for item in result.files}
        from kafkalint.sources.strimzi import strimzi_resources

        holders = (*result.project.clients, *result.project.brokers, *result.project.topics,
                   *strimzi_resources(result.project, "KafkaNodePool"))
        anchors = [holder.anchor.path for holder in holders]
        files = sorted({anchor for anchor in anchors if anchor in in_scope})
        return {"directory": display_path(path), "files": [_file_report(result, name, show_all) for name in files]}
    return _file_report(result, display_path(path), show_all)


def _file_report(result: Any, display: str, show_all: bool) -> dict[str, Any]:
    from kafkalint.explain_clusters import (
        explain_cluster,
        explain_node_pool,
        explain_topic,
        node_pools_apart,
    )
    from kafkalint.redaction import redacted_document, secret_texts

    project = result.project
    clients = [client for client in project.clients if client.anchor.path == display]
    findings = [finding for finding in result.findings if finding.location.path == display]
    report = {
        "file": display,
        "clients": [explain_client(client, result.rules, findings, show_all) for client in clients],
        "clusters": [
            explain_cluster(broker, project, result.rules, findings, show_all)
            for broker in project.brokers if broker.anchor.path == display
        ],
        "topics": [
            explain_topic(topic, project, result.rules, findings, show_all)
            for topic in project.topics if topic.anchor.path == display
        ],
        "node_pools": [explain_node_pool(pool, project, findings) for pool in node_pools_apart(project, display)],
    }
    return redacted_document(report, secret_texts(project))  # the one redaction policy


NOTHING_FOUND = "no Kafka client, cluster or topic configuration found"


def render_text(report: dict[str, Any]) -> str:
    from kafkalint.explain_clusters import (
        render_cluster,
        render_node_pool,
        render_topic,
    )

    if "directory" in report:
        if not report["files"]:
            return f"{report['directory']}: {NOTHING_FOUND}\n"
        return "\n".join(render_text(item) for item in report["files"])
    if not (report["clients"] or report["clusters"] or report["topics"] or report["node_pools"]):
        return f"{report['file']}: {NOTHING_FOUND}\n"
    # Clusters, topics and clients in the order the file declares them.
    blocks: list[tuple[int, int, list[str]]] = []
    for cluster in report["clusters"]:
        blocks.append((cluster["anchor"]["line"], cluster["anchor"]["column"], render_cluster(report["file"], cluster)))
    for topic in report["topics"]:
        blocks.append((topic["anchor"]["line"], topic["anchor"]["column"], render_topic(report["file"], topic)))
    for pool in report["node_pools"]:
        blocks.append((pool["anchor"]["line"], pool["anchor"]["column"], render_node_pool(report["file"], pool)))
    for client in report["clients"]:
        blocks.append((client["anchor"]["line"], client["anchor"]["column"], _client_lines(report["file"], client)))
    blocks.sort(key=lambda block: (block[0], block[1]))
    return "\n".join(line for _, _, lines in blocks for line in lines)


def _client_lines(path: str, client: dict[str, Any]) -> list[str]:
    name = f" {client['name']}" if client["name"] else ""
    version = client["version"]
    lines = [
        f"{path}:{client['anchor']['line']}: {client['dialect']} {client['role']}{name}",
        f"  assuming {version['client']} {version['version']} ({version['reason']})",
    ]
    if client["findings"]:
        lines.append(f"  findings about the whole client: {', '.join(client['findings'])}")
    lines.extend(key_lines(client["keys"]))
    lines.append("")
    return lines


def register(app: Any, fail: Callable[[str], None]) -> None:
    import click

    @app.command("explain")
    @click.argument("path", type=click.Path(path_type=Path))
    @click.option("--format", "-f", "output_format", default="text", help="text or json.")
    @click.option("--target", multiple=True, help="Client version to assume, e.g. java=3.6.")
    @click.option("--all", "show_all", is_flag=True, help="Also list known keys no rule reads, with their defaults.")
    @click.option("--config", type=click.Path(path_type=Path), help="kafkalint settings file (default: the nearest one to PATH).")
    def explain_command(path: Path, output_format: str, target: tuple[str, ...], show_all: bool, config: Optional[Path]) -> None:
        """Show the effective configuration of each client, cluster and topic in PATH (a file or a
        folder): value, origin, rules reading it, findings."""
        from kafkalint.catalogue import CatalogueError
        from kafkalint.settings import SettingsError, parse_targets, resolve_settings

        if output_format not in ("text", "json"):
            fail(f"--format {output_format}: explain writes text or json")
        if not path.exists():
            fail(f"{path}: no such file or directory")
        from kafkalint.report.escaping import json_safe, terminal_safe

        try:
            items = [item.strip() for value in target or [] for item in value.split(",") if item.strip()]
            start = path if path.is_dir() else path.parent  # the settings nearest to it, as check uses
            settings = resolve_settings(config=config, targets=parse_targets(items), start=start)
            report = explain(path, settings, show_all)
        except (SettingsError, CatalogueError) as error:
            fail(str(error))
            return
        if output_format == "json":
            sys.stdout.write(json.dumps(json_safe(report), indent=2) + "\n")
        else:
            sys.stdout.write(render_text(terminal_safe(report)))
