"""Hover on the pure core: ``|`` marks the cursor.

Each row of :data:`CASES` is ``(id, text with a caret, fragments the hover must contain,
the text the hover range covers)``; ``None`` for fragments means "no hover". Findings
are computed with ``lint`` (the workspace in :func:`ctx` has a second agent named
``code-reviewer`` in another file, so ``name: code-reviewer`` is a duplicate).
"""

from __future__ import annotations

import pytest
from agentls.core.document import Document
from agentls.engine.discovery import WorkspaceIndex
from agentls.facts.fields import AGENT_FIELDS, FIELDS_BY_KIND
from agentls.rules.lint import Context
from agentls.rules.ruleset import lookup
from agentls.services.docs import format_field, format_rule_short
from agentls.services.hover import HoverContext, hover

PATH = "/w/.claude/agents/me.md"
HEAD = "---\nname: me\ndescription: Reviews code. Use proactively after edits.\n"


def at(src: str) -> tuple[Document, int]:
    offset = src.index("|")
    return Document(src[:offset] + src[offset + 1:], PATH, "agent"), offset


def workspace() -> WorkspaceIndex:
    index = WorkspaceIndex("/w")
    index.update("/w/.claude/agents/reviewer.md", Document(
        "---\nname: code-reviewer\ndescription: Reviews diffs for bugs. Use after edits.\n---\nBody.\n"), "agent")
    return index


def ctx() -> HoverContext:
    ws = workspace()
    return HoverContext(kind="agent", workspace=ws, path=PATH, mcp_servers=("github",),
                        lint_context=Context(kind="agent", workspace=ws, path=PATH))


def run(src: str):
    doc, offset = at(src)
    return doc, hover(doc, offset, ctx())


CASES = [
    # -- keys: the field's docs ----------------------------------------------------------------------
    ("key-model", HEAD + "mo|del: sonnet\n---\n",
     ["**`model`**", "optional", "`sonnet`: The latest Sonnet", "Default: inherit", "Since: 2025-09 docs",
      "```yaml\nmodel: sonnet\n```", "Source: https://code.claude.com/docs/en/sub-agents"], "model"),
    ("key-required", "---\nna|me: me\ndescription: Reviews code. Use proactively after edits.\n---\n",
     ["**`name`**", "**required**", "Since: 1.0.60"], "name"),
    ("key-permission-mode", HEAD + "|permissionMode: plan\n---\n",
     ["`acceptEdits`: Accept file edits", "Legacy values: `ignore` → `default`", "Since: 2.0.43"],
     "permissionMode"),
    ("key-at-end-of-word", HEAD + "tools|: Read\n---\n", ["**`tools`**", "Default: every tool"], "tools"),
    # -- values ----------------------------------------------------------------------------------------
    ("model-alias", HEAD + "model: op|us\n---\n", ["model alias", "most capable"], "opus"),
    ("model-full-id", HEAD + "model: claude-opus-4-5-2025|1101\n---\n", ["full model ID", "v2.1.74"],
     "claude-opus-4-5-20251101"),
    ("model-quoted", HEAD + "model: \"hai|ku\"\n---\n", ["fastest and cheapest"], "haiku"),
    ("color", HEAD + "color: bl|ue\n---\n", ["**`color: blue`**", "Blue."], "blue"),
    ("color-legacy", HEAD + "color: mag|enta\n---\n", ["legacy value", "Use `purple` instead", "AGT104"], "magenta"),
    ("permission-mode", HEAD + "permissionMode: acceptEd|its\n---\n", ["Accept file edits without asking"],
     "acceptEdits"),
    ("effort-since", HEAD + "effort: xhi|gh\n---\n", ["Extra-high", "Since 2026-04-16 docs"], "xhigh"),
    ("boolean", HEAD + "background: tr|ue\n---\n", ["Run in the background"], "true"),
    # -- tools -----------------------------------------------------------------------------------------
    ("tool-comma", HEAD + "tools: Read, Ba|sh\n---\n", ["**`Bash`** (tool)", "Run shell commands", "Needs permission"],
     "Bash"),
    ("tool-block-list", HEAD + "tools:\n  - Read\n  - Gl|ob\n---\n", ["Find files by name pattern"], "Glob"),
    ("tool-flow-list", HEAD + "disallowedTools: [Write, E|dit]\n---\n", ["Make targeted edits"], "Edit"),
    ("tool-deprecated-with-rule", HEAD + "tools: Read, Ta|sk\n---\n",
     ["deprecated alias", "Use `Agent`", "**AGT401 deprecated-tool**"], "Task"),
    ("tool-specifier-with-rule", HEAD + "tools: Ba|sh(git:*)\n---\n",
     ["Run shell commands", "**AGT403 tool-specifier-ignored**", "**Fix:** List the bare tool"], "Bash"),
    ("tool-mcp", HEAD + "tools: mcp__github__create_is|sue\n---\n",
     ["(MCP)", "the `create_issue` tool of the `github` MCP server", "configured in the workspace's `.mcp.json`"],
     "mcp__github__create_issue"),
    ("tool-mcp-unknown-server", HEAD + "tools: mcp__jira|\n---\n", ["every tool of", "not in the workspace's"],
     "mcp__jira"),
    # -- rules on diagnostics --------------------------------------------------------------------------
    ("unknown-tool-rule-only", HEAD + "tools: Read, Gre|pp\n---\n",
     ["**AGT400 unknown-tool** (warning)", "refuses to launch", "**Fix:** Use the exact tool name",
      "docs/rules.md#agt400-unknown-tool"], "Grepp"),
    ("invalid-enum-rule", HEAD + "permissionMode: yo|lo\n---\n", ["AGT103"], "yolo"),
    # -- agents named elsewhere -----------------------------------------------------------------------
    ("agent-in-tools", HEAD + "tools: Read, Agent(code-rev|iewer)\n---\n",
     ["**`code-reviewer`** (agent in `.claude/agents/reviewer.md`)", "Reviews diffs for bugs"], "code-reviewer"),
    ("agent-in-tools-second", HEAD + "tools: Agent(Explore, code-reviewer|)\n---\n",
     ["Reviews diffs for bugs"], "code-reviewer"),
    ("builtin-agent-in-tools", HEAD + "tools: Agent(Expl|ore)\n---\n", ["built-in agent", "read-only"], "Explore"),
    ("duplicate-name", "---\nname: code-rev|iewer\ndescription: Another reviewer. Use after edits.\n---\n",
     ["2 agents are named `code-reviewer`", ".claude/agents/reviewer.md", "Reviews diffs for bugs",
      "**AGT700 duplicate-agent-name**"], "code-reviewer"),
    # -- nothing ---------------------------------------------------------------------------------------
    ("plain-body", HEAD + "---\nYou are a revi|ewer.\n", None, None),
    ("unique-name", HEAD.replace("name: me", "name: m|e") + "---\n", None, None),
    ("description-text", HEAD.replace("Reviews", "Rev|iews") + "---\n", None, None),
    ("unknown-tool-head-in-agent", HEAD + "tools: Agent(nobody-at-a|ll)\n---\n", None, None),
]


