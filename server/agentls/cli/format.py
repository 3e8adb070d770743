"""``agentls format``: rewrite agent files in their canonical form
(:mod:`agentls.services.formatting`); ``--check`` and ``--diff`` write nothing.

Exit codes: 0 when nothing is (or would be) changed or everything was written; 1 with
``--check``/``--diff`` when a file would change, or when a file cannot be read or is not
UTF-8 (it is never rewritten: the bytes that are not UTF-8 would be lost); 2 on a usage
error or a broken configuration file. Tool lists follow ``format-tool-lists`` in the
closest configuration file (or ``--config``): kept as written by default.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

EXIT_CLEAN, EXIT_CHANGES, EXIT_USAGE = 0, 1, 2


def add_parser(sub) -> None:
    p = sub.add_parser("format", help="rewrite agent files in canonical form (frontmatter key order, quoting, "
                                      "line endings, trailing whitespace)")
    p.add_argument("paths", nargs="*", help="files or folders (default: the current folder)")
    p.add_argument("--check", action="store_true",
                   help="write nothing; list the files that would change and exit 1 if there are any")
    p.add_argument("--diff", action="store_true", help="write nothing; print a unified diff of the changes")
    p.add_argument("--config", metavar="PATH", help="use this configuration file instead of the closest one "
                                                    "(`format-tool-lists`)")
    p.set_defaults(func=cmd_format)


def cmd_format(args: argparse.Namespace) -> int:
    from agentls.cli.reports import display_path, terminal_safe
    from agentls.core.text import decode_utf8
    from agentls.engine.config import ConfigSet
    from agentls.engine.discovery import discover
    from agentls.engine.project import resolve
    from agentls.engine.toml_config import ConfigError
    from agentls.rules.lint import parse
    from agentls.services.formatting import format_document

    paths = args.paths or ["."]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        print(f"agentls: error: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    try:
        configs = ConfigSet(getattr(args, "config", None))
    except ConfigError as exc:
        print(f"agentls: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    changed, problems, total = [], 0, 0
    for path, kind in discover(paths, gitignore=True):
        total += 1
        shown = terminal_safe(display_path(path))
        try:
            tool_lists = resolve(path, configs=configs).format_tool_lists
        except ConfigError as exc:  # a broken configuration file: a usage error, as for check
            print(f"agentls: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(f"agentls: error: cannot read {shown}: {exc.strerror or exc}", file=sys.stderr)
            problems += 1
            continue
        text, invalid = decode_utf8(data)
        if invalid is not None:
            print(f"agentls: error: {shown} is not UTF-8; not formatted", file=sys.stderr)
            problems += 1
            continue
        try:
            result = format_document(parse(text, str(path), kind), tool_lists)
        except Exception as exc:  # a bug must cost one file, not the run
            print(f"agentls: error: cannot format {shown}: {type(exc).__name__}: {exc}", file=sys.stderr)
            problems += 1
            continue
        if result.text == text:
            continue
        changed.append(path)
        if args.diff:
            sys.stdout.write(terminal_safe("".join(difflib.unified_diff(
                text.splitlines(keepends=True), result.text.splitlines(keepends=True),
                f"a/{display_path(path)}", f"b/{display_path(path)}")), keep="\n"))
        elif args.check:
            print(f"would reformat {shown}")
        else:
            try:
                path.write_bytes(result.text.encode("utf-8"))
            except OSError as exc:
                print(f"agentls: error: cannot write {shown}: {exc.strerror or exc}", file=sys.stderr)
                problems += 1
                continue
    dry = args.check or args.diff
    verb = "would be reformatted" if dry else "reformatted"
    print(f"{len(changed)} file{'s' if len(changed) != 1 else ''} {verb}, "
          f"{total - len(changed) - problems} left unchanged", file=sys.stderr)
    if problems or (dry and changed):
        return EXIT_CHANGES
    return EXIT_CLEAN
