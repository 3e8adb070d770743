"""Cross-file rules: the start-up index, watched-file events, open documents renaming.

A file on disk shares the open document's ``name``; the duplicate appears (with
relatedInformation pointing at the other file) and disappears as that file changes.
"""

from __future__ import annotations

import pytest
from e2e_helpers import (
    AGENT,
    change,
    close_doc,
    lsp_client_fixture,
    make_workspace,
    open_doc,
    published,
    publishes,
    pull,
    until,
    uri_of,
    workspace_fixture,
)
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

DUP = "AGT700"


root = workspace_fixture("ws", {
    **{f".claude/agents/other-{i}.md": AGENT.format(name=f"other-{i}") for i in range(30)},
    ".claude/agents/twin.md": "---\n# a comment 😀\nname: shared\ndescription: The twin on disk, used for tests only.\n---\nBody.\n",
    ".claude/skills/house-style/SKILL.md": "---\nname: house-style\ndescription: Our style.\n---\nStyle.\n",
    "README.md": "---\nname: shared\n---\n",
})


client = lsp_client_fixture()


# Neovim's capabilities plus workspace/diagnostic/refresh support.
puller = lsp_client_fixture("neovim+pull")


def watched(client, path, kind: types.FileChangeType) -> None:
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=uri_of(path), type=kind)]))


def dups(diags):
    return [d for d in diags if d.code == DUP]


async def test_startup_index_progress_and_watchers(client, root):
    # Watchers registered dynamically (VS Code supports it) for Markdown files.
    regs = await until(lambda: client.registrations, what="client/registerCapability")
    assert regs[0].method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    assert {"globPattern": "**/*.md"} in regs[0].register_options["watchers"]
    # Progress reported begin ... end around the scan.
    reports = await until(lambda: [r for rs in client.progress_reports.values() for r in rs
                                   if isinstance(r, types.WorkDoneProgressEnd)] and client.progress_reports,
                          what="work done progress end")
    kinds = [type(r).__name__ for rs in reports.values() for r in rs]
    assert kinds[0] == "WorkDoneProgressBegin" and kinds[-1] == "WorkDoneProgressEnd"
    # The summary is logged just after the progress ends: wait for it rather than race it.
    await until(lambda: any("indexed 32" in (m.message or "") for m in client.log_messages),
                what="log line: indexed 32 files")


async def test_duplicate_follows_disk(client, root):
    uri = uri_of(root / ".claude/agents/mine.md")
    twin = root / ".claude/agents/twin.md"
    open_doc(client, uri, AGENT.format(name="shared"))
    diags = dups(await published(client, uri, 1))
    assert len(diags) == 1
    info = diags[0].related_information
    assert info and info[0].location.uri == uri_of(twin)
    # The related range is the twin's `shared` on its line 2 (0-based), after a 😀 comment line.
    assert info[0].location.range == types.Range(start=types.Position(line=2, character=6),
                                                 end=types.Position(line=2, character=12))

    # The twin is renamed on disk: the duplicate disappears.
    before = len(client.published)
    twin.write_text(twin.read_text().replace("name: shared", "name: twin"))
    watched(client, twin, types.FileChangeType.Changed)
    await until(lambda: any(p.uri == uri and not dups(p.diagnostics) for _, p in client.published[before:]),
                what="duplicate gone")

    # Renamed back: it reappears.
    before = len(client.published)
    twin.write_text(twin.read_text().replace("name: twin", "name: shared"))
    watched(client, twin, types.FileChangeType.Changed)
    await until(lambda: any(p.uri == uri and dups(p.diagnostics) for _, p in client.published[before:]),
                what="duplicate back")

    # Deleted: gone again.
    before = len(client.published)
    text = twin.read_text()
    twin.unlink()
    watched(client, twin, types.FileChangeType.Deleted)
    await until(lambda: any(p.uri == uri and not dups(p.diagnostics) for _, p in client.published[before:]),
                what="duplicate gone after delete")

    # Created again.
    before = len(client.published)
    twin.write_text(text)
    watched(client, twin, types.FileChangeType.Created)
    await until(lambda: any(p.uri == uri and dups(p.diagnostics) for _, p in client.published[before:]),
                what="duplicate back after create")
    close_doc(client, uri)


