"""Completion and hover through the real server (``python -m agentls serve``).

The module runs three clients: VS Code's capabilities (UTF-16, snippets, Markdown),
Neovim's (UTF-8, snippets, Markdown) and a "plain" client (UTF-16, plain-text
documentation and hover, no snippets), so the degraded output is exercised too. pytest-lsp's
specification warnings are errors here: a snippet or Markdown sent to a client that
did not ask for it fails the test.

Documents mark the cursor with ``|``; :func:`caret` turns it into a client position in
the negotiated encoding, and every returned ``textEdit`` range is converted back with
the same encoding and compared with the text it should replace. Several cases put
non-ASCII text (``Ü``, ``😀``) before the cursor on the same line, where UTF-8, UTF-16
and code points all disagree.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from agentls.core.text import LineIndex, units
from e2e_helpers import TIMEOUT, close_doc, lsp_client_fixture, open_doc, uri_of, workspace_fixture
from lsprotocol import types

pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning"),
]

OTHER = """---
name: code-reviewer
description: Reviews diffs for bugs. Use proactively after edits.
tools: Read, Grep
---

You are a reviewer.

## Review Checklist

## Output Format
"""

OTHER2 = """---
name: test-runner
description: Runs the test suite and reports failures.
---

## Review Checklist
"""

SKILL = """---
name: api-conventions
description: API rules for this project.
---
Rules.
"""

HEAD = "---\nname: me\ndescription: Does things. Use when asked.\n"


root = workspace_fixture("complete", {
    ".claude/agents/reviewer.md": OTHER,
    ".claude/agents/tests.md": OTHER2,
    ".claude/skills/api-conventions/SKILL.md": SKILL,
    ".mcp.json": json.dumps({"mcpServers": {"github": {"command": "gh"}}}),
})


CLIENTS = ["visual-studio-code", "neovim", "plain"]

# Declares completion and hover, but only plain text and no snippets. (pytest-lsp skips
# its checks for an empty ``ClientCapabilities()``, so this one must declare something.)
PLAIN = types.ClientCapabilities(text_document=types.TextDocumentClientCapabilities(
    completion=types.CompletionClientCapabilities(completion_item=types.ClientCompletionItemOptions(
        snippet_support=False, documentation_format=[types.MarkupKind.PlainText])),
    hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.PlainText])))


def count_opened(client, root) -> None:
    client.opened = 0  # numbers the documents new_uri makes


client = lsp_client_fixture(params=CLIENTS, capabilities={"plain": PLAIN}, timeout=TIMEOUT, on_start=count_opened)


def caret(src: str, encoding: str) -> tuple[str, types.Position]:
    offset = src.index("|")
    text = src[:offset] + src[offset + 1:]
    index = LineIndex(text)
    line, col = index.position(offset)
    prefix = index.line_text(line)[:col]
    return text, types.Position(line=line, character=units(prefix, encoding))


def new_uri(client, root: Path) -> str:
    client.opened += 1
    return uri_of(root / ".claude" / "agents" / f"doc{client.opened}.md")


def replaced(text: str, rng: types.Range, encoding: str) -> str:
    index = LineIndex(text)
    start = index.from_client(rng.start.line, rng.start.character, encoding)
    end = index.from_client(rng.end.line, rng.end.character, encoding)
    return text[start:end]


async def completion(client, root: Path, src: str):
    text, pos = caret(src, client.encoding)
    uri = new_uri(client, root)
    open_doc(client, uri, text)
    result = await asyncio.wait_for(client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=pos)), TIMEOUT)
    close_doc(client, uri)  # so its headings and name do not leak into the next test's workspace
    items = result.items if isinstance(result, types.CompletionList) else (result or [])
    for item in items:  # every item replaces a range on the cursor line that contains the cursor
        rng = item.text_edit.range
        assert rng.start.line == rng.end.line == pos.line, item
        assert rng.start.character <= pos.character <= rng.end.character, item
        assert item.filter_text
    return text, pos, {item.label: item for item in items}


async def hover_at(client, root: Path, src: str):
    text, pos = caret(src, client.encoding)
    uri = new_uri(client, root)
    open_doc(client, uri, text)
    result = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=pos)), TIMEOUT)
    close_doc(client, uri)
    return text, result


COMPLETIONS = [
    ("keys", "---\nname: x\n|\n---\n", {"description", "model", "tools", "color", "permissionMode"}, {"name"}, ""),
    ("key-prefix", "---\nname: x\nperm|\n---\n", {"permissionMode"}, {"name"}, "perm"),
    ("model", HEAD + "model: |\n---\n", {"sonnet", "opus", "haiku", "inherit", "claude-opus-4-5"}, set(), ""),
    ("model-after-non-ascii", "---\nname: x\ndescription: Prüft 😀 Änderungen\nmodel: \"|\"\n---\n",
     {"sonnet", "opus"}, set(), ""),
    ("color", HEAD + "color: gr|\n---\n", {"green", "red", "cyan"}, {"magenta"}, "gr"),
    ("permission-mode", HEAD + "permissionMode: |\n---\n", {"default", "acceptEdits", "plan"}, {"ignore"}, ""),
    ("effort", HEAD + "effort: |\n---\n", {"low", "high", "max"}, set(), ""),
    ("memory", HEAD + "memory: |\n---\n", {"user", "project", "local"}, set(), ""),
    ("boolean", HEAD + "background: |\n---\n", {"true", "false"}, set(), ""),
    ("tools-comma-non-ascii", HEAD + "tools: Read, 😀Gr|\n---\n", {"Grep", "Glob", "mcp__github", "Agent(code-reviewer)"},
     {"Read", "Task", "MultiEdit", "LS"}, "😀Gr"),
    ("tools-list", HEAD + "tools:\n  - Read\n  - |\n---\n", {"Grep", "Bash", "mcp__github__*"}, {"Read", "KillShell"}, ""),
    ("tools-agent-names", HEAD + "tools: Agent(|)\n---\n", {"code-reviewer", "test-runner", "Explore"}, {"Grep"}, ""),
    ("skills", HEAD + "skills:\n  - |\n---\n", {"api-conventions"}, set(), ""),
    ("heading", HEAD + "---\nYou are x.\n\n## Ü|\n", {"Review Checklist", "Output Format", "Role", "Constraints"},
     {"Steps"}, "Ü"),
    ("anchor", HEAD + "---\n## Output Format\nSee [x](#out|).\n", {"output-format"}, set(), "out"),
]


@pytest.mark.parametrize("src, offered, absent, typed", [c[1:] for c in COMPLETIONS],
                         ids=[c[0] for c in COMPLETIONS])
async def test_completion(client, root, src, offered, absent, typed):
    text, pos, items = await completion(client, root, src)
    assert offered <= set(items), sorted(offered - set(items))
    assert not absent & set(items)
    for label in offered:
        assert replaced(text, items[label].text_edit.range, client.encoding) == typed, label


async def test_completion_items_for_the_client(client, root):
    text, pos, items = await completion(client, root, "---\nname: x\n|\n---\n")
    pm, tools = items["permissionMode"], items["tools"]
    assert pm.kind == types.CompletionItemKind.Property
    assert pm.detail == "How the agent handles permission prompts."
    if client.spec == "plain":
        assert pm.insert_text_format == types.InsertTextFormat.PlainText
        assert pm.text_edit.new_text == "permissionMode: "
        assert isinstance(pm.documentation, str) and "acceptEdits" in pm.documentation
    else:
        assert pm.insert_text_format == types.InsertTextFormat.Snippet
        assert pm.text_edit.new_text.startswith("permissionMode: ${1|default,acceptEdits,")
        assert pm.documentation.kind == types.MarkupKind.Markdown
        assert "`acceptEdits`: Accept file edits" in pm.documentation.value
    assert tools.text_edit.new_text == "tools: "
    assert tools.insert_text_format == types.InsertTextFormat.PlainText
    # Required keys first.
    ordered = sorted(items.values(), key=lambda i: i.sort_text)
    assert ordered[0].label == "description"


async def test_color_items(client, root):
    text, pos, items = await completion(client, root, HEAD + "color: |\n---\n")
    assert {i.kind for i in items.values()} == {types.CompletionItemKind.Color}
    assert items["blue"].detail == "Blue."
    assert isinstance(items["blue"].documentation, str) and items["blue"].documentation.startswith("#")


async def test_heading_ranking(client, root):
    text, pos, items = await completion(client, root, HEAD + "---\n## |\n")
    ordered = [i.label for i in sorted(items.values(), key=lambda i: i.sort_text)]
    assert ordered[:2] == ["Review Checklist", "Output Format"]  # used by 2 and 1 other files
    assert "2 other agent files" in items["Review Checklist"].detail


async def test_no_completion_for_other_markdown(client, root):
    text, pos = caret("---\nname: x\nmodel: |\n---\n", client.encoding)
    uri = uri_of(root / "README.md")
    open_doc(client, uri, text)
    result = await asyncio.wait_for(client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=pos)), TIMEOUT)
    assert result is None or not (result.items if isinstance(result, types.CompletionList) else result)


HOVERS = [
    ("key", HEAD + "mo|del: sonnet\n---\n", ["**`model`**", "Default: inherit", "Since:", "Source:"], "model"),
    ("value-non-ascii", "---\nname: x\ndescription: Prüft 😀 Änderungen 😀\nmodel: op|us\n---\n",
     ["most capable"], "opus"),
    ("tool-after-emoji", HEAD + "tools: 😀, Ba|sh\n---\n", ["Run shell commands", "Needs permission"], "Bash"),
    ("next-to-diagnostic", HEAD + "tools: Read, Grepp😀, Wr|ite\n---\n", ["Create or overwrite files"], "Write"),
    ("rule", HEAD + "tools: Read, 😀Gre|pp\n---\n", ["**AGT400 unknown-tool**", "**Fix:**"], "😀Grepp"),
    ("agent", HEAD + "tools: Agent(code-revi|ewer)\n---\n",
     ["Reviews diffs for bugs", ".claude/agents/reviewer.md"], "code-reviewer"),
    ("duplicate-name", "---\nname: code-rev|iewer\ndescription: Another. Use after edits.\n---\n",
     ["2 agents are named", "reviewer.md", "AGT700"], "code-reviewer"),
    ("mcp", HEAD + "tools: mcp__git|hub\n---\n", ["configured in the workspace's `.mcp.json`"], "mcp__github"),
]


@pytest.mark.parametrize("src, fragments, covered", [c[1:] for c in HOVERS], ids=[c[0] for c in HOVERS])
async def test_hover(client, root, src, fragments, covered):
    text, result = await hover_at(client, root, src)
    assert result is not None
    expected_kind = types.MarkupKind.PlainText if client.spec == "plain" else types.MarkupKind.Markdown
    assert result.contents.kind == expected_kind
    for fragment in fragments:
        assert fragment in result.contents.value, (fragment, result.contents.value)
    if "AGT" not in "".join(fragments):
        assert "AGT" not in result.contents.value  # no rule docs where no diagnostic is
    assert replaced(text, result.range, client.encoding) == covered


async def test_no_hover_on_plain_prose(client, root):
    text, result = await hover_at(client, root, HEAD + "---\nYou are a revi|ewer.\n")
    assert result is None


async def test_models_and_colours_added_in_the_settings_are_completed_and_hovered(client, root):
    """`extendModels`/`extendColors` values, which the linter accepts, are offered and explained."""
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"agentls": {"extendModels": ["my-proxy-model"], "extendColors": ["teal"]}}))
    try:
        _text, _pos, items = await completion(client, root, HEAD + "model: |\n---\n")
        assert "my-proxy-model" in items and "sonnet[1m]" in items
        assert items["my-proxy-model"].detail == "A model added in your configuration."
        _text, _pos, items = await completion(client, root, HEAD + "color: |\n---\n")
        assert items["teal"].kind == types.CompletionItemKind.Color and "red" in items
        text, result = await hover_at(client, root, HEAD + "model: my-proxy-mo|del\n---\n")
        assert result is not None and "A model added in your configuration" in result.contents.value
        assert "AGT300" not in result.contents.value
        assert replaced(text, result.range, client.encoding) == "my-proxy-model"
        text, result = await hover_at(client, root, HEAD + "color: te|al\n---\n")
        assert result is not None and "A colour added in your configuration" in result.contents.value
    finally:
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"agentls": {}}))
    _text, _pos, items = await completion(client, root, HEAD + "model: |\n---\n")
    assert "my-proxy-model" not in items


async def test_hover_on_a_model_with_brackets(client, root):
    """Was: hover cut `sonnet[1m]` at the bracket and called it unknown; the linter accepts it."""
    text, result = await hover_at(client, root, HEAD + "model: \"sonnet[1|m]\" # 1M context\n---\n")
    assert result is not None and "model alias accepted by `--model`" in result.contents.value
    assert replaced(text, result.range, client.encoding) == "sonnet[1m]"
