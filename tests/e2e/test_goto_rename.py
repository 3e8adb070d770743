"""Go to definition, find references, workspace symbols and rename through the real server,
for VS Code (UTF-16) and Neovim (UTF-8). Names sit after emoji on their lines, where the
encodings disagree; every returned range is converted back with the negotiated encoding
and compared with the text it should cover."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from agentls.core.text import LineIndex, units
from e2e_helpers import TIMEOUT, apply_edits, lsp_client_fixture, open_doc, uri_of, workspace_fixture
from lsprotocol import types

pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning"),
]

LEAD = """---
name: lead
description: 😀 Coordinates the team. Use the code-reviewer agent after edits.
tools: Read, Agent(code-reviewer)
skills:
  - api-conventions
---

😀 Ask @agent-code-reviewer, then run /deploy. See [rules](../skills/api-conventions/SKILL.md#rules).
"""

REVIEWER = """---
name: code-reviewer
description: Reviews diffs. Use proactively.
---
Hand off to the lead agent.
"""

SKILL = """---
name: api-conventions
description: API rules.
---
## Rules
"""

FILES = {
    ".claude/agents/lead.md": LEAD,
    ".claude/agents/reviewer.md": REVIEWER,
    ".claude/agents/tester.md": "---\nname: test-runner\ndescription: Runs tests.\n---\nAsk the code-reviewer agent.\n"
                                "Its prompt: [reviewer](reviewer.md).\n",
    ".claude/skills/api-conventions/SKILL.md": SKILL,
    ".claude/commands/deploy.md": "Deploy it.\n",
}

root = workspace_fixture("navigate", FILES)
client = lsp_client_fixture(params=["visual-studio-code", "neovim"])


def position(text: str, before: str, encoding: str) -> types.Position:
    """The client position just after the first ``before`` in ``text``."""
    offset = text.index(before) + len(before)
    index = LineIndex(text)
    line, col = index.position(offset)
    return types.Position(line=line, character=units(index.line_text(line)[:col], encoding))


def covered(root: Path, location: types.Location, encoding: str) -> tuple[str, str]:
    path = Path(location.uri.removeprefix("file://"))
    text = path.read_text()
    index = LineIndex(text)
    rng = location.range
    start = index.from_client(rng.start.line, rng.start.character, encoding)
    end = index.from_client(rng.end.line, rng.end.character, encoding)
    return path.name, text[start:end]


def doc_id(root: Path, rel: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri_of(root / rel))


async def opened(client, root: Path, rel: str) -> str:
    uri = uri_of(root / rel)
    open_doc(client, uri, FILES[rel])
    return uri


DEFINITIONS = [
    ("tool", "Agent(code-rev", [("reviewer.md", "code-reviewer")]),
    ("description", "Use the code-re", [("reviewer.md", "code-reviewer")]),
    ("mention", "@agent-code", [("reviewer.md", "code-reviewer")]),
    ("skill", "  - api-", [("SKILL.md", "api-conventions")]),
    ("command", "run /dep", [("deploy.md", "")]),
    ("heading-link", "SKILL.md#ru", [("SKILL.md", "## Rules")]),
]


@pytest.mark.parametrize("before, expected", [c[1:] for c in DEFINITIONS], ids=[c[0] for c in DEFINITIONS])
async def test_definition(client, root, before, expected):
    await opened(client, root, ".claude/agents/lead.md")
    result = await asyncio.wait_for(client.text_document_definition_async(types.DefinitionParams(
        text_document=doc_id(root, ".claude/agents/lead.md"),
        position=position(LEAD, before, client.encoding))), TIMEOUT)
    assert [covered(root, loc, client.encoding) for loc in result] == expected


async def test_no_definition_on_plain_text(client, root):
    await opened(client, root, ".claude/agents/lead.md")
    result = await asyncio.wait_for(client.text_document_definition_async(types.DefinitionParams(
        text_document=doc_id(root, ".claude/agents/lead.md"),
        position=position(LEAD, "Coordin", client.encoding))), TIMEOUT)
    assert not result


async def test_references_of_an_agent(client, root):
    await opened(client, root, ".claude/agents/reviewer.md")
    result = await asyncio.wait_for(client.text_document_references_async(types.ReferenceParams(
        text_document=doc_id(root, ".claude/agents/reviewer.md"),
        position=position(REVIEWER, "name: code", client.encoding),
        context=types.ReferenceContext(include_declaration=True))), TIMEOUT)
    assert sorted(covered(root, loc, client.encoding) for loc in result) == [
        ("lead.md", "code-reviewer")] * 3 + [("reviewer.md", "code-reviewer"), ("tester.md", "code-reviewer"),
                                             ("tester.md", "reviewer.md")]  # a link to its file


async def test_references_follow_the_disk(client, root):
    """A file changed on disk (the client says so) is read again: its new mention counts."""
    path = root / ".claude/agents/tester.md"
    before = path.read_text()
    try:
        path.write_text(before + "Then hand off to the code-reviewer agent again.\n")
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=uri_of(path), type=types.FileChangeType.Changed)]))
        await opened(client, root, ".claude/agents/reviewer.md")
        result = await asyncio.wait_for(client.text_document_references_async(types.ReferenceParams(
            text_document=doc_id(root, ".claude/agents/reviewer.md"),
            position=position(REVIEWER, "name: code", client.encoding),
            context=types.ReferenceContext(include_declaration=False))), TIMEOUT)
        assert sum(1 for loc in result if loc.uri.endswith("tester.md")) == 3  # two mentions, a link
    finally:
        path.write_text(before)
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=uri_of(path), type=types.FileChangeType.Changed)]))


async def test_workspace_symbols(client, root):
    result = await asyncio.wait_for(client.workspace_symbol_async(types.WorkspaceSymbolParams(query="")), TIMEOUT)
    assert {(s.name, s.container_name) for s in result} == {
        ("lead", "agent"), ("code-reviewer", "agent"), ("test-runner", "agent"),
        ("api-conventions", "skill"), ("/deploy", "command")}
    result = await asyncio.wait_for(client.workspace_symbol_async(types.WorkspaceSymbolParams(query="crev")), TIMEOUT)
    [found] = result
    assert found.name == "code-reviewer" and found.location.uri == uri_of(root / ".claude/agents/reviewer.md")
    assert found.location.range.start.line == 1


async def test_prepare_rename(client, root):
    await opened(client, root, ".claude/agents/lead.md")
    result = await asyncio.wait_for(client.text_document_prepare_rename_async(types.PrepareRenameParams(
        text_document=doc_id(root, ".claude/agents/lead.md"),
        position=position(LEAD, "@agent-code", client.encoding))), TIMEOUT)
    assert result.placeholder == "code-reviewer"
    with pytest.raises(Exception, match="Nothing to rename"):
        await asyncio.wait_for(client.text_document_prepare_rename_async(types.PrepareRenameParams(
            text_document=doc_id(root, ".claude/agents/lead.md"),
            position=position(LEAD, "Coordin", client.encoding))), TIMEOUT)


def edits_of(edit: types.WorkspaceEdit) -> dict[str, tuple[int | None, list[types.TextEdit]]]:
    """``{uri: (version, edits)}`` of a WorkspaceEdit in either form (``documentChanges`` for
    clients that declare them, as VS Code does; ``changes`` for the others, as Neovim's)."""
    if edit.document_changes is not None:
        return {c.text_document.uri: (c.text_document.version, c.edits) for c in edit.document_changes}
    return {uri: (None, edits) for uri, edits in (edit.changes or {}).items()}


def apply(edit: types.WorkspaceEdit, encoding: str) -> dict[str, str]:
    out = {}
    for uri, (_version, edits) in edits_of(edit).items():
        path = Path(uri.removeprefix("file://"))
        out[path.name] = apply_edits(path.read_text(), edits, encoding)
    return out


async def test_rename_agent(client, root):
    await opened(client, root, ".claude/agents/lead.md")
    edit = await asyncio.wait_for(client.text_document_rename_async(types.RenameParams(
        text_document=doc_id(root, ".claude/agents/lead.md"),
        position=position(LEAD, "Agent(code", client.encoding), new_name="diff-reviewer")), TIMEOUT)
    result = apply(edit, client.encoding)
    assert set(result) == {"lead.md", "reviewer.md", "tester.md"}
    assert "name: diff-reviewer" in result["reviewer.md"]
    assert "Use the diff-reviewer agent" in result["lead.md"]
    assert "Agent(diff-reviewer)" in result["lead.md"] and "@agent-diff-reviewer," in result["lead.md"]
    assert "Ask the diff-reviewer agent." in result["tester.md"]
    if edit.document_changes is not None:  # open documents carry their version
        versions = {Path(uri).name: v for uri, (v, _) in edits_of(edit).items()}
        assert versions["lead.md"] == 1 and versions["tester.md"] is None


@pytest.mark.parametrize("new_name, message", [
    ("test-runner", "already exists"), ("Not Valid", "not a valid agent name")])
async def test_rename_refused(client, root, new_name, message):
    await opened(client, root, ".claude/agents/lead.md")
    with pytest.raises(Exception, match=message):
        await asyncio.wait_for(client.text_document_rename_async(types.RenameParams(
            text_document=doc_id(root, ".claude/agents/lead.md"),
            position=position(LEAD, "Agent(code", client.encoding), new_name=new_name)), TIMEOUT)


async def test_a_command_is_not_renamed_by_text(client, root):
    """``/deploy`` names a command file: Claude Code names a command by its file, so
    prepareRename already refuses, with the reason, and so does rename."""
    await opened(client, root, ".claude/agents/lead.md")
    where = position(LEAD, "run /dep", client.encoding)
    message = r"`/deploy` is a command: Claude Code names it by its file \(.claude/commands/deploy.md\)"
    with pytest.raises(Exception, match=message):
        await asyncio.wait_for(client.text_document_prepare_rename_async(types.PrepareRenameParams(
            text_document=doc_id(root, ".claude/agents/lead.md"), position=where)), TIMEOUT)
    with pytest.raises(Exception, match="rename the file to rename the command"):
        await asyncio.wait_for(client.text_document_rename_async(types.RenameParams(
            text_document=doc_id(root, ".claude/agents/lead.md"), position=where, new_name="ship")), TIMEOUT)


async def test_a_skills_slash_name_is_renamed_as_the_skill(client, root):
    text = "---\nname: caller\ndescription: Calls.\n---\nRun /api-conventions first.\n"
    uri = uri_of(root / ".claude/agents/caller.md")
    open_doc(client, uri, text)
    where = position(text, "Run /api", client.encoding)
    result = await asyncio.wait_for(client.text_document_prepare_rename_async(types.PrepareRenameParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=where)), TIMEOUT)
    assert result.placeholder == "api-conventions"


async def test_commands_created_and_deleted_after_the_scan(client, root):
    """A command file created after the start-up scan (the client's watched-file event)
    is found by workspace symbols, definition and references; once deleted, by none."""
    path = root / ".claude/commands/release.md"
    caller = "---\nname: shipper\ndescription: Ships.\n---\nWhen done, run /release.\n"
    uri = uri_of(root / ".claude/agents/shipper.md")
    open_doc(client, uri, caller)
    where = position(caller, "run /rel", client.encoding)

    async def state():
        symbols = await asyncio.wait_for(client.workspace_symbol_async(
            types.WorkspaceSymbolParams(query="release")), TIMEOUT)
        defs = await asyncio.wait_for(client.text_document_definition_async(types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=where)), TIMEOUT)
        refs = await asyncio.wait_for(client.text_document_references_async(types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=where,
            context=types.ReferenceContext(include_declaration=True))), TIMEOUT)
        return ([(s.name, s.container_name) for s in symbols or []], [d.uri for d in defs or []],
                sorted(r.uri.rsplit("/", 1)[-1] for r in refs or []))

    assert await state() == ([], [], ["shipper.md"])
    try:
        path.write_text("Release it.\n")
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=uri_of(path), type=types.FileChangeType.Created)]))
        assert await state() == ([("/release", "command")], [uri_of(path)], ["release.md", "shipper.md"])
    finally:
        path.unlink()
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=uri_of(path), type=types.FileChangeType.Deleted)]))
    assert await state() == ([], [], ["shipper.md"])
