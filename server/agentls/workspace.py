"""Finding agent files, and the cross-file facts rules need (names, skills)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .document import Document
from .paths import classify
from .text import Span

def normal_name(name: str) -> str:
    """Claude Code matches agent types ignoring case and separators (v2.1.140)."""
    return "-".join(name.replace("_", " ").replace("-", " ").lower().split())


SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache", "dist", "build"}


def discover(paths: list[str | Path], include_all: bool = False) -> list[tuple[Path, str]]:
    """Agent, skill and command files under ``paths``, as ``(path, kind)``, sorted.

    A file named explicitly is always checked (as an agent unless its location says
    otherwise); directories are walked for files whose location makes them agent files.
    """
    found: dict[Path, str] = {}
    for raw in paths:
        p = Path(raw)
        if p.is_file():
            kind = classify(p.resolve())[0] or "agent"
            found[p] = kind
            continue
        # Resolve the root once: classify() needs the folder names above relative paths,
        # and a resolve() per file costs a syscall per path component.
        resolved = p.resolve()
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and (not d.startswith(".") or d == ".claude"))
            real_root = resolved / os.path.relpath(root, p)
            for name in files:
                if not name.endswith((".md", ".MD", ".Md", ".mD")):
                    continue
                kind = classify(real_root / name)[0]
                if kind is not None:
                    found[Path(root) / name] = kind
    return sorted(found.items())


@dataclass(frozen=True, slots=True)
class AgentFacts:
    path: str
    name: str
    name_span: Span | None
    name_line: int
    description: str | None
    display: str  # a short path for messages


class WorkspaceIndex:
    """Names of agents and skills across the workspace, updated file by file."""

    def __init__(self, root: str | None = None) -> None:
        self.root = root
        self._agents: dict[str, AgentFacts] = {}
        self._by_name: dict[str, set[str]] = {}
        self._skills: dict[str, str] = {}  # path -> skill name

    # -- updates ------------------------------------------------------------------------
    def update(self, path: str, doc: Document | None, kind: str | None) -> None:
        self.remove(path)
        if doc is None or kind is None:
            return
        if kind == "skill":
            self._skills[path] = doc.name or Path(path).parent.name
            return
        if kind != "agent":
            return
        entry = doc.get("name")
        name = doc.name
        if not name or entry is None or entry.value is None:
            return
        facts = AgentFacts(path, name, entry.value.span, doc.index.line_of(entry.value.span.start),
                           doc.description, self._display(path))
        self._agents[path] = facts
        self._by_name.setdefault(normal_name(name), set()).add(path)

    def remove(self, path: str) -> None:
        old = self._agents.pop(path, None)
        if old is not None:
            paths = self._by_name.get(normal_name(old.name))
            if paths:
                paths.discard(path)
        self._skills.pop(path, None)

    # -- queries ------------------------------------------------------------------------
    def agents_named(self, name: str) -> list[AgentFacts]:
        return [self._agents[p] for p in sorted(self._by_name.get(normal_name(name), ()))]

    def agent(self, path: str) -> AgentFacts | None:
        return self._agents.get(path)

    @property
    def agents(self) -> list[AgentFacts]:
        return sorted(self._agents.values(), key=lambda a: a.path)

    @property
    def skill_names(self) -> list[str]:
        return sorted(set(self._skills.values()))

    def has_skill(self, name: str) -> bool:
        return not self._skills or name in self._skills.values()

    def _display(self, path: str) -> str:
        if self.root:
            try:
                return os.path.relpath(path, self.root)
            except ValueError:
                pass
        return path
