"""What a check sees besides the document: the file's kind and location, the known names
users added (:class:`Extensions`) and the workspace index. The rule families import this, and
the runner (:mod:`agentls.rules.lint`) imports the families."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from agentls.facts.targets import CLAUDE_CODE, Location, classify

if TYPE_CHECKING:
    from agentls.rules.index import WorkspaceIndex


@dataclass(frozen=True)
class Extensions:
    """Known names users may extend (a newer Claude Code must never block them)."""

    tools: frozenset[str] = frozenset()
    models: frozenset[str] = frozenset()
    colors: frozenset[str] = frozenset()
    keys: frozenset[str] = frozenset()

    def union(self, other: "Extensions") -> "Extensions":
        """Both sets of names (a configuration file's and the editor's settings')."""
        return Extensions(**{a: getattr(self, a) | getattr(other, a) for a in EXTEND_KEYS})


# Each extensible fact and its keys: in the configuration file (``extend-tools``) and in the
# editor's settings (``extendTools``). The one definition both parsers read.
EXTEND_KEYS: dict[str, tuple[str, str]] = {
    f.name: (f"extend-{f.name}", f"extend{f.name.capitalize()}") for f in fields(Extensions)}


@dataclass
class Context:
    kind: str = "agent"
    plugin: bool = False  # a Claude Code plugin ships the file
    extensions: Extensions = field(default_factory=Extensions)
    workspace: "WorkspaceIndex | None" = None
    path: str | None = None
    target: str = CLAUDE_CODE  # the tool that loads the file (agentls.facts.targets)
    target_version: str | None = None  # `target-version` (None: the newest Claude Code the facts know)


def context_for(path: str | None, *, extensions: Extensions | None = None,
                workspace: "WorkspaceIndex | None" = None, kind: str | None = None,
                located: "str | os.PathLike | None" = None, target_version: str | None = None) -> Context:
    """The one place a lint context is built (issue 13): the command line, ``--fix`` and
    the server all come here. ``kind``: the discovered kind (default: the one ``path``'s
    location gives, else agent); ``located``: the path whose location says whether the
    file is a plugin's (default: ``path``); ``target_version``: the Claude Code version the
    configuration's `target-version` names."""
    # A discovered kind is a Location (it says which tool loads the file, also when the
    # configuration's `include` says so): the path need not be located again (~10 % of
    # a cold check's time went there); else the path's location says it.
    if isinstance(kind, Location):
        return Context(kind, bool(kind.plugin), extensions or Extensions(), workspace, path, kind.target,
                       target_version)
    where = located if located is not None else path
    found_kind, plugin = classify(where) if where else (None, False)
    loc = found_kind if kind is None or kind == found_kind else None
    if isinstance(loc, Location):
        return Context(loc, bool(loc.plugin), extensions or Extensions(), workspace, path, loc.target,
                       target_version)
    return Context(kind or found_kind or "agent", plugin, extensions or Extensions(), workspace, path,
                   target_version=target_version)
