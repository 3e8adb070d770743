"""Junk in, server still up: hostile documents, broken requests, broken framing.

Each case is followed by a request that must still be answered. The raw-process
tests also read the server's stderr after exit: it must hold no traceback (logging
goes to ``window/logMessage``).
"""

from __future__ import annotations

import asyncio
import os
import random

import pytest
from e2e_helpers import (
    AGENT,
    RawServer,
    change,
    close_doc,
    lsp_client_fixture,
    make_workspace,
    open_doc,
    published,
    uri_of,
    workspace_fixture,
)
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

PWNED = "/tmp/agentls-pwned-{pid}"


def alias_bomb(levels: int = 12) -> str:
    lines = ["---", "name: bomb", 'description: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"k{i}: &a{i} [{refs}]")
    lines.append(f"tools: *a{levels - 1}")
    return "\n".join(lines + ["---", "Body."]) + "\n"


def junk_documents(tmp_marker: str) -> dict[str, str]:
    rng = random.Random(1234)
    random_text = "".join(chr(rng.randrange(0, 0x3000)) for _ in range(20000))
    return {
        "random": random_text,
        "random-frontmatter": "---\n" + random_text[:3000] + "\n---\n",
        "nul-and-controls": "---\nname: a\x00b\ndescription: \x1b[31m\x0c\x85\u2028\r\r\n---\n\x00\x00",
        "surrogates": "---\nname: s\ndescription: broken \ud800 pair \udfff 😀\ntools: Read, \ud83d\n---\nBody \ud800\n",
        "alias-bomb": alias_bomb(),
        "python-tag": f'---\nname: py\ndescription: !!python/object/apply:os.system ["touch {tmp_marker}"]\n'
                      f'tools: !!python/name:os.system\n---\nBody.\n',
        "deep-nesting": "---\nname: " + "[" * 20000 + "]" * 20000 + "\n---\n",
        "five-megabytes": AGENT.format(name="huge") + ("All work and no play. 😀\n" * 220000),
        "huge-frontmatter": "---\n" + "".join(f"k{i}: v{i}\n" for i in range(20000)) + "---\n",
        "only-fence": "---",
        "empty": "",
        "crlf-cr-mix": "---\r\nname: mix\rdescription: d\n---\r\n\r",
    }


root = workspace_fixture("junk")


client = lsp_client_fixture()


async def still_answers(client, root) -> None:
    """A full round trip: open a small agent and get its diagnostics."""
    uri = uri_of(root / f".claude/agents/alive-{random.random()}.md")
    open_doc(client, uri, AGENT.format(name="alive").replace("model: sonnet", "model: sonet"))
    diags = await published(client, uri, 1)
    assert [d.code for d in diags] == ["AGT300"]
    close_doc(client, uri)


@pytest.mark.parametrize("name", sorted(junk_documents("x")))
async def test_junk_documents(client, root, name):
    marker = PWNED.format(pid=os.getpid())
    text = junk_documents(marker)[name]
    uri = uri_of(root / f".claude/agents/junk-{name}.md")
    open_doc(client, uri, text)
    diags = await published(client, uri, 1)
    assert all(d.source == "agentls" for d in diags)
    # Edits anywhere, including past the end, on the junk.
    change(client, uri, 2, ((0, 0, 0, 0), "x"), ((10**6, 10**6, 10**7, 5), "tail"), ((3, 10**6, 1, 0), "😀"))
    await published(client, uri, 2)
    close_doc(client, uri)
    assert not os.path.exists(marker), "a YAML tag executed code"
    await still_answers(client, root)


async def test_unknown_documents_and_impossible_positions(client, root):
    ghost = uri_of(root / ".claude/agents/never-opened.md")
    # Notifications about documents the server never saw.
    change(client, ghost, 7, ((0, 0, 0, 0), "x"))
    close_doc(client, ghost)
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=ghost)))
    # Requests about them answer (empty), or fail as a request, never as a crash.
    report = await asyncio.wait_for(client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri=ghost))), 10)
    assert not report.items
    for method in ("text_document_hover_async", "text_document_completion_async"):
        request = getattr(client, method)
        params_cls = types.HoverParams if "hover" in method else types.CompletionParams
        for uri in (ghost, "untitled:Untitled-1", "file:///nonexistent/%00/../x.md", "not a uri"):
            for pos in (types.Position(line=0, character=0), types.Position(line=2**31 - 1, character=2**31 - 1)):
                try:
                    await asyncio.wait_for(request(params_cls(
                        text_document=types.TextDocumentIdentifier(uri=uri), position=pos)), 10)
                except asyncio.TimeoutError:
                    raise
                except Exception:
                    pass  # an error *response* is acceptable; the server must survive
    # Odd URIs for open documents.
    for uri in ("untitled:Untitled-1", "file:///nonexistent/%00/x.md", "weird:/.claude/agents/a.md"):
        open_doc(client, uri, AGENT.format(name="odd"))
        change(client, uri, 2, ((0, 0, 0, 0), ""))
        close_doc(client, uri)
    await still_answers(client, root)


async def test_broken_framing_and_json_leave_stderr_clean(tmp_path):
    root = make_workspace(tmp_path)
    server = await RawServer.start()
    try:
        reply = await server.request("initialize", {
            "processId": None, "rootUri": uri_of(root), "capabilities": {},
            "workspaceFolders": [{"uri": uri_of(root), "name": "w"}]})
        assert "result" in reply
        server.notify("initialized", {})
        rng = random.Random(7)
        server.write(bytes(rng.randrange(256) for _ in range(4096)).replace(b"\n", b" ") + b"\r\n\r\n")
        server.send(b"{not json")
        server.send(b"\xff\xfe\x00garbage")
        server.send("[1, 2, 3]")
        server.send("null")
        server.send('"a string"')
        server.send({"jsonrpc": "1.0", "id": 99, "method": "initialize"})
        server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": 5}})
        server.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": None})
        server.send({"jsonrpc": "2.0", "id": {"x": 1}, "method": "textDocument/hover", "params": []})
        server.send({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 12345}})
        server.send({"jsonrpc": "2.0", "method": "workspace/didChangeConfiguration",
                     "params": {"settings": {"agentls": {"rules": 5, "extendTools": [1, None]}}}})
        server.send({"jsonrpc": "2.0", "method": "workspace/didChangeConfiguration",
                     "params": {"settings": "nonsense"}})
        unknown = await server.request("agentls/noSuchMethod", {})
        assert "error" in unknown
        # Still a working language server.
        uri = uri_of(root / ".claude/agents/after.md")
        server.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1,
            "text": AGENT.format(name="after").replace("model: sonnet", "model: sonet")}})
        reply = await server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        # A client without pull support still gets a pull answer when it asks.
        assert [d["code"] for d in reply["result"]["items"]] == ["AGT300"]
    finally:
        stderr = await server.stop()
    assert server.proc.returncode == 0
    assert b"Traceback" not in stderr, stderr.decode(errors="replace")
    assert stderr.strip() == b"", stderr.decode(errors="replace")
    logs = [m["params"]["message"] for m in server.messages if m.get("method") == "window/logMessage"]
    assert any("Traceback" in m or "Unable to" in m or "Error" in m for m in logs), \
        "errors should be reported to the client's log"
