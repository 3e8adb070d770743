"""End-to-end helpers (imported as ``e2e_helpers``): the real server (``python -m agentls serve``) under pytest-lsp.

Client fixtures come from :func:`helpers.lsp.lsp_client_fixture` (re-exported here with
the server command, ``init_params`` and the workspace builder). They are module scoped,
so each test module must run in the module's event loop
(``pytestmark = pytest.mark.asyncio(loop_scope="module")``), or ``wait_for_notification``
hangs (style.md section 2).  Every wait goes through
:func:`until` with a timeout so a broken server fails the test instead of hanging it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Callable

# The server, the client and the workspace builder are shared with other folders (tests/helpers).
from helpers.lsp import (  # noqa: F401
    CONFIG,
    SERVER_COMMAND,
    TIMEOUT,
    init_params,
    lsp_client_fixture,
    server_pulls,
    uri_of,
    with_pull_refresh,
)
from helpers.workspace import make_workspace, workspace_fixture, write_files  # noqa: F401
from lsprotocol import types
from pytest_lsp import LanguageClient

DATA = Path(__file__).resolve().parent.parent / "data"
SEEDS = sorted((DATA / "seeds").glob("*.txt"))


async def until(predicate: Callable[[], Any], timeout: float = TIMEOUT, what: str = "condition") -> Any:
    """Poll ``predicate`` until it returns something truthy (or fail after ``timeout``)."""

    async def poll():
        while True:
            value = predicate()
            if value:
                return value
            await asyncio.sleep(0.005)

    try:
        return await asyncio.wait_for(poll(), timeout)
    except asyncio.TimeoutError:
        raise AssertionError(f"timed out after {timeout}s waiting for {what}") from None


def publishes(client: LanguageClient, uri: str) -> list[types.PublishDiagnosticsParams]:
    return [p for _, p in client.published if p.uri == uri]  # type: ignore[attr-defined]


async def published(client: LanguageClient, uri: str, version: int | None, *, after: int = 0) -> list[types.Diagnostic]:
    """Wait for a publish for ``uri`` at ``version`` (among publishes after index ``after``)."""

    def find():
        for _, p in client.published[after:]:  # type: ignore[attr-defined]
            if p.uri == uri and p.version == version:
                return [p]
        return None

    found = await until(find, what=f"publishDiagnostics {uri} v{version}")
    return list(found[0].diagnostics)


async def pull(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    report = await asyncio.wait_for(client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))), TIMEOUT)
    assert report.kind == "full"
    return list(report.items)


def open_doc(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=version, text=text)))


def change(client: LanguageClient, uri: str, version: int,
           *edits: tuple[tuple[int, int, int, int] | None, str]) -> None:
    """Send one didChange; each edit is ``((l0, c0, l1, c1), text)`` or ``(None, full_text)``."""
    changes: list[Any] = []
    for rng, text in edits:
        if rng is None:
            changes.append(types.TextDocumentContentChangeWholeDocument(text=text))
        else:
            l0, c0, l1, c1 = rng
            changes.append(types.TextDocumentContentChangePartial(
                range=types.Range(start=types.Position(line=l0, character=c0),
                                  end=types.Position(line=l1, character=c1)), text=text))
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=changes))


def close_doc(client: LanguageClient, uri: str) -> None:
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))


def codes(diags) -> list[str]:
    return sorted(str(d.code) for d in diags)


AGENT = """---
name: {name}
description: Reviews code for quality. Use proactively after edits.
tools: Read, Grep, Glob
model: sonnet
---

You are a reviewer.
"""


class RawServer:
    """The server as a bare subprocess: write any bytes, read framed replies, keep stderr.

    For input pytest-lsp cannot send (broken framing, invalid JSON) and for checking
    that nothing at all reaches stderr.
    """

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.messages: list[dict] = []
        self._reader = asyncio.ensure_future(self._read())
        self._next_id = 0

    @classmethod
    async def start(cls) -> "RawServer":
        proc = await asyncio.create_subprocess_exec(
            *SERVER_COMMAND, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE)
        return cls(proc)

    async def _read(self) -> None:
        import json

        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = await out.readline()
                if not line:
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
                if line in (b"\r\n", b"\n"):
                    break
            body = await out.readexactly(length or 0)
            self.messages.append(json.loads(body))

    def write(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)

    def send(self, message: dict | bytes | str) -> None:
        import json

        body = message if isinstance(message, bytes) else (
            message.encode() if isinstance(message, str) else json.dumps(message).encode())
        self.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    async def request(self, method: str, params: Any, timeout: float = TIMEOUT) -> dict:
        self._next_id += 1
        msg_id = self._next_id
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        return await until(lambda: next((m for m in self.messages if m.get("id") == msg_id
                                         and "method" not in m), None), timeout, what=f"reply to {method}")

    async def stop(self) -> bytes:
        """Shut down politely, wait for exit, return everything written to stderr."""
        try:
            await self.request("shutdown", None)
            self.notify("exit", None)
            await asyncio.wait_for(self.proc.wait(), TIMEOUT)
        finally:
            if self.proc.returncode is None:
                self.proc.kill()
                await self.proc.wait()
            self._reader.cancel()
        assert self.proc.stderr is not None
        return await self.proc.stderr.read()


def apply_edits(text: str, edits, encoding: str) -> str:
    """``text`` with the LSP text edits applied, positions read in the negotiated ``encoding``."""
    from agentls.core.text import LineIndex

    index = LineIndex(text)
    spans = sorted(((index.from_client(e.range.start.line, e.range.start.character, encoding),
                     index.from_client(e.range.end.line, e.range.end.character, encoding), e.new_text)
                    for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text
