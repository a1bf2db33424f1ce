"""The command line: parses options, calls the engine, hands the result to a report.

Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 usage error,
bad kafkalint configuration or internal error.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Any, List, Optional

class RulesFormat(str, Enum):
    text = "text"
    json = "json"


class Level(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


def main() -> None:
    # `--version` is asked for by scripts and hooks constantly: answer before importing click.
    if sys.argv[1:] == ["--version"]:
        from kafkalint import __version__

        print(f"kafkalint {__version__}")
        raise SystemExit(EXIT_CLEAN)
    import gc

    from kafkalint import dataclass_cache

    # Before the commands' modules define their dataclasses: their generated methods are
    # compiled once, not at every start (kafkalint/dataclass_cache.py).
    dataclass_cache.install()
    # The collector's defaults suit long-lived programs: a run allocates a few hundred
    # thousand objects, nearly all alive until the end, and the default first-generation
    # threshold (700) had it traverse them again and again (0.5% of a run's instructions).
    gc.set_threshold(10_000, 10, 10)
    app = build_app()
    try:
        app(prog_name="kafkalint", standalone_mode=True)
    except KeyboardInterrupt:
        print("kafkalint: interrupted", file=sys.stderr)
        raise SystemExit(EXIT_ERROR) from None
    except SystemExit:
        # Everything made so far is freed at exit by reference counting as usual; frozen, it is
        # left out of the collections the interpreter runs as it shuts down, which traversed
        # every object of the run once more (1.5% of a run on a 2,000-file tree).
        gc.freeze()
        raise
    except Exception as error:  # a bug in kafkalint: say so in one line, details on request
        if os.environ.get("KAFKALINT_DEBUG"):
            raise
        print(
            f"kafkalint: internal error: {type(error).__name__}: {error} "
            "(this is a bug in kafkalint; set KAFKALINT_DEBUG=1 for the traceback and report it)",
            file=sys.stderr,
        )
        raise SystemExit(EXIT_ERROR) from None


def fail(message: str) -> None:
    import click

    from kafkalint.report.escaping import visible

    # Messages quote settings files, paths and values: no escape sequence reaches the terminal.
    print(f"kafkalint: {visible(message)}", file=sys.stderr)
    raise click.exceptions.Exit(EXIT_ERROR)


def use_color(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "").lower() not in ("", "0", "false", "no"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def emit(text: str, color: bool, output: Optional[Path] = None) -> None:
    if output is not None:
        from kafkalint.safefile import write_atomically

        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(output, text, to_streams=True)  # a reader never sees a half-written report
        except OSError as error:
            fail(f"cannot write the report to {output}: {error.strerror or error}")
        return
    if color:
        from rich.console import Console

        Console(highlight=False, soft_wrap=True, force_terminal=True).print(text, end="")
    else:
        sys.stdout.write(text)


def read_stdin() -> str:
    """Stdin as text whatever its bytes: bytes that are not UTF-8 are kept as surrogates (as
    file names are), so they are shown as `\\xNN` escapes instead of failing the run."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        return sys.stdin.read()
    return stream.read().decode("utf-8-sig", errors="surrogateescape")


def split_list(values: Optional[List[str]]) -> list[str]:
    items: list[str] = []
    for value in values or []:
        items.extend(part.strip() for part in value.split(",") if part.strip())
    return items


def parse_targets(values: Optional[List[str]]) -> dict[str, str]:
    from kafkalint.settings import SettingsError
    from kafkalint.settings import parse_targets as parse_target_items

    try:
        return parse_target_items(split_list(values))
    except SettingsError as error:
        fail(str(error))
        raise  # fail() exits; this keeps the type checker honest


