"""``textDocument/completion``: thin glue around :func:`agentls.services.completion.complete`.

Converts the client position to a code-point offset, gathers the workspace facts the
core needs (agents and skills from the index, MCP servers from ``.mcp.json``, headings
used in the other agent files), and converts the core's items to LSP items. Every item
carries a ``textEdit`` and a ``filterText``, so VS Code and Neovim replace and filter
the same text. Snippets and Markdown documentation are sent only to clients that
declare support for them.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import TYPE_CHECKING

from lsprotocol import types

from agentls.core.document import Document
from agentls.lsp.handlers import guarded, norm_path
from agentls.services.completion import (
    TRIGGER_CHARACTERS,
    Completion,
    CompletionContext,
    complete,
    count_headings,
    read_mcp_servers,
)

if TYPE_CHECKING:
    from agentls.lsp.server import AgentLanguageServer

KINDS = {
    "property": types.CompletionItemKind.Property,
    "value": types.CompletionItemKind.Value,
    "enum": types.CompletionItemKind.EnumMember,
    "color": types.CompletionItemKind.Color,
    "tool": types.CompletionItemKind.Function,
    "module": types.CompletionItemKind.Module,
    "reference": types.CompletionItemKind.Reference,
    "keyword": types.CompletionItemKind.Keyword,
}


# -- client capabilities ---------------------------------------------------------------------
def completion_support(ls: "AgentLanguageServer") -> tuple[bool, bool]:
    """``(snippets, markdown)``: what the client's completion items may use."""
    caps = ls.client_capabilities
    text = caps.text_document if caps is not None else None
    comp = text.completion if text is not None else None
    item = comp.completion_item if comp is not None else None
    if item is None:
        return False, False
    formats = item.documentation_format or []
    return bool(item.snippet_support), types.MarkupKind.Markdown in formats


# -- workspace facts (cached by file stamp) ------------------------------------------------------
class WorkspaceLookups:
    """MCP servers and heading counts for one server, re-read only when files change."""

    def __init__(self) -> None:
        self._mcp: dict[str, tuple[tuple[int, int] | None, tuple[str, ...]]] = {}
        self._headings: dict[str, tuple[object, frozenset[tuple[int, str]]]] = {}

    def root_for(self, ls: "AgentLanguageServer", path: str | None) -> str | None:
        folders = sorted(ls.folders(), key=len, reverse=True)
        if path:
            for folder in folders:
                if path == folder or path.startswith(folder.rstrip(os.sep) + os.sep):
                    return folder
        return ls.index.root or (folders[-1] if folders else None)

    def mcp_servers(self, root: str | None) -> tuple[str, ...]:
        if root is None:
            return ()
        path = os.path.join(root, ".mcp.json")
        try:
            st = os.stat(path)
            stamp: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        cached = self._mcp.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        servers = read_mcp_servers(root) if stamp is not None else ()
        self._mcp[path] = (stamp, servers)
        return servers

    def heading_counts(self, ls: "AgentLanguageServer", own_path: str | None) -> Counter[tuple[int, str]]:
        """How many other agent files use each ``(level, heading)``; open documents win over disk."""
        counts: Counter[tuple[int, str]] = Counter()
        for agent in ls.index.agents:
            path = norm_path(agent.path)
            if path == own_path:
                continue
            headings = self._headings_of(ls, path)
            counts.update(headings)
        return counts

    def _headings_of(self, ls: "AgentLanguageServer", path: str) -> frozenset[tuple[int, str]]:
        uri = ls.uri_of_path(path)
        doc: Document | None = None
        if uri is not None:
            got = ls.get_document(uri)
            if got is not None:
                doc = got[1]
                stamp: object = ("open", id(doc))
        if doc is None:
            try:
                st = os.stat(path)
            except OSError:
                return frozenset()
            stamp = (st.st_mtime_ns, st.st_size)
        cached = self._headings.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        if doc is None:
            doc = ls.project.read(path, "agent")[0]
            if doc is None:
                return frozenset()
        found = frozenset(count_headings([doc]))
        self._headings[path] = (stamp, found)
        return found


def lookups_of(ls: "AgentLanguageServer") -> WorkspaceLookups:
    return ls.feature_state("completion.workspace_lookups", WorkspaceLookups)


# -- conversion -----------------------------------------------------------------------------
def to_item(ls: "AgentLanguageServer", doc: Document, c: Completion, snippets: bool,
            markdown: bool) -> types.CompletionItem:
    use_snippet = c.snippet and snippets
    new_text = c.new_text if use_snippet else (c.plain_text or c.new_text)
    if c.kind == "color" and c.color:
        # VS Code draws a swatch when a Color item's documentation is a colour string.
        documentation: str | types.MarkupContent = c.color
    elif markdown:
        documentation = types.MarkupContent(kind=types.MarkupKind.Markdown, value=c.documentation)
    else:
        documentation = c.documentation
    return types.CompletionItem(
        label=c.label,
        kind=KINDS.get(c.kind, types.CompletionItemKind.Text),
        detail=c.detail or None,
        documentation=documentation,
        sort_text=c.sort_text,
        filter_text=c.filter_text,
        insert_text_format=types.InsertTextFormat.Snippet if use_snippet else types.InsertTextFormat.PlainText,
        text_edit=types.TextEdit(range=ls.to_range(doc, c.span), new_text=new_text),
    )


def register(server: "AgentLanguageServer") -> None:
    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=TRIGGER_CHARACTERS, resolve_provider=False))
    @guarded()
    async def completion(ls: "AgentLanguageServer", params: types.CompletionParams):
        await ls.wait_for_scan()
        got = ls.get_document(params.text_document.uri)
        if got is None:
            return None
        _td, doc, ctx = got
        offset = ls.offset_at(doc, params.position)
        snippets, markdown = completion_support(ls)
        facts = lookups_of(ls)
        path = norm_path(ctx.path) if ctx.path else None
        body = not _in_frontmatter_lines(doc, offset)
        cctx = CompletionContext(
            kind=ctx.kind, workspace=ls.index, path=path,
            mcp_servers=facts.mcp_servers(facts.root_for(ls, path)),
            heading_counts=facts.heading_counts(ls, path) if body else {},
            snippets=snippets, extensions=ctx.extensions)
        items = [to_item(ls, doc, c, snippets, markdown) for c in complete(doc, offset, cctx)]
        return types.CompletionList(is_incomplete=False, items=items)


def _in_frontmatter_lines(doc: Document, offset: int) -> bool:
    fm = doc.frontmatter
    return fm is not None and fm.span.start <= offset <= fm.span.end
