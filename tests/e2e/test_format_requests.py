"""``textDocument/formatting`` and ``rangeFormatting`` through the real server, for VS Code
(UTF-16) and Neovim (UTF-8); a frontmatter value with emoji checks the encodings."""

from __future__ import annotations

import asyncio

import pytest
from e2e_helpers import TIMEOUT, apply_edits, lsp_client_fixture, open_doc, uri_of, workspace_fixture
from lsprotocol import types

pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning"),
]

BEFORE = "---\nmodel: \"sonnet\"\ndescription: 😀 Reviews code.  \nname: reviewer\n---\n\nBody.   \n\nTail.\t\n"
AFTER = "---\nname: reviewer\ndescription: 😀 Reviews code.\nmodel: sonnet\n---\n\nBody.\n\nTail.\n"

root = workspace_fixture("format", {})
client = lsp_client_fixture(params=["visual-studio-code", "neovim"])
OPTIONS = types.FormattingOptions(tab_size=2, insert_spaces=True)


async def test_format_document(client, root):
    uri = uri_of(root / ".claude/agents/a.md")
    open_doc(client, uri, BEFORE)
    edits = await asyncio.wait_for(client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=uri), options=OPTIONS)), TIMEOUT)
    assert apply_edits(BEFORE, edits, client.encoding) == AFTER
    open_doc(client, uri_of(root / ".claude/agents/b.md"), AFTER)
    again = await asyncio.wait_for(client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=uri_of(root / ".claude/agents/b.md")), options=OPTIONS)),
        TIMEOUT)
    assert not again


async def test_range_format_body_line_only(client, root):
    uri = uri_of(root / ".claude/agents/c.md")
    open_doc(client, uri, BEFORE)
    line = BEFORE.split("\n").index("Body.   ")
    rng = types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line, character=3))
    edits = await asyncio.wait_for(client.text_document_range_formatting_async(types.DocumentRangeFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=rng, options=OPTIONS)), TIMEOUT)
    assert apply_edits(BEFORE, edits, client.encoding) == BEFORE.replace("Body.   ", "Body.")


async def test_range_format_frontmatter_as_a_whole(client, root):
    uri = uri_of(root / ".claude/agents/d.md")
    open_doc(client, uri, BEFORE)
    rng = types.Range(start=types.Position(line=1, character=0), end=types.Position(line=1, character=2))
    edits = await asyncio.wait_for(client.text_document_range_formatting_async(types.DocumentRangeFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=rng, options=OPTIONS)), TIMEOUT)
    result = apply_edits(BEFORE, edits, client.encoding)
    assert result.startswith(AFTER.split("\n\n")[0]) and "Body.   " in result


# format-tool-lists from the workspace's configuration file: the server's formatting honours it.
yaml_root = workspace_fixture("format-yaml", {"agentls.toml": 'format-tool-lists = "yaml"\n'})
yaml_client = lsp_client_fixture("neovim", workspace="yaml_root")
LISTS = "---\nname: lead\ndescription: Leads.\ntools: Read, Agent(planner, reviewer)  # why\n---\nBody.\n"


async def test_format_tool_lists_setting(yaml_client, yaml_root):
    uri = uri_of(yaml_root / ".claude/agents/lead.md")
    open_doc(yaml_client, uri, LISTS)
    edits = await asyncio.wait_for(yaml_client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=uri), options=OPTIONS)), TIMEOUT)
    assert apply_edits(LISTS, edits, yaml_client.encoding) == LISTS.replace(
        "tools: Read, Agent(planner, reviewer)  # why\n", "tools:  # why\n  - Read\n  - Agent(planner, reviewer)\n")
