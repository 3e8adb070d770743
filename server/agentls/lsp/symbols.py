"""``textDocument/documentSymbol`` and ``textDocument/foldingRange``: thin glue around
:mod:`agentls.services.symbols`.

Clients that declare ``hierarchicalDocumentSymbolSupport`` get nested ``DocumentSymbol``s;
others a flat ``SymbolInformation`` list (each with its container's name). Folding ranges
honour the client's ``rangeLimit``. Editors ask for both on open, so both start the
background build of the reference index (:meth:`agentls.lsp.navigation.NavigationState.warm`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from agentls.lsp.handlers import guarded
from agentls.lsp.navigation import state_of

if TYPE_CHECKING:
    from agentls.lsp.server import AgentLanguageServer
    from agentls.services.symbols import Symbol

SYMBOL_KINDS = {
    "frontmatter": types.SymbolKind.Namespace,
    "key": types.SymbolKind.Property,
    "heading": types.SymbolKind.String,
}

FOLD_KINDS = {
    "frontmatter": types.FoldingRangeKind.Region,
    "value": types.FoldingRangeKind.Region,
    "section": types.FoldingRangeKind.Region,
    "example": types.FoldingRangeKind.Region,
    "code": types.FoldingRangeKind.Region,
}


def hierarchical(ls: "AgentLanguageServer") -> bool:
    caps = ls.client_capabilities
    text = caps.text_document if caps is not None else None
    ds = text.document_symbol if text is not None else None
    return bool(ds is not None and ds.hierarchical_document_symbol_support)


def range_limit(ls: "AgentLanguageServer") -> int | None:
    caps = ls.client_capabilities
    text = caps.text_document if caps is not None else None
    fr = text.folding_range if text is not None else None
    return fr.range_limit if fr is not None else None


def to_document_symbol(ls, doc, sym: Symbol) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=sym.name or " ", kind=SYMBOL_KINDS.get(sym.kind, types.SymbolKind.Key),
        range=ls.to_range(doc, sym.span), selection_range=ls.to_range(doc, sym.selection),
        detail=sym.detail or None,
        children=[to_document_symbol(ls, doc, c) for c in sym.children] or None)


def flatten(ls, doc, uri: str, symbols, container: str | None = None) -> list[types.SymbolInformation]:
    out: list[types.SymbolInformation] = []
    stack = [(s, container) for s in reversed(symbols)]
    while stack:
        sym, parent = stack.pop()
        out.append(types.SymbolInformation(
            name=sym.name or " ", kind=SYMBOL_KINDS.get(sym.kind, types.SymbolKind.Key),
            location=types.Location(uri=uri, range=ls.to_range(doc, sym.span)), container_name=parent))
        stack.extend((c, sym.name) for c in reversed(sym.children))
    return out


def register(server: "AgentLanguageServer") -> None:
    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded()
    def document_symbol(ls: "AgentLanguageServer", params: types.DocumentSymbolParams):
        uri = params.text_document.uri
        got = ls.get_document(uri)
        if got is None:
            return None
        state_of(ls).warm(ls)
        doc = got[1]
        # Imported at the first request, not at start-up.
        from agentls.services.symbols import document_symbols

        symbols = document_symbols(doc)
        if hierarchical(ls):
            return [to_document_symbol(ls, doc, s) for s in symbols]
        return flatten(ls, doc, uri, symbols)

    @server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
    @guarded()
    def folding_range(ls: "AgentLanguageServer", params: types.FoldingRangeParams):
        got = ls.get_document(params.text_document.uri)
        if got is None:
            return None
        state_of(ls).warm(ls)
        from agentls.services.symbols import folding_ranges

        folds = folding_ranges(got[1])
        limit = range_limit(ls)
        if limit is not None and limit >= 0:
            folds = folds[:limit]
        return [types.FoldingRange(start_line=f.start, end_line=f.end, kind=FOLD_KINDS.get(f.kind))
                for f in folds]
