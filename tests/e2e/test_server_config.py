"""The language server reads the same configuration file as ``agentls check``.

The closest ``pyproject.toml`` ``[tool.agentls]`` (or ``agentls.toml``) is underneath,
the editor's settings on top, and an edited configuration file is picked up when the
client reports the change (``workspace/didChangeWatchedFiles``).
"""

from __future__ import annotations

import os
import time

import pytest
from e2e_helpers import (
    change,
    close_doc,
    lsp_client_fixture,
    make_workspace,
    open_doc,
    published,
    until,
    uri_of,
    workspace_fixture,
)
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

TYPO = """---
name: typo
description: Reviews code for quality and security. Use after code changes.
tools: Read, Grepp
---

You review code.
"""


root = workspace_fixture("cfg", {
    "pyproject.toml": '[project]\nname = "x"\n\n[tool.agentls]\nignore = ["unknown-tool"]\n',
    "legacy/.claude/agents/old.md": TYPO,
    "legacy/agentls.toml": '[severity]\nAGT400 = "error"\n',
})


client = lsp_client_fixture()


def tool_diags(params) -> list[types.Diagnostic]:
    return [d for d in params.diagnostics if d.code == "AGT400"]


async def next_publish(client, uri, before, predicate, what):
    return await until(lambda: next((p for _, p in client.published[before:]
                                     if p.uri == uri and predicate(tool_diags(p))), None), what=what)


async def test_config_file_underneath_editor_settings_on_top_and_reloaded(client, root):
    uri = uri_of(root / ".claude/agents/typo.md")
    open_doc(client, uri, TYPO)
    assert not [d for d in await published(client, uri, 1) if d.code == "AGT400"]  # ignored by pyproject.toml

    # The editor's settings win over the file.
    before = len(client.published)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"agentls": {"rules": {"AGT400": "error"}}}))
    p = await next_publish(client, uri, before, lambda d: d, "AGT400 from client settings")
    assert tool_diags(p)[0].severity == types.DiagnosticSeverity.Error
    before = len(client.published)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"agentls": {}}))
    await next_publish(client, uri, before, lambda d: not d, "AGT400 ignored again")

    # The configuration file changes on disk: reloaded.
    cfg = root / "pyproject.toml"
    cfg.write_text('[project]\nname = "x"\n\n[tool.agentls.severity]\nunknown-tool = "info"\n')
    stamp = time.time() + 5
    os.utime(cfg, (stamp, stamp))
    before = len(client.published)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=uri_of(cfg), type=types.FileChangeType.Changed)]))
    p = await next_publish(client, uri, before, lambda d: d, "AGT400 after the config changed")
    assert tool_diags(p)[0].severity == types.DiagnosticSeverity.Information
    close_doc(client, uri)


async def test_closest_config_applies_per_folder(client, root):
    uri = uri_of(root / "legacy/.claude/agents/old.md")
    open_doc(client, uri, TYPO)
    diags = [d for d in await published(client, uri, 1) if d.code == "AGT400"]
    assert [d.severity for d in diags] == [types.DiagnosticSeverity.Error]
    close_doc(client, uri)


async def test_broken_config_is_logged_not_fatal(client, root):
    bad = make_workspace(root / "broken", {"agentls.toml": 'selec = ["AGT4"]\n'})
    uri = uri_of(bad / ".claude/agents/x.md")
    open_doc(client, uri, TYPO)
    diags = [d for d in await published(client, uri, 1) if d.code == "AGT400"]
    assert len(diags) == 1  # defaults apply
    await until(lambda: any("agentls.toml:1: unknown key 'selec'" in (m.message or "") for m in client.log_messages),
                what="the configuration problem in the client's log")
    close_doc(client, uri)


async def test_configuration_preference_chooses_the_order(client, root):
    """As in ruff's server: ``filesystemFirst`` puts the configuration file over the
    editor's settings, ``editorOnly`` leaves the file out."""
    folder = make_workspace(root / "preference", {"agentls.toml": 'ignore = ["unknown-tool"]\n'})
    uri = uri_of(folder / ".claude/agents/typo.md")
    open_doc(client, uri, TYPO)
    assert not [d for d in await published(client, uri, 1) if d.code == "AGT400"]

    def configure(settings):
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"agentls": settings}))

    before = len(client.published)
    configure({"rules": {"AGT400": "error"}})  # editorFirst: the editor wins
    p = await next_publish(client, uri, before, lambda d: d, "AGT400 from the editor")
    assert tool_diags(p)[0].severity == types.DiagnosticSeverity.Error
    before = len(client.published)
    configure({"rules": {"AGT400": "error"}, "configurationPreference": "filesystemFirst"})
    await next_publish(client, uri, before, lambda d: not d, "AGT400 ignored by the file again")
    before = len(client.published)
    configure({"configurationPreference": "editorOnly"})
    p = await next_publish(client, uri, before, lambda d: d, "AGT400 without the file")
    assert tool_diags(p)[0].severity == types.DiagnosticSeverity.Warning
    configure({})
    close_doc(client, uri)


