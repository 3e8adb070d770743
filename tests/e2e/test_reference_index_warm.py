"""The reference index of navigation is built in the background as soon as the start-up
scan ends (no request has to ask for it first), unless the workspace is larger than
``MAX_WARM_FILES``: in-process, on the server's own scan."""

from __future__ import annotations

import asyncio

from agentls.lsp import navigation
from agentls.lsp.navigation import state_of
from agentls.lsp.server import create_server
from agentls.services.navigation import Target
from e2e_helpers import TIMEOUT, make_workspace

FILES = {
    ".claude/agents/lead.md": "---\nname: lead\ndescription: Leads.\n---\nUse the code-reviewer agent, then /deploy.\n",
    ".claude/agents/reviewer.md": "---\nname: code-reviewer\ndescription: Reviews.\n---\nBody.\n",
    ".claude/commands/deploy.md": "Deploy it.\n",
}


def server_without_client():
    server = create_server()

    async def no_progress(folders):  # no client to report progress to
        return None

    server._progress_begin = no_progress
    return server


async def test_the_scan_starts_the_build(tmp_path):
    root = make_workspace(tmp_path / "ws", FILES)
    server = server_without_client()
    state = state_of(server)
    assert state._warming is None  # nothing asked for it yet
    await server.scan([str(root)])
    server.scan_done.set()
    assert state._warming  # started by the end of the scan, in the background
    await asyncio.wait_for(asyncio.shield(state._warming), TIMEOUT)
    assert state.ready
    found = state.refs.referencing(Target("agent", "code-reviewer", None))
    assert [p.rsplit("/", 1)[-1] for p, _ in found] == ["lead.md"]


async def test_not_past_the_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(navigation, "MAX_WARM_FILES", 2)
    root = make_workspace(tmp_path / "ws", FILES)
    server = server_without_client()
    await server.scan([str(root)])
    server.scan_done.set()
    assert state_of(server)._warming is None  # 3 files > 2: built when a request needs it
