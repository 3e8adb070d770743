"""Document sync: pygls' protocol with sturdier incremental changes and closes, and the
open/change/save/close handlers, which parse the open documents into the project
(:mod:`agentls.lsp.session`) and schedule their diagnostics."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

from agentls.lsp import convert
from agentls.lsp.diagnostics import offers_pull
from agentls.lsp.handlers import guarded

if TYPE_CHECKING:
    from agentls.lsp.server import AgentLanguageServer

log = logging.getLogger("agentls.lsp")


class AgentProtocol(LanguageServerProtocol):
    """pygls' protocol with sturdier document sync.

    * Incremental changes are applied with LSP line semantics (``\\n``, ``\\r\\n``,
      ``\\r`` only) and the negotiated encoding, clamped, through our ``LineIndex``;
      pygls' own code splits on form feeds and U+2028 too and mis-clamps.
    * Changes or closes for documents that were never opened are ignored, not errors.
    * Pull diagnostics are offered only to clients that can be asked to re-pull
      (:func:`agentls.lsp.diagnostics.offers_pull`); the others get pushes.
    * ``$/cancelRequest`` for a request already answered is ignored quietly, as LSP
      says; pygls warned "Cancel notification for unknown message id" at every VS Code
      start (it cancels a pull in flight when asked to refresh). A cancel for an id the
      client never sent is still a warning.
    """

    ANSWERED_KEPT = 4096  # ids of answered client requests remembered for late cancels

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._client_request_ids: dict[Any, None] = {}  # insertion-ordered, bounded

    def _handle_request(self, msg_id, method_name, params):
        ids = self._client_request_ids
        ids[msg_id] = None
        if len(ids) > self.ANSWERED_KEPT:
            del ids[next(iter(ids))]
        return super()._handle_request(msg_id, method_name, params)

    def _handle_cancel_notification(self, msg_id):
        if msg_id not in self._request_futures and msg_id in self._client_request_ids:
            log.debug("cancel for request %s, already answered", msg_id)
            return
        return super()._handle_cancel_notification(msg_id)

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams):
        result = yield from super().lsp_initialize(params)
        if not offers_pull(params.capabilities):
            # The client would pull only on open and change (Neovim): it would never see
            # what another file, the settings or the disk change. It gets pushes instead,
            # and only those: a client shown both would show every diagnostic twice.
            result.capabilities.diagnostic_provider = None
        return result

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        uri = params.text_document.uri
        doc = self.workspace.text_documents.get(unquote(uri))
        if doc is None:
            log.warning("didChange for a document that is not open: %s", uri)
            return
        server: AgentLanguageServer = self._server  # type: ignore[assignment]
        encoding = convert.encoding_name(self.workspace.position_encoding)
        text = doc.source
        index = server.line_index(uri, text)
        # Since the last parse: which text it was, and how much of its start and end is
        # still the same (the parse then reuses body scans; see Document(unchanged=...)).
        base, prefix, suffix = server.edits_since_parse(uri, text)
        for change in params.content_changes:
            rng = getattr(change, "range", None)
            before = text
            text, span = convert.apply_change_at(text, index, rng, change.text, encoding)
            prefix, suffix = convert.unchanged_after(prefix, suffix, before, span)
            index = None
        server.record_edits(uri, base, prefix, suffix)
        doc.apply_change(types.TextDocumentContentChangeWholeDocument(text=text))
        doc.version = params.text_document.version
        if (user_handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield user_handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams):
        server: AgentLanguageServer = self._server  # type: ignore[assignment]
        server.drop_edits(params.text_document.uri)
        self.workspace.remove_text_document(params.text_document.uri)
        if (user_handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield user_handler, (params,), None


def register(server: AgentLanguageServer) -> None:
    """The document sync handlers: parse (into the project) and schedule diagnostics."""

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded()
    def did_open(ls: AgentLanguageServer, params: types.DidOpenTextDocumentParams):
        uri = params.text_document.uri
        ls.read_disk_encoding(uri)
        if ls.parsed(uri) is not None:  # else not an agent file: no diagnostics at all
            ls.diagnostics.schedule(uri, delay=0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded()
    def did_change(ls: AgentLanguageServer, params: types.DidChangeTextDocumentParams):
        uri = params.text_document.uri
        td = ls.text_document(uri)
        if td is not None and ls.agent_kind(td)[1] is not None:
            ls.diagnostics.schedule(uri)  # parsing then re-checks others if the name changed

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @guarded()
    def did_save(ls: AgentLanguageServer, params: types.DidSaveTextDocumentParams):
        uri = params.text_document.uri
        ls.read_disk_encoding(uri)
        if ls.parsed(uri) is not None:
            ls.diagnostics.schedule(uri, delay=0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded()
    def did_close(ls: AgentLanguageServer, params: types.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        ls.diagnostics.clear(uri)
        ls.forget(uri)
