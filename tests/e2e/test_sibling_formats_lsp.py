"""The other tools' files through the real server: a Gemini CLI agent, a Copilot custom
agent, a Cursor rule and an OpenCode agent are diagnosed, completed and hovered with
their own format's rules and fields, never Claude Code's. ``|`` marks the cursor."""

from __future__ import annotations

import asyncio

import pytest
from agentls.core.text import LineIndex, units
from e2e_helpers import (
    TIMEOUT,
    close_doc,
    lsp_client_fixture,
    open_doc,
    pull,
    uri_of,
    workspace_fixture,
)
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

root = workspace_fixture("formats", {".claude/agents/keep.md": "---\nname: keep\ndescription: Keeps.\n---\nBody.\n"})
client = lsp_client_fixture("neovim+pull", timeout=TIMEOUT)


def _caret(src: str, encoding: str) -> tuple[str, types.Position]:
    offset = src.index("|")
    text = src[:offset] + src[offset + 1:]
    index = LineIndex(text)
    line, col = index.position(offset)
    return text, types.Position(line=line, character=units(index.line_text(line)[:col], encoding))


CASES = [
    (".gemini/agents/a.md", "---\nname: a\ndescription: Reviews code.\ntools: [read_file, |]\n---\n",
     {"grep_search", "mcp_*"}, {"Grep", "Read"}),
    (".github/agents/b.agent.md", "---\ndescription: Reviews code.\ntarget: |\n---\n", {"vscode", "github-copilot"}, set()),
    (".cursor/rules/c.mdc", "---\n|\n---\n", {"description", "globs", "alwaysApply"}, {"tools", "permissionMode"}),
    (".opencode/agents/d.md", "---\ndescription: Reviews code.\nmode: |\n---\n", {"primary", "subagent", "all"}, set()),
]


@pytest.mark.parametrize("path, src, offered, absent", CASES, ids=[c[0] for c in CASES])
async def test_completion_uses_the_files_format(client, root, path, src, offered, absent):
    text, pos = _caret(src, client.encoding)
    uri = uri_of(root / path)
    open_doc(client, uri, text)
    result = await asyncio.wait_for(client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=pos)), TIMEOUT)
    close_doc(client, uri)
    labels = {i.label for i in (result.items if isinstance(result, types.CompletionList) else result or [])}
    assert offered <= labels
    assert not absent & labels


async def test_hover_and_diagnostics_of_a_gemini_agent(client, root):
    src = "---\nname: a\ndescription: Reviews code.\nmax_tu|rns: 5\ntools: [Read]\n---\nBody.\n"
    text, pos = _caret(src, client.encoding)
    uri = uri_of(root / ".gemini/agents/h.md")
    open_doc(client, uri, text)
    hover = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=pos)), TIMEOUT)
    diagnostics = await pull(client, uri)
    close_doc(client, uri)
    assert "Maximum conversation turns" in hover.contents.value
    assert [(d.code, d.severity) for d in diagnostics] == [("AGT805", types.DiagnosticSeverity.Error)]
    assert "Gemini CLI's is `read_file`" in diagnostics[0].message
