"""``textDocument/hover``: thin glue around :func:`agentls.services.hover.hover`.

The core gets the document's current findings (``ls.findings``, the same ones the
client sees as diagnostics), so hovering a diagnostic shows its rule's documentation.
Markdown goes to clients whose hover ``contentFormat`` lists it, plain text otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from agentls.lsp.completion import lookups_of
from agentls.lsp.handlers import guarded, norm_path

if TYPE_CHECKING:
    from agentls.lsp.server import AgentLanguageServer


def hover_markdown(ls: "AgentLanguageServer") -> bool:
    caps = ls.client_capabilities
    text = caps.text_document if caps is not None else None
    hv = text.hover if text is not None else None
    formats = (hv.content_format if hv is not None else None) or []
    return types.MarkupKind.Markdown in formats


def register(server: "AgentLanguageServer") -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded()
    async def on_hover(ls: "AgentLanguageServer", params: types.HoverParams):
        # Imported at the first hover, not at start-up.
        from agentls.services.hover import HoverContext, hover

        await ls.wait_for_scan()
        uri = params.text_document.uri
        got = ls.get_document(uri)
        if got is None:
            return None
        _td, doc, ctx = got
        offset = ls.offset_at(doc, params.position)
        path = norm_path(ctx.path) if ctx.path else None
        facts = lookups_of(ls)
        hctx = HoverContext(kind=ctx.kind, workspace=ls.index, path=path,
                            mcp_servers=facts.mcp_servers(facts.root_for(ls, path)),
                            findings=ls.findings(uri) or [], extensions=ctx.extensions)
        result = hover(doc, offset, hctx)
        if result is None:
            return None
        kind = types.MarkupKind.Markdown if hover_markdown(ls) else types.MarkupKind.PlainText
        return types.Hover(contents=types.MarkupContent(kind=kind, value=result.markdown),
                           range=ls.to_range(doc, result.span))
