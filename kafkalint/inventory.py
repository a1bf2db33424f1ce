"""`kafkalint inventory`: every client, topic, cluster and connector of a tree, as tables or JSON.

The inventory is the Project model read back: where each client is configured, which topics it
is known to use, how it partitions and serialises keys, its group and transactional ids, and
where each topic is declared and used. Secret values never appear.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

from kafkalint.model import UNKNOWN, BrokerConfig, ClientConfig, Location, Project, Setting

INVENTORY_VERSION = 1

JSON_SHAPE_HELP = """\
JSON shape (--format json), version 1:
{"version": 1,
 "clients": [{"id", "role", "dialect", "name", "origin", "profile", "location",
              "topics": [{"name", "location"}], "topics_known",
              "partitioner": {"hash", "partitioner", "explicit"} | null,
              "key_serializer", "group_id", "transactional_id", "isolation_level", "acks"}],
 "topics": [{"name", "declared": [{"location", "origin", "cluster", "partitions", "replicas",
                                   "min_insync_replicas"}],
             "used_by": [{"client", "role", "location"}]}],
 "clusters": [{"name", "origin", "location", "broker_count", "settings": {key: value}}],
 "connectors": [{"name", "class", "origin", "location", "topics": [{"name", "location"}]}]}
A location is {"path", "line", "column"}. key_serializer, isolation_level and acks are
{"value", "source"}: the explicit value and "set at <path>:<line>", or the default and where
it comes from. group_id and transactional_id are the values as written; a value that cannot be
known statically is shown as written (e.g. "${GROUP_ID}"); secrets are "****".
used_by.client is the index of the client in "clients", or "connector <name>"; a topic's
min_insync_replicas is {"value", "source"}, or null when its cluster is not in the tree.
"""

INVENTORY_FORMATS = ("text", "json", "mermaid", "dot", "asyncapi")

_CLUSTER_KEYS = ("auto.create.topics.enable", "min.insync.replicas", "default.replication.factor",
                 "offsets.topic.replication.factor", "unclean.leader.election.enable")


def collect(paths: list[Path], settings: Any) -> Project:
    """Read the tree into a Project exactly as `check` does (same discovery, .gitignore,
    excludes, sources and version detection), without running rules."""
    from kafkalint.engine import load_project

    _, project = load_project(paths, settings)
    return project


def _location(location: Location | None) -> dict[str, Any] | None:
    if location is None:
        return None
    return {"path": location.path, "line": location.line, "column": location.column}


def _written(setting: Setting | None) -> Any:
    if setting is None:
        return None
    from kafkalint.redaction import MASK, is_secret_key, mask_urls

    if setting.secret or is_secret_key(setting.written_key or setting.key):
        return MASK
    if setting.value is UNKNOWN:
        return mask_urls(setting.raw)
    value = setting.value
    if isinstance(value, str):
        return mask_urls(value)
    return value if isinstance(value, (int, float, bool, list)) or value is None else mask_urls(str(value))


def _effective(client: ClientConfig, key: str) -> dict[str, Any] | None:
    """{"value", "source"}: the explicit value and where it is set, or the default and its origin."""
    from kafkalint.checks.crossfile import safe_effective

    eff = safe_effective(client, key)
    if eff is None or not eff.known_key:
        return None
    if eff.setting is not None:
        where = eff.setting.key_location
        source = eff.setting.implied or f"set at {where.path}:{where.line}"
        return {"value": _written(eff.setting), "source": source}
    if eff.value is None:
        return None
    if eff.value is UNKNOWN:
        return {"value": None, "source": "not knowable statically"}
    value = eff.value if isinstance(eff.value, (str, int, float, bool, list)) else str(eff.value)
    return {"value": value, "source": eff.describe_source()}


def client_entry(index: int, client: ClientConfig) -> dict[str, Any]:
    from kafkalint.knowledge.partitioners import key_hashing

    hashing = key_hashing(client) if client.role.value == "producer" else None
    entry: dict[str, Any] = {
        "id": index,
        "role": client.role.value,
        "dialect": client.dialect.value,
        "name": client.name,
        "origin": client.origin,
        "profile": client.profile,
        "location": _location(client.anchor),
        "topics": [{"name": name, "location": _location(where)} for name, where in client.topics],
        "topics_known": bool(client.topics),
        "partitioner": None if hashing is None else {
            "hash": hashing.hash, "partitioner": hashing.partitioner, "explicit": hashing.setting is not None,
        },
        "key_serializer": _effective(client, "key.serializer") if client.role.value == "producer" else None,
        "group_id": _written(client.settings.get("group.id")),
        "transactional_id": _written(client.settings.get("transactional.id")),
        "isolation_level": _effective(client, "isolation.level") if client.role.value == "consumer" else None,
        "acks": _effective(client, "acks") if client.role.value == "producer" else None,
    }
    return entry


def _cluster_entry(broker: BrokerConfig) -> dict[str, Any]:
    return {
        "name": broker.name,
        "origin": broker.origin,
        "location": _location(broker.anchor),
        "broker_count": broker.broker_count,
        "settings": {key: _written(broker.settings[key]) for key in _CLUSTER_KEYS if key in broker.settings},
    }


def inventory(project: Project) -> dict[str, Any]:
    from kafkalint.checks.crossfile import connector_topics, effective_min_isr

    clients = sorted(project.clients, key=lambda client: (client.anchor.path, client.anchor.line, client.anchor.column))
    client_entries = [client_entry(index, client) for index, client in enumerate(clients)]
    topics: dict[str, dict[str, Any]] = {}
    for spec in sorted(project.topics, key=lambda topic: (topic.anchor.path, topic.anchor.line)):
        min_isr = effective_min_isr(spec)
        topics.setdefault(spec.name, {"name": spec.name, "declared": [], "used_by": []})["declared"].append({
            "location": _location(spec.anchor),
            "origin": spec.origin,
            "cluster": spec.cluster,
            "partitions": spec.partitions,
            "replicas": spec.replicas,
            "min_insync_replicas": None if min_isr is None else {"value": min_isr[0], "source": min_isr[2]},
        })
    for index, client in enumerate(clients):
        for name, where in client.topics:
            topics.setdefault(name, {"name": name, "declared": [], "used_by": []})["used_by"].append(
                {"client": index, "role": client.role.value, "location": _location(where)}
            )
    connectors = []
    for connector in sorted(project.connectors, key=lambda item: (item.anchor.path, item.anchor.line)):
        used = connector_topics(connector)
        connectors.append({
            "name": connector.name,
            "class": connector.connector_class,
            "origin": connector.origin,
            "location": _location(connector.anchor),
            "topics": [{"name": name, "location": _location(where)} for name, where in used],
        })
        for name, where in used:
            topics.setdefault(name, {"name": name, "declared": [], "used_by": []})["used_by"].append(
                {"client": f"connector {connector.name}", "role": "connector", "location": _location(where)}
            )
    return {
        "version": INVENTORY_VERSION,
        "clients": client_entries,
        "topics": [topics[name] for name in sorted(topics)],
        "clusters": [_cluster_entry(broker) for broker in sorted(project.brokers, key=lambda b: (b.anchor.path, b.anchor.line))],
        "connectors": connectors,
    }


def topology(project: Project, findings: list[Any]) -> Any:
    """The topology graph (kafkalint.topology.graph) of a project and its run's findings."""
    from kafkalint.redaction import redacted_document, secret_texts
    from kafkalint.topology.graph import build, client_locations, topic_locations

    data = redacted_document(inventory(project), secret_texts(project))  # the one redaction policy
    return build(data, findings, client_locations(project), topic_locations(project))


