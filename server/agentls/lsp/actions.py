"""``textDocument/codeAction``: quick fixes for findings, and fix-all.

* One ``quickfix`` action per finding with a fix whose range meets the requested range.
  It names the diagnostic it fixes (the client's own object when it sent one) and is
  ``isPreferred`` when the fix is safe (a safe fix has a single candidate). Unsafe fixes
  are offered too, never preferred, and their title says so.
* A ``source.fixAll.agentls`` action applies every safe fix, re-linting between passes
  (:func:`agentls.engine.fixes.fix_document`), as one set of minimal edits against the
  current text. Editors run it on save with
  ``"editor.codeActionsOnSave": {"source.fixAll.agentls": "explicit"}``.

Every edit is a minimal ``TextEdit`` (never a whole-document rewrite), converted with
the negotiated position encoding. A fix that would leave the frontmatter unreadable
or change a field it does not touch is not offered (:func:`agentls.engine.fixes.try_fix`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Iterable

from lsprotocol import types

from agentls.core.document import Document
from agentls.core.text import Span
from agentls.lsp import convert
from agentls.rules.registry import Edit, Finding

if TYPE_CHECKING:
    from agentls.lsp.server import AgentLanguageServer

log = logging.getLogger(__name__)

FIX_ALL_KIND = "source.fixAll.agentls"
KINDS = [types.CodeActionKind.QuickFix, FIX_ALL_KIND]


def wants(only: list[str] | None, kind: str) -> bool:
    """Whether ``kind`` is requested: kinds are hierarchical (``source`` covers ``source.fixAll.x``)."""
    if not only:
        return True
    return any(kind == k or kind.startswith(str(k) + ".") for k in only)


def text_edits(doc: Document, edits: Iterable[Edit], encoding: str) -> list[types.TextEdit]:
    return [types.TextEdit(range=convert.to_range(doc.index, e.span, encoding), new_text=e.new_text)
            for e in sorted(edits, key=lambda e: (e.span.start, e.span.end))]


def _workspace_edit(uri: str, version: int | None, edits: list[types.TextEdit],
                    document_changes: bool) -> types.WorkspaceEdit:
    if document_changes:
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
            edits=edits)])
    return types.WorkspaceEdit(changes={uri: edits})


def _supports_document_changes(ls) -> bool:
    caps = getattr(ls, "client_capabilities", None)
    ws = getattr(caps, "workspace", None) if caps is not None else None
    we = getattr(ws, "workspace_edit", None) if ws is not None else None
    return bool(getattr(we, "document_changes", False))


def _meets(a: Span, b: Span) -> bool:
    return a.start <= b.end and b.start <= a.end


def _diagnostic_for(finding: Finding, rng: types.Range, sent: list[types.Diagnostic],
                    doc: Document, encoding: str) -> types.Diagnostic:
    for d in sent:
        if d.code == finding.code and d.range == rng and (d.source in (None, convert.SOURCE)):
            return d
    return convert.to_diagnostic(finding, doc.index, encoding)


def code_actions(ls: "AgentLanguageServer", params: types.CodeActionParams) -> list[types.CodeAction] | None:
    # Imported at the first request, not at start-up.
    from agentls.engine.fixes import fix_document, try_fix

    uri = params.text_document.uri
    got = ls.get_document(uri)
    if got is None:
        return None
    td, doc, ctx = got
    findings = ls.findings(uri) or []
    encoding = ls.encoding
    only = params.context.only
    version = td.version if td is not None else None
    doc_changes = _supports_document_changes(ls)
    actions: list[types.CodeAction] = []

    if wants(only, types.CodeActionKind.QuickFix):
        requested = convert.to_span(doc.index, params.range, encoding)
        sent = list(params.context.diagnostics or [])
        for f in findings:
            fix = f.fix
            if fix is None or not fix.edits or not _meets(f.span, requested):
                continue
            if try_fix(doc, fix) is None:
                continue  # would break what it does not understand
            diag = _diagnostic_for(f, convert.to_range(doc.index, f.span, encoding), sent, doc, encoding)
            actions.append(types.CodeAction(
                title=f"{fix.title} ({f.code})" if fix.safe else f"{fix.title} ({f.code}, unsafe)",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag],
                is_preferred=True if fix.safe else None,
                edit=_workspace_edit(uri, version, text_edits(doc, fix.edits, encoding), doc_changes)))
        actions.sort(key=lambda a: 0 if a.is_preferred else 1)

    if wants(only, FIX_ALL_KIND) and (only or any(f.fix is not None and f.fix.safe for f in findings)):
        # Re-linted between passes with the file's settings, as the diagnostics were.
        settings = ls.file_settings(uri)
        rules = settings.rules if settings is not None else None
        result = fix_document(doc, ctx, settings=rules, findings=findings)
        if result.changed:
            count = len(result.fixed)
            actions.append(types.CodeAction(
                title=f"Fix all safely fixable agentls problems ({count})",
                kind=FIX_ALL_KIND,
                edit=_workspace_edit(uri, version, text_edits(doc, result.edits, encoding), doc_changes)))
    return actions


def register(server: "AgentLanguageServer") -> None:
    from agentls.lsp.handlers import guarded

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=KINDS, resolve_provider=False))
    @guarded(default=None)
    def code_action(ls: "AgentLanguageServer", params: types.CodeActionParams):
        return code_actions(ls, params)