@pytest.mark.parametrize("src, fragments, covered", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hover(src, fragments, covered):
    doc, result = run(src)
    if fragments is None:
        assert result is None, result
        return
    assert result is not None
    for fragment in fragments:
        assert fragment in result.markdown, (fragment, result.markdown)
    assert doc.slice(result.span) == covered


def test_key_hover_is_format_field():
    doc, result = run(HEAD + "memo|ry: project\n---\n")
    assert result.markdown.strip() == format_field(AGENT_FIELDS["memory"]).strip()


def test_rule_hover_is_format_rule_short():
    doc, result = run(HEAD + "tools: Read, Gre|pp\n---\n")
    assert result.markdown.strip() == format_rule_short(lookup("AGT400")).strip()


def test_element_and_rule_are_separated():
    doc, result = run(HEAD + "tools: Read, Ta|sk\n---\n")
    element, rule = result.markdown.split("\n\n---\n\n")
    assert "deprecated alias" in element and rule.startswith("**AGT401")


def test_diagnostic_in_body_without_element():
    # An unclosed ``<example>`` tag in the body: no element, just the rule.
    doc, result = run(HEAD + "---\n<exam|ple>\nuser: hi\n")
    assert result is not None
    assert result.markdown.startswith("**AGT601 ")
    assert doc.slice(result.span) == "<example>"


def test_precomputed_findings_are_used():
    doc, offset = at(HEAD + "tools: Read, Gre|pp\n---\n")
    assert hover(doc, offset, HoverContext(findings=[])) is None
    assert "AGT400" in hover(doc, offset, HoverContext()).markdown


def test_hover_on_broken_yaml_still_explains_keys():
    doc, result = run(HEAD + "mod|el: [unclosed\ntools: Read\n---\n")
    assert result is not None and "**`model`**" in result.markdown


def test_non_ascii_line():
    doc, result = run("---\nname: me\ndescription: Prüft 😀 Änderungen\ntools: 😀, Gr|ep\n---\n")
    assert "regular expressions" in result.markdown and doc.slice(result.span) == "Grep"


@pytest.mark.parametrize("kind", sorted(FIELDS_BY_KIND))
def test_key_hover_header_names_the_key_once(kind):
    """The header is ``key · value type · required/optional``; the type never repeats the
    key (it read ``model · model · optional`` and ``tools · tools · optional``)."""
    for field in FIELDS_BY_KIND[kind].values():
        header = format_field(field).split("\n", 1)[0]
        words = [w.strip(" *`") for w in header.split(" · ")]
        assert words[0] == field.key, header
        assert field.key not in words[1:], header
        assert words[-1] in ("required", "optional"), header


def test_key_hover_header_of_model_and_tools_says_what_the_value_is():
    doc, model = run(HEAD + "mo|del: sonnet\n---\n")
    assert model.markdown.startswith("**`model`** · model alias or ID · optional\n")
    doc, tools = run(HEAD + "too|ls: Read\n---\n")
    assert tools.markdown.startswith("**`tools`** · list of tools · optional\n")