def parse_format_specs(values: Optional[List[str]], output: Optional[Path]) -> list[tuple[str, Optional[Path]]]:
    """`--format NAME[:PATH]`, repeatable: each report goes to its file, at most one to stdout
    (or to --output)."""
    from kafkalint.report import FORMATS

    specs: list[tuple[str, Optional[Path]]] = []
    for value in values or ["text"]:
        name, _, destination = value.partition(":")
        name = name.strip()
        if name not in FORMATS:
            fail(f"--format {value!r}: unknown format {name!r}; choose from {', '.join(FORMATS)} (optionally FORMAT:PATH)")
        specs.append((name, Path(destination) if destination else None))
    unnamed = [name for name, destination in specs if destination is None]
    if len(unnamed) > 1:
        fail(f"--format: {' and '.join(unnamed)} would both write to standard output; give all but one a file, e.g. --format sarif:kafkalint.sarif")
    if output is not None:
        if not unnamed:
            fail("--output names a file for a --format without one, but every --format has its own FORMAT:PATH")
        specs = [(name, destination if destination is not None else output) for name, destination in specs]
    return specs


def merge_results(results: list[Any]) -> Any:
    """One result from the runs of several settings groups: findings in the usual order."""
    if len(results) == 1:
        return results[0]
    from kafkalint.engine import RunResult
    from kafkalint.model import Finding, Project

    project = Project()
    for result in results:
        for name in Project.LISTS:
            getattr(project, name).extend(getattr(result.project, name))
    rules = list({rule.code: rule for result in results for rule in result.rules}.values())
    merged = RunResult(
        sorted((finding for result in results for finding in result.findings), key=Finding.sort_key),
        project,
        [item for result in results for item in result.files],
        rules,
        suppressed=sum(result.suppressed for result in results),
        extra=dict(results[0].extra),
    )
    merged.extra["baseline_known"] = sum(result.extra.get("baseline_known", 0) for result in results)
    merged.extra["fingerprints"] = {key: value for result in results for key, value in result.extra.get("fingerprints", {}).items()}
    merged.extra["partial"] = any(result.extra.get("partial") for result in results)
    return merged


