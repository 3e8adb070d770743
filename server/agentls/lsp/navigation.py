"""Go to definition, find references, workspace symbols and rename: thin glue around
:mod:`agentls.services.navigation` and :mod:`agentls.services.rename`.

The server keeps a :class:`~agentls.services.navigation.ReferenceIndex` of what each
agent, skill and command file names (feature state ``navigation.references``). Before
a request that needs the whole workspace (references, rename, workspace symbols of
commands) it is brought up to date: open documents by their parsed version; agents on
disk by the workspace index's record of them (the server makes a new one whenever it
re-reads the file: a watched-file event or its disk poller), with no system call; other
files (skills, commands, agents without a name) by ``(mtime, size)``. Only what changed
is read again. The files it knows are the scan's and those the disk showed since
(watched-file events or the poller: a command created later is found, a deleted one
forgotten; :meth:`agentls.lsp.scan.DiskMirror.disk_paths`). It is first built in the
background (:meth:`NavigationState.warm`) when the start-up scan ends, or, past
:data:`MAX_WARM_FILES` files, once an editor asks for symbols, folding, code lenses or
a definition. Definitions of agents and skills come from the workspace index directly,
commands from the files known; a request that needs the reference index before its
first build is done waits for that build, which yields to the event loop every
:data:`WARM_BATCH` files read.
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.uris import from_fs_path

from agentls.core.document import Document
from agentls.core.text import LineIndex, Span
from agentls.engine.project import read_document
from agentls.facts.targets import classify
from agentls.lsp.handlers import guarded, norm_path
from agentls.rules.lint import parse
from agentls.services import rename as renaming
from agentls.services.navigation import (
    ReferenceIndex,
    Target,
    file_refs,
    symbol_matches,
    target_at,
    value_span,
)

if TYPE_CHECKING:
    from agentls.lsp.server import AgentLanguageServer


def kind_of(path: str) -> str | None:
    """The file's kind (``agent``, ``skill``, ``command``...) as a plain string, or ``None``."""
    kind = classify(path)[0]
    return str(kind) if kind is not None else None


log = logging.getLogger("agentls.lsp")

MAX_FILE = 1024 * 1024  # files larger than this are not read for references
MAX_SYMBOLS = 200  # workspace symbols per request (a longer query narrows them)
# The reference index is built in the background once the start-up scan ends, unless the
# workspace has more files than this (then on the first request that needs it), reading
# WARM_BATCH files between yields to the event loop (diagnostics wait for one batch at most).
MAX_WARM_FILES = 50_000
WARM_BATCH = 10
REQUEST_FAILED = -32803


class Refused(JsonRpcException):
    CODE = REQUEST_FAILED


