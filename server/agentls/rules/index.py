"""The workspace index: the cross-file facts rules need (agent names, skills), updated file
by file. Discovery, which fills it, is :mod:`agentls.engine.discovery`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from agentls.core.paths import display_path
from agentls.core.text import Span
from agentls.facts.targets import CLAUDE_CODE, Location, locate

if TYPE_CHECKING:
    from agentls.core.document import Document


def normal_name(name: str) -> str:
    """Claude Code matches agent types ignoring case and separators (v2.1.140)."""
    return "-".join(name.replace("_", " ").replace("-", " ").lower().split())


@dataclass(frozen=True, slots=True)
class AgentRecord:
    path: str
    name: str
    name_span: Span | None
    name_line: int
    description: str | None
    display: str  # a short path for messages
    # What Claude Code loads together with it (agentls.facts.targets.Location.tree): names
    # clash only within one tree. "" for a file no location places (named on the command line).
    tree: str = ""
    plugin: str = ""  # the plugin that ships it: its id is `plugin:name`, which shadows nothing


IndexEntry = tuple  # ("agent", AgentRecord) or ("skill", name): what one file adds to the index


class WorkspaceIndex:
    """Names of agents and skills across the workspace, updated file by file."""

    def __init__(self, root: str | None = None) -> None:
        self.root = root
        self._agents: dict[str, AgentRecord] = {}
        self._by_name: dict[str, set[str]] = {}
        self._named: dict[str, tuple[AgentRecord, ...]] = {}  # sorted agents_named, until a change
        self._by_tree: dict[tuple[str, str], set[str]] = {}  # (tree, normal name) -> paths
        self._named_in: dict[tuple[str, str], tuple[AgentRecord, ...]] = {}  # sorted, until a change
        self._skills: dict[str, str] = {}  # path -> skill name
        self._skill_count: dict[str, int] = {}  # skill name -> how many paths have it
        self.version = 0  # counts every add and remove: a cheap "has anything changed?"

    # -- updates ------------------------------------------------------------------------
    def update(self, path: str, doc: Document | None, kind: str | None) -> None:
        self.remove(path)
        if doc is not None and kind is not None:
            self.add(path, self.entry_for(path, doc, kind))

    def entry_for(self, path: str, doc: Document, kind: str) -> "IndexEntry | None":
        """What the index keeps of one file (picklable: worker processes send these)."""
        if kind == "skill":
            return ("skill", doc.name or Path(path).parent.name)
        if kind != "agent":
            return None
        loc = kind if isinstance(kind, Location) else locate(path)
        if loc is not None and loc.target != CLAUDE_CODE:
            return None  # the index holds what Claude Code loads (its rules read it)
        entry = doc.get("name")
        name = doc.name
        if not name or entry is None or entry.value is None:
            return None
        return ("agent", AgentRecord(path, name, entry.value.span, doc.index.line_of(entry.value.span.start),
                                    doc.description, self._display(path),
                                    loc.tree if loc is not None else "", loc.plugin if loc is not None else ""))

    def add(self, path: str, entry: "IndexEntry | None") -> None:
        if entry is None:
            return
        self.version += 1
        if entry[0] == "skill":
            self._forget_skill(path)  # added again without a remove: counted once
            self._skills[path] = entry[1]
            self._skill_count[entry[1]] = self._skill_count.get(entry[1], 0) + 1
            return
        facts = entry[1]
        self._agents[path] = facts
        key = normal_name(facts.name)
        self._by_name.setdefault(key, set()).add(path)
        self._named.pop(key, None)
        self._by_tree.setdefault((facts.tree, key), set()).add(path)
        self._named_in.pop((facts.tree, key), None)

    def remove(self, path: str) -> None:
        self.version += 1
        old = self._agents.pop(path, None)
        if old is not None:
            key = normal_name(old.name)
            paths = self._by_name.get(key)
            if paths:
                paths.discard(path)
            self._named.pop(key, None)
            paths = self._by_tree.get((old.tree, key))
            if paths:
                paths.discard(path)
            self._named_in.pop((old.tree, key), None)
        self._forget_skill(path)

    def _forget_skill(self, path: str) -> None:
        skill = self._skills.pop(path, None)
        if skill is not None:
            left = self._skill_count[skill] - 1
            if left:
                self._skill_count[skill] = left
            else:
                del self._skill_count[skill]

    # -- queries ------------------------------------------------------------------------
    def agents_named(self, name: str) -> list[AgentRecord]:
        return list(self.agents_named_sorted(name))

    def agents_named_sorted(self, name: str) -> tuple[AgentRecord, ...]:
        """``agents_named`` without the copy, sorted once until the name's files change:
        linting each of ``k`` files that share a name then costs ``O(k)``, not ``O(k² log k)``."""
        key = normal_name(name)
        found = self._named.get(key)
        if found is None:
            found = self._named[key] = tuple(self._agents[p] for p in sorted(self._by_name.get(key, ())))
        return found

    def agents_named_in(self, tree: str, name: str) -> tuple[AgentRecord, ...]:
        """The agents of one tree (what Claude Code loads together) with this name, sorted
        by path and kept until they change, as ``agents_named_sorted``."""
        key = (tree, normal_name(name))
        found = self._named_in.get(key)
        if found is None:
            found = self._named_in[key] = tuple(self._agents[p] for p in sorted(self._by_tree.get(key, ())))
        return found

    def agent(self, path: str) -> AgentRecord | None:
        return self._agents.get(path)

    @property
    def agents(self) -> list[AgentRecord]:
        return sorted(self._agents.values(), key=lambda a: a.path)

    @property
    def skill_names(self) -> list[str]:
        return sorted(set(self._skills.values()))

    def skills(self) -> list[tuple[str, str]]:
        """``(path, name)`` of every indexed skill, sorted by path."""
        return sorted(self._skills.items())

    def skill(self, path: str) -> str | None:
        """The skill name indexed for the ``SKILL.md`` at ``path`` (``None``: not a skill)."""
        return self._skills.get(path)

    def paths_under(self, prefix: str) -> list[str]:
        """The indexed files whose path starts with ``prefix``: agents (by path), then skills."""
        return [p for p in sorted(self._agents) if p.startswith(prefix)] + \
            [p for p in list(self._skills) if p.startswith(prefix)]

    def has_skill(self, name: str) -> bool:
        return not self._skills or name in self._skill_count

    def _display(self, path: str) -> str:
        if self.root:
            return display_path(path, self.root)
        return path
