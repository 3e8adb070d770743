"""What a start says: the index summary counts what is indexed, and a client's late
``$/cancelRequest`` (VS Code cancels a pull in flight whenever it is asked to refresh)
is no warning.
"""

from __future__ import annotations

import pytest
from e2e_helpers import (
    AGENT,
    TIMEOUT,
    RawServer,
    close_doc,
    lsp_client_fixture,
    make_workspace,
    open_doc,
    until,
    uri_of,
    workspace_fixture,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

CANCEL_WARNING = "Cancel notification for unknown message id"


root = workspace_fixture("startup", {
    ".claude/agents/a.md": AGENT.format(name="a"),
    ".claude/agents/b.md": AGENT.format(name="b"),
    ".claude/agents/c.md": AGENT.format(name="c"),
    ".claude/skills/style/SKILL.md": "---\nname: style\ndescription: Our style.\n---\nStyle.\n",
})


def open_tabs(client, root) -> None:
    """Opened before the start-up scan runs (it waits for the client's replies first),
    as an editor restoring its tabs does: two files from disk and one never saved."""
    for name in ("a", "b", "new"):
        open_doc(client, uri_of(root / f".claude/agents/{name}.md"), AGENT.format(name=name))


client = lsp_client_fixture(on_start=open_tabs)


async def test_index_summary_counts_open_and_disk_files_once(client, root):
    """Four files on disk, two of them open, one open file not on disk: five indexed
    (it said 2: the open files were left out)."""
    line = await until(lambda: next((m.message for m in client.log_messages
                                     if "agent files in" in (m.message or "")), None), what="the index summary")
    assert "indexed 5 agent files" in line, line
    ends = [r.message for rs in client.progress_reports.values() for r in rs if getattr(r, "kind", "") == "end"]
    assert ends == ["5 agent files indexed"]
    for name in ("a", "b", "new"):
        close_doc(client, uri_of(root / f".claude/agents/{name}.md"))


def initialize_message(root, capabilities: dict) -> dict:
    return {"processId": None, "rootUri": uri_of(root), "capabilities": capabilities,
            "workspaceFolders": [{"uri": uri_of(root), "name": root.name}]}


async def test_a_late_cancel_is_no_warning(root):
    """A client like vscode-languageclient: it pulls, and cancels the pull in flight when
    the server asks it to refresh; it cancels a hover it no longer needs. Cancels of
    answered requests are normal (LSP: ignore them); pygls warned about each one, at
    every VS Code start. A cancel for an id never sent is still a warning."""
    raw = await RawServer.start()
    try:
        caps = {"textDocument": {"diagnostic": {}, "hover": {"contentFormat": ["markdown"]}},
                "workspace": {"diagnostics": {"refreshSupport": True}}}
        reply = await raw.request("initialize", initialize_message(root, caps))
        assert reply["result"]["capabilities"]["diagnosticProvider"]["identifier"] == "agentls"
        raw.notify("initialized", {})
        uri = uri_of(root / ".claude/agents/a.md")
        raw.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1, "text": AGENT.format(name="a")}})
        first = await raw.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        assert first["result"]["kind"] == "full"
        # Whatever refresh the server asked for: answered, and the pull canceled, late.
        for m in [m for m in raw.messages if m.get("method") == "workspace/diagnostic/refresh"]:
            raw.send({"jsonrpc": "2.0", "id": m["id"], "result": None})
        raw.notify("$/cancelRequest", {"id": raw._next_id})
        hover = await raw.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                        "position": {"line": 4, "character": 2}})
        assert "model" in hover["result"]["contents"]["value"]
        raw.notify("$/cancelRequest", {"id": raw._next_id})
        raw.notify("$/cancelRequest", {"id": 999})  # never sent
        await raw.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})  # all handled by now

        def logged() -> list[str]:
            return [m["params"]["message"] for m in raw.messages if m.get("method") == "window/logMessage"]

        warned = await until(lambda: [m for m in logged() if CANCEL_WARNING in m], TIMEOUT, what="the warning for 999")
        assert warned == [f'pygls.protocol.json_rpc: {CANCEL_WARNING} "999"'], logged()
    finally:
        stderr = await raw.stop()
    assert stderr == b""


async def test_no_refresh_for_a_pull_that_waits_for_the_scan(tmp_path):
    """A pull that arrives before the start-up scan is done is answered once it is done,
    with what it found. Settings that arrive meanwhile (the client answers
    ``workspace/configuration``) asked the client to re-pull, which only made VS Code
    cancel that pull, late, for nothing."""
    root = make_workspace(tmp_path, {f".claude/agents/o{i}.md": AGENT.format(name=f"o{i}") for i in range(50)})
    raw = await RawServer.start()
    try:
        caps = {"textDocument": {"diagnostic": {}},
                "workspace": {"diagnostics": {"refreshSupport": True}, "configuration": True}}
        await raw.request("initialize", initialize_message(root, caps))
        raw.notify("initialized", {})
        asked = await until(lambda: next((m for m in raw.messages if m.get("method") == "workspace/configuration"),
                                         None), what="workspace/configuration")
        uri = uri_of(root / ".claude/agents/o0.md")
        raw.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1, "text": AGENT.format(name="o1")}})
        raw._next_id += 1
        pull_id = raw._next_id
        raw.send({"jsonrpc": "2.0", "id": pull_id, "method": "textDocument/diagnostic",
                  "params": {"textDocument": {"uri": uri}}})
        raw.send({"jsonrpc": "2.0", "id": asked["id"], "result": [{"rules": {"AGT602": "off"}}]})
        report = await until(lambda: next((m for m in raw.messages if m.get("id") == pull_id and "method" not in m),
                                          None), what="the pull's answer")
        assert [d["code"] for d in report["result"]["items"]] == ["AGT700"]  # found by the scan
        await raw.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})  # a round trip
        assert [m for m in raw.messages if m.get("method") == "workspace/diagnostic/refresh"] == []
    finally:
        await raw.stop()