MAGENTA = """---
name: painter
description: Reviews code for quality and security. Use after code changes.
tools: Read, Grepp
color: magenta
---

You review code.
"""


def apply_ascii(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP edits to ASCII text (any position encoding counts the same there)."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(pos: types.Position) -> int:
        return starts[pos.line] + pos.character

    for e in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[:offset(e.range.start)] + e.new_text + text[offset(e.range.end):]
    return text


async def test_every_request_uses_the_files_configuration(client, root):
    """`ignore = ["AGT104"]` in agentls.toml: no diagnostic, and neither fix-all, a quick
    fix nor hover acts on `color: magenta` (fix-all re-linted with the editor's settings
    alone and rewrote it to `purple`)."""
    folder = make_workspace(root / "painted", {"agentls.toml": 'ignore = ["AGT104"]\n'})
    uri = uri_of(folder / ".claude/agents/painter.md")
    open_doc(client, uri, MAGENTA)
    diags = await published(client, uri, 1)
    assert sorted(d.code for d in diags) == ["AGT400"]

    whole = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=9, character=0))
    found = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=whole,
        context=types.CodeActionContext(diagnostics=[], only=["source.fixAll.agentls"])))
    (fix_all,) = found
    (change,) = fix_all.edit.document_changes
    fixed = apply_ascii(MAGENTA, list(change.edits))
    assert "tools: Read, Grep\n" in fixed
    assert "color: magenta\n" in fixed  # AGT104 is ignored here: nothing to fix

    magenta = types.Range(start=types.Position(line=4, character=7), end=types.Position(line=4, character=14))
    quick = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=magenta,
        context=types.CodeActionContext(diagnostics=[], only=["quickfix"])))
    assert not quick
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=4, character=9)))
    assert hover is not None and "legacy value" in hover.contents.value
    assert "AGT104" not in hover.contents.value
    close_doc(client, uri)



ADDED = """---
name: extended
description: Reviews code for quality and security. Use after code changes.
tools: Read, NewTool
---

You review code.
"""


async def test_a_tool_the_configuration_adds_is_completed_and_hovered(client, root):
    """`extend-tools` in agentls.toml and `extendTools` in the editor's settings: the linter
    accepts the tool, and completion offers it and hover explains it, the same way (before,
    both were offered only Claude Code's own tools and hover said nothing)."""
    folder = make_workspace(root / "extended", {"agentls.toml": 'extend-tools = ["NewTool"]\n'})
    uri = uri_of(folder / ".claude/agents/extended.md")
    doc = types.TextDocumentIdentifier(uri=uri)
    tools_line = 3

    async def offered() -> set[str]:  # at the end of `tools: Read, `
        result = await client.text_document_completion_async(types.CompletionParams(
            text_document=doc, position=types.Position(line=tools_line, character=len("tools: Read, "))))
        return {item.label for item in result.items}

    async def hovered() -> str:  # on the second entry
        result = await client.text_document_hover_async(types.HoverParams(
            text_document=doc, position=types.Position(line=tools_line, character=len("tools: Read, Ne"))))
        assert result is not None
        return result.contents.value

    open_doc(client, uri, ADDED)
    assert not [d for d in await published(client, uri, 1) if d.code == "AGT400"]
    text = await hovered()
    assert "**`NewTool`** (tool)" in text and "added in your configuration" in text and "AGT400" not in text
    change(client, uri, 2, (None, ADDED.replace("NewTool", "")))
    labels = await offered()
    assert "NewTool" in labels and "Grep" in labels

    # The editor's settings add another one, on top of the file's.
    before = len(client.published)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"agentls": {"extendTools": ["EditorTool"]}}))
    change(client, uri, 3, (None, ADDED.replace("NewTool", "EditorTool")))
    await until(lambda: any(p.uri == uri and p.version == 3 and not tool_diags(p)
                            for _, p in client.published[before:]), what="EditorTool accepted")
    text = await hovered()
    assert "**`EditorTool`** (tool)" in text and "added in your configuration" in text
    change(client, uri, 4, (None, ADDED.replace("NewTool", "")))
    assert {"NewTool", "EditorTool"} <= await offered()

    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"agentls": {}}))
    close_doc(client, uri)
