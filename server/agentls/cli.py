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
from .registry import Finding, RuleSettings, Severity, all_rules, lookup
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
                root: str | None = None) -> list[FileResult]:
    """Parse every agent file under ``paths``, index them, then lint each with the index."""
    root = root or os.getcwd()
    index = WorkspaceIndex(root)
    parsed: list[tuple[Path, str, Document | None, str | None]] = []
    for path, kind in discover(paths):
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
        display = _display(path, root)
        if doc is None:
            results.append(FileResult(path, display, None, [], error))
            continue
        from .paths import classify

        plugin = classify(path.resolve())[1]
        ctx = Context(kind, plugin, facts or Facts(), index, str(path))
        results.append(FileResult(path, display, doc, lint(doc, ctx, settings)))
    return results


def _display(path: Path, root: str) -> str:
    try:
        return os.path.relpath(path, root)
    except ValueError:
        return str(path)


# -- text output ---------------------------------------------------------------------------
class _Style:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text


SEVERITY_STYLE = {Severity.ERROR: "1;31", Severity.WARNING: "1;33", Severity.INFO: "1;36", Severity.HINT: "2"}
_WINDOW = 100


def format_text(result: FileResult, finding: Finding, style: _Style) -> str:
    doc = result.doc
    assert doc is not None
    line, col = doc.index.position(finding.span.start)
    end_line, end_col = doc.index.position(finding.span.end)
    fixable = " [*]" if finding.fix and finding.fix.safe else ""
    head = (f"{style(result.display, '1')}:{line + 1}:{col + 1}: "
            f"{style(finding.code, SEVERITY_STYLE[finding.severity])}{fixable} {finding.message}")
    source = doc.index.line_text(line)
    width = (end_col if end_line == line else len(source)) - col
    width = max(1, width)
    # Long lines (one-line descriptions) are shown as a window around the finding.
    start = 0
    if len(source) > _WINDOW:
        start = max(0, col - 20)
        shown = source[start:start + _WINDOW]
        prefix = "…" if start else ""
        suffix = "…" if start + _WINDOW < len(source) else ""
        source_shown = prefix + shown + suffix
        caret_col = col - start + len(prefix)
        width = min(width, _WINDOW - (col - start))
    else:
        source_shown = source
        caret_col = col
    source_shown = source_shown.replace("\t", " ")
    number = str(line + 1)
    pad = " " * len(number)
    caret = " " * caret_col + style("^" * max(1, width), SEVERITY_STYLE[finding.severity])
    lines = [head, f"{pad} |", f"{number} | {source_shown}", f"{pad} | {caret}"]
    for rel in finding.related[:3]:
        lines.append(f"{pad} = note: {rel.message} at {_display(Path(rel.path), os.getcwd())}:{rel.line + 1}")
    return "\n".join(lines)


def finding_json(result: FileResult, finding: Finding) -> dict:
    doc = result.doc
    assert doc is not None
    line, col = doc.index.position(finding.span.start)
    end_line, end_col = doc.index.position(finding.span.end)
    out = {
        "path": result.display,
        "code": finding.code,
        "name": finding.rule.name,
        "severity": finding.severity.label,
        "message": finding.message,
        "line": line + 1,
        "column": col + 1,
        "end_line": end_line + 1,
        "end_column": end_col + 1,
        "url": finding.rule.url,
        "fix": None,
        "related": [{"path": _display(Path(r.path), os.getcwd()), "line": r.line + 1, "message": r.message}
                    for r in finding.related],
    }
    if finding.fix is not None:
        out["fix"] = {
            "title": finding.fix.title,
            "applicability": "safe" if finding.fix.safe else "unsafe",
            "edits": [{"start": e.span.start, "end": e.span.end, "content": e.new_text} for e in finding.fix.edits],
        }
    return out


def summary(results: list[FileResult], style: _Style) -> str:
    findings = [f for r in results for f in r.findings]
    counts = {s: sum(1 for f in findings if f.severity == s) for s in Severity}
    fixable = sum(1 for f in findings if f.fix and f.fix.safe)
    if not findings:
        return style(f"All checks passed ({len(results)} file{'s' if len(results) != 1 else ''} checked).", "32")
    parts = [f"{counts[s]} {s.label}{'s' if counts[s] != 1 and s != Severity.INFO else ''}"
             for s in Severity if counts[s]]
    files = len({r.path for r in results if r.findings})
    text = (f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} ({', '.join(parts)}) "
            f"in {files} of {len(results)} file{'s' if len(results) != 1 else ''}.")
    if fixable:
        text += f"\n[*] {fixable} fixable with `agentls check --fix`."
    return text


# -- commands ------------------------------------------------------------------------------
def cmd_check(args: argparse.Namespace) -> int:
    paths = args.paths or ["."]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        print(f"agentls: error: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    settings = RuleSettings()
    try:
        for code in args.ignore or []:
            for c in code.split(","):
                r = lookup(c)
                if r is None:
                    raise ValueError(f"unknown rule {c!r} in --ignore")
                settings.disabled.add(r.code)
    except ValueError as exc:
        print(f"agentls: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    results = check_paths(paths, settings)
    style = _Style(args.color == "always" or (args.color == "auto" and sys.stdout.isatty()
                                              and not os.environ.get("NO_COLOR")))
    out = sys.stdout
    if args.format == "json":
        data = [finding_json(r, f) for r in results for f in r.findings]
        data += [{"path": r.display, "code": "E902", "name": "io-error", "severity": "error",
                  "message": r.error, "line": 1, "column": 1, "end_line": 1, "end_column": 1}
                 for r in results if r.error]
        json.dump(data, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        for r in results:
            if r.error:
                print(f"{r.display}:1:1: {style('E902', '1;31')} {r.error}", file=out)
            for f in r.findings:
                print(format_text(r, f, style), file=out)
                print(file=out)
        print(summary(results, style), file=out)
    errors = any(f.severity == Severity.ERROR for r in results for f in r.findings) or any(r.error for r in results)
    return EXIT_CLEAN if args.exit_zero or not errors else EXIT_FINDINGS


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
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when errors are found")
    p.add_argument("--ignore", action="append", metavar="CODES", help="rule codes or names to skip (comma-separated)")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("rule", help="show a rule's documentation")
    p.add_argument("code", nargs="?", help="rule code (AGT400) or name (unknown-tool)")
    p.add_argument("--all", action="store_true", help="list every rule")
    p.add_argument("--markdown", action="store_true", help="with --all: the full docs as Markdown")
    p.set_defaults(func=cmd_rule)

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
