"""Open, change, save, close; push diagnostics with versions; README silence; settings.

One VS Code-like client (push diagnostics, UTF-16) for the whole module.
"""

from __future__ import annotations

import time

import pytest
from e2e_helpers import (
    AGENT,
    SEEDS,
    change,
    close_doc,
    codes,
    lsp_client_fixture,
    open_doc,
    published,
    publishes,
    until,
    uri_of,
    workspace_fixture,
)
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")


root = workspace_fixture("sync")


client = lsp_client_fixture()


async def test_open_change_close(client, root):
    uri = uri_of(root / ".claude/agents/reviewer.md")
    text = AGENT.format(name="reviewer").replace("Grep,", "Grepp,")
    open_doc(client, uri, text)
    diags = await published(client, uri, 1)
    assert codes(diags) == ["AGT400"]
    d = diags[0]
    assert d.source == "agentls"
    assert d.severity == types.DiagnosticSeverity.Warning
    assert d.code_description is not None and d.code_description.href.endswith("#agt400-unknown-tool")
    assert d.data["code"] == "AGT400"
    line = text.splitlines()[d.range.start.line]
    assert line[d.range.start.character:d.range.end.character] == "Grepp"

    # Fix the tool incrementally: replace "Grepp" with "Grep" (line 3).
    col = d.range.start.character
    change(client, uri, 2, ((3, col, 3, col + 5), "Grep"))
    assert await published(client, uri, 2) == []

    # Break it again with a full-text change.
    change(client, uri, 3, (None, text.replace("model: sonnet", "model: sonet")))
    assert codes(await published(client, uri, 3)) == ["AGT300", "AGT400"]

    # Save publishes again (same version).
    before = len(client.published)
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    assert codes(await published(client, uri, 3, after=before)) == ["AGT300", "AGT400"]

    before = len(client.published)
    close_doc(client, uri)
    await until(lambda: any(p.uri == uri and not p.diagnostics for _, p in client.published[before:]),
                what="empty publish on close")


async def test_rapid_changes_publish_only_latest(client, root):
    """Keystroke bursts on a large document are debounced: the newest version is
    published, stale ones never. (Small documents are checked at once.)"""
    uri = uri_of(root / ".claude/agents/typing.md")
    text = AGENT.format(name="typing") + ("Long prompt line with café and 😀.\n" * 36000)  # > 1 MiB
    open_doc(client, uri, text)
    await published(client, uri, 1)
    before = len(client.published)
    body_line = text.count("\n")  # the empty last line
    for v in range(2, 22):
        change(client, uri, v, ((body_line, v - 2, body_line, v - 2), "x"))
    await published(client, uri, 21, after=before)
    versions = [p.version for _, p in client.published[before:] if p.uri == uri]
    assert versions[-1] == 21
    assert len(versions) < 5, versions  # debounced, not one per keystroke
    assert versions == sorted(versions)
    close_doc(client, uri)


async def test_latency(client, root):
    """didChange -> publishDiagnostics latency (debounce + lint), printed for the report."""
    uri = uri_of(root / ".claude/agents/latency.md")
    text = SEEDS[4].read_text(encoding="utf-8")
    open_doc(client, uri, text)
    await published(client, uri, 1)
    samples = []
    for v in range(2, 12):
        before = len(client.published)
        start = time.perf_counter()
        change(client, uri, v, ((5, 0, 5, 0), "a"))
        await published(client, uri, v, after=before)
        arrived = [t for t, p in client.published[before:] if p.uri == uri and p.version == v][0]
        samples.append(arrived - start)
    samples.sort()
    print(f"\ndidChange->publish latency over {len(samples)} edits of a {len(text)}-char seed: "
          f"median {samples[len(samples) // 2] * 1000:.1f} ms, max {samples[-1] * 1000:.1f} ms")
    assert samples[len(samples) // 2] < 1.0
    close_doc(client, uri)


async def test_readme_gets_nothing(client, root):
    for name in ("README.md", ".claude/agents/README.md", "docs/guide.md"):
        uri = uri_of(root / name)
        open_doc(client, uri, "# Title\n\n---\nname: x\n---\n\nSome text with tools: Grepp\n")
        change(client, uri, 2, (None, "no frontmatter at all 😀\n"))
        client.text_document_did_save(types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
    # A request afterwards proves the notifications were processed.
    marker = uri_of(root / ".claude/agents/marker.md")
    open_doc(client, marker, AGENT.format(name="marker"))
    await published(client, marker, 1)
    for name in ("README.md", ".claude/agents/README.md", "docs/guide.md"):
        uri = uri_of(root / name)
        assert publishes(client, uri) == [], name  # not even an empty publish
        # Pull on a non-agent file answers, empty.
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        assert not report.items
        close_doc(client, uri)
    close_doc(client, marker)


async def test_settings_turn_rules_off_and_extend_facts(client, root):
    uri = uri_of(root / ".claude/agents/settings.md")
    text = AGENT.format(name="settings").replace("Grep,", "MyTool,").replace("model: sonnet", "model: sonet")
    open_doc(client, uri, text)
    assert codes(await published(client, uri, 1)) == ["AGT300", "AGT400"]

    before = len(client.published)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"agentls": {"rules": {"unknown-model": "error"}, "extendTools": ["MyTool"]}}))
    diags = await published(client, uri, 1, after=before)
    assert codes(diags) == ["AGT300"]
    assert diags[0].severity == types.DiagnosticSeverity.Error

    before = len(client.published)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"agentls": {"rules": {"AGT300": "off", "AGT999": "off", "AGT400": "loud"},
                              "extendTools": "MyTool", "bogus": 1}}))
    assert await published(client, uri, 1, after=before) == []
    await until(lambda: sum("settings:" in m.message for m in client.log_messages) >= 3,
                what="settings problems logged")
    messages = "\n".join(m.message for m in client.log_messages)
    assert "AGT999" in messages and "loud" in messages and "bogus" in messages

    # Back to defaults.
    before = len(client.published)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"agentls": {}}))
    assert codes(await published(client, uri, 1, after=before)) == ["AGT300", "AGT400"]
    close_doc(client, uri)