class NavigationState:
    def __init__(self) -> None:
        self.refs = ReferenceIndex()
        self._warming = None
        self.ready = False  # the index has been built once
        self.on_ready: list = []  # called when the background build ends
        self._world: tuple | None = None  # what the last whole pass saw
        self._statted: list[str] = []  # the files that pass judged by their stat
        self._pinned: dict[str, object] = {}  # path -> the index's record when the file was read
        self._known_key: tuple | None = None
        self._known_paths: set[str] = set()
        self._commands_key: tuple | None = None
        self._commands: list[tuple[str, str]] = []

    # -- keeping the reference index current --------------------------------------------
    def refresh(self, ls: "AgentLanguageServer") -> None:
        """Bring the reference index up to date (see the module docstring)."""
        for _ in self._refresh_steps(ls):
            pass
        self.ready = True

    def warm(self, ls: "AgentLanguageServer") -> None:
        """Build the reference index in the background, a few files at a time, once the
        workspace scan is done (called when the start-up scan ends, and by requests
        editors send on open: symbols, folding, code lens, definition), so the first
        "find references" need not."""
        if self._warming is None:
            try:
                self._warming = asyncio.ensure_future(self._warm(ls))
            except RuntimeError:  # no event loop (a unit test calling a handler)
                self._warming = False

    async def ensure_built(self, ls: "AgentLanguageServer") -> None:
        """Wait for the first build (started now if need be), which yields to the event
        loop between files: a request before it never blocks diagnostics for seconds."""
        if self.ready:
            return
        self.warm(ls)
        if self._warming:
            await asyncio.shield(self._warming)

    async def _warm(self, ls: "AgentLanguageServer") -> None:
        try:
            await ls.wait_for_scan()
            for _ in self._refresh_steps(ls, batch=WARM_BATCH):
                await asyncio.sleep(0)
            self.ready = True
            for callback in self.on_ready:
                callback()
        except Exception:
            log.exception("building the reference index failed")

    def _refresh_steps(self, ls: "AgentLanguageServer", batch: int = 50):
        open_docs: dict[str, tuple[Document, str]] = {}
        for uri in ls.open_agent_uris():
            got = ls.get_document(uri)
            if got is not None and got[1].path:
                open_docs[norm_path(got[1].path)] = (got[1], got[2].kind)
        # Nothing indexed, scanned or opened since the last whole pass: only the files
        # judged by their stat need a look (the index's version counts every change).
        world = (getattr(ls.index, "version", None), len(ls.scanned_paths), getattr(ls, "disk_generation", 0),
                 tuple(sorted((p, id(d)) for p, (d, _) in open_docs.items())))
        whole = world[0] is None or world != self._world
        known = self._known(ls) | set(open_docs) if whole else set(self._statted)
        statted: list[str] = []
        for path, (doc, kind) in open_docs.items():
            stamp = ("open", id(doc))
            if self.refs.stamp(path) != stamp:
                self.refs.update(path, stamp, file_refs(doc, path, kind, anchors=False))
        read = 0
        agent_of = ls.index.agent
        pinned = self._pinned
        for path in known:
            if path in open_docs:
                continue
            # An agent the index holds: the server re-reads a file when the disk changes
            # (watched files, or its poller), which makes a new record; the record itself
            # is the stamp, and no stat is needed. Other files: their mtime and size.
            record = agent_of(path)
            if record is not None:
                stamp: object = ("index", id(record))
                if self.refs.stamp(path) == stamp and pinned.get(path) is record:
                    continue
                pinned[path] = record  # keeps the id from being reused
                size = 0
            else:
                pinned.pop(path, None)
                statted.append(path)
                try:
                    st = os.stat(path)
                except OSError:
                    self.refs.remove(path)
                    continue
                stamp = (st.st_mtime_ns, st.st_size)
                size = st.st_size
                if self.refs.stamp(path) == stamp:
                    continue
            if ls.uri_of_path(path) is not None:
                continue  # opened meanwhile: the editor's copy is indexed on the next refresh
            kind = kind_of(path)
            doc = self._read(path, size)
            self.refs.update(path, stamp, file_refs(doc, path, kind, anchors=False) if doc is not None and kind else None)
            read += 1
            if read % batch == 0:
                yield
        if whole:
            for path in self.refs.paths:
                if path not in known:
                    self.refs.remove(path)
                    pinned.pop(path, None)
            self._statted, self._world = statted, world

    def _known(self, ls: "AgentLanguageServer") -> set[str]:
        """The agent, skill and command files the server knows of (scanned or seen on disk
        since, less those that went; or indexed), recomputed only when a scan, the disk or
        the index changed."""
        key = (len(ls.scanned_paths), getattr(ls, "disk_generation", 0), ls.index_generation)
        if self._known_key != key:
            known = ls.disk_paths() if hasattr(ls, "disk_paths") else set(ls.scanned_paths)
            known.update(a.path for a in ls.index.agents)
            known.update(path for path, _ in ls.index.skills())
            self._known_paths, self._known_key = known, key
        return self._known_paths

    def commands(self, ls: "AgentLanguageServer") -> list[tuple[str, str]]:
        """``(path, /name)`` of every command file known, by path (cached like ``_known``)."""
        key = (len(ls.scanned_paths), getattr(ls, "disk_generation", 0), ls.index_generation)
        if self._commands_key != key:
            self._commands = [(p, "/" + os.path.splitext(os.path.basename(p))[0])
                              for p in sorted(self._known(ls)) if kind_of(p) == "command"]
            self._commands_key = key
        return self._commands

    @staticmethod
    def _read(path: str, size: int) -> Document | None:
        if size > MAX_FILE:
            return None
        return read_document(Path(path), kind_of(path) or "agent")[0]  # as Claude Code decodes it

    # -- other files' positions ------------------------------------------------------------
    def located(self, ls: "AgentLanguageServer", path: str) -> tuple[str, LineIndex, Document | None] | None:
        """``(uri, line index, document if open)`` of a file, open or on disk."""
        uri = ls.uri_of_path(path)
        if uri is not None:
            got = ls.get_document(uri)
            if got is not None:
                return uri, got[1].index, got[1]
        found = ls.related_position(path)  # the disk's line table, as findings' related locations use
        return (found[0], found[1], None) if found is not None else None

    def location(self, ls: "AgentLanguageServer", path: str, span: Span | None) -> types.Location | None:
        found = self.located(ls, path)
        if found is None:
            return None
        uri, index, _ = found
        span = span if span is not None else Span(0, 0)
        enc = ls.encoding
        from agentls.lsp.convert import to_range

        return types.Location(uri=uri, range=to_range(index, span, enc))


