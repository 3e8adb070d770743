"""Finding agent files, and the cross-file facts rules need (names, skills)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .config import CONFIG_FILES
from .document import Document
from .output import display_path
from .paths import classify
from .text import Span

def normal_name(name: str) -> str:
    """Claude Code matches agent types ignoring case and separators (v2.1.140)."""
    return "-".join(name.replace("_", " ").replace("-", " ").lower().split())


# The names the configuration lookup looks for (discovery notes folders without any).
CONFIG_NAMES = frozenset(CONFIG_FILES)

SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache", "dist", "build"}


def discover(paths: list[str | Path], include_all: bool = False,
             no_config: set[str] | None = None) -> list[tuple[Path, str]]:
    """Agent, skill and command files under ``paths``, as ``(path, kind)``, sorted.

    A file named explicitly is always checked (as an agent unless its location says
    otherwise); directories are walked for files whose location makes them agent files.
    ``no_config``: if given, receives each walked folder (absolute) that holds no file
    named like a configuration file, which the configuration lookup then need not ask
    the file system about again.
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
        _walk(os.fspath(p), resolved, found, no_config)
    # Sorted as paths (by component), which is not the order of the strings; "a/b.md"
    # and "./a/b.md" named twice are one file.
    keyed = {}
    for text, kind in found.items():
        keyed.setdefault(tuple(c for c in text.split(os.sep) if c and c != "."), (text, kind))
    return [(Path(text), kind) for _, (text, kind) in sorted(keyed.items())]


def _walk(top: str, resolved: str, found: dict[str, str], no_config: set[str] | None = None) -> None:
    """``os.walk`` without its per-folder ``lstat`` and sorting: ``os.scandir`` already
    knows which entries are folders and symbolic links (linked folders are not entered,
    as with ``os.walk``). ``resolved`` is ``top`` resolved: classify() needs the folder
    names above a relative path, and resolving each file would cost a syscall per part."""
    stack = [(top, resolved)]
    join = os.path.join
    while stack:
        folder, real = stack.pop()
        try:
            entries = os.scandir(folder)
        except OSError:
            continue
        config_named = False
        with entries:
            for entry in entries:
                name = entry.name
                if name in CONFIG_NAMES:
                    config_named = True
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    if name in SKIP_DIRS or (name.startswith(".") and name != ".claude"):
                        continue
                    try:
                        if entry.is_symlink():
                            continue
                    except OSError:
                        continue
                    stack.append((join(folder, name), join(real, name)))
                elif name[-3:].lower() == ".md":
                    kind = classify(join(real, name))[0]
                    if kind is not None:
                        found[join(folder, name)] = kind
        if no_config is not None and not config_named:
            no_config.add(os.path.abspath(folder))


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