async def test_open_documents_see_each_other(client, root):
    a, b = uri_of(root / ".claude/agents/a.md"), uri_of(root / ".claude/agents/b.md")
    open_doc(client, a, AGENT.format(name="pair"))
    assert dups(await published(client, a, 1)) == []
    before = len(client.published)
    open_doc(client, b, AGENT.format(name="pair-b"))
    await published(client, b, 1, after=before)
    # b renames itself to `pair` (unsaved edit): a is republished with the duplicate.
    before = len(client.published)
    change(client, b, 2, ((1, 6, 1, 12), "pair"))
    assert len(dups(await published(client, b, 2, after=before))) == 1
    await until(lambda: any(p.uri == a and dups(p.diagnostics) for _, p in client.published[before:]),
                what="a republished with the duplicate")
    # b closes without saving: the disk has no b.md, so a's duplicate goes.
    before = len(client.published)
    close_doc(client, b)
    await until(lambda: any(p.uri == a and not dups(p.diagnostics) for _, p in client.published[before:]),
                what="a's duplicate gone after b closed")
    close_doc(client, a)


async def test_unknown_skill_and_builtin(client, root):
    uri = uri_of(root / ".claude/agents/skills.md")
    text = AGENT.format(name="general-purpose")
    text = text.replace("model: sonnet", "model: sonnet\nskills:\n  - house-style\n  - nope-style")
    open_doc(client, uri, text)
    diags = await published(client, uri, 1)
    assert sorted(d.code for d in diags) == ["AGT701", "AGT702"]
    assert "nope-style" in [d for d in diags if d.code == "AGT702"][0].message
    close_doc(client, uri)


async def test_pull_client_is_asked_to_refresh(puller, root):
    uri = uri_of(root / ".claude/agents/pulled.md")
    twin = root / ".claude/agents/twin2.md"
    open_doc(puller, uri, AGENT.format(name="pulled"))
    assert dups(await pull(puller, uri)) == []
    count = puller.diagnostic_refresh_count
    twin.write_text(AGENT.format(name="pulled"))
    watched(puller, twin, types.FileChangeType.Created)
    await until(lambda: puller.diagnostic_refresh_count > count, what="workspace/diagnostic/refresh")
    assert len(dups(await pull(puller, uri))) == 1
    assert puller.published == []
    twin.unlink()
    close_doc(puller, uri)


async def test_unused_suppression_follows_the_index(client, root):
    """`# agentls: ignore[AGT700]` hides the duplicate while the twin exists; once the twin
    is gone it hides nothing and AGT900 says so, as `agentls check` does (the server kept
    the suppression "used" from the first lint and never said it)."""
    twin = root / ".claude/agents/hushed-twin.md"
    twin.write_text(AGENT.format(name="hushed"))
    watched(client, twin, types.FileChangeType.Created)
    uri = uri_of(root / ".claude/agents/hushed.md")
    text = AGENT.format(name="hushed").replace("name: hushed", "name: hushed  # agentls: ignore[AGT700]")
    before = len(client.published)
    open_doc(client, uri, text)
    await until(lambda: any(p.uri == uri and not p.diagnostics for _, p in client.published[before:]),
                what="the duplicate suppressed, nothing shown")

    before = len(client.published)
    twin.unlink()
    watched(client, twin, types.FileChangeType.Deleted)
    p = await until(lambda: next((p for _, p in client.published[before:] if p.uri == uri and p.diagnostics), None),
                    what="AGT900 once the twin is gone")
    assert [d.code for d in p.diagnostics] == ["AGT900"]
    assert "AGT700" in p.diagnostics[0].message

    before = len(client.published)
    twin.write_text(AGENT.format(name="hushed"))
    watched(client, twin, types.FileChangeType.Created)
    await until(lambda: any(p.uri == uri and not p.diagnostics for _, p in client.published[before:]),
                what="the suppression used again")
    twin.unlink()
    watched(client, twin, types.FileChangeType.Deleted)
    close_doc(client, uri)


