"""The real server (``python -m agentls serve``) under pytest-lsp, and the one client fixture factory.

Every e2e module gets its client from :func:`lsp_client_fixture`::

    client = lsp_client_fixture()                                   # VS Code-like, pushes
    client = lsp_client_fixture(params=["visual-studio-code", "neovim+pull"])
    puller = lsp_client_fixture(capabilities)                       # any ClientCapabilities

Fixtures are module scoped by default, so the module must run its tests in the module's
event loop (``pytestmark = pytest.mark.asyncio(loop_scope="module")``), or
``wait_for_notification`` hangs (style.md section 2).
"""

from __future__ import annotations

import asyncio
import copy
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence

import pytest_lsp
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities, make_test_lsp_client

SERVER_COMMAND = [sys.executable, "-m", "agentls", "serve"]
TIMEOUT = 10.0
SESSION_TIMEOUT = 60.0  # starting or stopping a session; generous, the machine may be busy


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


def server_pulls(result: types.InitializeResult) -> bool:
    """Whether the server offered this client pull diagnostics (else it pushes)."""
    return result.capabilities.diagnostic_provider is not None


def negotiated_encoding(result: types.InitializeResult) -> str:
    """The position encoding the server chose, as a plain string (LSP's default: utf-16)."""
    encoding = result.capabilities.position_encoding or "utf-16"
    return str(getattr(encoding, "value", encoding))


def lsp_client_fixture(client: str | types.ClientCapabilities = "visual-studio-code", *,
                       params: Sequence[str] | None = None,
                       capabilities: dict[str, types.ClientCapabilities] | None = None,
                       workspace: str = "root", scope: str = "module",
                       timeout: float = SESSION_TIMEOUT,
                       on_start: Callable[[LanguageClient, Path], None] | None = None):
    """A pytest-lsp fixture: the real server, initialized for one client over the workspace.

    ``client``: a pytest-lsp client name (``"visual-studio-code"``, ``"neovim"``, ...), the
    name + ``"+pull"`` (see :func:`with_pull_refresh`), or capabilities. ``params``: client
    names instead, one fixture instance (and test id) each; ``capabilities`` gives the
    capabilities for names that are not pytest-lsp's. ``workspace``: the name of the
    fixture that returns the workspace root. ``on_start(client, root)`` runs after the
    session starts (to open documents, say).

    The client also carries ``spec`` (the client name or capabilities), ``server_caps``,
    ``pulls`` (whether the server offered it pull diagnostics) and ``encoding`` (the
    negotiated position encoding). Starting and stopping the session time out after
    ``timeout`` seconds, so a broken server fails the tests instead of hanging them.
    """
    extra = {"params": list(params)} if params is not None else {}

    @pytest_lsp.fixture(scope=scope, config=CONFIG, **extra)
    async def fixture(lsp_client: LanguageClient, request):
        spec = request.param if params is not None else client
        root = request.getfixturevalue(workspace)
        caps = (capabilities or {}).get(spec, spec) if isinstance(spec, str) else spec
        result = await asyncio.wait_for(lsp_client.initialize_session(init_params(caps, root)), timeout)
        lsp_client.spec = spec  # type: ignore[attr-defined]
        lsp_client.server_caps = result.capabilities  # type: ignore[attr-defined]
        lsp_client.pulls = server_pulls(result)  # type: ignore[attr-defined]
        lsp_client.encoding = negotiated_encoding(result)  # type: ignore[attr-defined]
        if on_start is not None:
            on_start(lsp_client, root)
        yield
        await asyncio.wait_for(lsp_client.shutdown_session(), timeout)

    return fixture
