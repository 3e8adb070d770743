"""``agentls check --routing``: the routing picture of the workspace instead of findings.

Prints the routing budget (each agent's name and description in tokens, the total against
Claude Code's 15,000-token limit, the largest agents) and a table of the agent pairs whose
descriptions are so alike that the routing model cannot tell them apart
(:mod:`agentls.services.routing`), with the words they share. The similarity from which
a pair is listed is ``--routing-threshold``, else ``routing-threshold`` in the
configuration (``[tool.agentls]``; ``routingThreshold`` in the editor's settings), else 0.6. ``--format json``
prints the same as JSON. Exit code 1 when a pair is listed or the budget is exceeded, 0
otherwise (2 on a usage error).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_CLEAN, EXIT_FOUND, EXIT_USAGE = 0, 1, 2
TOP = 5  # largest agents shown


def _threshold(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 < number <= 1:
        raise argparse.ArgumentTypeError("must be above 0 and at most 1")
    return number


def add_routing_option(check_parser: argparse.ArgumentParser) -> None:
    """Add ``--routing`` and ``--routing-threshold`` to ``check``; ``--routing`` runs
    :func:`cmd_routing` instead of the check."""
    from agentls.engine.settings import DEFAULT_ROUTING_THRESHOLD as DEFAULT_THRESHOLD

    check_parser.add_argument("--routing", action="store_true",
                              help="print the routing budget and the agents whose descriptions overlap so much "
                                   "that Claude Code cannot tell them apart, instead of the findings")
    check_parser.add_argument("--routing-threshold", type=_threshold, default=None, metavar="S",
                              help="with --routing: the description similarity (0-1) from which two agents "
                                   f"are listed (default: `routing-threshold` in the configuration, else "
                                   f"{DEFAULT_THRESHOLD})")
    check = check_parser.get_default("func")

    def run(args: argparse.Namespace) -> int:
        return cmd_routing(args) if args.routing else check(args)

    check_parser.set_defaults(func=run)


def configured_threshold(args: argparse.Namespace, path: str) -> float:
    """``routing-threshold`` from the configuration that applies to ``path`` (the closest
    ``[tool.agentls]``, or ``--config``), else the default."""
    from agentls.engine.cli_settings import configs_from_args
    from agentls.engine.settings import DEFAULT_ROUTING_THRESHOLD as DEFAULT_THRESHOLD

    where = Path(path).resolve()
    config = configs_from_args(args).for_path(where if where.is_dir() else where.parent)
    value = getattr(config.settings, "routing_threshold", None)
    return value if value is not None else DEFAULT_THRESHOLD


def collect(paths: list[str]) -> list[tuple[str, str, str | None]]:
    """``(path, name, description)`` of every agent with a name under ``paths``."""
    from agentls.cli.reports import display_path
    from agentls.engine.discovery import discover
    from agentls.engine.project import read_document

    out = []
    for path, kind in discover(paths, gitignore=True):
        if str(kind) != "agent":
            continue
        doc, _error = read_document(path, kind)
        if doc is not None and doc.name:
            out.append((display_path(path), doc.name, doc.description))
    return out


def cmd_routing(args: argparse.Namespace) -> int:
    from agentls.cli.reports import terminal_safe
    from agentls.services.routing import ROUTING_BUDGET, ambiguous_pairs, routing_tokens

    paths = args.paths or ["."]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        print(f"agentls: error: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    if args.routing_threshold is None:
        try:
            args.routing_threshold = configured_threshold(args, paths[0])
        except Exception as exc:  # a bad configuration file: a usage error, as for check
            print(f"agentls: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
    agents = collect(paths)
    sizes = sorted(((routing_tokens(name, desc), name, path) for path, name, desc in agents), reverse=True)
    total = sum(t for t, _, _ in sizes)
    pairs = ambiguous_pairs(agents, args.routing_threshold)
    over = total > ROUTING_BUDGET
    if getattr(args, "format", "text") == "json":
        print(json.dumps({
            "budget": {"limit": ROUTING_BUDGET, "tokens": total, "agents": len(agents), "over": over,
                       "largest": [{"name": n, "path": p, "tokens": t} for t, n, p in sizes[:TOP]]},
            "threshold": args.routing_threshold,
            "pairs": [{"a": p.a, "b": p.b, "a_path": p.a_path, "b_path": p.b_path, "score": p.score,
                       "shared": list(p.shared)} for p in pairs]}, indent=2))
        return EXIT_FOUND if pairs or over else EXIT_CLEAN
    safe = terminal_safe
    print(f"Routing budget: {total:,} of {ROUTING_BUDGET:,} tokens ({total / ROUTING_BUDGET:.0%}) "
          f"for {len(agents)} agent{'s' if len(agents) != 1 else ''}"
          + (" - over: Claude Code warns at start-up" if over else ""))
    for tokens, name, path in sizes[:TOP]:
        print(f"  {tokens:>7,}  {safe(name)}  ({safe(path)})")
    print()
    if not pairs:
        print(f"No two agents' descriptions are {args.routing_threshold:.0%} alike or more.")
        return EXIT_FOUND if over else EXIT_CLEAN
    rows = [(f"{p.score:.2f}", safe(p.a), safe(p.b), ", ".join(safe(w) for w in p.shared)) for p in pairs]
    head = ("similarity", "agent", "agent", "shared words")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(3)]
    print(f"{len(pairs)} pair{'s' if len(pairs) != 1 else ''} of agents Claude Code may not tell apart "
          f"(similarity >= {args.routing_threshold:.2f}):")
    print("  ".join(h.ljust(w) for h, w in zip(head[:3], widths)) + "  " + head[3])
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r[:3], widths)) + "  " + r[3])
    return EXIT_FOUND
