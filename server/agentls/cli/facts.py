"""``agentls facts``: what agentls knows about Claude Code, how new it is, and where it comes from.

Prints the facts' Claude Code version and date, then every fact with its ``since`` (and
``until``) and source: the fields of each kind, the tools (current and old), the model
values and the hook events. ``--json`` gives the same as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys

from agentls import __version__
from agentls.facts.versions import CC_HOOKS, CLAUDE_CODE_VERSION, FACTS_DATE


def version_line() -> str:
    """``agentls --version``: the package's version and the facts'."""
    return f"agentls {__version__} (facts: Claude Code {CLAUDE_CODE_VERSION}, {FACTS_DATE})"


def facts_data() -> dict:
    """Every fact with ``since``, ``until`` and ``source``, as plain data."""
    # Imported here: every `agentls` command builds this module's parser (issue 17).
    from agentls.facts import KINDS, models
    from agentls.facts.fields import FIELDS_BY_KIND, HOOK_EVENT_SINCE, HOOK_EVENTS, HOOK_HANDLER_KEYS
    from agentls.facts.tools import OLD_TOOLS, TOOLS

    def fact(name: str, since: str | None, source: str, until: str | None = None, **more) -> dict:
        return {"name": name, "since": since, "until": until, "source": source, **more}

    return {
        "claude_code_version": CLAUDE_CODE_VERSION,
        "date": FACTS_DATE,
        "fields": {kind: [fact(f.key, f.since, f.source, f.until, type=f.type)
                          for f in FIELDS_BY_KIND[kind].values()] for kind in KINDS},
        "tools": [fact(t.name, t.since, t.source) for t in TOOLS.values()],
        "old_tools": [fact(t.name, None, t.source, t.until, status=t.status, replacement=t.replacement)
                      for t in OLD_TOOLS.values()],
        "models": [fact(name, models.SINCE.get(name), models.source_of(name)) for name in models.NAMED],
        "hook_events": [fact(e, HOOK_EVENT_SINCE.get(e), CC_HOOKS) for e in HOOK_EVENTS],
        "hook_handler_keys": [fact(k.name, k.since, k.source, kinds=list(k.kinds))
                              for k in HOOK_HANDLER_KEYS.values()],
    }


def _text(data: dict) -> str:
    def row(item: dict) -> str:
        when = item["since"] or ""
        if item["until"]:
            when += (" " if when else "") + f"(removed {item['until']})"
        return f"  {item['name']:<28} {when:<24} {item['source']}"

    out = [f"Facts current to Claude Code {data['claude_code_version']} (docs and changelog of {data['date']}).",
           "Columns: name, since (Claude Code version or docs date; empty: earlier), source."]
    for kind, fields in data["fields"].items():
        out += ["", f"{kind} fields:"] + [row(f) for f in fields]
    out += ["", "tools:"] + [row(t) for t in data["tools"]]
    out += ["", "renamed and removed tools:"] + [row(t) for t in data["old_tools"]]
    out += ["", "model values (any Claude model ID is accepted by its shape too):"] + [row(m) for m in data["models"]]
    out += ["", "hook events:"] + [row(e) for e in data["hook_events"]]
    out += ["", "hook handler keys:"] + [row(k) for k in data["hook_handler_keys"]]
    return "\n".join(out) + "\n"


def cmd_facts(args: argparse.Namespace) -> int:
    data = facts_data()
    sys.stdout.write(json.dumps(data, indent=2) + "\n" if args.json else _text(data))
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("facts", help="print the facts agentls knows, their Claude Code version and sources")
    p.add_argument("--json", action="store_true", help="as JSON")
    p.set_defaults(func=cmd_facts)
