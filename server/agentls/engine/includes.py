"""``include``: Markdown files to check although no tool's location holds them, and which
tool reads them (issue 14).

What discovery cannot know is said in the configuration. Each entry is a glob (relative
to the configuration file's folder, as ``exclude``'s) for Claude Code agents, or a
table naming the tool and the kind of file::

    [tool.agentls]
    include = [
        "engineering/**/*.md",                                    # Claude Code agents
        { path = "ai/gemini/*.md", target = "gemini" },          # Gemini CLI agents
        { path = ["prompts/*.md"], target = "copilot", kind = "prompt" },
    ]

``target`` is one of :data:`agentls.facts.targets.TARGETS` (default ``claude-code``),
``kind`` one of that tool's kinds (default its main one: ``agent``, for Cursor ``rule``).
The first entry that matches decides. A file an entry matches is read as that tool reads
it, with the files of the same entry as the ones it is loaded with (a duplicate ``name``
among them is reported; with files elsewhere it is not). A file a tool's location holds
is read as that location says, whatever ``include`` says.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from agentls.engine.globs import Globs
from agentls.facts.targets import CLAUDE_CODE, TARGETS, Location


@dataclass(frozen=True)
class Include:
    globs: Globs
    target: str = CLAUDE_CODE
    kind: str = "agent"


@dataclass(frozen=True)
class Includes:
    """The ``include`` entries of one configuration, in order."""

    entries: tuple[Include, ...]

    def matches(self, path: str | os.PathLike | None) -> bool:
        return self.location(path) is not None

    def location(self, path: str | os.PathLike | None) -> Location | None:
        """How the first entry that matches ``path`` makes it read, or ``None``."""
        for i, entry in enumerate(self.entries):
            if entry.globs.matches(path):
                tree = f"include:{entry.globs.root}#{i}"
                return Location(entry.kind, entry.target, "included", tree)
        return None

    @property
    def patterns(self) -> tuple[str, ...]:
        return tuple(p for e in self.entries for p in e.globs.patterns)


_KEYS = ("path", "target", "kind")


def _describe(value: Any) -> str:
    """A bad value, as its author wrote it in TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return "a table" if isinstance(value, dict) else repr(value)


def parse_includes(value: Any, key: str, source, report) -> Includes | None:
    """``include`` from a configuration file (``source``: :class:`agentls.engine.settings.Source`);
    every problem goes to ``report``."""
    if not isinstance(value, list):
        report(f"`{key}` must be a list of strings (globs) or of tables with `path` and `target`, "
               f"got {_describe(value)}")
        return None
    entries: list[Include] = []
    for item in value:
        if isinstance(item, str):
            if item.strip():
                entries.append(Include(Globs((item,), source.root)))
            continue
        if not isinstance(item, dict):
            report(f"`{key}` entries must be strings (globs) or tables with `path` and `target`, "
                   f"got {_describe(item)}")
            continue
        unknown = [k for k in item if k not in _KEYS]
        if unknown:
            report(f"`{key}`: unknown key{'s' if len(unknown) > 1 else ''} "
                   f"{', '.join(f'`{k}`' for k in unknown)} in an entry (known: path, target, kind)")
        paths = item.get("path")
        if isinstance(paths, str):
            paths = [paths]
        if not isinstance(paths, list) or not paths or not all(isinstance(p, str) and p.strip() for p in paths):
            report(f"`{key}`: an entry's `path` must be a glob or a list of globs")
            continue
        target_id = item.get("target", CLAUDE_CODE)
        target = TARGETS.get(target_id) if isinstance(target_id, str) else None
        if target is None:
            report(f"`{key}`: unknown target {_describe(target_id)} "
                   f"(known: {', '.join(TARGETS)})")
            continue
        kind = item.get("kind", target.default_kind)
        if kind not in target.kinds:
            report(f"`{key}`: {target.name} has no kind {_describe(kind)} "
                   f"(its kinds: {', '.join(target.kinds)})")
            continue
        entries.append(Include(Globs(tuple(paths), source.root), target.id, kind))
    return Includes(tuple(entries)) if entries else None