def state_of(ls: "AgentLanguageServer") -> NavigationState:
    return ls.feature_state("navigation.references", NavigationState)


# -- the cursor ----------------------------------------------------------------------------------
def cursor_target(ls: "AgentLanguageServer", uri: str, position: types.Position):
    got = ls.get_document(uri)
    if got is None:
        return None
    _td, doc, ctx = got
    path = norm_path(ctx.path) if ctx.path else None
    offset = ls.offset_at(doc, position)
    return doc, path, target_at(doc, offset, path, ctx.kind)


def definitions(ls: "AgentLanguageServer", state: NavigationState, target: Target) -> list[tuple[str, Span | None]]:
    """``(path, span)`` of where ``target`` is defined (agents and skills from the index)."""
    if target.kind == "agent":
        return [(a.path, _inner(ls, state, a.path, a.name_span)) for a in ls.index.agents_named_sorted(target.name)]
    if target.kind == "link":
        if target.path is None or not os.path.isfile(target.path):
            return []
        if target.anchor:
            found = state.located(ls, target.path)
            if found is not None:
                doc = found[2] or _parse(found[1].text, target.path)
                from agentls.services.completion import heading_slugs

                for (slug, _), h in zip(heading_slugs(doc), doc.headings):
                    if slug == target.anchor:
                        return [(target.path, h.span)]
        return [(target.path, None)]
    out: list[tuple[str, Span | None]] = []
    if target.kind in ("skill", "slash"):
        for path, name in ls.index.skills():
            if name == target.name or (target.kind == "slash" and name.lower() == target.name.lower()):
                out.append((path, _skill_name_span(ls, state, path)))
    if target.kind in ("command", "slash"):
        wanted = "/" + target.name.lower()
        out.extend((path, None) for path, name in state.commands(ls) if name.lower() == wanted)
    return out


def _parse(text: str, path: str) -> Document:
    return parse(text, path, kind_of(path) or "agent")


def _inner(ls, state: NavigationState, path: str, span: Span | None) -> Span | None:
    """An agent's name span without its quotes (the index keeps the value's span)."""
    if span is None:
        return None
    found = state.located(ls, path)
    if found is None:
        return span
    text = found[1].text
    raw = text[span.start:span.end]
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        return Span(span.start + 1, span.end - 1)
    return span


