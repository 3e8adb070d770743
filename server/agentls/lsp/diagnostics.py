"""Diagnostics: when to compute them, and how they reach the client (push or pull).

* Pull (``textDocument/diagnostic``) is offered only to a client that pulls *and* can
  be asked to re-pull (``workspace.diagnostics.refreshSupport``: VS Code). A client
  that pulls only on open and change (Neovim 0.11/0.12) would never see what another
  file, the settings or the disk change until the buffer is edited, so it is not
  offered pull and gets pushes. Push (``textDocument/publishDiagnostics``) for every
  other client. One mode per client, decided at ``initialize``, so no client is ever
  shown a document's diagnostics twice (Neovim keeps pushed and pulled diagnostics in
  separate namespaces and would show both).
* ``resultId`` is a digest of the diagnostics, so an unchanged document answers
  ``unchanged``.
* Changes to large documents are debounced per URI: each ``didChange`` cancels the
  URI's pending task and schedules a new one; a task whose version is no longer
  current does nothing. A small document (linted in about a millisecond) is checked
  as soon as the event loop is free, so diagnostics follow the keystroke at once;
  changes already queued behind it still coalesce.
* Cross-file changes (another file's ``name`` changed, a watched file changed on
  disk) re-run every open agent document and send only what changed (push), or ask
  the client to re-pull (``workspace/diagnostic/refresh``) when it supports that.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from typing import TYPE_CHECKING

from lsprotocol import types

from agentls.lsp.handlers import guarded

if TYPE_CHECKING:
    from agentls.lsp.server import AgentLanguageServer

log = logging.getLogger(__name__)


def offers_pull(caps: types.ClientCapabilities | None) -> bool:
    """Whether a client with these capabilities gets pull diagnostics (else push)."""
    text = getattr(caps, "text_document", None) if caps is not None else None
    ws = getattr(caps, "workspace", None) if caps is not None else None
    diag = getattr(ws, "diagnostics", None) if ws is not None else None
    return getattr(text, "diagnostic", None) is not None and bool(getattr(diag, "refresh_support", False))


def digest(diagnostics: list[types.Diagnostic]) -> str:
    """A short, stable id for a list of diagnostics (the pull ``resultId``)."""
    data = repr(diagnostics).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=12).hexdigest()


class DiagnosticsManager:
    """Per-URI scheduling and delivery of diagnostics for one server."""

    # Below this many characters a document is linted without waiting.
    IMMEDIATE_CHARS = 1 << 20  # 1 MiB: linted in ~20 ms

    def __init__(self, server: "AgentLanguageServer", delay: float = 0.075) -> None:
        self.server = server
        self.delay = delay  # debounce for didChange on large documents, in seconds
        self._tasks: dict[str, asyncio.Task] = {}
        self._sent: dict[str, str] = {}  # uri -> digest of what the client last got
        self._refresh_task: asyncio.Task | None = None
        self._pulling: dict[str, int] = {}  # uri -> pulls in flight (waiting for the scan)
        self.published = 0  # counters for tests and benchmarks
        self.dropped_stale = 0

    # -- mode --------------------------------------------------------------------------
    @property
    def pull(self) -> bool:
        """True when the client was offered pull diagnostics (see :func:`offers_pull`)."""
        return offers_pull(getattr(self.server, "client_capabilities", None))

    @property
    def refresh_supported(self) -> bool:
        caps = getattr(self.server, "client_capabilities", None)
        ws = getattr(caps, "workspace", None) if caps is not None else None
        diag = getattr(ws, "diagnostics", None) if ws is not None else None
        return bool(getattr(diag, "refresh_support", False))

    # -- scheduling --------------------------------------------------------------------
    def schedule(self, uri: str, delay: float | None = None) -> None:
        """(Re)start the URI's debounce timer; the newest version wins."""
        if self.pull:
            return  # the client asks when it wants them
        old = self._tasks.pop(uri, None)
        if old is not None and not old.done():
            old.cancel()
        version = self.server.version_of(uri)
        if delay is None:
            td = self.server.text_document(uri)
            size = len(td.source) if td is not None else 0
            delay = 0.0 if size < self.IMMEDIATE_CHARS else self.delay
        task = asyncio.ensure_future(self._later(uri, version, delay))
        self._tasks[uri] = task
        task.add_done_callback(lambda t, uri=uri: self._done(uri, t))

    def _done(self, uri: str, task: asyncio.Task) -> None:
        if self._tasks.get(uri) is task:
            del self._tasks[uri]
        if not task.cancelled() and task.exception() is not None:
            log.error("publishing diagnostics for %s failed", uri, exc_info=task.exception())

    async def _later(self, uri: str, version: int | None, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        await self.server.wait_for_scan()
        if self.server.version_of(uri) != version:
            self.dropped_stale += 1  # a newer version arrived; its own task publishes
            return
        self.publish(uri)

    def publish(self, uri: str, *, only_if_changed: bool = False) -> bool:
        """Compute and push the URI's diagnostics now (push clients only)."""
        if self.pull:
            return False
        result = self.server.diagnostics_for(uri)
        if result is None:
            return False
        version, diagnostics = result
        key = digest(diagnostics)
        if only_if_changed and self._sent.get(uri) == key:
            return False
        self._sent[uri] = key
        self.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=diagnostics))
        self.published += 1
        return True

    def cancel_all(self) -> None:
        """Stop every pending check (at shutdown)."""
        for task in list(self._tasks.values()):
            task.cancel()

    def clear(self, uri: str) -> None:
        """The document closed: stop its timer and clear what the client shows."""
        task = self._tasks.pop(uri, None)
        if task is not None and not task.done():
            task.cancel()
        had = self._sent.pop(uri, None) is not None
        if not self.pull and had:
            self.server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    # -- pull --------------------------------------------------------------------------
    async def pulled(self, params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
        """Answer a pull once the start-up scan is done (or has taken too long)."""
        uri = params.text_document.uri
        self._pulling[uri] = self._pulling.get(uri, 0) + 1
        try:
            await self.server.wait_for_scan()
        finally:
            left = self._pulling[uri] - 1
            if left:
                self._pulling[uri] = left
            else:
                del self._pulling[uri]
        return self.report(params)

    def report(self, params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
        uri = params.text_document.uri
        result = self.server.diagnostics_for(uri)
        diagnostics = result[1] if result is not None else []
        key = digest(diagnostics)
        if result is not None:
            self._sent[uri] = key
        if params.previous_result_id is not None and params.previous_result_id == key:
            return types.UnchangedDocumentDiagnosticReport(result_id=key)
        return types.FullDocumentDiagnosticReport(items=diagnostics, result_id=key)

    # -- cross-file --------------------------------------------------------------------
    def schedule_refresh(self, delay: float = 0.05) -> None:
        """Soon, re-check every open agent document for changed cross-file findings."""
        if self._refresh_task is not None and not self._refresh_task.done():
            self._refresh_task.cancel()
        self._refresh_task = asyncio.ensure_future(self._refresh_later(delay))

    async def _refresh_later(self, delay: float) -> None:
        try:
            await asyncio.sleep(delay)
            self.refresh()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("refreshing diagnostics failed")

    def refresh(self) -> None:
        stale = False
        for uri in self.server.open_agent_uris():
            if uri in self._tasks:
                continue  # a pending edit publishes soon anyway
            if self.pull:
                if uri in self._pulling:
                    continue  # a pull in flight answers with what holds now
                result = self.server.diagnostics_for(uri)
                if result is None:
                    continue
                key = digest(result[1])
                if self._sent.get(uri) != key:
                    stale = True
            else:
                self.publish(uri, only_if_changed=True)
        if stale and self.refresh_supported:
            fut = self.server.workspace_diagnostic_refresh(None)
            fut.add_done_callback(_swallow)


def _swallow(fut) -> None:
    if not fut.cancelled() and fut.exception() is not None:
        log.info("workspace/diagnostic/refresh failed: %s", fut.exception())


def _empty_report() -> types.FullDocumentDiagnosticReport:
    return types.FullDocumentDiagnosticReport(items=[])


def register(server: "AgentLanguageServer") -> None:
    """``textDocument/diagnostic``: offered to clients that pull (see :func:`offers_pull`)."""

    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, types.DiagnosticOptions(
        identifier="agentls", inter_file_dependencies=True, workspace_diagnostics=False))
    @guarded(_empty_report)
    async def document_diagnostic(ls: "AgentLanguageServer", params: types.DocumentDiagnosticParams):
        return await ls.diagnostics.pulled(params)
