"""Code lenses through the real server: the routing budget and "used by N" on an agent,
"used by" on a skill; the "used by" lens appears once the reference index is built (in
the background after the scan; a client that asked before it was done, and can, is asked
to refresh its lenses)."""

from __future__ import annotations

import asyncio

import pytest
from e2e_helpers import TIMEOUT, lsp_client_fixture, open_doc, until, uri_of, workspace_fixture
from lsprotocol import types

pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning"),
]

REVIEWER = "---\nname: code-reviewer\ndescription: Reviews diffs for bugs. Use after edits.\n---\nBody.\n"
FILES = {
    ".claude/agents/reviewer.md": REVIEWER,
    ".claude/agents/lead.md": "---\nname: lead\ndescription: Leads.\ntools: Agent(code-reviewer)\n"
                              "skills: [api-conventions]\n---\nUse the code-reviewer agent.\n",
    ".claude/skills/api-conventions/SKILL.md": "---\nname: api-conventions\ndescription: API rules.\n---\nRules.\n",
    ".claude/agents/py1.md": "---\nname: python-reviewer\ndescription: Checks Python typing, style and "
                             "docstrings in modules.\n---\nBody.\n",
    ".claude/agents/py2.md": "---\nname: py-checker\ndescription: Checks Python modules for typing, style "
                             "and docstrings.\n---\nBody.\n",
}

root = workspace_fixture("lens", FILES)


def answer_refresh(client, root) -> None:
    """The client answers ``workspace/codeLens/refresh`` (VS Code declares it) and counts them."""
    client.lens_refreshes = 0

    @client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
    def refresh(params):
        client.lens_refreshes += 1
        return None


client = lsp_client_fixture(params=["visual-studio-code", "neovim"], on_start=answer_refresh)


async def titles(client, uri: str) -> list[str]:
    result = await asyncio.wait_for(client.text_document_code_lens_async(types.CodeLensParams(
        text_document=types.TextDocumentIdentifier(uri=uri))), TIMEOUT)
    return [lens.command.title for lens in result or []]


async def test_agent_lenses(client, root):
    uri = uri_of(root / ".claude/agents/reviewer.md")
    open_doc(client, uri, REVIEWER)
    first = await titles(client, uri)
    assert first[0].startswith("≈ 14 tokens · 0.1% of the 15,000-token routing budget (all agents: ")

    async def used():
        got = await titles(client, uri)
        return got if len(got) == 2 else None

    async def poll():
        while True:
            got = await used()
            if got:
                return got
            await asyncio.sleep(0.05)

    got = await asyncio.wait_for(poll(), TIMEOUT)
    assert got[1] == "used by 1 agent"  # lead.md, once however many times it names it
    # The reference index is built in the background once the scan ends: when the first
    # request came before that build was done, a client that declares refreshSupport (VS
    # Code) is asked once to refresh its lenses; never more.
    if client.spec == "visual-studio-code" and len(first) < 2:
        await until(lambda: client.lens_refreshes == 1, what="workspace/codeLens/refresh")
    assert client.lens_refreshes <= 1


async def test_skill_lens(client, root):
    rel = ".claude/skills/api-conventions/SKILL.md"
    uri = uri_of(root / rel)
    open_doc(client, uri, FILES[rel])
    for _ in range(100):
        got = await titles(client, uri)
        if got:
            break
        await asyncio.sleep(0.05)
    assert got == ["used by 1 agent"]


async def test_hard_to_tell_apart(client, root):
    rel = ".claude/agents/py1.md"
    uri = uri_of(root / rel)
    open_doc(client, uri, FILES[rel])
    got = await titles(client, uri)
    alike = [t for t in got if t.startswith("hard to tell from")]
    assert len(alike) == 1 and alike[0].startswith("hard to tell from py-checker (similarity ")
    assert "python" in alike[0] and "typing" in alike[0]
    reviewer = await titles(client, uri_of(root / ".claude/agents/reviewer.md"))
    assert not [t for t in reviewer if t.startswith("hard to tell")]



# The threshold is the file's resolved settings: here the configuration file's
# `routing-threshold` (the editor sets none), low enough for two reviewers that share one word.
DOCS = "---\nname: doc-reviewer\ndescription: Reviews prose for typos and tone in documents.\n---\nBody.\n"
strict_root = workspace_fixture("lens-threshold", {**FILES, ".claude/agents/docs.md": DOCS,
                                                   "agentls.toml": "routing-threshold = 0.1\n"})
strict_client = lsp_client_fixture("neovim", workspace="strict_root")


async def test_configuration_files_threshold(strict_client, strict_root):
    uri = uri_of(strict_root / ".claude/agents/docs.md")
    open_doc(strict_client, uri, DOCS)
    got = await titles(strict_client, uri)
    alike = [t for t in got if t.startswith("hard to tell")]
    assert len(alike) == 1 and alike[0].startswith("hard to tell from code-reviewer (similarity 0.1"), got
    assert alike[0].endswith(": reviews)")  # below the default 0.6: only the file's 0.1 shows it