def _skill_name_span(ls, state: NavigationState, path: str) -> Span | None:
    found = state.located(ls, path)
    if found is None:
        return None
    doc = found[2] or _parse(found[1].text, path)
    entry = doc.get("name")
    if entry is None or entry.value is None or entry.value.kind != "scalar":
        return None
    return value_span(doc, entry.value)


def references(ls: "AgentLanguageServer", state: NavigationState, target: Target):
    state.refresh(ls)
    return state.refs.referencing(target)


def _locations(ls, state: NavigationState, sites) -> list[types.Location]:
    out = []
    for path, span in sites:
        loc = state.location(ls, path, span)
        if loc is not None:
            out.append(loc)
    return out


def _taken(ls, state: NavigationState, kind: str, new_name: str) -> bool:
    if kind == "agent":
        return bool(ls.index.agents_named_sorted(new_name))
    return any(name == new_name for _, name in ls.index.skills())


def rename_target(ls: "AgentLanguageServer", state: NavigationState, target: Target | None) -> Target:
    """What a rename at ``target`` renames, or :class:`renaming.RenameRefused`: ``/name``
    is the skill of that name; a command file's ``/name`` is its file name, which a rename
    of text cannot change (refused with the reason, in prepareRename already)."""
    target = renaming.renamable(target)
    if target.kind != "slash":
        return target
    skill = Target("skill", target.name, target.span, target.ref)
    if any(path for path, _ in definitions(ls, state, skill)):
        return skill
    commands = [path for path, _ in definitions(ls, state, target)]
    if commands:
        try:
            where = os.path.relpath(commands[0], ls.project.root) if ls.project.root else commands[0]
        except ValueError:  # another drive
            where = commands[0]
        raise renaming.RenameRefused(
            f"`/{target.name}` is a command: Claude Code names it by its file ({where}); "
            "rename the file to rename the command")
    raise renaming.RenameRefused(f"No skill or command named `/{target.name}` is in the workspace")


def plan_rename(ls: "AgentLanguageServer", uri: str, position: types.Position, new_name: str):
    """The rename's edits by path, or :class:`renaming.RenameRefused`."""
    found = cursor_target(ls, uri, position)
    state = state_of(ls)
    target = rename_target(ls, state, found[2] if found is not None else None)
    defs = definitions(ls, state, target)
    refs = references(ls, state, target)
    return renaming.plan(target.kind, target.name, new_name, defs, refs, _taken(ls, state, target.kind, new_name))


def warm_after_scan(ls: "AgentLanguageServer") -> None:
    """When a scan ends: start the background build of the reference index, unless the
    workspace is larger than :data:`MAX_WARM_FILES` (a request builds it then)."""
    if len(ls.scanned_paths) <= MAX_WARM_FILES:
        state_of(ls).warm(ls)