def render_topology(paths: list[Path], settings: Any, output_format: str) -> str:
    """The tree read and checked as `check` does (same settings, suppressions, baseline), so the
    findings drawn on the picture are the run's, then drawn as Mermaid or DOT."""
    from kafkalint.engine import run
    from kafkalint.topology import dot, mermaid

    result = run(paths, settings)
    return (mermaid if output_format == "mermaid" else dot).render(topology(result.project, result.findings))


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        inner = value.get("value")
        if inner is None:
            return "?"  # not knowable statically: neither a value nor known to be the default
        shown = _shown(inner)
        return shown if str(value.get("source", "")).startswith("set at") else f"{shown} (default)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)


def _where(location: dict[str, Any] | None) -> str:
    return "" if location is None else f"{location['path']}:{location['line']}"


class _RecordedTable:
    """A rich Table that remembers its headers and rows, so a table too wide for the terminal
    can be printed as one record per row instead of with columns cut off."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from rich.table import Table

        self.table = Table(*args, **kwargs)
        self.title = kwargs.get("title", "")
        self.headers: list[str] = []
        self.rows: list[tuple[str, ...]] = []

    def add_column(self, header: str, **kwargs: Any) -> None:
        self.headers.append(header)
        self.table.add_column(header, **kwargs)

    def add_row(self, *cells: str) -> None:
        self.rows.append(cells)
        self.table.add_row(*cells)


def _print_fitting(console: Any, recorded: _RecordedTable) -> None:
    """The table when every column fits the console at its narrowest (each cell's longest word);
    otherwise each row as a block of `header: value` lines."""
    from rich.measure import Measurement

    # Measured against an unbounded width: rich clamps a measurement to the width it is given.
    unbounded = console.options.update_width(1 << 20)
    if Measurement.get(console, unbounded, recorded.table).minimum <= console.width:
        console.print(recorded.table)
        return
    import textwrap

    lines = [recorded.title]
    for cells in recorded.rows:
        fields = [(header, cell) for header, cell in zip(recorded.headers, cells) if cell]
        for number, (header, cell) in enumerate(fields):
            lines += textwrap.wrap(f"{'-' if number == 0 else ' '} {header}: {cell}", console.width,
                                   subsequent_indent="    ", break_on_hyphens=False)
    console.print("\n".join(lines) + "\n", soft_wrap=True, markup=False, highlight=False)


def render_tables(data: dict[str, Any]) -> str:
    from io import StringIO

    import shutil

    from rich.console import Console

    buffer = StringIO()
    # As wide as the terminal (COLUMNS, else the terminal itself; 250 on a pipe); a table that
    # cannot fit is printed as records, never with columns cut off (_print_fitting).
    width = shutil.get_terminal_size((250, 24)).columns
    console = Console(file=buffer, width=width, force_terminal=False, color_system=None)
    Table = _RecordedTable
    clients = Table(title="Clients", show_lines=False, header_style="bold")
    widest = max((len(_where(client["location"])) for client in data["clients"]), default=5)
    for column in ("#", "role", "dialect", "name", "where", "topics", "partitioner", "key serializer", "group.id", "transactional.id", "isolation"):
        clients.add_column(column, min_width=widest if column == "where" else None)
    for client in data["clients"]:
        partitioner = client["partitioner"]
        key_serializer = _shown(client["key_serializer"]).rsplit(".", 1)[-1]
        clients.add_row(
            str(client["id"]), client["role"], client["dialect"], client["name"] or client["origin"],
            _where(client["location"]),
            ", ".join(topic["name"] for topic in client["topics"]) or ("?" if client["role"] in ("producer", "consumer") else ""),
            "" if partitioner is None else f"{partitioner['hash']} ({partitioner['partitioner']})",
            key_serializer, _shown(client["group_id"]), _shown(client["transactional_id"]), _shown(client["isolation_level"]),
        )
    topics = Table(title="Topics", header_style="bold")
    for column in ("topic", "declared at", "partitions", "replicas", "min.insync.replicas", "used by"):
        topics.add_column(column)
    for topic in data["topics"]:
        used = "; ".join(f"#{use['client']} {use['role']} {_where(use['location'])}" if isinstance(use["client"], int)
                         else f"{use['client']} {_where(use['location'])}" for use in topic["used_by"])
        # A topic declared in several files (one per environment, say) gets a row per
        # declaration: their replicas may differ, and that is what the reader looks for.
        for number, declared in enumerate(topic["declared"] or [None]):
            topics.add_row(
                topic["name"],
                _where(declared["location"]) if declared else "(not declared)",
                _shown(declared["partitions"]) if declared else "",
                _shown(declared["replicas"]) if declared else "",
                _shown(declared["min_insync_replicas"]["value"]) if declared and declared["min_insync_replicas"] else "",
                used if number == 0 else "",
            )
    clusters = Table(title="Clusters", header_style="bold")
    for column in ("name", "origin", "where", "brokers", "settings"):
        clusters.add_column(column)
    for cluster in data["clusters"]:
        clusters.add_row(
            cluster["name"], cluster["origin"], _where(cluster["location"]), _shown(cluster["broker_count"]),
            ", ".join(f"{key}={_shown(value)}" for key, value in cluster["settings"].items()),
        )
    for table, rows in ((clients, data["clients"]), (topics, data["topics"]), (clusters, data["clusters"])):
        if rows:
            _print_fitting(console, table)
    if data["connectors"]:
        connectors = Table(title="Connectors", header_style="bold")
        for column in ("name", "class", "where", "topics"):
            connectors.add_column(column)
        for connector in data["connectors"]:
            connectors.add_row(connector["name"], connector["class"] or "", _where(connector["location"]),
                               ", ".join(topic["name"] for topic in connector["topics"]))
        _print_fitting(console, connectors)
    if not any(data[key] for key in ("clients", "topics", "clusters", "connectors")):
        console.print("No Kafka clients, topics, clusters or connectors found.")
    return buffer.getvalue()


def register(app: Any, fail: Any) -> None:
    import click

    # \b keeps click from re-flowing the JSON shape into one paragraph.
    @app.command("inventory", help="List every Kafka client, topic, cluster and connector in the tree.\n\n\b\n" + JSON_SHAPE_HELP)
    @click.argument("paths", nargs=-1)
    @click.option("--format", "-f", "output_format", default="text", help="text (tables), json, mermaid or dot (the topology picture), or asyncapi (an AsyncAPI 3.0 document).")
    @click.option("--config", type=click.Path(path_type=Path), help="kafkalint settings file.")
    def inventory_command(paths: tuple[str, ...], output_format: str, config: Optional[Path]) -> None:
        from kafkalint.settings import SettingsError, resolve_settings

        if output_format not in INVENTORY_FORMATS:
            fail(f"--format {output_format}: choose {', '.join(INVENTORY_FORMATS)}")
        try:
            settings = resolve_settings(config=config)
        except SettingsError as error:
            fail(str(error))
        resolved = []
        for raw in paths or ["."]:
            path = Path(raw)
            if not path.exists():
                fail(f"{raw}: no such file or directory")
            resolved.append(path)
        import sys

        if output_format in ("mermaid", "dot"):
            sys.stdout.write(render_topology(resolved, settings, output_format))
            return
        from kafkalint.redaction import redacted_document, secret_texts

        project = collect(resolved, settings)
        secrets = secret_texts(project)
        data = redacted_document(inventory(project), secrets)  # the one redaction policy

        from kafkalint.report.escaping import json_safe, terminal_safe

        if output_format == "asyncapi":
            from kafkalint.topology import asyncapi

            # The document also reads settings (bootstrap servers, ids): redacted as a whole.
            sys.stdout.write(asyncapi.render(json_safe(redacted_document(asyncapi.document(project, data), secrets))))
        elif output_format == "json":
            sys.stdout.write(json.dumps(json_safe(data), indent=2, sort_keys=False, default=str) + "\n")
        else:
            sys.stdout.write(render_tables(terminal_safe(data)))
