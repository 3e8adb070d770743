"""``agentls``: check, rule, schema, serve."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentls.cli.reports import FileResult
    from agentls.rules.context import Extensions
    from agentls.rules.registry import RuleSettings

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def check_paths(paths: list[str], settings: RuleSettings | None = None, extensions: Extensions | None = None,
                root: str | None = None, configs=None, progress=None, jobs: int = 1,
                cache: bool = False) -> list[FileResult]:
    """Parse every agent file under ``paths``, index them, then lint each with the index.

    ``configs`` (:class:`agentls.engine.config.ConfigSet`) gives each file its own settings and
    extensions and drops excluded files; ``progress(done, total)`` is called per file.
    ``jobs``: worker processes (0: one per core when there are enough files; see
    :mod:`agentls.cli.parallel`). The findings do not depend on it. ``cache``: reuse and
    keep the findings of unchanged files (:mod:`agentls.cli.cache`).
    """
    # Imported here, not at the top: `agentls check FILE...` (the pre-commit hook) pays
    # only for what its run needs (issue 17).
    from agentls.cli.reports import FileResult, display_path
    from agentls.engine.discovery import discover
    from agentls.engine.project import Project

    project = Project.for_check(root or os.getcwd(), configs=configs, rules=settings, extensions=extensions)
    store = None
    if cache:  # which also keeps discovery's walk (agentls.engine.discovery._Record)
        from agentls.cli import cache as content_cache

        store = content_cache.Cache(project.root)
    found = discover(paths, no_config=configs.no_config if configs is not None else None, gitignore=True,
                     included=configs.included if configs is not None else None,
                     memo=store.memo() if store is not None else None)
    files = [(path, kind) for path, kind in found if configs is None or not configs.excluded(path)]
    if store is not None and files:
        done = content_cache.check(project, files, store, jobs, progress, configs=configs)
        return [FileResult(path, display_path(path, project.root), doc, findings, error)
                for (path, _), (doc, findings, error) in zip(files, done)]
    from agentls.cli import parallel

    workers = parallel.workers_for(jobs, len(files))
    if workers > 1:
        done = parallel.check(project, files, workers, progress)
        if done is not None:
            return [FileResult(path, display_path(path, project.root), doc, findings, error)
                    for (path, _), (doc, findings, error) in zip(files, done)]
    done = project.check(files, progress=progress)
    return [FileResult(path, display_path(path, project.root), doc, findings, error)
            for (path, _), (doc, findings, error) in zip(files, done)]


# -- commands ------------------------------------------------------------------------------
def cmd_check(args: argparse.Namespace) -> int:
    paths = args.paths or ["."]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        print(f"agentls: error: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    from agentls.cli.baseline import BaselineError
    from agentls.cli.baseline import apply as apply_baseline
    from agentls.cli.reports import (
        Progress,
        ReportError,
        failing,
        report_file_problem,
        terminal_safe,
        write_report,
    )
    from agentls.engine.cli_settings import configs_from_args
    from agentls.engine.config import ConfigError

    if args.update_baseline and not args.baseline:
        print("agentls: error: --update-baseline needs --baseline FILE", file=sys.stderr)
        return EXIT_USAGE
    if args.statistics and args.format not in ("text", "json"):
        print(f"agentls: error: --statistics prints a table or, with --format json, JSON; "
              f"it has no {args.format} form (drop --statistics or use --format json)", file=sys.stderr)
        return EXIT_USAGE
    if args.output_file and (problem := report_file_problem(args.output_file)):
        print(f"agentls: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if args.unsafe_fixes and not (args.fix or args.diff):
        print("agentls: warning: --unsafe-fixes does nothing without --fix or --diff", file=sys.stderr)
    progress = Progress(sys.stderr)
    # A check keeps every parsed file until the report: millions of objects that live to
    # the end, which the default collector would walk again and again (~15 % of a run).
    # A high first threshold, as mypy does; cycles are still collected.
    gc.set_threshold(100_000, 50, 100)
    try:
        configs = configs_from_args(args)
        # Fixes re-lint the documents, so they stay in this process.
        jobs = 1 if args.fix or args.diff else args.jobs
        # The content cache (issue 17): not for fixes, which need the documents.
        from agentls.cli.cache import enabled as cache_enabled

        cache = not (args.fix or args.diff) and cache_enabled(args.no_cache)
        results = check_paths(paths, configs=configs, progress=progress, jobs=jobs, cache=cache)
        if not results:
            # No file asked for a configuration: a broken one must not pass unseen.
            for path in paths:
                configs.for_path(path)
        fixed = None
        if args.fix or args.diff:  # apply (or, with --diff, only show) fixes; results = what remains
            from agentls.engine.fixes import fix_files

            fixed = fix_files(results, configs=configs, unsafe=args.unsafe_fixes, write=not args.diff)
            results = fixed.results
        if args.baseline:
            apply_baseline(results, args.baseline, update=args.update_baseline)
    except (ValueError, ConfigError, BaselineError) as exc:
        progress.close()
        problems = getattr(exc, "problems", None) or [exc]
        for problem in problems:
            print(f"agentls: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    progress.close()
    pending = False  # --diff: fixes that --fix would apply
    if fixed is not None and args.diff:
        diff = fixed.diff()
        pending = bool(diff)
        # On a terminal the file's control characters are shown, not obeyed; piped, the
        # diff stays exact (for `git apply`).
        sys.stdout.write(terminal_safe(diff, keep="\n\t") if sys.stdout.isatty() else diff)
        print(terminal_safe(fixed.summary(), keep="\n"), file=sys.stderr)
    else:
        try:
            write_report(results, args)
        except ReportError as exc:
            print(f"agentls: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if fixed is not None:
            machine = args.format != "text" or getattr(args, "output_file", None) or args.statistics
            print(terminal_safe(fixed.summary(), keep="\n"), file=sys.stderr if machine else sys.stdout)
    if not results:  # nothing found: perhaps agents kept where Claude Code does not look
        from agentls.engine.discovery import include_hint

        hint = include_hint(paths, configs)
        if hint:
            print(terminal_safe(hint, keep="\n"), file=sys.stderr, end="")
    if args.exit_zero:
        return EXIT_CLEAN
    return EXIT_FINDINGS if pending or failing(results, args.fail_on) else EXIT_CLEAN


def cmd_rule(args: argparse.Namespace) -> int:
    from agentls.rules.ruleset import all_rules, lookup
    from agentls.services.docs import format_rule, rules_markdown

    if args.all:
        if args.markdown:
            sys.stdout.write(rules_markdown())
            return EXIT_CLEAN
        for r in all_rules():
            fix = {"safe": "fix", "unsafe": "fix*", "sometimes": "fix?"}.get(r.fixable or "", "")
            print(f"{r.code}  {r.name:<32} {r.severity.label:<8} {fix:<5} {r.summary}")
        return EXIT_CLEAN
    if not args.code:
        print("agentls: error: give a rule code or name, or --all", file=sys.stderr)
        return EXIT_USAGE
    r = lookup(args.code)
    if r is None:
        print(f"agentls: error: unknown rule {args.code!r} (see `agentls rule --all`)", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(format_rule(r))
    return EXIT_CLEAN


def cmd_schema(args: argparse.Namespace) -> int:
    from agentls.facts.targets import CLAUDE_CODE, TARGETS
    from agentls.services.jsonschema import frontmatter_schema

    target = getattr(args, "target", CLAUDE_CODE)
    if args.kind not in TARGETS[target].kinds:
        print(f"agentls: {TARGETS[target].name} has no {args.kind} files (it has: "
              f"{', '.join(TARGETS[target].kinds)})", file=sys.stderr)
        return EXIT_USAGE
    if target == CLAUDE_CODE:
        schema = frontmatter_schema(args.kind)
    else:  # another tool's format (issue 14)
        from agentls.services.formats import format_schema

        schema = format_schema(target, args.kind)
    json.dump(schema, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return EXIT_CLEAN


def cmd_serve(args: argparse.Namespace) -> int:
    from agentls.lsp.server import run

    run()
    return EXIT_CLEAN


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 (automatic) or more")
    return n


COMMANDS = ("check", "rule", "schema", "format", "facts", "serve")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; ``only``: just that subcommand's (what parses an
    argument list that starts with its name the same way: the other subcommands'
    arguments and their modules' imports are not needed)."""
    parser = argparse.ArgumentParser(prog="agentls", description="Language server and linter for agent Markdown files.")
    if only is None:
        from agentls.cli.facts import version_line

        parser.add_argument("--version", action="version", version=version_line())
    sub = parser.add_subparsers(dest="command")
    if only in (None, "check"):
        add_check(sub)
    if only in (None, "rule"):
        p = sub.add_parser("rule", help="show a rule's documentation")
        p.add_argument("code", nargs="?", help="rule code (AGT400) or name (unknown-tool)")
        p.add_argument("--all", action="store_true", help="list every rule")
        p.add_argument("--markdown", action="store_true", help="with --all: the full docs as Markdown")
        p.set_defaults(func=cmd_rule)
    if only in (None, "schema"):
        p = sub.add_parser("schema", help="print a JSON Schema of the frontmatter (for yaml-language-server)")
        from agentls.facts.targets import ALL_KINDS, CLAUDE_CODE, TARGETS

        p.add_argument("--kind", choices=ALL_KINDS, default="agent")
        p.add_argument("--target", choices=list(TARGETS), default=CLAUDE_CODE,
                       help="the tool whose format (default: claude-code)")
        p.set_defaults(func=cmd_schema)
    if only in (None, "format"):
        from agentls.cli.format import add_parser as add_format

        add_format(sub)  # agentls format (issue 16)
    if only in (None, "facts"):
        from agentls.cli.facts import add_parser as add_facts

        add_facts(sub)  # agentls facts (issue 15)
    if only in (None, "serve"):
        p = sub.add_parser("serve", help="run the language server over stdio")
        p.add_argument("--stdio", action="store_true",
                       help="use stdio (the default; accepted for clients that pass it)")
        p.set_defaults(func=cmd_serve)
    return parser


