"""End-to-end helpers (imported as ``e2e_helpers``): the real server (``python -m agentls serve``) under pytest-lsp.

Every fixture here is module scoped, so each test module must run in the module's
event loop (``pytestmark = pytest.mark.asyncio(loop_scope="module")``), or
``wait_for_notification`` hangs (style.md section 2).  Every wait goes through
:func:`until` with a timeout so a broken server fails the test instead of hanging it.
"""

from __future__ import annotations

import asyncio
import copy
import sys
import time
from pathlib import Path
from typing import Any, Callable

from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities, make_test_lsp_client

SERVER_COMMAND = [sys.executable, "-m", "agentls", "serve"]
DATA = Path(__file__).resolve().parent.parent / "data"
SEEDS = sorted((DATA / "seeds").glob("*.txt"))
TIMEOUT = 10.0


def make_client() -> LanguageClient:
    """pytest-lsp's client, also recording every publish (with its version) and
    every ``client/registerCapability`` request."""
    client = make_test_lsp_client()
    client.published = []  # type: ignore[attr-defined]
    client.registrations = []  # type: ignore[attr-defined]
    original = client.protocol._handle_notification

    def handle(method: str, params: Any):
        if method == types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
            client.published.append((time.perf_counter(), params))  # type: ignore[attr-defined]
        return original(method, params)

    client.protocol._handle_notification = handle  # type: ignore[method-assign]

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        client.registrations.extend(params.registrations)  # type: ignore[attr-defined]
        return None

    return client


CONFIG = ClientServerConfig(server_command=SERVER_COMMAND, client_factory=make_client)


def uri_of(path: Path) -> str:
    return from_fs_path(str(path))


def make_workspace(root: Path, files: dict[str, str] | None = None) -> Path:
    (root / ".claude" / "agents").mkdir(parents=True, exist_ok=True)
    for rel, text in (files or {}).items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def with_pull_refresh(name: str) -> types.ClientCapabilities:
    """A client's captured capabilities plus pull diagnostics the server may ask to re-pull
    (``workspace/diagnostic/refresh``), as vscode-languageclient 9 announces them."""
    caps = copy.deepcopy(client_capabilities(name))
    if caps.text_document.diagnostic is None:
        caps.text_document.diagnostic = types.DiagnosticClientCapabilities(related_document_support=True)
    caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    return caps


def init_params(capabilities: str | types.ClientCapabilities, root: Path,
                options: Any = None) -> types.InitializeParams:
    """``capabilities``: a pytest-lsp client name, the name + ``"+pull"`` (see
    :func:`with_pull_refresh`), or capabilities."""
    if isinstance(capabilities, str):
        caps = (with_pull_refresh(capabilities[:-len("+pull")]) if capabilities.endswith("+pull")
                else client_capabilities(capabilities))
    else:
        caps = capabilities
    return types.InitializeParams(
        capabilities=caps,
        root_uri=uri_of(root),
        workspace_folders=[types.WorkspaceFolder(uri=uri_of(root), name=root.name)],
        initialization_options=options,
    )


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


def server_pulls(result: types.InitializeResult) -> bool:
    """Whether the server offered this client pull diagnostics (else it pushes)."""
    return result.capabilities.diagnostic_provider is not None


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
