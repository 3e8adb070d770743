"""The agentls language server (pygls 2.x): sync, diagnostics, workspace index, settings.

Start it with ``agentls serve`` (``--stdio`` accepted) or ``python -m agentls serve``;
build one in-process with :func:`create_server`.

API for feature modules (``agentls.lsp.completion``, ``hover``, ``actions``; each has
``register(server)`` and is listed in :data:`agentls.lsp.features.FEATURE_MODULES`).
Handlers receive the server as their first argument ``ls: AgentLanguageServer``:

``ls.get_document(uri) -> (TextDocument, Document, Context) | None``
    The open document, parsed (cached per version) with its lint context (kind,
    plugin, facts from settings, the workspace index). ``None`` when the URI is not
    open or is not an agent/skill/command file by location (a README).
``ls.findings(uri) -> list[Finding] | None``
    The current findings (cached per version/settings/index generation), with the
    file's settings (:meth:`~AgentLanguageServer.file_settings`) applied.
``ls.file_settings(uri) -> FileSettings | None``
    The settings that hold for that document: the closest configuration file for its
    path underneath, the editor's settings on top (:func:`agentls.project.resolve`, which
    the command line uses too); ``rules``, ``facts``, ``excluded``, ``stamp``.
    The context ``get_document`` returns carries the same ``facts``. Every request
    (diagnostics, quick fix, fix-all, completion, hover) reads these, never the
    editor's layer alone, so they cannot disagree with one another or with the CLI.
``ls.encoding``
    The negotiated position encoding: ``"utf-8"``, ``"utf-16"`` or ``"utf-32"``.
``ls.to_range(doc, span) -> types.Range`` and ``ls.offset_at(doc, position) -> int``
    Exact conversions through ``doc.index`` (:mod:`agentls.lsp.convert` has the pure
    versions). Never use pygls' ``TextDocument`` position helpers: they split lines
    differently from LSP.
``ls.index``
    The :class:`agentls.workspace.WorkspaceIndex` (open documents shadow disk).
``ls.settings`` (:class:`agentls.settings.Settings`)
    The editor's settings only (no configuration file). ``ls.update_settings(layer, raw)`` replaces one raw layer
    (``"file"`` < ``"init"`` < ``"client"``; a config-file feature uses ``"file"``) and
    re-checks open documents.
``ls.diagnostics`` (:class:`agentls.lsp.diagnostics.DiagnosticsManager`)
    ``schedule(uri)``, ``publish(uri)``, ``refresh()``, ``pull``.

Every handler here is contained: an exception is logged to the client
(``window/logMessage``) and the server keeps running. Python ``logging`` goes to the
client's log, never to stderr.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument

from .. import __version__
from ..document import Document
from ..lint import Context, context_for, lint
from ..paths import classify
from ..registry import Finding
from ..config import CONFIG_FILES, forget_config_lookups
from ..project import FileSettings, lint_file, resolve
from ..settings import Settings, merge, parse_settings, section_of
from ..text import InvalidUTF8, LineIndex, Span, decode_utf8
from ..workspace import WorkspaceIndex, discover
from . import convert
from .diagnostics import DiagnosticsManager
from .handlers import guarded, norm_path  # noqa: F401  (the feature modules import them from handlers)
from .logs import ClientLogHandler, route_logging  # noqa: F401  (re-exported)
from .sync import AgentProtocol

log = logging.getLogger("agentls.lsp")

SETTINGS_LAYERS = ("file", "init", "client")
SCAN_WAIT = 2.0  # seconds a first publish waits for the start-up workspace scan
MAX_DISK_FILE = 8 * 1024 * 1024  # larger files on disk are not indexed
MAX_DIAGNOSTICS = 1000  # per document: more helps no one and costs seconds to send


def safe_document(text: str, path: str, kind: str, previous: Document | None = None,
                  unchanged: tuple[int, int] | None = None) -> Document:
    """Parse, never raising (lone surrogates, which JSON can carry, are handled by the
    YAML layer itself). ``previous``: the last version, whose YAML and body scans may be
    reused; ``unchanged``: how much of its start and end the edits since left alone."""
    try:
        return Document(text, path, kind, previous, unchanged)
    except Exception:
        log.exception("parsing %s failed; checking it as empty", path)
        return Document("", path, kind)


def warm_up() -> None:
    """Load what checking needs (PyYAML, the rules) once ``initialize`` is answered.

    Nothing on the way to the ``initialize`` result needs YAML, so PyYAML is imported
    only now (see ``agentls.yamlnodes``), while the client handles the result, rather
    than before it: the first diagnostics arrive no later, and the client hears from
    the server ~40 ms sooner. A ``didOpen`` that comes first simply loads it itself."""
    try:
        lint(Document("---\nname: warm-up\ndescription: Warms up the checks.\n---\n\nBody.\n", None, "agent"))
    except Exception:
        log.exception("warm-up failed")


def _under(path: str, folders: list[str]) -> bool:
    return any(path == f or path.startswith(f.rstrip(os.sep) + os.sep) for f in folders)


def path_of_uri(uri: str) -> str | None:
    path = to_fs_path(uri)
    if path is None:
        return None
    return norm_path(path)


@dataclass
class _Parsed:
    version: int | None
    source: str
    document: Document
    context: Context
    findings_key: tuple | None = None
    findings: list[Finding] | None = None
    settings: FileSettings | None = None
    settings_key: tuple | None = None  # (editor settings generation, configuration stamp)


class AgentLanguageServer(LanguageServer):
    """The server object every handler receives; see the module docstring for its API."""

    def __init__(self) -> None:
        super().__init__("agentls", __version__, protocol_cls=AgentProtocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.index = WorkspaceIndex(None)
        self.index_generation = 0
        self.settings = Settings()
        self.settings_generation = 0
        self._layers: dict[str, Any] = {}
        self._parsed: dict[str, _Parsed] = {}
        self._line_indexes: dict[str, LineIndex] = {}
        # uri -> (text at the last parse, unchanged prefix, unchanged suffix) since then
        self._unchanged: dict[str, tuple[str, int, int]] = {}
        self._disk_indexes: dict[str, tuple[tuple[int, int], LineIndex]] = {}
        # path -> (line, column, first bad byte) of an open document whose file on disk is
        # not UTF-8 (read on open and save: the editor sends text it decoded itself)
        self._disk_invalid_utf8: dict[str, tuple[int, int, InvalidUTF8]] = {}
        self._open_paths: dict[str, str] = {}  # path -> uri of open agent documents
        self.diagnostics = DiagnosticsManager(self)
        self.scan_done = asyncio.Event()
        self.scan_seconds: float | None = None
        self.scanned_files = 0
        self.scanned_paths: list[str] = []  # the files on disk the scans found
        self.poller = None  # a DiskPoller for clients that cannot watch files (lsp/watch.py)

    # -- facts for feature modules --------------------------------------------------------
    @property
    def encoding(self) -> str:
        try:
            return convert.encoding_name(self.workspace.position_encoding)
        except RuntimeError:  # not initialized yet
            return "utf-16"

    def to_range(self, doc: Document, span: Span) -> types.Range:
        return convert.to_range(doc.index, span, self.encoding)

    def offset_at(self, doc: Document, pos: types.Position) -> int:
        return convert.offset_at(doc.index, pos, self.encoding)

    def text_document(self, uri: str) -> TextDocument | None:
        """The open document for ``uri`` (``None`` if the client never opened it)."""
        try:
            return self.workspace.text_documents.get(unquote(uri))
        except RuntimeError:
            return None

    def version_of(self, uri: str) -> int | None:
        td = self.text_document(uri)
        return td.version if td is not None else None

    def get_document(self, uri: str) -> tuple[TextDocument, Document, Context] | None:
        parsed = self._parse(uri)
        if parsed is None:
            return None
        self._resolve(parsed)
        return self.text_document(uri), parsed.document, parsed.context  # type: ignore[return-value]

    def file_settings(self, uri: str) -> FileSettings | None:
        parsed = self._parse(uri)
        return self._resolve(parsed) if parsed is not None else None

    def _resolve(self, parsed: _Parsed) -> FileSettings:
        """The document's settings, and its context carrying their facts: the configuration
        file (agentls.config) underneath, the editor's settings on top. ``stamp`` changes
        when the file is reloaded."""
        resolved = resolve(parsed.context.path, client=self.settings)
        key = (self.settings_generation, resolved.stamp)
        if parsed.settings is None or parsed.settings_key != key or parsed.context.workspace is not self.index:
            parsed.settings = resolved
            parsed.settings_key = key
            parsed.context = context_for(parsed.context.path, facts=resolved.facts, workspace=self.index,
                                         kind=parsed.context.kind)
        return parsed.settings

    def findings(self, uri: str) -> list[Finding] | None:
        parsed = self._parse(uri)
        if parsed is None:
            return None
        settings = self._resolve(parsed)
        key = (parsed.version, id(parsed.source), self.index_generation, parsed.settings_key)
        if parsed.findings_key != key or parsed.findings is None:
            try:
                parsed.findings = lint_file(parsed.document, parsed.context, settings)
            except Exception:
                log.exception("linting %s failed", uri)
                parsed.findings = []
            parsed.findings_key = key
        return parsed.findings

    def diagnostics_for(self, uri: str) -> tuple[int | None, list[types.Diagnostic]] | None:
        """``(version, diagnostics)`` for an open agent document, else ``None``."""
        found = self.findings(uri)
        if found is None:
            return None
        parsed = self._parsed[uri]
        encoding = self.encoding
        diags = []
        if len(found) > MAX_DIAGNOSTICS:
            log.info("%s: %d findings, showing the first %d", uri, len(found), MAX_DIAGNOSTICS)
            found = found[:MAX_DIAGNOSTICS]
        for f in found:
            try:
                diags.append(convert.to_diagnostic(f, parsed.document.index, encoding, self._resolve_related))
            except Exception:
                log.exception("cannot convert finding %s in %s", f.code, uri)
        return parsed.version, diags

    def open_agent_uris(self) -> list[str]:
        try:
            docs = list(self.workspace.text_documents.values())
        except RuntimeError:
            return []
        return [td.uri for td in docs if self._kind_of(td)[1] is not None]

    # -- parsing and the index ------------------------------------------------------------
    def _kind_of(self, td: TextDocument) -> tuple[str, str | None]:
        path = norm_path(td.path) if td.path else td.uri
        return path, classify(path)[0]

    def _line_index(self, uri: str, text: str) -> LineIndex:
        idx = self._line_indexes.get(uri)
        if idx is None or idx.text is not text:
            parsed = self._parsed.get(uri)
            if parsed is not None and parsed.source is text:
                idx = parsed.document.index
            else:
                idx = LineIndex(text)
            self._line_indexes[uri] = idx
        return idx

    def _parse(self, uri: str) -> _Parsed | None:
        td = self.text_document(uri)
        if td is None:
            return None
        path, kind = self._kind_of(td)
        if kind is None:
            return None
        source = td.source
        parsed = self._parsed.get(uri)
        if parsed is not None and parsed.version == td.version and parsed.source is source:
            return parsed
        previous = parsed.document if parsed is not None and parsed.document.path == path else None
        pending = self._unchanged.pop(uri, None)
        unchanged = None
        if previous is not None and pending is not None and pending[0] is parsed.source:
            unchanged = pending[1:]
        document = safe_document(source, path, kind, previous, unchanged)
        document.invalid_utf8 = self._invalid_utf8_in(path, document)
        ctx = context_for(path, workspace=self.index, kind=kind)  # facts: see _resolve
        parsed = _Parsed(td.version, source, document, ctx)
        self._parsed[uri] = parsed
        self._open_paths[path] = uri
        if self._index_update(path, document, kind):
            self.diagnostics.schedule_refresh()  # e.g. a duplicate name appeared or went
        return parsed

    def read_disk_encoding(self, uri: str) -> None:
        """On open and save: is the file on disk UTF-8? Claude Code reads the disk's bytes,
        whatever the editor decoded them as (VS Code: U+FFFD; Neovim: Latin-1)."""
        td = self.text_document(uri)
        if td is None or not td.path:
            return
        path, kind = self._kind_of(td)
        if kind is None:
            return
        found = None
        try:
            if os.path.getsize(path) <= MAX_DISK_FILE:
                with open(path, "rb") as fh:
                    text, bad = decode_utf8(fh.read())
                if bad is not None:
                    found = (*LineIndex(text).position(bad.offset), bad)
        except OSError:
            pass  # not saved yet, or unreadable: nothing Claude Code could read either
        if self._disk_invalid_utf8.get(path) == found:
            return
        if found is None:
            self._disk_invalid_utf8.pop(path, None)
        else:
            self._disk_invalid_utf8[path] = found
        parsed = self._parsed.get(uri)
        if parsed is not None:  # a save keeps the version: check the same text again
            parsed.document.invalid_utf8 = self._invalid_utf8_in(path, parsed.document)
            parsed.findings = None

    def _invalid_utf8_in(self, path: str, document: Document) -> InvalidUTF8 | None:
        """The disk's first bad byte, placed at its line and column in the editor's text."""
        found = self._disk_invalid_utf8.get(path)
        if found is None:
            return None
        line, column, bad = found
        return InvalidUTF8(document.index.offset(line, column), bad.byte_offset, bad.byte, bad.count)

    def _index_update(self, path: str, document: Document | None, kind: str | None) -> bool:
        """Update the index; bump the generation (and re-check others) if facts changed."""
        before = self._facts_of(path)
        try:
            self.index.update(path, document, kind)
        except Exception:
            log.exception("indexing %s failed", path)
            self.index.remove(path)
        if self._facts_of(path) != before:
            self.index_generation += 1
            return True
        return False

    def _facts_of(self, path: str) -> tuple:
        agent = self.index.agent(path)
        skill = self.index._skills.get(path)  # noqa: SLF001 (same package family)
        # What cross-file rules read (the name and where it is); not the description,
        # or every keystroke in it would re-check all open documents.
        return (agent.name, agent.name_span, agent.name_line) if agent else (), skill

    def _forget(self, uri: str) -> None:
        parsed = self._parsed.pop(uri, None)
        self._line_indexes.pop(uri, None)
        if parsed is None:
            return
        path = parsed.context.path
        if path and self._open_paths.get(path) == uri:
            del self._open_paths[path]
            # The file on disk is what the workspace sees again.
            if self._load_from_disk(path):
                self.diagnostics.schedule_refresh()

    def _load_from_disk(self, path: str) -> bool:
        """(Re)index a file from disk; returns True when cross-file facts changed."""
        self._disk_indexes.pop(path, None)
        kind = classify(path)[0]
        if kind is None:
            return False
        try:
            if os.path.getsize(path) > MAX_DISK_FILE:
                return self._index_update(path, None, None)
            with open(path, "rb") as fh:
                text = fh.read().decode("utf-8", errors="replace")
        except OSError:
            return self._index_update(path, None, None)
        return self._index_update(path, safe_document(text, path, kind), kind)

    def _resolve_related(self, path: str) -> tuple[str, LineIndex] | None:
        path = norm_path(path)
        uri = self._open_paths.get(path)
        if uri is not None:
            parsed = self._parse(uri)
            if parsed is not None:
                return uri, parsed.document.index
        try:
            st = os.stat(path)
            stamp = (st.st_mtime_ns, st.st_size)
            cached = self._disk_indexes.get(path)
            if cached is None or cached[0] != stamp:
                if st.st_size > MAX_DISK_FILE:
                    return None
                with open(path, "rb") as fh:
                    text = fh.read().decode("utf-8", errors="replace")
                cached = (stamp, LineIndex(text))
                self._disk_indexes[path] = cached
            return from_fs_path(path) or path, cached[1]
        except OSError:
            return None

    # -- workspace scan -------------------------------------------------------------------
    def folders(self) -> list[str]:
        out: list[str] = []
        try:
            ws = self.workspace
        except RuntimeError:
            return out
        for folder in ws.folders.values():
            p = path_of_uri(folder.uri)
            if p and p not in out:
                out.append(p)
        if not out and ws.root_path:
            out.append(norm_path(ws.root_path))
        return out

    async def scan(self, folders: list[str] | None = None) -> int:
        """Index agent files under the workspace folders (open documents win)."""
        folders = self.folders() if folders is None else folders
        started = time.perf_counter()
        token = None
        caps = self.client_capabilities
        if folders and caps is not None and caps.window is not None and caps.window.work_done_progress:
            token = f"agentls-scan-{time.monotonic_ns()}"
            try:
                await asyncio.wait_for(self.work_done_progress.create_async(token), 5)
                self.work_done_progress.begin(token, types.WorkDoneProgressBegin(
                    title="agentls: indexing agent files", cancellable=False, percentage=0))
            except Exception as exc:  # the client refused or never answered
                log.info("no progress reporting: %s", exc)
                token = None
        count = 0
        changed = False
        try:
            found: list[tuple[str, str]] = []
            for folder in folders:
                try:
                    found.extend((norm_path(str(p)), kind) for p, kind in discover([folder]))
                except Exception:
                    log.exception("cannot scan %s", folder)
                await asyncio.sleep(0)
            found = list(dict.fromkeys(found))  # nested workspace folders: each file once
            self.scanned_paths.extend(path for path, _kind in found)
            total = len(found)
            for i, (path, _kind) in enumerate(found):
                if path not in self._open_paths:  # an open document is indexed from the editor's copy
                    changed |= self._load_from_disk(path)
                if i % 25 == 24:
                    if token is not None:
                        self.work_done_progress.report(token, types.WorkDoneProgressReport(
                            message=f"{i + 1}/{total} files", percentage=int(100 * (i + 1) / max(total, 1))))
                    await asyncio.sleep(0)
            # What the index holds for these folders: the files on disk and the open
            # documents (an unsaved one too), each once.
            count = len({path for path, _kind in found} | {path for path in self._open_paths if _under(path, folders)})
        finally:
            if token is not None:
                self.work_done_progress.end(token, types.WorkDoneProgressEnd(message=f"{count} agent files indexed"))
        self.scanned_files += count
        self.scan_seconds = time.perf_counter() - started
        log.info("indexed %d agent files in %.3f s", count, self.scan_seconds)
        if changed:
            self.index_generation += 1
        return count

    async def wait_for_scan(self) -> None:
        if not self.scan_done.is_set():
            try:
                await asyncio.wait_for(self.scan_done.wait(), SCAN_WAIT)
            except asyncio.TimeoutError:
                pass

    # -- settings ---------------------------------------------------------------------------
    def update_settings(self, layer: str, raw: Any, *, refresh: bool = True) -> list[str]:
        """Replace one raw settings layer (``file`` < ``init`` < ``client``); returns problems."""
        if layer not in SETTINGS_LAYERS:
            raise ValueError(f"unknown settings layer {layer!r}")
        self._layers[layer] = section_of(raw)
        merged = merge(*(self._layers.get(name) for name in SETTINGS_LAYERS))
        settings, problems = parse_settings(merged)
        for layer_name in SETTINGS_LAYERS:  # report shape errors of the layer itself too
            value = self._layers.get(layer_name)
            if value is not None and not isinstance(value, dict):
                problems.append(f"{layer_name} settings must be an object, got {type(value).__name__}")
        for problem in problems:
            log.warning("settings: %s", problem)
        self.settings = settings
        self.settings_generation += 1
        if refresh:
            self.diagnostics.schedule_refresh(0)
        return problems

    async def pull_configuration(self) -> None:
        caps = self.client_capabilities
        if caps is None or caps.workspace is None or not caps.workspace.configuration:
            return
        try:
            result = await asyncio.wait_for(self.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section="agentls")])), 5)
        except Exception as exc:
            log.info("workspace/configuration failed: %s", exc)
            return
        value = result[0] if isinstance(result, list) and result else None
        if value is not None:
            self.update_settings("client", value)

    # -- errors -----------------------------------------------------------------------------
    def report_server_error(self, error: Exception, source) -> None:
        """Log, never shut down (pygls' default stops the thread pool on such errors)."""
        log.error("%s: %s", getattr(source, "__name__", source), error)


def _empty_report() -> types.FullDocumentDiagnosticReport:
    return types.FullDocumentDiagnosticReport(items=[])


WATCH_ID = "agentls-watch-md"


def create_server() -> AgentLanguageServer:
    """A fresh server with every handler and feature module registered."""
    server = AgentLanguageServer()

    @server.feature(types.INITIALIZE)
    @guarded()
    def initialize(ls: AgentLanguageServer, params: types.InitializeParams):
        folders = ls.folders()
        ls.index = WorkspaceIndex(folders[0] if folders else None)
        if params.initialization_options is not None:
            ls.update_settings("init", params.initialization_options, refresh=False)

    @server.feature(types.INITIALIZED)
    @guarded()
    async def initialized(ls: AgentLanguageServer, params: types.InitializedParams):
        warm_up()
        try:
            watching = await register_watchers(ls)
            await ls.pull_configuration()
            await ls.scan()
        finally:
            ls.scan_done.set()
        folders = ls.folders()
        if not watching and folders:
            from .watch import DiskPoller

            ls.poller = DiskPoller(ls, folders)
            if ls.poller.start(ls.scanned_paths):
                ls.index_generation += 1
        ls.diagnostics.schedule_refresh(0)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded()
    def did_open(ls: AgentLanguageServer, params: types.DidOpenTextDocumentParams):
        uri = params.text_document.uri
        ls.read_disk_encoding(uri)
        if ls._parse(uri) is None:
            return  # not an agent file: no diagnostics at all
        ls.diagnostics.schedule(uri, delay=0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded()
    def did_change(ls: AgentLanguageServer, params: types.DidChangeTextDocumentParams):
        uri = params.text_document.uri
        td = ls.text_document(uri)
        if td is None or ls._kind_of(td)[1] is None:
            return
        ls.diagnostics.schedule(uri)  # parsing then re-checks others if the name changed

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @guarded()
    def did_save(ls: AgentLanguageServer, params: types.DidSaveTextDocumentParams):
        uri = params.text_document.uri
        ls.read_disk_encoding(uri)
        if ls._parse(uri) is None:
            return
        ls.diagnostics.schedule(uri, delay=0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded()
    def did_close(ls: AgentLanguageServer, params: types.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        ls.diagnostics.clear(uri)
        ls._forget(uri)

    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, types.DiagnosticOptions(
        identifier="agentls", inter_file_dependencies=True, workspace_diagnostics=False))
    @guarded(_empty_report)
    async def document_diagnostic(ls: AgentLanguageServer, params: types.DocumentDiagnosticParams):
        return await ls.diagnostics.pulled(params)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded()
    def watched_files(ls: AgentLanguageServer, params: types.DidChangeWatchedFilesParams):
        changed = False
        for event in params.changes:
            path = path_of_uri(event.uri)
            if path is not None and os.path.basename(path) in CONFIG_FILES:
                forget_config_lookups()  # a configuration file appeared, changed or went
                changed = True  # findings() reloads the configuration by its mtime
                continue
            if path is None or path in ls._open_paths:
                continue  # the editor's copy is authoritative while open
            ls._disk_indexes.pop(path, None)
            if event.type == types.FileChangeType.Deleted:
                if classify(path)[0] is not None:
                    changed |= ls._index_update(path, None, None)
                else:  # a folder may have gone: drop everything under it
                    prefix = path.rstrip(os.sep) + os.sep
                    for gone in [a.path for a in ls.index.agents if a.path.startswith(prefix)] + \
                            [p for p in list(ls.index._skills) if p.startswith(prefix)]:
                        changed |= ls._index_update(gone, None, None)
            else:
                changed |= ls._load_from_disk(path)
        if changed:
            ls.diagnostics.schedule_refresh(0)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @guarded()
    async def did_change_configuration(ls: AgentLanguageServer, params: types.DidChangeConfigurationParams):
        value = params.settings
        if isinstance(value, dict) and value:
            ls.update_settings("client", value)
        else:  # the "pull model": settings are null, ask for them
            await ls.pull_configuration()

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    @guarded()
    async def did_change_folders(ls: AgentLanguageServer, params: types.DidChangeWorkspaceFoldersParams):
        changed = False
        for folder in params.event.removed:
            root = path_of_uri(folder.uri)
            if not root:
                continue
            prefix = root.rstrip(os.sep) + os.sep
            if ls.poller is not None:
                ls.poller.remove(root)
            for gone in [a.path for a in ls.index.agents if a.path.startswith(prefix)] + \
                    [p for p in list(ls.index._skills) if p.startswith(prefix)]:
                if gone not in ls._open_paths:
                    changed |= ls._index_update(gone, None, None)
        added = [p for p in (path_of_uri(f.uri) for f in params.event.added) if p]
        if added:
            before = len(ls.scanned_paths)
            await ls.scan(added)
            changed = True
            if ls.poller is not None:  # the server polls the disk: the new folders too
                ls.poller.add(added, ls.scanned_paths[before:])
        if changed:
            ls.diagnostics.schedule_refresh(0)

    @server.feature(types.SHUTDOWN)
    @guarded()
    def shutdown(ls: AgentLanguageServer, params: None):
        for task in list(ls.diagnostics._tasks.values()):
            task.cancel()
        if ls.poller is not None:
            ls.poller.stop()

    from .features import register_all

    try:
        register_all(server)
    except Exception:  # a broken feature module must not take diagnostics down
        log.exception("registering feature modules failed")
    return server


async def register_watchers(ls: AgentLanguageServer) -> bool:
    """Ask the client to watch agent and configuration files; False when it cannot (the
    server then polls the disk itself: :mod:`agentls.lsp.watch`)."""
    caps = ls.client_capabilities
    ws = caps.workspace if caps is not None else None
    watched = ws.did_change_watched_files if ws is not None else None
    if watched is None or not watched.dynamic_registration:
        return False
    options = types.DidChangeWatchedFilesRegistrationOptions(watchers=[
        types.FileSystemWatcher(glob_pattern="**/*.md"),
        types.FileSystemWatcher(glob_pattern="**/{" + ",".join(CONFIG_FILES) + "}"),
        types.FileSystemWatcher(glob_pattern="**/", kind=types.WatchKind.Delete),
    ])
    try:
        await asyncio.wait_for(ls.client_register_capability_async(types.RegistrationParams(registrations=[
            types.Registration(id=WATCH_ID, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                               register_options=options)])), 5)
    except Exception as exc:
        log.info("could not register file watchers: %s", exc)
        return False
    return True


def run() -> None:
    """``agentls serve``: speak LSP over stdin/stdout until the client says exit."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() must not corrupt the protocol stream
    server = create_server()
    route_logging(server)
    server.start_io(stdin, stdout)