def build_app():
    import click

    from kafkalint import __version__

    class LazyGroup(click.Group):
        """Commands of EXTRA_COMMANDS are registered when first asked for (invoked, or listed by
        --help): `check` does not import explain's and inventory's modules."""

        def list_commands(self, ctx: click.Context) -> list[str]:
            return sorted({*super().list_commands(ctx), *EXTRA_COMMANDS})

        def get_command(self, ctx: click.Context, cmd_name: str) -> Optional[click.Command]:
            module_name = EXTRA_COMMANDS.get(cmd_name)
            if module_name is not None and cmd_name not in self.commands:
                import importlib

                importlib.import_module(module_name).register(self, fail)
            return super().get_command(ctx, cmd_name)

    @click.group(
        cls=LazyGroup,
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
        no_args_is_help=True,
        help="Find the Kafka configuration mistakes that lose data, reorder records and stall consumer groups.",
    )
    @click.version_option(__version__, "--version", prog_name="kafkalint", message="%(prog)s %(version)s",
                          help="Print the version and exit.")
    def app() -> None:
        """kafkalint: a linter for Kafka clients, frameworks and clusters."""

    path_type = click.Path(path_type=Path)

    @app.command()
    @click.argument("paths", nargs=-1)
    @click.option("--format", "-f", "output_formats", multiple=True, help="Output format: text (default), json, sarif, github, junit, gitlab, markdown; FORMAT:PATH writes to a file; repeatable.")
    @click.option("--select", multiple=True, help="Only these rules (codes, names or code prefixes; comma-separated).")
    @click.option("--ignore", multiple=True, help="Skip these rules (codes, names or code prefixes).")
    @click.option("--extend-select", multiple=True, help="Add rules to the selection.")
    @click.option("--extend-exclude", multiple=True, help="Also skip files and folders matching these globs (a bare name matches any path segment: tests, build); comma-separated, adds to the exclude setting.")
    @click.option("--fail-on", type=click.Choice([level.value for level in Level]), help="Lowest severity that makes the exit code 1 (default: warning).")
    @click.option("--config", type=path_type, help="kafkalint settings file (default: the nearest one to each linted file).")
    @click.option("--target", multiple=True, help="Client version to assume, e.g. java=3.6, librdkafka=2.3.")
    @click.option("--rules-dir", multiple=True, type=path_type, help="Extra directory of rule files (house policies).")
    @click.option("--output", "-o", type=path_type, help="Write the report to this file instead of stdout.")
    @click.option("--statistics", is_flag=True, help="Count findings per rule.")
    @click.option("--quiet", "-q", is_flag=True, help="Only findings and the summary, no source lines.")
    @click.option("--stdin-filename", help="Name of the file whose content is read from stdin (with path -).")
    @click.option("--baseline", type=path_type, help="Report only findings not recorded in this baseline file.")
    @click.option("--write-baseline", type=path_type, help="Record today's findings in this baseline file and exit 0.")
    @click.option("--diff-base", help="Report only on files changed since this branch left REF (git merge base of REF and HEAD, like REF...HEAD).")
    @click.option("--changed-lines-only", is_flag=True, help="With --diff-base: report only findings on changed lines.")
    @click.option("--no-cache", is_flag=True, help="Read and parse every file, neither using nor writing the parse cache.")
    @click.option("--no-progress", is_flag=True, help="Never show a progress bar.")
    @click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (still 2 on errors).")
    @click.option("--allow-empty", is_flag=True, help="Exit 0, not 2, when the paths hold no file kafkalint reads.")
    @click.option("--show-settings", type=path_type, help="Print the settings that apply to this file, and which settings file they come from; lint nothing.")
    @click.option("--show-files", is_flag=True, help="Print the files that would be linted; lint nothing.")
    @click.option("--fix", "apply_fixes", is_flag=True, help="Apply the safe fixes, then report what remains.")
    @click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff: the unsafe fixes too (they may change behaviour).")
    @click.option("--diff", "show_diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
    def check(
        paths: tuple[str, ...],
        output_formats: tuple[str, ...],
        select: tuple[str, ...],
        ignore: tuple[str, ...],
        extend_select: tuple[str, ...],
        extend_exclude: tuple[str, ...],
        fail_on: Optional[str],
        config: Optional[Path],
        target: tuple[str, ...],
        rules_dir: tuple[Path, ...],
        output: Optional[Path],
        statistics: bool,
        quiet: bool,
        stdin_filename: Optional[str],
        baseline: Optional[Path],
        write_baseline: Optional[Path],
        diff_base: Optional[str],
        changed_lines_only: bool,
        no_cache: bool,
        no_progress: bool,
        exit_zero: bool,
        allow_empty: bool,
        show_settings: Optional[Path],
        show_files: bool,
        apply_fixes: bool,
        unsafe_fixes: bool,
        show_diff: bool,
    ) -> None:
        """Lint Kafka configuration files and code."""
        from kafkalint.catalogue import CatalogueError
        from kafkalint.engine import fails, run
        from kafkalint.report import renderer
        from kafkalint.report.summary import scanned_paths
        from kafkalint.settings import SettingsError, resolve_settings

        def settings_for(start: Optional[Path]):
            try:
                return resolve_settings(
                    config=config,
                    select=split_list(list(select)) if select else None,
                    ignore=split_list(list(ignore)),
                    extend_select=split_list(list(extend_select)),
                    extend_exclude=split_list(list(extend_exclude)),
                    fail_on=fail_on,
                    targets=parse_targets(list(target)),
                    extra_rule_dirs=[str(item) for item in rules_dir or []],
                    start=start,
                )
            except SettingsError as error:
                fail(str(error))

        if show_settings is not None:
            from kafkalint.settings import describe_settings

            if not show_settings.exists():
                fail(f"{show_settings}: no such file or directory")
            start = show_settings if show_settings.is_dir() else show_settings.parent
            sys.stdout.write(describe_settings(settings_for(start), show_settings))
            raise click.exceptions.Exit(EXIT_CLEAN)
        specs = parse_format_specs(list(output_formats), output)
        raw_paths = list(paths or [])
        stdin = None
        if "-" in raw_paths:
            if not stdin_filename:
                fail("reading from stdin (-) needs --stdin-filename to know what kind of file it is")
            raw_paths.remove("-")
            stdin = (stdin_filename.replace(os.sep, "/"), read_stdin())
        elif stdin_filename:
            fail("--stdin-filename is only used with - as the path")
        if not raw_paths and stdin is None:
            raw_paths = ["."]
        resolved: list[Path] = []
        for raw in raw_paths:
            path = Path(raw)
            if not path.exists():
                fail(f"{raw}: no such file or directory")
            resolved.append(path)
        changed_lines = None
        if changed_lines_only and not diff_base:
            fail("--changed-lines-only needs --diff-base REF to know which lines changed")
        if diff_base:
            from kafkalint.gitdiff import changed_files

            try:
                changed = changed_files(diff_base, resolved)
            except ValueError as error:
                fail(str(error))
            resolved = changed.paths
            if changed_lines_only:
                changed_lines = changed.lines
        # Each path is linted with the settings file nearest to it, as ruff does; stdin content
        # with the one nearest to the name it stands for.
        if config is not None:
            from kafkalint.scopes import Scope

            scopes = [Scope(None, resolved, stdin is not None, settings_for(None))]
        else:
            from kafkalint.scopes import plan_scopes

            try:
                scopes = plan_scopes(resolved, stdin[0] if stdin else None, settings_for)
            except SettingsError as error:
                fail(str(error))
        if show_files:
            from kafkalint.discovery import discover
            from kafkalint.gitignore import discovery_ignore_filter

            shown = sorted(
                item.display
                for scope in scopes
                for item in discover(
                    scope.paths, scope.settings.exclude, ignore_filter=discovery_ignore_filter(scope.settings, scope.paths),
                    listings=scope.listings,
                )
            )
            sys.stdout.write("".join(f"{display}\n" for display in shown))
            raise click.exceptions.Exit(EXIT_CLEAN)
        if (apply_fixes or show_diff) and (stdin is not None or write_baseline is not None):
            fail("--fix and --diff edit files on disk: not with stdin (-) or --write-baseline")
        if unsafe_fixes and not (apply_fixes or show_diff):
            fail("--unsafe-fixes goes with --fix (apply them) or --diff (show them)")
        if apply_fixes and show_diff:
            fail("--fix writes the fixes, --diff only shows them: choose one")
        # With several scopes the baseline is written once, over the findings of all of them.
        write_each = write_baseline if len(scopes) == 1 else None

        def lint() -> tuple[Any, bool]:
            results = []
            failing = False
            for scope in scopes:
                try:
                    result = run(
                        scope.paths,
                        scope.settings,
                        stdin=stdin if scope.stdin else None,
                        options={"baseline": baseline if write_baseline is None else None, "write_baseline": write_each,
                                 "progress": not no_progress and not (apply_fixes or show_diff),
                                 # The whole project around the scope's paths is read (its root is
                                 # this scope's settings folder, see kafkalint/scope.py); findings
                                 # are reported on the named (changed) files only.
                                 "project_context": bool(scope.paths) or scope.stdin,
                                 "changed_lines": changed_lines,
                                 "cache": not no_cache and os.environ.get("KAFKALINT_NO_CACHE") != "1",
                                 "listings": scope.listings},
                    )
                except (SettingsError, CatalogueError) as error:
                    fail(str(error))
                results.append(result)
                failing = failing or fails(result.findings, scope.settings.fail_on)
            return merge_results(results), failing

        result, failing = lint()
        if show_diff:
            from kafkalint.fixes.applying import planned_changes, unified_diff

            changes = planned_changes(result, unsafe_fixes)
            sys.stdout.write(unified_diff(changes))
            count = sum(change.fixed for change in changes)
            print(f"kafkalint: would fix {count} finding{'s' if count != 1 else ''} in {len(changes)} "
                  f"file{'s' if len(changes) != 1 else ''}", file=sys.stderr)
            raise click.exceptions.Exit(EXIT_FINDINGS if changes and not exit_zero else EXIT_CLEAN)
        if apply_fixes:
            from kafkalint.fixes.applying import fix_in_place

            latest = [failing]

            def relint() -> Any:
                relinted, latest[0] = lint()
                return relinted

            try:
                result, fixed = fix_in_place(result, relint, unsafe_fixes)
            except OSError as error:
                fail(f"cannot write the fixes to {getattr(error, 'filename', None) or 'a file'}: {error.strerror or error}")
            failing = latest[0]
            remaining = len(result.findings)
            print(f"kafkalint: fixed {fixed} finding{'s' if fixed != 1 else ''}, {remaining} remaining", file=sys.stderr)
        if write_baseline is not None:
            if write_each is None:
                from kafkalint.baseline import write_baseline as record_baseline

                try:
                    result.extra["baseline_written"] = record_baseline(write_baseline, result.findings)
                except SettingsError as error:
                    fail(str(error))
            count = result.extra.get("baseline_written", len(result.findings))
            print(f"kafkalint: wrote {count} finding{'s' if count != 1 else ''} to baseline {write_baseline}", file=sys.stderr)
            raise click.exceptions.Exit(EXIT_CLEAN)
        if not scanned_paths(result) and not (allow_empty or diff_base):
            fail(f"no file that kafkalint reads in {', '.join(raw_paths)}: check the path (or exclude "
                 "settings); pass --allow-empty if an empty run is expected")
        for name, destination in specs:
            # Reports that mark what fails (JUnit) use the lowest fail-on of the scopes.
            color = name == "text" and destination is None and use_color(sys.stdout)
            text = renderer(name)(
                result,
                {"color": color, "quiet": quiet, "statistics": statistics, "group": True, "rules": result.rules,
                 "fail_on": min((scope.settings.fail_on for scope in scopes), key=lambda level: level.rank).value},
            )
            emit(text, color, destination)
        raise click.exceptions.Exit(EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN)

    @app.command("rules")
    @click.option("--format", "-f", "output_format", type=click.Choice([item.value for item in RulesFormat]), default="text", help="text or json.")
    @click.option("--rules-dir", multiple=True, type=path_type, help="Extra directory of rule files.")
    def list_rules(output_format: str, rules_dir: tuple[Path, ...]) -> None:
        """List the rule catalogue: code, name, severity, summary."""
        from kafkalint.catalogue import CatalogueError, load_catalogue

        try:
            catalogue = load_catalogue([str(item) for item in rules_dir or []])
        except CatalogueError as error:
            fail(str(error))
        if output_format == RulesFormat.json.value:
            import json

            rows = [
                {"code": rule.code, "name": rule.name, "severity": rule.severity.value, "summary": rule.summary}
                for rule in catalogue.rules
            ]
            sys.stdout.write(json.dumps(rows, indent=2) + "\n")
            return
        color = use_color(sys.stdout)
        if color:
            from rich.console import Console
            from rich.table import Table

            table = Table("code", "name", "severity", "summary", box=None, header_style="bold")
            for rule in catalogue.rules:
                table.add_row(rule.code, rule.name, rule.severity.value, rule.summary)
            Console().print(table)
            return
        width = max(len(rule.name) for rule in catalogue.rules)
        for rule in catalogue.rules:
            sys.stdout.write(f"{rule.code}  {rule.name:<{width}}  {rule.severity.value:<7}  {rule.summary}\n")

    @app.command("rule")
    @click.argument("selector")
    @click.option("--rules-dir", multiple=True, type=path_type, help="Extra directory of rule files.")
    def show_rule(selector: str, rules_dir: tuple[Path, ...]) -> None:
        """Print a rule's documentation: what it does, why, examples, fix, options."""
        from kafkalint.catalogue import CatalogueError, load_catalogue
        from kafkalint.ruledoc import rule_markdown, suggest_rule

        try:
            catalogue = load_catalogue([str(item) for item in rules_dir or []])
        except CatalogueError as error:
            fail(str(error))
        rule = catalogue.find(selector)
        if rule is None:
            fail(f"no rule {selector!r}{suggest_rule(catalogue, selector)}; see `kafkalint rules`")
        text = rule_markdown(rule)
        if use_color(sys.stdout):
            from rich.console import Console
            from rich.markdown import Markdown

            Console().print(Markdown(text))
        else:
            sys.stdout.write(text)

    @app.command("server")
    def language_server() -> None:
        """Run the language server (LSP over stdin/stdout) for editors; see docs/editors.md."""
        import importlib.util

        if importlib.util.find_spec("pygls") is None:
            fail("the language server needs pygls: pip install 'kafkalint[lsp]'")
        from kafkalint.server import serve

        serve()

    return app


# Commands added by modules of their own (command name -> module with register(app, fail)),
# imported only when the command is asked for.
EXTRA_COMMANDS: dict[str, str] = {"explain": "kafkalint.explain", "inventory": "kafkalint.inventory"}
