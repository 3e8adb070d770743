"""``textDocument/formatting`` and ``textDocument/rangeFormatting``: thin glue around
:func:`agentls.services.formatting.format_document`.

The edits are whole-line hunks of the difference. A range format formats the frontmatter
as a whole when the range touches it (its keys move together) and, in the body, the hunks
the range touches. The client's ``FormattingOptions`` (tab size, spaces) do not apply: the
canonical form has no indentation to choose. Tool lists follow the file's resolved
``format-tool-lists`` (``formatToolLists`` in the editor's settings).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from agentls.core.text import Span
from agentls.lsp.handlers import guarded

if TYPE_CHECKING:
    from agentls.lsp.server import AgentLanguageServer


def formatting_edits(ls: "AgentLanguageServer", uri: str, within: types.Range | None = None):
    got = ls.get_document(uri)
    if got is None:
        return None
    doc = got[1]
    settings = ls.file_settings(uri)
    from agentls.services.formatting import format_document, line_edits  # at the first request: not at start-up

    result = format_document(doc, settings.format_tool_lists if settings is not None else None)
    hunks = line_edits(doc.text, result.text)
    if within is not None:
        from agentls.lsp.convert import to_span

        span = to_span(doc.index, within, ls.encoding)
        fm = doc.frontmatter
        fm_end = fm.span.end if fm is not None else 0
        touches_fm = fm is not None and span.start <= fm_end
        hunks = [(s, new) for s, new in hunks
                 if (s.start < fm_end and touches_fm) or (s.start >= fm_end and _touch(s, span))]
    return [types.TextEdit(range=ls.to_range(doc, s), new_text=new) for s, new in hunks]


def _touch(a: Span, b: Span) -> bool:
    return a.start <= b.end and b.start <= a.end


def register(server: "AgentLanguageServer") -> None:
    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    @guarded()
    def formatting(ls: "AgentLanguageServer", params: types.DocumentFormattingParams):
        return formatting_edits(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_RANGE_FORMATTING)
    @guarded()
    def range_formatting(ls: "AgentLanguageServer", params: types.DocumentRangeFormattingParams):
        return formatting_edits(ls, params.text_document.uri, params.range)
