"""Which tool loads a file, as what, and with which other files (issue 14, parts 2 and 4).

A *target* is a tool that loads agent Markdown files: Claude Code, Gemini CLI, GitHub
Copilot (VS Code and the cloud agent), Cursor, OpenCode. Each target lists the places it
loads files from (:class:`Place`), with the kind each place gives and the source that says
so. :func:`locate` reads a path the way the tools do and returns a :class:`Location`:
the file's kind (``agent``, ``skill``, ``command`` for Claude Code; ``agent``, ``prompt``,
``instructions``, ``rule`` for the others), its target, its scope and its *tree*, the set
of files the tool loads together (the files whose names can clash).

A file no tool loads is not an agent file (``None``): a README, documentation and its
translations (``docs/zh/agents/x.md``), a folder inside a plugin that its manifest does
not declare, an ``agents`` folder that is a skill's resource.

Claude Code plugins: a folder holding ``.claude-plugin/plugin.json`` is a plugin root;
so is a folder a ``.claude-plugin/marketplace.json`` above it names as a plugin's
``source``. The manifest's ``agents``, ``commands`` and ``skills`` (a path or a list,
each ``./``-relative, a folder or a file) say where the plugin's files are; without one,
``agents/``, ``commands/`` and ``skills/<name>/SKILL.md`` are (``DEFAULT_FOLDERS``).
A declared path *replaces* its default (the plugins reference since 2026-09: "For
`skills`, `commands`, `agents`, `outputStyles`, `themes`, and `monitors`, a custom path
replaces the default"; until then the docs said custom paths supplement the defaults).

An ``agents``/``commands`` folder or a ``skills/<name>/SKILL.md`` with no plugin manifest
above it and no tool folder (``.claude``) is read as a Claude Code file in a *library*
(a folder of agents kept to be copied into ``.claude/agents``, the usual layout of agent
collections): checked as Claude Code reads it, but not as a plugin's (``permissionMode``
is honoured there) and only clashing with the files of its own folder. Under a
documentation folder (``DOC_FOLDERS``) such a folder is documentation, not agents.

This module reads the plugin manifests it needs (cached by folder; :func:`forget` drops
the cache when a manifest changes); everything else is string work on the path, as
:func:`locate` runs once per file of a 10,000-file workspace.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import PurePath
from typing import Self

from agentls.facts import KINDS

# -- the targets ------------------------------------------------------------------------
CLAUDE_CODE = "claude-code"
GEMINI_CLI = "gemini"
COPILOT = "copilot"
CURSOR = "cursor"
OPENCODE = "opencode"


@dataclass(frozen=True)
class Place:
    """One place a tool loads files from: files named ``*<suffix>`` in the folder
    ``folder`` (consecutive folder names, e.g. ``(".claude", "agents")``), below it too when
    ``recursive``; with ``skill``, ``<folder>/<skill name>/SKILL.md``."""

    kind: str
    folder: tuple[str, ...]
    suffix: str = ".md"
    recursive: bool = False
    skill: bool = False
    scope: str = "project"
    source: str = ""

    @property
    def pattern(self) -> str:
        """The place as a glob, for messages and the docs."""
        base = "/".join(self.folder)
        if self.skill:
            return f"{base}/<name>/SKILL.md"
        return f"{base}/{'**/' if self.recursive else ''}*{self.suffix}"


@dataclass(frozen=True)
class Target:
    id: str
    name: str  # as shown to people: "Claude Code"
    kinds: tuple[str, ...]  # the kinds of file it loads, the first its main one
    places: tuple[Place, ...]
    source: str  # where the locations are documented
    anywhere: tuple[Place, ...] = ()  # files it loads by their name wherever they are

    @property
    def default_kind(self) -> str:
        return self.kinds[0]


_CC_SUB = "https://code.claude.com/docs/en/sub-agents#choose-the-subagent-scope"
_CC_SKILLS = "https://code.claude.com/docs/en/skills"
_CC_PLUG = "https://code.claude.com/docs/en/plugins-reference#plugin-directory-structure"
_GEM = "https://github.com/google-gemini/gemini-cli/blob/main/docs/core/subagents.md"
_VS_AGENT = "https://code.visualstudio.com/docs/copilot/customization/custom-agents"
_GH_AGENT = "https://docs.github.com/en/copilot/reference/custom-agents-configuration"
_VS_PROMPT = "https://code.visualstudio.com/docs/copilot/customization/prompt-files"
_VS_INSTR = "https://code.visualstudio.com/docs/copilot/customization/custom-instructions"
_CUR_RULES = "https://docs.cursor.com/context/rules"
_CUR_SUB = "https://cursor.com/docs/subagents"
_OC = "https://opencode.ai/docs/agents"

TARGETS: dict[str, Target] = {t.id: t for t in (
    Target(CLAUDE_CODE, "Claude Code", KINDS, (
        # Project (.claude/agents walked up from the working folder), user (~/.claude/agents)
        # and managed settings folders all have this shape; sub-folders are scanned and do
        # not change identity.
        Place("agent", (".claude", "agents"), recursive=True, source=_CC_SUB),
        Place("command", (".claude", "commands"), recursive=True, source=_CC_SKILLS),
        Place("skill", (".claude", "skills"), skill=True, source=_CC_SKILLS),
    ), f"{_CC_SUB}; {_CC_SKILLS}; {_CC_PLUG}"),
    Target(GEMINI_CLI, "Gemini CLI", ("agent",), (
        Place("agent", (".gemini", "agents"), source=_GEM),
    ), _GEM),
    Target(COPILOT, "GitHub Copilot", ("agent", "prompt", "instructions"), (
        # VS Code treats any .md in .github/agents as an agent (agent-format.md 3.4).
        Place("agent", (".github", "agents"), source=f"{_VS_AGENT}; {_GH_AGENT}"),
        Place("agent", (".github", "chatmodes"), suffix=".chatmode.md", source=_VS_AGENT),  # before VS Code 1.106
        Place("agent", (".copilot", "agents"), scope="user", source=_GH_AGENT),
        Place("prompt", (".github", "prompts"), suffix=".prompt.md", source=_VS_PROMPT),
        Place("instructions", (".github", "instructions"), suffix=".instructions.md", recursive=True,
              source=_VS_INSTR),
    ), f"{_VS_AGENT}; {_GH_AGENT}; {_VS_PROMPT}; {_VS_INSTR}",
        anywhere=(Place("agent", (), suffix=".agent.md", source=_VS_AGENT),)),
    Target(CURSOR, "Cursor", ("rule", "agent"), (
        Place("rule", (".cursor", "rules"), suffix=".mdc", recursive=True, source=_CUR_RULES),
        Place("rule", (".cursor", "rules"), suffix=".md", recursive=True, source=_CUR_RULES),
        Place("agent", (".cursor", "agents"), source=_CUR_SUB),
    ), f"{_CUR_RULES}; {_CUR_SUB}"),
    Target(OPENCODE, "OpenCode", ("agent",), (
        # V2 (the default install since 2026-11): nested paths become the agent id;
        # `agent/` is V1's (legacy) folder name.
        Place("agent", (".opencode", "agents"), recursive=True, source=_OC),
        Place("agent", (".opencode", "agent"), recursive=True, source=_OC),
        Place("agent", (".config", "opencode", "agents"), recursive=True, scope="user", source=_OC),
        Place("agent", (".config", "opencode", "agent"), recursive=True, scope="user", source=_OC),
    ), _OC),
)}

# Every target, and every kind of file some target loads (for rules about agentls itself,
# such as its suppression comments, which hold in every tool's files).
ALL_TARGETS: tuple[str, ...] = tuple(TARGETS)
ALL_KINDS: tuple[str, ...] = tuple(dict.fromkeys(k for t in TARGETS.values() for k in t.kinds))

# Frontmatter keys only one tool's agents have: a Markdown file with an agent's `name` and
# `description` and one of these is probably that tool's (the `include` hint suggests it).
# Claude Code's own keys are not listed: it is the guess when none of these is there.
SIGNATURE_KEYS: dict[str, tuple[str, ...]] = {
    GEMINI_CLI: ("max_turns", "timeout_mins", "mcp_servers"),  # agent-format.md 3.7
    COPILOT: ("handoffs", "infer", "mcp-servers"),  # 3.4
    CURSOR: ("readonly", "is_background", "alwaysApply", "globs"),  # 3.6
    OPENCODE: ("mode", "permission", "steps", "top_p"),  # 3.5
}


def guess_target(keys) -> str:
    """The tool a file with these frontmatter keys is most likely written for."""
    keys = set(keys)
    for target, signature in SIGNATURE_KEYS.items():
        if keys.intersection(signature):
            return target
    return CLAUDE_CODE


# A Claude Code plugin's component folders when its manifest names none (plugin.json's
# keys; each folder is the plugin's, relative to its root).
DEFAULT_FOLDERS = {"agents": ("agent", "./agents"), "commands": ("command", "./commands"),
                   "skills": ("skill", "./skills")}
MANIFEST = (".claude-plugin", "plugin.json")
MARKETPLACE = (".claude-plugin", "marketplace.json")

# Files in an agents folder that are documentation by convention, not agents.
DOC_NAMES = frozenset({"readme.md", "changelog.md", "contributing.md", "license.md"})
# Folders whose agents/commands folders document agents (or translate those docs) rather
# than hold them, when no plugin manifest says otherwise.
DOC_FOLDERS = frozenset({"docs", "doc", "documentation", "i18n", "l10n", "locales", "translations"})


def target_name(target: str | None) -> str:
    """How a target is shown (``Claude Code``); an unknown id as it is."""
    t = TARGETS.get(target or "")
    return t.name if t is not None else (target or "")


# -- a file's location --------------------------------------------------------------------
class Location(str):
    """A file's kind (the string itself: ``"agent"``) and which tool loads it, with what.

    A ``str``, so the check pipeline, which hands kinds from discovery to the parser and
    the rules, carries the location unchanged; it compares equal to its kind.

    * ``target``: the tool (``claude-code``, ...);
    * ``scope``: ``project``, ``user``, ``plugin``, ``library`` (an ``agents`` folder no
      manifest declares: see the module docs) or ``included`` (the configuration's
      ``include`` says so);
    * ``tree``: what the tool loads together, the files whose names can clash: one
      ``.claude/agents`` folder; one plugin's (and sub-folder's, part of a plugin
      agent's id) agents; one library folder.
    * ``plugin``: the plugin's name, for a file a Claude Code plugin ships (its agents
      are ``plugin:name`` and shadow nothing); ``""`` otherwise.
    """

    target: str
    scope: str
    tree: str
    plugin: str

    def __new__(cls, kind: str, target: str = CLAUDE_CODE, scope: str = "project", tree: str = "",
                plugin: str = "") -> Self:
        self = super().__new__(cls, kind)
        self.target, self.scope, self.tree, self.plugin = target, scope, tree, plugin
        return self

    @property
    def kind(self) -> str:
        return str(self)

    def __reduce__(self):  # worker processes send these (agentls.cli.parallel)
        return (Location, (str(self), self.target, self.scope, self.tree, self.plugin))

    def __repr__(self) -> str:
        extra = f", plugin={self.plugin!r}" if self.plugin else ""
        return f"Location({str(self)!r}, {self.target!r}, {self.scope!r}{extra})"

    @property
    def same(self) -> tuple:
        """Everything the location says, for comparisons (``==`` compares the kind only)."""
        return (str(self), self.target, self.scope, self.tree, self.plugin)


def location_of(kind: str | None, target: str | None = None) -> Location | None:
    """``kind`` as a :class:`Location`: itself when it is one, else ``target``'s (default
    Claude Code) file of that kind."""
    if kind is None or isinstance(kind, Location):
        return kind
    return Location(kind, target or CLAUDE_CODE, "included" if target else "project")


# The tool folders whose places are looked up below them, by folder name.
_BY_FOLDER: dict[str, list[tuple[Target, Place]]] = {}
for _t in TARGETS.values():
    for _p in _t.places:
        _BY_FOLDER.setdefault(_p.folder[0], []).append((_t, _p))
_ANYWHERE = [(t, p) for t in TARGETS.values() for p in t.anywhere]
# The hidden folders some tool loads files from: discovery walks into these.
TOOL_FOLDERS = frozenset(f for f in _BY_FOLDER if f.startswith("."))
_HOME = os.path.expanduser("~").replace(os.sep, "/").rstrip("/")
_HOME_NAME = _HOME.rpartition("/")[2]


def classify(path: str | PurePath) -> tuple[Location | None, bool]:
    """``(kind, plugin)`` for a path: the file's :class:`Location` (a ``str``, its kind)
    or ``None`` when no tool loads it, and whether a Claude Code plugin ships it (the
    shape callers from before targets use; :func:`locate` gives the location alone)."""
    found = locate(path)
    return (found, bool(found.plugin)) if found is not None else (None, False)


def locate(path: str | PurePath) -> Location | None:
    """Which tool loads the file at ``path`` (absolute, or relative to the folder whose
    names count), as what: a :class:`Location`, or ``None`` when no tool loads it.

    The deepest tool folder (``.claude``, ``.gemini``, ``.github``, ``.cursor``,
    ``.opencode``...) decides; below none, a Claude Code plugin's manifest or the
    ``agents``/``commands``/``skills`` folders (see the module docs); then the files
    tools load by name wherever they are (Copilot's ``*.agent.md``).
    """
    text = os.fspath(path)
    lower = text[-4:].lower()
    if lower != ".mdc" and lower[1:] != ".md":
        return None
    if os.sep != "/":
        text = text.replace(os.sep, "/")
    name = text.rpartition("/")[2]
    return located(_folder_facts(text[:-len(name)]), name)


class Folder:
    """What a file's location owes to its folder alone (the names above it), worked out
    once per folder: :func:`locate` runs once per file of a 10,000-file workspace, and
    its files share a few thousand folders. Each folder's facts follow from its parent's
    and its own name (:meth:`child`), so a walk pays one step per folder, not one per
    name above it. Plain string work on the path."""

    __slots__ = (
        "depth",
        "documentation",
        "library",
        "name",
        "path",
        "pending",
        "places",
        "skills",
        "tool",
        "under_agents",
        "under_skills",
    )

    path: str  # "/"-separated, without "." or empty names; "/" or "" at the top
    depth: int  # how many names the path has
    tool: bool  # below (or being) a tool folder (.claude, .github...)
    # The places this folder is in, deepest tool folder first: (depth of the tool folder,
    # order, depth of the place's folder, place, target, scope, tree).
    places: tuple
    # Places of the tool folders above whose folder names have begun, not ended, here:
    # (depth of the tool folder, order, target, place, names matched, scope).
    pending: tuple
    documentation: bool  # under a documentation folder (DOC_FOLDERS)
    # A library's skill folder (`skills/<name>`): its tree; "" under documentation;
    # None: this is no skill's folder.
    skills: str | None
    # The library agents/commands folder (not a skill's resource, not documentation)
    # this folder is in: (kind, tree), else None.
    library: tuple[str, str] | None
    under_skills: bool  # a name is "skills"
    under_agents: bool  # a name is "agents" (which decides over "commands")
    name: str

    @classmethod
    def top(cls, absolute: bool) -> Folder:
        f = cls.__new__(cls)
        f.path, f.depth, f.tool, f.places, f.pending = ("/" if absolute else ""), 0, False, (), ()
        f.documentation, f.skills, f.library, f.under_skills, f.under_agents, f.name = False, None, None, False, False, ""
        return f

    @classmethod
    def of(cls, folder: str) -> Folder:
        """The facts of ``folder`` ("/"-separated; a trailing "/" or not)."""
        f = cls.top(folder.startswith("/"))
        for name in folder.split("/"):
            if name and name != ".":
                f = f.child(name)
        return f

    def child(self, name: str) -> Folder:
        """The facts of the folder ``name`` in this one."""
        f = Folder.__new__(Folder)
        f.name = name
        f.path = (self.path + "/" + name) if self.depth else (self.path + name)
        depth = f.depth = self.depth + 1
        places = self.places
        pending = []
        for i, order, target, place, matched, scope in self.pending:
            if place.folder[matched] != name:
                continue  # another folder: never this place
            if matched + 1 == len(place.folder):
                places = _placed(places, (i, order, depth, place, target, scope, f.path))
            else:
                pending.append((i, order, target, place, matched + 1, scope))
        by_folder = _BY_FOLDER.get(name)
        f.tool = self.tool or by_folder is not None
        if by_folder is not None:
            i = depth - 1
            home = bool(_HOME) and self.depth >= 1 and self.path == _HOME
            for order, (target, place) in enumerate(by_folder):
                scope = place.scope if place.scope != "project" else ("user" if home else "project")
                if len(place.folder) == 1:
                    places = _placed(places, (i, order, depth, place, target, scope, f.path))
                else:
                    pending.append((i, order, target, place, 1, scope))
        f.places, f.pending = places, tuple(pending)
        lower = name.lower()
        f.documentation = self.documentation or lower in DOC_FOLDERS
        f.skills = None
        if self.name == "skills" and self.depth >= 1:
            f.skills = "" if f.documentation else self.path
        f.library, f.under_agents = self.library, self.under_agents
        if name == "agents" or (name == "commands" and not self.under_agents):
            kind = "agent" if name == "agents" else "command"
            f.library = None if self.under_skills or self.documentation else (kind, f.path)
            f.under_agents = self.under_agents or name == "agents"
        f.under_skills = self.under_skills or name == "skills"
        return f


def _placed(places: tuple, place: tuple) -> tuple:
    # Deepest tool folder first, then in the order the targets list their places.
    return tuple(sorted((*places, place), key=lambda p: (-p[0], p[1])))


@functools.lru_cache(maxsize=65536)
def _folder_facts(folder: str) -> Folder:
    return Folder.of(folder)


def located(folder: Folder, name: str, plugin_of=None) -> Location | None:
    """:func:`locate` of the file ``name`` in ``folder`` (its :class:`Folder`).
    ``plugin_of(folder)``: the plugin whose root is that folder or above it (default
    :func:`_plugin_of`; discovery passes one that knows which folders it listed)."""
    lower = name.lower()
    if lower in DOC_NAMES:
        return None
    for _, _, depth, place, target, scope, tree in folder.places:
        rest = folder.depth - depth  # folders below the place's
        if place.skill:
            if name == "SKILL.md" and rest == 1:
                return Location(place.kind, target.id, scope, tree)
            continue
        # Suffixes compare without case, as the editor integrations' file patterns do
        # (`Upper.MD` in an agents folder is linted, as before issue 14).
        if not lower.endswith(place.suffix) or (rest and not place.recursive):
            continue
        return Location(place.kind, target.id, scope, tree)
    md = lower.endswith(".md")
    if md:
        plugin = (plugin_of or _plugin_of)(folder.path)
        if plugin is not None:  # a plugin's manifest decides what in its folder is loaded
            return _in_plugin(plugin, folder.path, name)
    if not folder.documentation:
        for target, place in _ANYWHERE:
            if lower.endswith(place.suffix):
                return Location(place.kind, target.id, place.scope, folder.path)
    # In a tool folder, only its own places are loaded (`.gemini/agents/sub/x.md` is not).
    if not md or folder.tool:
        return None
    if name == "SKILL.md" and folder.skills is not None:
        return Location("skill", CLAUDE_CODE, "library", folder.skills) if folder.skills else None
    if folder.library is not None:
        return Location(folder.library[0], CLAUDE_CODE, "library", folder.library[1])
    return None


# -- Claude Code plugins ----------------------------------------------------------------------
@dataclass(frozen=True)
class Plugin:
    root: str  # the plugin's folder (as the path was given: "/" separated)
    name: str
    folders: dict  # plugin.json key -> (kind, ((relative path, is a file), ...))


def _in_plugin(plugin: Plugin, folder: str, name: str) -> Location | None:
    rel_folder = folder[len(plugin.root):].lstrip("/")
    rel = f"{rel_folder}/{name}" if rel_folder else name
    for kind, declared in plugin.folders.values():
        for where, is_file in declared:
            if is_file:
                if rel == where:
                    return Location(kind, CLAUDE_CODE, "plugin", f"{plugin.root}#{where}", plugin.name)
                continue
            prefix = where + "/" if where else ""
            if not rel.startswith(prefix):
                continue
            below = rel[len(prefix):].split("/")
            if kind == "skill":
                if name == "SKILL.md" and len(below) == 2:
                    return Location(kind, CLAUDE_CODE, "plugin", f"{plugin.root}#{where}", plugin.name)
                continue
            # A plugin agent's sub-folders are part of its id (`plugin:sub:name`).
            sub = "/".join(below[:-1])
            return Location(kind, CLAUDE_CODE, "plugin", f"{plugin.root}#{where}#{sub}", plugin.name)
    return None


def _plugin_of(folder: str, start: str | None = None) -> Plugin | None:
    """The plugin whose root is ``folder`` or above it, if any. ``start``: where to look
    for manifests from, ``folder`` or a folder above it when none of those between can
    hold one (:class:`Walk`)."""
    start = folder if start is None else start
    root = _manifest_root(start)
    if root is not None:
        return _read_plugin(root, _stamp(root, MANIFEST))
    return _marketplace_plugin(folder, start)


class Walk:
    """:func:`locate` for the files of one walk of a folder tree (discovery's), which
    lists each folder: a folder listed without a ``.claude-plugin`` entry holds no plugin
    manifest, so no ``stat`` asks (two per folder were a fifth of a 10,000-file
    discovery), and each folder's plugin is looked up once, not once per file. What the
    walk saw is one moment's: a walk is not kept beyond one discovery."""

    __slots__ = ("_bare", "_folder", "_plugin")

    def __init__(self) -> None:
        self._bare: set[str] = set()  # listed folders without a .claude-plugin entry
        # The plugin of the folder asked last: a walk asks for a folder's files together.
        self._folder: str | None = None
        self._plugin: Plugin | None = None

    @staticmethod
    def top(folder: str) -> Folder:
        """The :class:`Folder` of the walk's top ``folder`` (its children's: :meth:`Folder.child`)."""
        return _folder_facts(folder.replace(os.sep, "/") if os.sep != "/" else folder)

    def listed(self, folder: Folder, plugin_folder: bool) -> None:
        """The walk listed ``folder``; ``plugin_folder``: an entry of it is named
        ``.claude-plugin`` (in any case)."""
        if not plugin_folder:
            self._bare.add(folder.path)

    def locate(self, folder: Folder, name: str) -> Location | None:
        """:func:`locate` of the file ``name`` in ``folder``, which the walk listed."""
        return located(folder, name, self._plugin_of)

    def _plugin_of(self, folder: str) -> Plugin | None:
        if folder == self._folder:
            return self._plugin
        start: str | None = folder
        while start in self._bare:
            start = _parent(start)
        self._folder, self._plugin = folder, None if start is None else _plugin_of(folder, start)
        return self._plugin


def _parent(folder: str) -> str | None:
    """The folder above ``folder`` ("/"-separated); None above the top (or a relative
    path's first folder: what is above it is not the path's)."""
    if folder in ("", "/"):
        return None
    head = folder.rpartition("/")[0]
    if not head:
        return "/" if folder.startswith("/") else None
    return head


@functools.lru_cache(maxsize=65536)
def _manifest_root(folder: str) -> str | None:
    if os.path.isfile(os.path.join(folder, *MANIFEST)):
        return folder
    parent = _parent(folder)
    return None if parent is None else _manifest_root(parent)


def _stamp(root: str, manifest: tuple[str, ...]):
    try:
        st = os.stat(os.path.join(root, *manifest))
        return (st.st_mtime_ns, st.st_size)
    except OSError:
        return None


def _paths(value, default: str) -> tuple[tuple[str, bool], ...]:
    """A manifest's component paths (``"./x"`` or a list of them) as ``(relative, is a file)``."""
    if value is None:
        value = [default]
    elif isinstance(value, str):
        value = [value]
    elif not isinstance(value, list):
        return ()
    out = []
    for item in value:
        if not isinstance(item, str):
            continue
        rel = item.strip().replace("\\", "/")
        while rel.startswith("./"):
            rel = rel[2:]
        if rel.startswith(("/", "../")) or rel == "..":
            continue  # a plugin cannot reach outside its folder
        rel = rel.rstrip("/")
        out.append((rel, rel.lower().endswith(".md")))
    return tuple(out)


def _components(meta: dict) -> dict:
    return {key: (kind, _paths(meta.get(key), default)) for key, (kind, default) in DEFAULT_FOLDERS.items()}


@functools.lru_cache(maxsize=4096)
def _read_plugin(root: str, stamp) -> Plugin:
    meta: dict = {}
    try:
        with open(os.path.join(root, *MANIFEST), "rb") as fh:
            data = json.loads(fh.read(1024 * 1024).decode("utf-8", "replace"))
        if isinstance(data, dict):
            meta = data
    except (OSError, ValueError):
        pass  # a broken manifest: Claude Code's defaults are the best guess
    name = meta.get("name") if isinstance(meta.get("name"), str) else root.rpartition("/")[2]
    return Plugin(root, name, _components(meta))


@functools.lru_cache(maxsize=65536)
def _marketplace_root(folder: str) -> str | None:
    if os.path.isfile(os.path.join(folder, *MARKETPLACE)):
        return folder
    parent = _parent(folder)
    return None if parent is None else _marketplace_root(parent)


def _marketplace_plugin(folder: str, start: str | None = None) -> Plugin | None:
    """A plugin that a marketplace above ``folder`` declares by its source folder (its
    entry's ``agents``... when the plugin has no ``plugin.json``); ``start``: as for
    :func:`_plugin_of`."""
    market = _marketplace_root(folder if start is None else start)
    if market is None:
        return None
    for plugin in _read_marketplace(market, _stamp(market, MARKETPLACE)):
        if folder == plugin.root or folder.startswith(plugin.root + "/"):
            return plugin
    return None


@functools.lru_cache(maxsize=1024)
def _read_marketplace(root: str, stamp) -> tuple[Plugin, ...]:
    try:
        with open(os.path.join(root, *MARKETPLACE), "rb") as fh:
            data = json.loads(fh.read(4 * 1024 * 1024).decode("utf-8", "replace"))
    except (OSError, ValueError):
        return ()
    entries = data.get("plugins") if isinstance(data, dict) else None
    out = []
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict) or not isinstance(entry.get("source"), str):
            continue  # a plugin fetched from elsewhere (github, url): not in this folder
        rel = _paths(entry["source"], ".")
        if not rel:
            continue
        base = rel[0][0]
        plugin_root = f"{root}/{base}" if base else root
        name = entry.get("name") if isinstance(entry.get("name"), str) else plugin_root.rpartition("/")[2]
        out.append(Plugin(plugin_root, name, _components(entry)))
    # The deepest source first: a plugin inside another's folder is its own.
    return tuple(sorted(out, key=lambda p: -len(p.root)))


def forget() -> None:
    """Drop what was read of plugin manifests and where they are (a manifest appeared,
    changed or went)."""
    _manifest_root.cache_clear()
    _marketplace_root.cache_clear()
    _read_plugin.cache_clear()
    _read_marketplace.cache_clear()