def register(server: "AgentLanguageServer") -> None:
    hooks = getattr(server, "after_scan", None)
    if hooks is not None:
        hooks.append(lambda: warm_after_scan(server))

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @guarded()
    async def definition(ls: "AgentLanguageServer", params: types.DefinitionParams):
        await ls.wait_for_scan()
        state = state_of(ls)
        state.warm(ls)
        found = cursor_target(ls, params.text_document.uri, params.position)
        if found is None or found[2] is None:
            return None
        return _locations(ls, state, definitions(ls, state, found[2])) or None

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    @guarded()
    async def find_references(ls: "AgentLanguageServer", params: types.ReferenceParams):
        await ls.wait_for_scan()
        found = cursor_target(ls, params.text_document.uri, params.position)
        if found is None or found[2] is None:
            return None
        target = found[2]
        state = state_of(ls)
        await state.ensure_built(ls)
        sites: list[tuple[str, Span | None]] = []
        defined = definitions(ls, state, target)
        if params.context is None or params.context.include_declaration:
            sites.extend(defined)
        sites.extend((path, ref.span) for path, ref in references(ls, state, target))
        if target.kind != "link":  # links to the file that defines it name it too
            for path, _span in defined:
                link = Target("link", "", Span(0, 0), None, path, None)
                sites.extend((p, ref.span) for p, ref in state.refs.referencing(link))
        return _locations(ls, state, list(dict.fromkeys(sites)))

    @server.feature(types.WORKSPACE_SYMBOL)
    @guarded(list)
    async def workspace_symbol(ls: "AgentLanguageServer", params: types.WorkspaceSymbolParams):
        await ls.wait_for_scan()
        query = (params.query or "").lower()
        found: list[tuple[str, types.SymbolKind, str, int, str]] = []
        for agent in ls.index.agents:
            if symbol_matches(query, agent.name):
                found.append((agent.name, types.SymbolKind.Class, agent.path, agent.name_line, "agent"))
        for path, name in ls.index.skills():
            if symbol_matches(query, name):
                found.append((name, types.SymbolKind.Module, path, 0, "skill"))
        for path, name in state_of(ls).commands(ls):
            if symbol_matches(query, name[1:]):
                found.append((name, types.SymbolKind.Function, path, 0, "command"))
        # Names that start with the query first, then those that contain it, then the rest.
        found.sort(key=lambda f: (not f[0].lower().startswith(query), query not in f[0].lower(), f[0]))
        out = []
        for name, kind, path, line, container in found[:MAX_SYMBOLS]:
            rng = types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line, character=0))
            out.append(types.SymbolInformation(
                name=name, kind=kind, container_name=container,
                location=types.Location(uri=ls.uri_of_path(path) or from_fs_path(path) or path, range=rng)))
        return out

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    async def prepare_rename(ls: "AgentLanguageServer", params: types.PrepareRenameParams):
        await ls.wait_for_scan()
        message = _prepare(ls, params)
        if isinstance(message, str):
            raise Refused(message)
        return message

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    async def rename(ls: "AgentLanguageServer", params: types.RenameParams):
        await ls.wait_for_scan()
        await state_of(ls).ensure_built(ls)
        result = _rename(ls, params)
        if isinstance(result, str):
            raise Refused(result)
        return result


def _prepare(ls, params: types.PrepareRenameParams):
    try:
        found = cursor_target(ls, params.text_document.uri, params.position)
        target = rename_target(ls, state_of(ls), found[2] if found is not None else None)
        doc = found[0]
        return types.PrepareRenamePlaceholder(range=ls.to_range(doc, target.span), placeholder=target.name)
    except renaming.RenameRefused as exc:
        return str(exc)
    except Exception:
        log.exception("prepareRename failed")
        return None


def _rename(ls, params: types.RenameParams):
    try:
        edits = plan_rename(ls, params.text_document.uri, params.position, params.new_name)
    except renaming.RenameRefused as exc:
        return str(exc)
    except Exception:
        log.exception("rename failed")
        return None
    state = state_of(ls)
    changes: list[types.TextDocumentEdit] = []
    plain: dict[str, list[types.TextEdit]] = {}
    for path in sorted(edits):
        found = state.located(ls, path)
        if found is None:
            return f"Cannot read {path}; nothing was renamed"
        uri, index, doc = found
        version = ls.version_of(uri) if doc is not None else None
        text_edits = [types.TextEdit(range=_range(ls, index, e.span), new_text=e.new_text) for e in edits[path]]
        plain[uri] = text_edits
        changes.append(types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
            edits=text_edits))
    if document_changes(ls):
        return types.WorkspaceEdit(document_changes=changes)
    return types.WorkspaceEdit(changes=plain)


def document_changes(ls) -> bool:
    caps = ls.client_capabilities
    ws = caps.workspace if caps is not None else None
    edit = ws.workspace_edit if ws is not None else None
    return bool(edit is not None and edit.document_changes)


def _range(ls, index: LineIndex, span: Span) -> types.Range:
    from agentls.lsp.convert import to_range

    return to_range(index, span, ls.encoding)
