"""MirrorMaker 2 dedicated-mode configurations (connect-mirror-maker.properties) into a
MirrorMakerConfig, recognised by content: a `clusters` list whose aliases have their own
`<alias>.bootstrap.servers` or `<alias>-><alias>.enabled` keys.

Such a file is not a client configuration (its keys carry cluster and flow prefixes), so it is
claimed before the client reader can judge it. The source resolves it as MirrorMakerConfig
(apache/kafka connect/mirror) does, so rules read plain facts: which flows run, the connector
settings of each flow (top-level keys, overridden by `<source>-><target>.` keys) and the worker
settings of each target cluster (its `<alias>.` keys, the shared top-level storage and converter
keys replacing them). knowledge/data/mirror_maker.json cites the sources.
"""

from __future__ import annotations

from kafkalint.knowledge.mirror_maker import mirror_maker_facts
from kafkalint.model import UNKNOWN, Location, MirrorFlow, MirrorMakerConfig, Project, Setting
from kafkalint.sources.clientfile import RawEntry
from kafkalint.sources.connect import settings_from_entries

# More aliases than any real deployment has; beyond it the file is not read as MirrorMaker's
# (flows grow with the square of the aliases).
MAX_CLUSTERS = 64


def cluster_aliases(entries: list[RawEntry]) -> tuple[str, ...]:
    """The aliases `clusters` lists, when the file is a MirrorMaker 2 configuration: each named
    alias is confirmed by a key of its own (`A.bootstrap.servers`, `A->B.enabled`)."""
    recognition = mirror_maker_facts()["recognition"]
    listed = [entry for entry in entries if entry.key == recognition["clusters_key"]]
    if not listed or not isinstance(listed[-1].raw, str):
        return ()
    aliases = tuple(dict.fromkeys(alias.strip() for alias in listed[-1].raw.split(",") if alias.strip()))
    if not aliases or len(aliases) > MAX_CLUSTERS:
        return ()
    keys = {entry.key for entry in entries}
    own = {f"{alias}.{key}" for alias in aliases for key in recognition["cluster_keys"]}
    flows = {f"{source}->{target}.{key}" for source in aliases for target in aliases if source != target for key in recognition["flow_keys"]}
    return aliases if keys & (own | flows) else ()


def _flag(setting: Setting | None, default: bool) -> bool:
    """A boolean as MirrorMaker reads it (Boolean.parseBoolean: only `true` is true)."""
    if setting is None or setting.value is UNKNOWN:
        return default
    return str(setting.raw).strip().lower() == "true"


def _flows(settings: dict[str, Setting], aliases: tuple[str, ...]) -> list[MirrorFlow]:
    facts = mirror_maker_facts()["flows"]
    heartbeats_key = facts["heartbeats_key"]
    shared_heartbeats = _flag(settings.get(heartbeats_key), facts["heartbeats_default"])
    flows = []
    for source in aliases:
        for target in aliases:
            if source == target:
                continue
            prefix = f"{source}->{target}."
            enabled = _flag(settings.get(prefix + "enabled"), facts["enabled_default"])
            heartbeats = _flag(settings.get(prefix + heartbeats_key), shared_heartbeats)
            if enabled or heartbeats:
                flows.append(MirrorFlow(source, target, enabled, heartbeats))
    return flows


def _prefixed(settings: dict[str, Setting], prefix: str) -> dict[str, Setting]:
    return {key[len(prefix):]: setting for key, setting in settings.items() if key.startswith(prefix) and len(key) > len(prefix)}


def _by_flow(settings: dict[str, Setting], aliases: tuple[str, ...]) -> dict[tuple[str, str], dict[str, Setting]]:
    """`source->target.key` entries grouped by flow, in one pass over the file."""
    known = set(aliases)
    grouped: dict[tuple[str, str], dict[str, Setting]] = {}
    for key, setting in settings.items():
        source, arrow, rest = key.partition("->")
        if not arrow or source not in known:
            continue
        for target in aliases:
            if target != source and rest.startswith(target + ".") and len(rest) > len(target) + 1:
                grouped.setdefault((source, target), {})[rest[len(target) + 1:]] = setting
    return grouped


def _top_level(settings: dict[str, Setting], aliases: tuple[str, ...]) -> dict[str, Setting]:
    """Keys written without a cluster or flow prefix."""
    prefixes = tuple(f"{alias}." for alias in aliases) + tuple(f"{alias}->" for alias in aliases)
    return {key: setting for key, setting in settings.items() if not key.startswith(prefixes)}


def _worker_settings(settings: dict[str, Setting], top_level: dict[str, Setting], target: str) -> dict[str, Setting]:
    """MirrorMakerConfig.workerConfig: the target's own keys, the shared client connection keys
    where it has none, then the shared storage and converter keys over both."""
    facts = mirror_maker_facts()
    worker = _prefixed(settings, f"{target}.")
    inherited = facts["cluster_inherited"]
    for key, setting in top_level.items():
        if key in inherited["keys"] or key.startswith(tuple(inherited["prefixes"])):
            worker.setdefault(key, setting)
    shared = tuple(facts["worker_shared_prefixes"]["prefixes"])
    worker.update({key: setting for key, setting in top_level.items() if key.startswith(shared)})
    return worker


def mirror_maker_from_entries(entries: list[RawEntry], aliases: tuple[str, ...], display: str, project: Project) -> MirrorMakerConfig:
    settings = settings_from_entries(entries, project)  # as a Connect worker file: same keys, same typing
    name = display.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    first = entries[0].key_location
    config = MirrorMakerConfig(name=name, anchor=Location(display, first.line, first.column, first.end_line, first.end_column),
                               clusters=aliases, settings=settings)
    config.flows = _flows(settings, aliases)
    top_level = _top_level(settings, aliases)
    config.shared_settings = top_level
    running = {(flow.source, flow.target) for flow in config.flows}
    config.flow_settings = {pair: own for pair, own in _by_flow(settings, aliases).items() if pair in running}
    for target in dict.fromkeys(flow.target for flow in config.flows):
        config.worker_settings[target] = _worker_settings(settings, top_level, target)
    return config


def read_mirror_maker_properties(entries: list[RawEntry], text: str, display: str, project: Project) -> bool:
    """Claim a .properties file that is a MirrorMaker 2 configuration."""
    aliases = cluster_aliases(entries)
    if not aliases:
        return False
    project.mirror_makers.append(mirror_maker_from_entries(entries, aliases, display, project))
    return True
