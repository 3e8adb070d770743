"""The agentls language server (pygls 2.x): lifecycle, settings and handler registration.

The rest lives beside it: document sync and its handlers in :mod:`agentls.lsp.sync`, the
open documents (parse cache, settings, findings) in :mod:`agentls.lsp.session`, which
wraps the :class:`agentls.engine.project.Project`, the workspace on disk (scan,
mirroring, watchers) in :mod:`agentls.lsp.scan` and :mod:`agentls.lsp.watch`, logging to
the client in :mod:`agentls.lsp.logs`, diagnostics delivery in :mod:`agentls.lsp.diagnostics`.

Start it with ``agentls serve`` (``--stdio`` accepted) or ``python -m agentls serve``;
build one in-process with :func:`create_server`.

API for feature modules (each has ``register(server)`` and is listed in
:data:`agentls.lsp.features.FEATURE_MODULES`). Handlers receive the server as their first
argument ``ls: AgentLanguageServer``:

``ls.get_document(uri) -> (TextDocument, Document, Context) | None``
    The open document, parsed (cached per version) with its lint context (kind,
    plugin, extensions from settings, the workspace index). ``None`` when the URI is not
    open or is not an agent/skill/command file by location (a README).
``ls.findings(uri) -> list[Finding] | None``
    The current findings (cached per version/settings/index generation), with the
    file's settings applied.
``ls.file_settings(uri) -> FileSettings | None``
    The settings that hold for that document: the closest configuration file underneath,
    the editor's settings on top (:func:`agentls.engine.project.resolve`, which the command
    line uses too). Every request reads these, never the editor's layer alone, so they
    cannot disagree with one another or with the CLI.
``ls.encoding``, ``ls.to_range(doc, span)``, ``ls.offset_at(doc, position)``
    The negotiated position encoding and exact conversions through ``doc.index``
    (:mod:`agentls.lsp.convert`); never pygls' ``TextDocument`` position helpers.
``ls.index``, ``ls.project``, ``ls.uri_of_path(path)``, ``ls.folders()``, ``ls.wait_for_scan()``
    The :class:`agentls.rules.index.WorkspaceIndex` (open documents shadow disk), the
    project holding it, the URI of an open document, the workspace folders, the
    start-up scan (awaited for at most ``SCAN_WAIT`` seconds).
``ls.settings`` (:class:`agentls.engine.settings.Settings`)
    The editor's settings only (no configuration file). ``ls.update_settings(layer, raw)`` replaces one raw layer
    (``"init"`` < ``"client"``), parsed by :mod:`agentls.engine.editor_settings`, and
    re-checks open documents.
``ls.diagnostics`` (:class:`agentls.lsp.diagnostics.DiagnosticsManager`)
    ``schedule(uri)``, ``publish(uri)``, ``schedule_refresh()``, ``pull``.
``ls.feature_state(key, make)``
    State a feature module keeps for this server, made by ``make()`` on first use.

Every handler is contained (:func:`agentls.lsp.handlers.guarded`): an exception is logged
to the client (``window/logMessage``) and the server keeps running. Python ``logging``
goes to the client's log, never to stderr.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any, Callable, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from agentls import __version__
from agentls.engine.editor_settings import parse_layers
from agentls.engine.settings import DEFAULTS
from agentls.lsp import diagnostics, scan, sync
from agentls.lsp.diagnostics import DiagnosticsManager
from agentls.lsp.handlers import guarded
from agentls.lsp.logs import route_logging
from agentls.lsp.scan import DiskMirror, poll_disk, register_watchers
from agentls.lsp.session import Session
from agentls.lsp.startup import save_cattrs_code
from agentls.lsp.sync import AgentProtocol
from agentls.rules.lint import lint, parse

log = logging.getLogger("agentls.lsp")
T = TypeVar("T")

SETTINGS_LAYERS = ("init", "client")  # initializationOptions < the client's settings
SAVE_CODE_AFTER = 2.0  # seconds after the start-up scan (see agentls.lsp.startup)


def warm_up() -> None:
    """Load what checking needs (PyYAML, the rules) once ``initialize`` is answered.

    Nothing on the way to the ``initialize`` result needs YAML, so PyYAML is imported
    only now (see ``agentls.core.yamlnodes``), while the client handles the result, rather
    than before it: the first diagnostics arrive no later, and the client hears from
    the server ~40 ms sooner. A ``didOpen`` that comes first simply loads it itself."""
    try:
        lint(parse("---\nname: warm-up\ndescription: Warms up the checks.\n---\n\nBody.\n", None, "agent"))
    except Exception:
        log.exception("warm-up failed")


class AgentLanguageServer(Session, DiskMirror, LanguageServer):
    """The server object every handler receives; see the module docstring for its API."""

    def __init__(self) -> None:
        super().__init__("agentls", __version__, protocol_cls=AgentProtocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.settings = DEFAULTS
        self.settings_generation = 0
        self._layers: dict[str, Any] = {}
        self.diagnostics = DiagnosticsManager(self)
        self._feature_state: dict[str, Any] = {}  # see feature_state()

    # -- settings ---------------------------------------------------------------------------
    def update_settings(self, layer: str, raw: Any, *, refresh: bool = True) -> list[str]:
        """Replace one raw settings layer (``init`` < ``client``); returns problems."""
        if layer not in SETTINGS_LAYERS:
            raise ValueError(f"unknown settings layer {layer!r}")
        self._layers[layer] = raw
        settings, problems = parse_layers(*(self._layers.get(name) for name in SETTINGS_LAYERS))
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

    def feature_state(self, key: str, make: Callable[[], T]) -> T:
        """State a feature module keeps for this server (made by ``make()`` on first use)."""
        state = self._feature_state.get(key)
        if state is None:
            state = self._feature_state[key] = make()
        return state

    # -- errors -----------------------------------------------------------------------------
    def report_server_error(self, error: Exception, source) -> None:
        """Log, never shut down (pygls' default stops the thread pool on such errors)."""
        log.error("%s: %s", getattr(source, "__name__", source), error)


def create_server() -> AgentLanguageServer:
    """A fresh server with every handler and feature module registered."""
    server = AgentLanguageServer()

    @server.feature(types.INITIALIZE)
    @guarded()
    def initialize(ls: AgentLanguageServer, params: types.InitializeParams):
        folders = ls.folders()
        ls.start_project(folders[0] if folders else None)
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
        if not watching:
            poll_disk(ls)
        ls.diagnostics.schedule_refresh(0)
        # The start-up's generated cattrs code, kept for the next start; later, not on
        # the way to the first diagnostics.
        asyncio.get_running_loop().call_later(SAVE_CODE_AFTER, save_cattrs_code)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @guarded()
    async def did_change_configuration(ls: AgentLanguageServer, params: types.DidChangeConfigurationParams):
        value = params.settings
        if isinstance(value, dict) and value:
            ls.update_settings("client", value)
        else:  # the "pull model": settings are null, ask for them
            await ls.pull_configuration()

    @server.feature(types.SHUTDOWN)
    @guarded()
    def shutdown(ls: AgentLanguageServer, params: None):
        ls.diagnostics.cancel_all()
        if ls.poller is not None:
            ls.poller.stop()

    for module in (sync, diagnostics, scan):
        module.register(server)
    from agentls.lsp.features import register_all

    try:
        register_all(server)
    except Exception:  # a broken feature module must not take diagnostics down
        log.exception("registering feature modules failed")
    return server


def run() -> None:
    """``agentls serve``: speak LSP over stdin/stdout until the client says exit."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() must not corrupt the protocol stream
    server = create_server()
    route_logging(server)
    server.start_io(stdin, stdout)
