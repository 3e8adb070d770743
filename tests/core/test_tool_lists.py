"""One grammar for tool lists: the rules, completion and hover read a list the same way,
and a tool the configuration adds (``extend-tools``, ``extendTools``) is accepted,
completed and hovered alike.

``|`` marks the cursor, as in test_complete.py and test_hover.py.
"""

from __future__ import annotations

import pytest
from agentls.core.document import Document
from agentls.core.text import Span
from agentls.engine.config import load_config
from agentls.engine.editor_settings import parse_settings
from agentls.facts.toolgrammar import Item, entry_before, parse_item, split_line, split_node
from agentls.rules.lint import EXTEND_KEYS, Context, Extensions, lint
from agentls.services.completion import CompletionContext, complete, list_items, list_lines
from agentls.services.hover import HoverContext, hover

PATH = "/w/.claude/agents/me.md"
HEAD = "---\nname: me\ndescription: Reviews code. Use proactively after edits.\n"
ADDED = Extensions(tools=frozenset({"NewTool", "LS"}))  # `LS`: removed from Claude Code, re-added by a newer one


def at(src: str) -> tuple[Document, int]:
    offset = src.index("|")
    return Document(src[:offset] + src[offset + 1:], PATH, "agent"), offset


def labels(src: str, extensions: Extensions = Extensions()) -> set[str]:
    doc, offset = at(src)
    return {c.label for c in complete(doc, offset, CompletionContext(kind="agent", path=PATH, extensions=extensions))}


def hovered(src: str, extensions: Extensions = Extensions()):
    doc, offset = at(src)
    result = hover(doc, offset, HoverContext(kind="agent", path=PATH, extensions=extensions))
    return (result.markdown, doc.slice(result.span)) if result is not None else (None, None)


# -- a tool the configuration adds -----------------------------------------------------------------
COMPLETION_CASES = [
    # (id, text with a caret, offered with ADDED, offered without it)
    ("comma-list", HEAD + "tools: Read, |\n---\n", {"NewTool", "LS", "Grep"}, {"Grep"}),
    ("typed-prefix", HEAD + "tools: Read, Ne|\n---\n", {"NewTool"}, set()),
    ("block-list", HEAD + "tools:\n  - Read\n  - |\n---\n", {"NewTool", "LS"}, set()),
    ("flow-list", HEAD + "tools: [Read, |]\n---\n", {"NewTool"}, set()),
    ("deny-list", HEAD + "disallowedTools: |\n---\n", {"NewTool"}, set()),
]


@pytest.mark.parametrize("src, with_added, without", [c[1:] for c in COMPLETION_CASES],
                         ids=[c[0] for c in COMPLETION_CASES])
def test_an_added_tool_is_offered(src, with_added, without):
    assert with_added <= labels(src, ADDED)
    assert not {"NewTool", "LS"} & labels(src)
    assert without <= labels(src)


def test_an_added_tool_already_listed_is_not_offered_again():
    assert "NewTool" not in labels(HEAD + "tools: NewTool, |\n---\n", ADDED)


def test_added_names_the_linter_reads_otherwise_are_not_offered():
    """`mcp_x` is checked as an MCP name and `A, B` is two entries: neither is the tool added."""
    extensions = Extensions(tools=frozenset({"mcp_x", "A, B", "*"}))
    assert not {"mcp_x", "A, B", "*"} & labels(HEAD + "tools: |\n---\n", extensions)


HOVER_CASES = [
    # (id, text with a caret, fragments with ADDED, the text the hover covers)
    ("plain", HEAD + "tools: Read, New|Tool\n---\n", ["**`NewTool`** (tool)", "a tool added in your configuration",
                                                      "`extend-tools`", "`extendTools`"], "NewTool"),
    ("block-list", HEAD + "tools:\n  - |NewTool\n---\n", ["a tool added in your configuration"], "NewTool"),
    ("with-specifier", HEAD + "tools: Read, NewTool(x|)\n---\n", ["a tool added in your configuration"], "NewTool"),
    # The linter accepts an added name before it calls it removed: so does hover.
    ("re-added-removed-tool", HEAD + "tools: Read, L|S\n---\n", ["a tool added in your configuration"], "LS"),
]


@pytest.mark.parametrize("src, fragments, covered", [c[1:] for c in HOVER_CASES], ids=[c[0] for c in HOVER_CASES])
def test_an_added_tool_is_hovered(src, fragments, covered):
    markdown, text = hovered(src, ADDED)
    assert markdown is not None
    for fragment in fragments:
        assert fragment.lower() in markdown.lower()
    assert text == covered
    assert "AGT400" not in markdown and "AGT402" not in markdown  # the linter accepts it


def test_without_the_configuration_the_name_is_unknown():
    markdown, _ = hovered(HEAD + "tools: Read, New|Tool\n---\n")
    assert markdown is not None and "AGT400" in markdown and "added in your configuration" not in markdown
    markdown, _ = hovered(HEAD + "tools: Read, L|S\n---\n")
    assert "removed tool" in markdown


