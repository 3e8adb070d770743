"""``agentls``: check, rule, schema, serve."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .document import Document
from .lint import Context, Facts, lint
from .output import display_path
from .registry import Finding, RuleSettings, all_rules, lookup
from .workspace import WorkspaceIndex, discover

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


@dataclass
class FileResult:
    path: Path
    display: str
    doc: Document | None
    findings: list[Finding]
    error: str | None = None


def read_text(path: Path) -> str:
    """Decode as UTF-8; undecodable bytes become U+FFFD rather than an exception."""
    data = path.read_bytes()
    return data.decode("utf-8", errors="replace")


def check_paths(paths: list[str], settings: RuleSettings | None = None, facts: Facts | None = None,
                root: str | None = None, configs=None, progress=None) -> list[FileResult]:
    """Parse every agent file under ``paths``, index them, then lint each with the index.

    ``configs`` (:class:`agentls.config.ConfigSet`) gives each file its own settings and
    facts and drops excluded files; ``progress(done, total)`` is called per file.
    """
    root = root or os.getcwd()
    index = WorkspaceIndex(root)
    parsed: list[tuple[Path, str, Document | None, str | None]] = []
    for path, kind in discover(paths):
        if configs is not None and configs.excluded(path):
            continue
        try:
            text = read_text(path)
        except OSError as exc:
            parsed.append((path, kind, None, f"cannot read: {exc.strerror or exc}"))
            continue
        doc = Document(text, str(path), kind)
        index.update(str(path), doc, kind)
        parsed.append((path, kind, doc, None))
    results = []
    for path, kind, doc, error in parsed:
        display = display_path(path, root)
        if doc is None:
            results.append(FileResult(path, display, None, [], error))
            continue
        from .paths import classify

        plugin = classify(os.path.abspath(path))[1]
        file_settings, file_facts = configs.settings_for(path) if configs is not None else (settings, facts)
        ctx = Context(kind, plugin, file_facts or Facts(), index, str(path))
        results.append(FileResult(path, display, doc, lint(doc, ctx, file_settings)))
        if progress is not None:
            progress(len(results), len(parsed))
    return results


# -- commands ------------------------------------------------------------------------------
def cmd_check(args: argparse.Namespace) -> int:
    paths = args.paths or ["."]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        print(f"agentls: error: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    from .baseline import BaselineError, apply as apply_baseline
    from .config import ConfigError, configs_from_args
    from .output import Progress, failing, write_report

    if args.update_baseline and not args.baseline:
        print("agentls: error: --update-baseline needs --baseline FILE", file=sys.stderr)
        return EXIT_USAGE
    progress = Progress(sys.stderr)
    try:
        configs = configs_from_args(args)
        results = check_paths(paths, configs=configs, progress=progress)
        fixed = None
        if args.fix or args.diff:  # apply (or, with --diff, only show) fixes; results = what remains
            from .fixes import fix_files

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
    if fixed is not None and args.diff:
        sys.stdout.write(fixed.diff())
        print(fixed.summary(), file=sys.stderr)
    else:
        write_report(results, args)
        if fixed is not None:
            machine = args.format != "text" or getattr(args, "output_file", None) or args.statistics
            print(fixed.summary(), file=sys.stderr if machine else sys.stdout)
    return EXIT_CLEAN if args.exit_zero or not failing(results, args.fail_on) else EXIT_FINDINGS


def cmd_rule(args: argparse.Namespace) -> int:
    from .docs import format_rule, rules_markdown

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
    from .jsonschema import frontmatter_schema

    json.dump(frontmatter_schema(args.kind), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return EXIT_CLEAN


def cmd_serve(args: argparse.Namespace) -> int:
    from .lsp.server import run

    run()
    return EXIT_CLEAN


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agentls", description="Language server and linter for agent Markdown files.")
    parser.add_argument("--version", action="version", version=f"agentls {__version__}")
    sub = parser.add_subparsers(dest="command")

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
    p.add_argument("--statistics", action="store_true", help="print the number of findings per rule instead")
    p.add_argument("--output-file", metavar="FILE", help="write the report to FILE instead of stdout")
    p.add_argument("--baseline", metavar="FILE",
                   help="report only findings not in FILE (recorded on the first run, when FILE does not exist)")
    p.add_argument("--update-baseline", action="store_true", help="with --baseline: record today's findings again")
    p.add_argument("--fix", action="store_true", help="apply safe fixes in place, then report what remains")
    p.add_argument("--unsafe-fixes", action="store_true",
                   help="with --fix or --diff: also apply fixes that may change meaning (marked unsafe)")
    p.add_argument("--diff", action="store_true", help="show a unified diff of what --fix would change; write nothing")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("rule", help="show a rule's documentation")
    p.add_argument("code", nargs="?", help="rule code (AGT400) or name (unknown-tool)")
    p.add_argument("--all", action="store_true", help="list every rule")
    p.add_argument("--markdown", action="store_true", help="with --all: the full docs as Markdown")
    p.set_defaults(func=cmd_rule)

    p = sub.add_parser("schema", help="print a JSON Schema of the frontmatter (for yaml-language-server)")
    p.add_argument("--kind", choices=["agent", "skill", "command"], default="agent")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("serve", help="run the language server over stdio")
    p.add_argument("--stdio", action="store_true", help="use stdio (the default; accepted for clients that pass it)")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
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