def add_check(sub) -> None:
    p = sub.add_parser("check", help="lint agent files (default: the current directory)")
    p.add_argument("paths", nargs="*", help="files or directories")
    p.add_argument("--format", choices=["text", "json", "sarif", "github"], default="text",
                   help="report format (sarif: SARIF 2.1.0 for code scanning; github: workflow annotations)")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when errors are found")
    p.add_argument("--select", action="append", metavar="CODES",
                   help="rules to check instead of the configured ones: codes, names, prefixes (AGT4) or ALL")
    p.add_argument("--extend-select", action="append", metavar="CODES", help="rules to check in addition")
    p.add_argument("--ignore", action="append", metavar="CODES", help="rule codes, names or prefixes to skip (comma-separated)")
    p.add_argument("--config", metavar="FILE", help="use this configuration file for every path (no discovery)")
    p.add_argument("--fail-on", choices=["error", "warning", "info", "hint"], default="error",
                   help="exit 1 when a finding has this severity or a higher one (default: error)")
    p.add_argument("--statistics", action="store_true",
                   help="print the number of findings per rule instead (a table, or JSON with --format json)")
    p.add_argument("--output-file", metavar="FILE",
                   help="write the report to FILE instead of stdout (never coloured)")
    p.add_argument("--baseline", metavar="FILE",
                   help="report only findings not in FILE (recorded on the first run, when FILE does not exist)")
    p.add_argument("--update-baseline", action="store_true", help="with --baseline: record today's findings again")
    p.add_argument("--fix", action="store_true", help="apply safe fixes in place, then report what remains")
    p.add_argument("--unsafe-fixes", action="store_true",
                   help="with --fix or --diff: also apply fixes that may change meaning (marked unsafe)")
    p.add_argument("--diff", action="store_true",
                   help="show a unified diff of what --fix would change; write nothing (exit 1 if there is one)")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                   help="colour the text report (auto: on a terminal, unless NO_COLOR is set)")
    p.add_argument("--no-cache", action="store_true",
                   help="neither read nor write the cache of findings in .agentls_cache/ (also AGENTLS_NO_CACHE=1)")
    p.add_argument("--jobs", "-j", type=_jobs, default=0, metavar="N",
                   help="worker processes (default 0: one per core on Linux for 400 or more files; 1: none)")
    p.set_defaults(func=cmd_check)
    from agentls.cli.routing import add_routing_option

    add_routing_option(p)  # agentls check --routing (issue 16)


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    # `agentls check ...` builds only check's parser (issue 17: the pre-commit hook's start-up)
    parser = build_parser(argv[0] if argv and argv[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