def test_the_extend_keys_are_one_mapping(tmp_path):
    """The configuration file's `extend-tools` and the editor's `extendTools` fill the same fact."""
    assert EXTEND_KEYS["tools"] == ("extend-tools", "extendTools")
    assert set(EXTEND_KEYS) == {"tools", "models", "colors", "keys"}
    (tmp_path / "agentls.toml").write_text(
        "".join(f'{toml} = ["x-{attr}"]\n' for attr, (toml, _) in EXTEND_KEYS.items()))
    from_file = load_config(tmp_path / "agentls.toml").settings.extensions
    from_editor, problems = parse_settings({setting: [f"x-{attr}"] for attr, (_, setting) in EXTEND_KEYS.items()})
    assert not problems
    assert from_file == from_editor.extensions == Extensions(**{a: frozenset({f"x-{a}"}) for a in EXTEND_KEYS})
    assert from_file.union(Extensions(tools=frozenset({"y"}))).tools == {"x-tools", "y"}


# -- the three consumers agree -----------------------------------------------------------------------
AGREEMENT = [
    # (id, the frontmatter lines of `tools`)
    ("comma-string", "tools: Read, Grepp, Task"),
    ("odd-spacing", "tools:    Grepp ,Read  ,   Task   "),
    ("no-spaces", "tools: Grepp,Bash(git:*),Task"),
    ("specifiers", "tools: Agent(planner, code-reviewer), Bash(git log:*), Grepp"),
    ("mcp-names", "tools: mcp__github, mcp__github__create_issue, mcp_bad, mcp__*, Grepp"),
    ("flow-list", 'tools: [Grepp, "Task", \'Bash(ls)\']'),
    ("block-list", "tools:\n  - Grepp\n  - \"Task\"\n  - Bash(git:*)\n  - mcp__github"),
    ("emoji-before", "tools: 🙂, Grepp, 🧪Task, Bash(ls 🙂), mcp_🙂"),
    ("emoji-block", "tools:\n  - 🙂🙂\n  - Grepp\n  - Agent(🙂)"),
    ("comment-after", "tools: Grepp, Task  # two tools"),
    ("deny-list", "disallowedTools: Grepp, Bash(rm:*), mcp__*"),
]


@pytest.mark.parametrize("lines", [c[1] for c in AGREEMENT], ids=[c[0] for c in AGREEMENT])
def test_rule_completion_and_hover_see_the_same_entries(lines):
    """The spans the rule's findings report, the entries completion reads from the text and
    what hover describes at each entry are the same, to the code point."""
    text = HEAD + lines + "\n---\nBody.\n"
    doc = Document(text, PATH, "agent")
    key = lines.split(":", 1)[0]
    node = doc.get(key).value
    rule_items = [(i.text, i.span) for i in split_node(doc, node)]
    completion_items = [(i.text, i.span) for i in list_items(doc, key)]
    assert completion_items == rule_items
    assert all(doc.slice(span) == t for t, span in rule_items)

    findings = [f for f in lint(doc, Context(kind="agent", path=PATH)) if f.code.startswith("AGT40")]
    assert findings, "the table needs findings to compare"
    assert {f.span for f in findings} <= {span for _, span in rule_items}

    lines_of = {doc.index.line_of(base): (value, base) for value, base in list_lines(doc, key)}
    for t, span in rule_items:
        ref = parse_item(Item(t, span))
        result = hover(doc, ref.base_span.start + len(ref.base) // 2, HoverContext(kind="agent", path=PATH))
        if t != "mcp__*" or key == "tools":  # `mcp__*` in a deny list: nothing to say, nothing wrong
            assert result is not None, t
            assert result.span in {span, ref.base_span}, (t, doc.slice(result.span))
        # Completion typing at the end of the entry replaces exactly that entry's text.
        value, base = lines_of[doc.index.line_of(span.start)]
        slot = entry_before(value[:span.end - base], base)
        if ref.spec is None:
            assert (slot.head, slot.start, slot.typed) == (None, span.start, t)
        else:
            assert slot.head is None or slot.head == ref.base


# -- the grammar itself ------------------------------------------------------------------------------
def test_split_line_strips_list_syntax_and_keeps_specifiers_whole():
    value = ' ["Read", Agent(a, b) , mcp__x__y] # note'
    assert [(i.text, i.span) for i in split_line(value, 10)] == [
        ("Read", Span(13, 17)), ("Agent(a, b)", Span(20, 31)), ("mcp__x__y", Span(34, 43))]


def test_parse_item_spans():
    ref = parse_item(Item("Agent(a, b)", Span(5, 16)))
    assert (ref.base, ref.base_span, ref.spec, ref.spec_span) == ("Agent", Span(5, 10), "a, b", Span(11, 15))
    mcp = parse_item(Item("mcp__github__create_issue", Span(0, 25)))
    assert (mcp.mcp_server, mcp.mcp_tool, mcp.mcp) == ("github", "create_issue", True)
    assert parse_item(Item("mcp__*", Span(0, 6))).mcp
    unlocated = parse_item(Item("Agent(a)", Span(0, 20)))  # an escaped value: spans are the value's
    assert unlocated.base_span == unlocated.spec_span == Span(0, 20)


def test_entry_before_inside_parentheses():
    slot = entry_before(" Read, Agent(planner, co", 6)
    assert (slot.head, slot.start, slot.typed) == ("Agent", 6 + 22, "co")
    slot = entry_before(' ["Read", Gr', 6)
    assert (slot.head, slot.start, slot.typed) == (None, 6 + 10, "Gr")
