"""Document symbols and folding ranges through the real server, for VS Code (UTF-16,
hierarchical symbols) and Neovim (UTF-8), and a client without hierarchical symbols
(a flat ``SymbolInformation`` list). A heading with an emoji checks the encodings."""

from __future__ import annotations

import asyncio

import pytest
from agentls.core.text import LineIndex
from e2e_helpers import TIMEOUT, lsp_client_fixture, open_doc, uri_of, workspace_fixture
from lsprotocol import types

pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning"),
]

AGENT = """---
name: reviewer
description: Reviews code. Use after edits.
tools: Read
---

# 😀 Reviewer

## Checklist

<example>
user: review
</example>

```sh
git diff
```
"""

root = workspace_fixture("outline", {".claude/agents/reviewer.md": AGENT, "README.md": "# Readme\n"})

FLAT = types.ClientCapabilities(text_document=types.TextDocumentClientCapabilities(
    document_symbol=types.DocumentSymbolClientCapabilities(hierarchical_document_symbol_support=False),
    folding_range=types.FoldingRangeClientCapabilities(range_limit=2)))

client = lsp_client_fixture(params=["visual-studio-code", "neovim", "flat"], capabilities={"flat": FLAT})


def covered(text: str, rng: types.Range, encoding: str) -> str:
    index = LineIndex(text)
    start = index.from_client(rng.start.line, rng.start.character, encoding)
    end = index.from_client(rng.end.line, rng.end.character, encoding)
    return text[start:end]


async def test_document_symbols(client, root):
    uri = uri_of(root / ".claude/agents/reviewer.md")
    open_doc(client, uri, AGENT)
    result = await asyncio.wait_for(client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))), TIMEOUT)
    if client.spec == "flat":
        assert [(s.name, s.container_name) for s in result] == [
            ("frontmatter", None), ("name", "frontmatter"), ("description", "frontmatter"),
            ("tools", "frontmatter"), ("😀 Reviewer", None), ("Checklist", "😀 Reviewer")]
        return
    fm, heading = result
    assert [k.name for k in fm.children] == ["name", "description", "tools"]
    assert fm.children[0].kind == types.SymbolKind.Property
    assert covered(AGENT, heading.selection_range, client.encoding) == "# 😀 Reviewer"
    [checklist] = heading.children
    assert covered(AGENT, checklist.range, client.encoding).startswith("## Checklist\n\n<example>")
    assert covered(AGENT, checklist.range, client.encoding).endswith("git diff\n```")


async def test_folding_ranges(client, root):
    uri = uri_of(root / ".claude/agents/reviewer.md")
    open_doc(client, uri, AGENT)
    result = await asyncio.wait_for(client.text_document_folding_range_async(
        types.FoldingRangeParams(text_document=types.TextDocumentIdentifier(uri=uri))), TIMEOUT)
    got = [(f.start_line, f.end_line) for f in result]
    if client.spec == "flat":
        assert got == [(0, 4), (6, 16)]  # the client's rangeLimit
    else:
        assert got == [(0, 4), (6, 16), (8, 16), (10, 12), (14, 16)]


async def test_not_an_agent_file(client, root):
    uri = uri_of(root / "README.md")
    open_doc(client, uri, "# Readme\n")
    result = await asyncio.wait_for(client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))), TIMEOUT)
    assert not result
