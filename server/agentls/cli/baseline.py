"""Baselines: record today's findings, then report only new ones.

A finding is matched by its file (relative to the baseline file's folder), rule code,
message and a hash of the text of its line, never by line number: adding or removing
lines elsewhere in the file keeps old findings matched. Identical findings are counted,
so a second copy of the same problem on an identical line is still new.

Where a rule's message names or counts other files (AGT700: "3 agents are named `x`
(also ...)"), the rule's fixed ``identity`` stands in for the message (``Finding.identity``),
so the entry survives a run from another folder or one more duplicate. Baselines recorded
with the full message (agentls 0.1.0) still load: an entry's message is mapped the same way.

File format (JSON, sorted, stable under re-recording)::

    {"version": 1, "tool": "agentls",
     "findings": [{"path": ".claude/agents/a.md", "code": "AGT400",
                   "message": "...", "line_hash": "3f2a...", "count": 1}]}
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from agentls.cli.reports import line_hash
from agentls.rules.registry import RULES
from agentls.rules.ruleset import load_rules

if TYPE_CHECKING:
    from agentls.cli.reports import FileResult

VERSION = 1
Key = tuple[str, str, str, str]


class BaselineError(Exception):
    pass


def _rel(path: str | os.PathLike, folder: Path) -> str:
    p = Path(os.path.abspath(path))
    try:
        return p.relative_to(folder).as_posix()
    except ValueError:
        return Path(os.path.relpath(p, folder)).as_posix()


def keys_of(results: list["FileResult"], baseline_path: str | os.PathLike) -> list[tuple["FileResult", object, Key]]:
    folder = Path(os.path.abspath(baseline_path)).parent
    out = []
    for r in results:
        if r.doc is None:
            continue
        rel = _rel(r.path, folder)
        for f in r.findings:
            out.append((r, f, (rel, f.code, f.identity, line_hash(r, f))))
    return out


def write(results: list["FileResult"], path: str | os.PathLike) -> int:
    """Record every finding of ``results``; returns how many."""
    counts = Counter(key for _, _, key in keys_of(results, path))
    entries = [{"path": p, "code": c, "message": m, "line_hash": h, "count": n}
               for (p, c, m, h), n in sorted(counts.items())]
    data = {"version": VERSION, "tool": "agentls", "findings": entries}
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    return sum(counts.values())


def read(path: str | os.PathLike) -> Counter[Key]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}: baseline is not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not an agentls baseline (version {VERSION}); "
                            "delete it or re-create it with --update-baseline")
    counts: Counter[Key] = Counter()
    load_rules()
    for i, e in enumerate(data["findings"]):
        try:
            r = RULES.get(e["code"])
            message = r.identity if r is not None and r.identity else e["message"]
            counts[(e["path"], e["code"], message, e["line_hash"])] += int(e.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise BaselineError(f"{path}: entry {i} of the baseline is malformed") from None
    return counts


@dataclass
class Filtered:
    known: int  # findings hidden because the baseline has them
    stale: int  # baseline entries that matched nothing (fixed since)


def filter_new(results: list["FileResult"], path: str | os.PathLike) -> Filtered:
    """Remove findings the baseline knows from ``results`` (in place)."""
    remaining = read(path)
    known = 0
    keep: dict[int, list] = {}
    for r, f, key in keys_of(results, path):
        if remaining[key] > 0:
            remaining[key] -= 1
            known += 1
        else:
            keep.setdefault(id(r), []).append(f)
    for r in results:
        if r.doc is not None:
            r.findings = keep.get(id(r), [])
    return Filtered(known, sum(n for n in remaining.values() if n > 0))


def apply(results: list["FileResult"], path: str | os.PathLike, update: bool = False, log=None) -> Filtered:
    """``--baseline``: record when the file is missing (or ``update``), then drop known findings."""
    import sys

    log = log or sys.stderr
    if update or not Path(path).exists():
        n = write(results, path)
        print(f"agentls: recorded {n} finding{'s' if n != 1 else ''} in baseline {path}", file=log)
    filtered = filter_new(results, path)
    if filtered.stale:
        one = filtered.stale == 1
        print(f"agentls: {filtered.stale} baseline {'entry' if one else 'entries'} no longer "
              f"{'matches' if one else 'match'} (fixed?); run with --update-baseline to prune "
              f"{'it' if one else 'them'}", file=log)
    return filtered
