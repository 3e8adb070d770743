"""Finding agent files, and the cross-file facts rules need (names, skills)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .document import Document
from .output import display_path
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
    found: dict[str, str] = {}
    for raw in paths:
        p = Path(raw)
        if p.is_file():
            kind = classify(p.resolve())[0] or "agent"
            found[os.fspath(p)] = kind
            continue
        # Resolve the root once: classify() needs the folder names above relative paths,
        # and a resolve() per file costs a syscall per path component.
        resolved = str(p.resolve())
        top = os.fspath(p)
        for root, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and (not d.startswith(".") or d == ".claude"))
            # os.walk's folders all start with ``top``: swap it for the resolved root.
            rest = root[len(top):]
            if rest and not rest.startswith(os.sep):
                rest = os.sep + rest
            real_root = resolved + rest
            for name in files:
                if not name.endswith((".md", ".MD", ".Md", ".mD")):
                    continue
                kind = classify(os.path.join(real_root, name))[0]
                if kind is not None:
                    found[os.path.join(root, name)] = kind
    # Sorted as paths (by component), which is not the order of the strings.
    ordered = sorted(found.items(), key=lambda kv: [c for c in kv[0].split(os.sep) if c and c != "."])
    out: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for text, kind in ordered:
        path = Path(text)
        if path not in seen:  # "a/b.md" and "./a/b.md" named twice are one file
            seen.add(path)
            out.append((path, kind))
    return out


@dataclass(frozen=True, slots=True)
class AgentFacts:
    path: str
    name: str
    name_span: Span | None
    name_line: int
    description: str | None
    display: str  # a short path for messages


Entry = tuple  # ("agent", AgentFacts) or ("skill", name)


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
        if doc is not None and kind is not None:
            self.add(path, self.entry_for(path, doc, kind))

    def entry_for(self, path: str, doc: Document, kind: str) -> "Entry | None":
        """What the index keeps of one file (picklable: worker processes send these)."""
        if kind == "skill":
            return ("skill", doc.name or Path(path).parent.name)
        if kind != "agent":
            return None
        entry = doc.get("name")
        name = doc.name
        if not name or entry is None or entry.value is None:
            return None
        return ("agent", AgentFacts(path, name, entry.value.span, doc.index.line_of(entry.value.span.start),
                                    doc.description, self._display(path)))

    def add(self, path: str, entry: "Entry | None") -> None:
        if entry is None:
            return
        if entry[0] == "skill":
            self._skills[path] = entry[1]
            return
        facts = entry[1]
        self._agents[path] = facts
        self._by_name.setdefault(normal_name(facts.name), set()).add(path)

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
            return display_path(path, self.root)
        return path