# Neovim 0.11's capabilities: pull diagnostics without refresh support, no file
# watching (Neovim turns it off on Linux).
nvim_like = lsp_client_fixture("neovim")


async def test_a_client_that_cannot_be_refreshed_gets_pushes(nvim_like, root):
    """Neovim pulls only on open and change: offered pull, it never saw what the settings,
    another open file or the disk changed until the buffer was edited. It is offered no
    pull and gets every change pushed, the disk's too (the server polls it)."""
    client = nvim_like
    assert client.server_caps.diagnostic_provider is None
    uri = uri_of(root / ".claude/agents/nv.md")
    open_doc(client, uri, AGENT.format(name="nv").replace("model: sonnet", "model: sonet"))
    assert [d.code for d in await published(client, uri, 1)] == ["AGT300"]

    def latest() -> list[str]:
        return sorted(str(d.code) for d in publishes(client, uri)[-1].diagnostics)

    # The settings change: AGT300 off.
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"agentls": {"rules": {"AGT300": "off"}}}))
    await until(lambda: latest() == [], what="AGT300 gone after the settings changed")

    # Another open file takes the same name (unsaved).
    other = uri_of(root / ".claude/agents/nv-other.md")
    open_doc(client, other, AGENT.format(name="nv-other"))
    change(client, other, 2, ((1, 6, 1, 14), "nv"))
    await until(lambda: latest() == [DUP], what="the duplicate from the other open file")
    close_doc(client, other)
    await until(lambda: latest() == [], what="the duplicate gone with the other file")

    # A file with the same name appears on disk; no client event at all.
    twin = root / ".claude/agents/nv-disk.md"
    twin.write_text(AGENT.format(name="nv"))
    try:
        await until(lambda: latest() == [DUP], what="the duplicate from the disk")
        twin.unlink()
        await until(lambda: latest() == [], what="the duplicate gone from the disk")
    finally:
        twin.unlink(missing_ok=True)
    close_doc(client, uri)


async def test_an_added_workspace_folder_is_indexed_and_polled(nvim_like, root, tmp_path):
    # Agents of two folders' .claude/agents are two trees (no duplicate names across them,
    # issue 14); skills are looked up across the workspace, so they show the added folder.
    client = nvim_like
    skill = "---\nname: {name}\ndescription: A skill.\n---\nBody.\n"
    extra = make_workspace(tmp_path / "extra", {".claude/skills/fold-one/SKILL.md": skill.format(name="fold-one")})
    folder = types.WorkspaceFolder(uri=uri_of(extra), name="extra")
    uri = uri_of(root / ".claude/agents/fold.md")
    open_doc(client, uri, AGENT.format(name="fold").replace("model: sonnet\n",
                                                            "model: sonnet\nskills: fold-one, fold-two\n"))
    await published(client, uri, 1)

    def missing() -> list[str]:
        return sorted(d.message.split("`")[1] for d in publishes(client, uri)[-1].diagnostics if d.code == "AGT702")

    await until(lambda: missing() == ["fold-one", "fold-two"], what="both skills missing")
    client.workspace_did_change_workspace_folders(types.DidChangeWorkspaceFoldersParams(
        event=types.WorkspaceFoldersChangeEvent(added=[folder], removed=[])))
    await until(lambda: missing() == ["fold-two"], what="the skill in the added folder")
    (extra / ".claude/skills/fold-two").mkdir()
    (extra / ".claude/skills/fold-two/SKILL.md").write_text(skill.format(name="fold-two"))  # no client event
    await until(lambda: missing() == [], what="the new skill in the added folder")
    client.workspace_did_change_workspace_folders(types.DidChangeWorkspaceFoldersParams(
        event=types.WorkspaceFoldersChangeEvent(added=[], removed=[folder])))
    await until(lambda: missing() == ["fold-one", "fold-two"], what="the skills gone with the folder")
    close_doc(client, uri)
