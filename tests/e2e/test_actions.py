"""Code actions through the real server: quick fixes and ``source.fixAll.agentls``.

Run under VS Code's capabilities (UTF-16 positions) and Neovim's (UTF-8), so the edit
ranges must go through the negotiated encoding. Edits are applied here by an
independent client-side applier, then the result is checked with the core linter.
"""

from __future__ import annotations

import asyncio
import re

import pytest
from agentls.engine.fixes import fix_text
from agentls.rules.lint import context_for, lint_text
from e2e_helpers import SEEDS, TIMEOUT, lsp_client_fixture, open_doc, uri_of, workspace_fixture
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

HEAD = "---\nname: code-reviewer\ndescription: Reviews code for quality and security. Use after code changes.\n"
LINE = "tools: Read, é😀Tool, Grepp"  # `Grepp` after a 2-byte and a 4-byte character
GREPP = {"visual-studio-code": ("utf-16", 22), "neovim": ("utf-8", 25)}


root = workspace_fixture("actions")


client = lsp_client_fixture(params=sorted(GREPP))


# -- an independent client-side applier ------------------------------------------------------
def _units(ch: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(ch.encode("utf-8"))
    if encoding == "utf-16":
        return 2 if ord(ch) > 0xFFFF else 1
    return 1


def offset(text: str, pos: types.Position, encoding: str) -> int:
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    start = starts[pos.line]
    end = starts[pos.line + 1] if pos.line + 1 < len(starts) else len(text)
    count, i = 0, start
    while i < end and count < pos.character and text[i] not in "\r\n":
        count += _units(text[i], encoding)
        i += 1
    assert count == pos.character, f"position {pos} is not on a character boundary in {encoding}"
    return i


def apply(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    spans = sorted(((offset(text, e.range.start, encoding), offset(text, e.range.end, encoding), e.new_text)
                    for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def edits_of(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    edit = action.edit
    assert edit is not None
    if edit.document_changes:
        (change,) = edit.document_changes
        assert change.text_document.uri == uri
        return list(change.edits)
    return list(edit.changes[uri])


async def actions(client, uri: str, rng: types.Range, only=None, diagnostics=()) -> list[types.CodeAction]:
    result = await asyncio.wait_for(client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=rng,
        context=types.CodeActionContext(diagnostics=list(diagnostics), only=only))), TIMEOUT)
    return list(result or [])


def encoding(client) -> str:
    return GREPP[client.spec][0]


# -- tests -----------------------------------------------------------------------------------
async def test_code_action_kinds_advertised(client):
    provider = client.server_caps.code_action_provider
    assert isinstance(provider, types.CodeActionOptions)
    assert set(provider.code_action_kinds) == {"quickfix", "source.fixAll.agentls"}


async def test_quick_fix_grepp(client, root):
    path = root / ".claude" / "agents" / f"grepp-{client.spec}.md"
    uri = uri_of(path)
    text = HEAD + LINE + "\n---\nYou review code.\n"
    open_doc(client, uri, text)
    enc, start = GREPP[client.spec]
    rng = types.Range(start=types.Position(line=3, character=start), end=types.Position(line=3, character=start + 5))
    diagnostic = types.Diagnostic(range=rng, message="Unknown tool `Grepp`", code="AGT400", source="agentls")
    found = await actions(client, uri, rng, diagnostics=[diagnostic])
    quick = [a for a in found if a.kind == types.CodeActionKind.QuickFix]
    assert len(quick) == 1, [a.title for a in found]
    action = quick[0]
    assert action.is_preferred is True
    assert list(action.diagnostics) == [diagnostic]  # the client's own diagnostic is named
    (edit,) = edits_of(action, uri)
    assert edit.range == rng and edit.new_text == "Grep"
    assert apply(text, [edit], enc) == HEAD + "tools: Read, é😀Tool, Grep\n---\nYou review code.\n"
    # A range elsewhere (the body) gets no quick fix.
    body = types.Range(start=types.Position(line=5, character=0), end=types.Position(line=5, character=3))
    assert not [a for a in await actions(client, uri, body) if a.kind == types.CodeActionKind.QuickFix]


async def test_unsafe_fix_is_offered_but_not_preferred(client, root):
    uri = uri_of(root / ".claude" / "agents" / f"name-{client.spec}.md")
    text = HEAD.replace("code-reviewer", "Code_Reviewer") + "---\nYou review code.\n"
    open_doc(client, uri, text)
    rng = types.Range(start=types.Position(line=1, character=6), end=types.Position(line=1, character=6))
    found = [a for a in await actions(client, uri, rng) if a.kind == types.CodeActionKind.QuickFix]
    assert len(found) == 1
    assert not found[0].is_preferred and "unsafe" in found[0].title
    assert found[0].diagnostics[0].code == "AGT202"
    assert apply(text, edits_of(found[0], uri), encoding(client)) == HEAD + "---\nYou review code.\n"
    # Fix-all leaves unsafe fixes alone: nothing to do here.
    assert not await actions(client, uri, rng, only=["source.fixAll.agentls"])


@pytest.mark.parametrize("seed", [p for p in SEEDS if p.name[:3] in {"000", "001", "003", "004"}],
                         ids=lambda p: p.name[:3])
async def test_fix_all_cleans_a_seed(client, root, seed):
    text = seed.read_bytes().decode("utf-8")
    path = root / ".claude" / "agents" / f"seed{seed.name[:3]}-{client.spec}.md"
    uri = uri_of(path)
    open_doc(client, uri, text)
    _, before = lint_text(text, str(path))
    assert [f for f in before if f.fix is not None and f.fix.safe], "the seed has safely fixable findings"
    whole = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
    found = await actions(client, uri, whole, only=["source.fixAll"])
    assert [a.kind for a in found] == ["source.fixAll.agentls"]
    edits = edits_of(found[0], uri)
    fixed = apply(text, edits, encoding(client))
    # Every safely fixable finding is gone, and nothing else was touched.
    _, after = lint_text(fixed, str(path))
    assert not [f for f in after if f.fix is not None and f.fix.safe], [f.code for f in after]
    assert fixed == fix_text(text, context_for(str(path))).text
    # Minimal edits: each one covers only what a fix touched, never the whole document.
    for e in edits:
        start, end = offset(text, e.range.start, encoding(client)), offset(text, e.range.end, encoding(client))
        assert end - start < len(text) // 2


async def test_fix_all_with_mojibake_after_emoji(client, root):
    """UTF-16/UTF-8 conversion of an edit that follows a 4-byte character on its line."""
    uri = uri_of(root / ".claude" / "agents" / f"moji-{client.spec}.md")
    text = HEAD + "tools: Read, Task\n---\n😀 Be careful\u00e2\u20ac\u201dalways 😀 cafÃ©.\n"
    open_doc(client, uri, text)
    whole = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=6, character=0))
    found = await actions(client, uri, whole, only=["source.fixAll.agentls"])
    assert len(found) == 1
    fixed = apply(text, edits_of(found[0], uri), encoding(client))
    assert fixed == HEAD + "tools: Read, Agent\n---\n😀 Be careful—always 😀 café.\n"
