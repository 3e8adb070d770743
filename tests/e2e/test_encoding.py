"""Position encodings (UTF-16 for VS Code, UTF-8 for Neovim) and push versus pull.

VS Code's captured capabilities lack pull diagnostics, so it gets pushes. Neovim's
announce pull but no ``workspace/diagnostic/refresh``, so it gets pushes too (it would
pull only on open and change). A client that pulls and can be refreshed
(``visual-studio-code+pull``, as vscode-languageclient 9) is offered pull and must get
no pushes at all.
"""

from __future__ import annotations

import pytest
from e2e_helpers import (
    AGENT,
    change,
    close_doc,
    lsp_client_fixture,
    open_doc,
    published,
    pull,
    uri_of,
    workspace_fixture,
)
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

LINE = "tools: Read, é😀Tool, Grepp"  # `Grepp` after a 2-byte and a 4-byte character
EXPECTED = {  # (encoding, start character of `Grepp`)
    "visual-studio-code": ("utf-16", 22),
    "neovim": ("utf-8", 25),
    "visual-studio-code+pull": ("utf-16", 22),
}


root = workspace_fixture("enc")


client = lsp_client_fixture(params=sorted(EXPECTED))


def is_pull(client) -> bool:
    return client.pulls


async def diagnostics(client, uri: str, version: int) -> list[types.Diagnostic]:
    if is_pull(client):
        return await pull(client, uri)
    return await published(client, uri, version)


async def test_negotiated_encoding(client):
    assert client.server_caps.position_encoding == EXPECTED[client.spec][0]
    assert is_pull(client) == client.spec.endswith("+pull")


async def test_emoji_line_columns(client, root):
    uri = uri_of(root / f".claude/agents/emoji-{client.spec}.md")
    text = AGENT.format(name=f"emoji-{client.spec}").replace("tools: Read, Grep, Glob", LINE)
    open_doc(client, uri, text)
    diags = await diagnostics(client, uri, 1)
    grepp = [d for d in diags if "Grepp" in d.message]
    assert len(grepp) == 1, diags
    start = EXPECTED[client.spec][1]
    assert grepp[0].range == types.Range(start=types.Position(line=3, character=start),
                                         end=types.Position(line=3, character=start + 5))

    # An incremental edit expressed in the client's units lands where the client meant:
    # replace `Grepp` with `Grep` using the range the server reported.
    r = grepp[0].range
    change(client, uri, 2, ((r.start.line, r.start.character, r.end.line, r.end.character), "Grep"))
    diags = await diagnostics(client, uri, 2)
    assert [d for d in diags if "Grep" in d.message and "é" not in d.message] == []
    # Insert before the emoji; the remaining finding (`é😀Tool`) keeps exact columns.
    change(client, uri, 3, ((3, 13, 3, 13), "Glob, "))
    diags = await diagnostics(client, uri, 3)
    tool = [d for d in diags if "é😀Tool" in d.message]
    assert len(tool) == 1
    end = {"utf-16": 19 + 1 + 2 + 4, "utf-8": 19 + 2 + 4 + 4}[EXPECTED[client.spec][0]]
    assert (tool[0].range.start.character, tool[0].range.end.character) == (19, end)
    close_doc(client, uri)


async def test_pull_client_gets_no_pushes(client, root):
    uri = uri_of(root / f".claude/agents/pull-{client.spec}.md")
    open_doc(client, uri, AGENT.format(name="pull").replace("model: sonnet", "model: sonet"))
    diags = await diagnostics(client, uri, 1)
    assert [d.code for d in diags] == ["AGT300"]
    if is_pull(client):
        # A second pull with the previous resultId answers "unchanged".
        first = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        again = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=first.result_id))
        assert again.kind == "unchanged" and again.result_id == first.result_id
        change(client, uri, 2, ((4, 7, 4, 12), "opus"))
        assert await pull(client, uri) == []
        close_doc(client, uri)
        await pull(client, uri)  # a round trip after the close: any (wrong) push has arrived
        assert client.published == [], "a pull client must never receive pushes"
        assert client.diagnostics == {}
    else:
        close_doc(client, uri)
