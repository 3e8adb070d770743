"""A file that is not UTF-8 on disk gets AGT504 in the editor too, however the editor decoded it.

The server never sees the bytes of an open document: VS Code decodes the file as UTF-8
(each bad byte a U+FFFD), Neovim falls back to Latin-1 (`é` stays `é`). Claude Code reads
the file on disk, so the server checks the file's bytes when the document is opened and
saved.
"""

from __future__ import annotations

import pytest
from e2e_helpers import (
    AGENT,
    close_doc,
    codes,
    lsp_client_fixture,
    open_doc,
    published,
    pull,
    uri_of,
    workspace_fixture,
)
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

TEXT = AGENT.replace("for quality", "for qualit\u00e9")  # .format(name=...) per client
COLUMN = TEXT.splitlines()[2].index("\u00e9")  # line 2; ASCII before it: the same in every encoding
EDITOR_DECODES = {  # how each editor decodes the Latin-1 file it sends
    "visual-studio-code": lambda data: data.decode("utf-8", "replace"),
    "neovim": lambda data: data.decode("latin-1"),
    "neovim+pull": lambda data: data.decode("latin-1"),  # and pulls (a client that can be refreshed)
}


root = workspace_fixture("latin1")


client = lsp_client_fixture(params=sorted(EDITOR_DECODES))


async def diagnostics(client, uri: str, version: int) -> list[types.Diagnostic]:
    if client.pulls:
        return await pull(client, uri)
    return await published(client, uri, version)


def save(client, uri: str) -> None:
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))


async def test_a_latin1_file_is_reported_at_its_first_bad_byte(client, root):
    path = root / f".claude/agents/latin1-{client.spec}.md"
    text = TEXT.format(name=f"latin1-{client.spec.replace('+', '-')}")
    path.write_bytes(text.encode("latin-1"))
    uri = uri_of(path)
    open_doc(client, uri, EDITOR_DECODES[client.spec](text.encode("latin-1")))
    diags = await diagnostics(client, uri, 1)
    assert codes(diags) == ["AGT504"], diags
    (d,) = diags
    assert d.range.start == types.Position(line=2, character=COLUMN)
    assert "0xE9" in d.message
    assert d.severity == types.DiagnosticSeverity.Warning

    # The editor saves the file as UTF-8: the finding goes.
    path.write_bytes(text.encode("utf-8"))
    client.published.clear()
    save(client, uri)
    assert codes(await diagnostics(client, uri, 1)) == []
    close_doc(client, uri)


async def test_a_document_with_no_file_on_disk_is_not_reported(client, root):
    uri = uri_of(root / f".claude/agents/unsaved-{client.spec}.md")
    text = TEXT.format(name=f"unsaved-{client.spec.replace('+', '-')}")
    open_doc(client, uri, EDITOR_DECODES[client.spec](text.encode("latin-1")))
    diags = await diagnostics(client, uri, 1)
    assert "AGT504" not in codes(diags)
    close_doc(client, uri)
