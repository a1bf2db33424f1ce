"""The command line: parses options, calls the engine, hands the result to a report.

Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 usage error,
bad kafkalint configuration or internal error.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    junit = "junit"
    gitlab = "gitlab"


class Level(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


def main() -> None:
    # `--version` is asked for by scripts and hooks constantly: answer before importing typer.
    if sys.argv[1:] == ["--version"]:
        from kafkalint import __version__

        print(f"kafkalint {__version__}")
        raise SystemExit(EXIT_CLEAN)
    app = build_app()
    try:
        app(prog_name="kafkalint", standalone_mode=True)
    except KeyboardInterrupt:
        print("kafkalint: interrupted", file=sys.stderr)
        raise SystemExit(EXIT_ERROR) from None
    except SystemExit:
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
    import typer

    print(f"kafkalint: {message}", file=sys.stderr)
    raise typer.Exit(EXIT_ERROR)


def use_color(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "").lower() not in ("", "0", "false", "no"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def emit(text: str, color: bool, output: Optional[Path] = None) -> None:
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            fail(f"cannot write the report to {output}: {error.strerror or error}")
        return
    if color:
        from rich.console import Console

        Console(highlight=False, soft_wrap=True, force_terminal=True).print(text, end="")
    else:
        sys.stdout.write(text)


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


def build_app():
    import typer

    from kafkalint import __version__

    app = typer.Typer(
        add_completion=False,
        no_args_is_help=True,
        help="Find the Kafka configuration mistakes that lose data, reorder records and stall consumer groups.",
        context_settings={"help_option_names": ["-h", "--help"]},
        pretty_exceptions_enable=False,
    )

    def version_callback(value: bool) -> None:
        if value:
            print(f"kafkalint {__version__}")
            raise typer.Exit(EXIT_CLEAN)

    @app.callback()
    def root(
        version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True, help="Print the version and exit."),
    ) -> None:
        """kafkalint: a linter for Kafka clients, frameworks and clusters."""

    @app.command()
    def check(
        paths: List[str] = typer.Argument(None, help="Files or directories to lint (default: .). Use - with --stdin-filename to read stdin."),
        output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="Output format."),
        select: Optional[List[str]] = typer.Option(None, "--select", help="Only these rules (codes, names or code prefixes; comma-separated)."),
        ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Skip these rules (codes, names or code prefixes)."),
        extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", help="Add rules to the selection."),
        fail_on: Optional[Level] = typer.Option(None, "--fail-on", help="Lowest severity that makes the exit code 1 (default: warning)."),
        config: Optional[Path] = typer.Option(None, "--config", help="kafkalint settings file (default: found upward from the current directory)."),
        target: Optional[List[str]] = typer.Option(None, "--target", help="Client version to assume, e.g. java=3.6, librdkafka=2.3."),
        rules_dir: Optional[List[Path]] = typer.Option(None, "--rules-dir", help="Extra directory of rule files (house policies)."),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file instead of stdout."),
        statistics: bool = typer.Option(False, "--statistics", help="Count findings per rule."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="Only findings and the summary, no source lines."),
        stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help="Name of the file whose content is read from stdin (with path -)."),
        baseline: Optional[Path] = typer.Option(None, "--baseline", help="Report only findings not recorded in this baseline file."),
        write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", help="Record today's findings in this baseline file and exit 0."),
        diff_base: Optional[str] = typer.Option(None, "--diff-base", help="Report only on files changed since this branch left REF (git merge base of REF and HEAD, like REF...HEAD)."),
        changed_lines_only: bool = typer.Option(False, "--changed-lines-only", help="With --diff-base: report only findings on changed lines."),
        no_cache: bool = typer.Option(False, "--no-cache", help="Read and parse every file, neither using nor writing the parse cache."),
        no_progress: bool = typer.Option(False, "--no-progress", help="Never show a progress bar."),
    ) -> None:
        """Lint Kafka configuration files and code."""
        from kafkalint.catalogue import CatalogueError
        from kafkalint.engine import fails, run
        from kafkalint.report import FORMATS, renderer
        from kafkalint.settings import SettingsError, resolve_settings

        try:
            settings = resolve_settings(
                config=config,
                select=split_list(select) if select else None,
                ignore=split_list(ignore),
                extend_select=split_list(extend_select),
                fail_on=fail_on.value if fail_on else None,
                targets=parse_targets(target),
                extra_rule_dirs=[str(item) for item in rules_dir or []],
            )
        except SettingsError as error:
            fail(str(error))
        raw_paths = list(paths or [])
        stdin = None
        if "-" in raw_paths:
            if not stdin_filename:
                fail("reading from stdin (-) needs --stdin-filename to know what kind of file it is")
            raw_paths.remove("-")
            stdin = (stdin_filename.replace(os.sep, "/"), sys.stdin.read())
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
        if output_format.value not in FORMATS:
            fail(f"--format {output_format.value} is not available in this installation")
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
        try:
            result = run(
                resolved,
                settings,
                stdin=stdin,
                options={
                    "baseline": baseline, "write_baseline": write_baseline, "progress": not no_progress,
                    # The whole project is read; findings are reported on the named (changed) files.
                    "project_context": bool(resolved) or stdin is not None,
                    "changed_lines": changed_lines,
                    "cache": not no_cache and os.environ.get("KAFKALINT_NO_CACHE") != "1",
                },
            )
        except (SettingsError, CatalogueError) as error:
            fail(str(error))
        if write_baseline is not None:
            count = result.extra.get("baseline_written", len(result.findings))
            print(f"kafkalint: wrote {count} finding{'s' if count != 1 else ''} to baseline {write_baseline}", file=sys.stderr)
            raise typer.Exit(EXIT_CLEAN)
        color = output_format is OutputFormat.text and output is None and use_color(sys.stdout)
        text = renderer(output_format.value)(
            result,
            {"color": color, "quiet": quiet, "statistics": statistics, "group": True, "rules": result.rules},
        )
        emit(text, color, output)
        threshold = settings.fail_on
        raise typer.Exit(EXIT_FINDINGS if fails(result.findings, threshold) else EXIT_CLEAN)

    @app.command("rules")
    def list_rules(
        output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="text or json."),
        rules_dir: Optional[List[Path]] = typer.Option(None, "--rules-dir", help="Extra directory of rule files."),
    ) -> None:
        """List the rule catalogue: code, name, severity, summary."""
        from kafkalint.catalogue import CatalogueError, load_catalogue

        try:
            catalogue = load_catalogue([str(item) for item in rules_dir or []])
        except CatalogueError as error:
            fail(str(error))
        if output_format is OutputFormat.json:
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
    def show_rule(
        selector: str = typer.Argument(..., help="Rule code or name, e.g. KL101 or producer-acks-zero."),
        rules_dir: Optional[List[Path]] = typer.Option(None, "--rules-dir", help="Extra directory of rule files."),
    ) -> None:
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

    for module_name in EXTRA_COMMANDS:
        import importlib

        importlib.import_module(module_name).register(app, fail)

    return app


# Modules that add commands (`explain`, `inventory`, ...): each has register(app, fail).
EXTRA_COMMANDS: list[str] = ["kafkalint.explain", "kafkalint.inventory"]
