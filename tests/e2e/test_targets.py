"""The language server reads each file as the tool that loads it does (issue 14).

It classifies a file as ``agentls check`` does (:func:`agentls.engine.discovery.locate_file`):
a Gemini CLI, Copilot, Cursor or OpenCode file gets no Claude Code finding; a file the
configuration's ``include`` names is read as the tool it names; a plugin agent's name
clashes with no project agent.
"""

from __future__ import annotations

import pytest
from agentls.rules.ruleset import lookup
from e2e_helpers import close_doc, lsp_client_fixture, open_doc, published, uri_of, workspace_fixture

pytestmark = pytest.mark.asyncio(loop_scope="module")

# Claude Code would report `read_file` and `glob` as unknown tools; Gemini CLI knows them.
GEMINI = """---
name: reviewer
description: Reviews code for bugs and style. Use after every change.
tools:
  - read_file
  - glob
---
<!-- agentls-disable-next-line AGT4OO -->
"""
CLAUDE = "---\nname: reviewer\ndescription: Reviews code for bugs and style. Use after every change.\n---\nBody.\n"

root = workspace_fixture("targets", {
    "pyproject.toml": '[tool.agentls]\ninclude = [{ path = "ai/*.md", target = "gemini" }]\n',
    ".claude/agents/reviewer.md": CLAUDE,
    "plugins/review/.claude-plugin/plugin.json": '{"name": "review"}',
    "plugins/review/agents/reviewer.md": CLAUDE,
})
client = lsp_client_fixture()


def claude_only(diags) -> list[str]:
    return [d.code for d in diags if lookup(str(d.code)).targets == {"claude-code"}]


@pytest.mark.parametrize("where", [".gemini/agents/reviewer.md", "ai/reviewer.md"])
async def test_a_gemini_file_gets_no_claude_code_finding(client, root, where):
    uri = uri_of(root / where)
    open_doc(client, uri, GEMINI)
    diags = await published(client, uri, 1)
    # It is checked (the suppression comment's unknown code is agentls's own finding)...
    assert "AGT901" in {d.code for d in diags}
    # ...as Gemini CLI reads it: `read_file` is no unknown tool, `reviewer` no duplicate.
    assert claude_only(diags) == []
    close_doc(client, uri)


async def test_a_plugin_agent_shadows_no_project_agent(client, root):
    uri = uri_of(root / ".claude/agents/reviewer.md")
    open_doc(client, uri, CLAUDE)
    diags = await published(client, uri, 1)
    assert [d for d in diags if d.code == "AGT700"] == []
    # A second file in the same .claude/agents tree is a duplicate.
    other = uri_of(root / ".claude/agents/reviewer-v2.md")
    open_doc(client, other, CLAUDE)
    found = [d for d in await published(client, other, 1) if d.code == "AGT700"]
    assert len(found) == 1 and "2 agents are named `reviewer`" in found[0].message
    close_doc(client, other)
    close_doc(client, uri)
