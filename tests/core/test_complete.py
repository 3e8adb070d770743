"""Completion on the pure core: ``|`` marks the cursor (yaml-language-server style).

Each row of :data:`CASES` is ``(id, text with a caret, labels that must be offered,
labels that must not be offered)``. The workspace in :func:`ctx` holds two other agents
(``code-reviewer``, ``test-runner``), one skill (``api-conventions``), an ``.mcp.json``
server (``github``) and headings used by other agent files.
"""

from __future__ import annotations

import json

import pytest
from agentls.core.document import Document
from agentls.engine.discovery import WorkspaceIndex
from agentls.facts.fields import AGENT_FIELDS
from agentls.facts.tools import OLD_TOOLS, TOOLS
from agentls.services.completion import (
    SECTIONS,
    TRIGGER_CHARACTERS,
    CompletionContext,
    complete,
    count_headings,
    heading_slugs,
    read_mcp_servers,
    slugify,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PATH = "/w/.claude/agents/me.md"


def at(src: str, kind: str = "agent") -> tuple[Document, int]:
    assert src.count("|") >= 1
    offset = src.index("|")
    return Document(src[:offset] + src[offset + 1:], PATH, kind), offset


def workspace() -> WorkspaceIndex:
    index = WorkspaceIndex("/w")
    index.update("/w/.claude/agents/reviewer.md", Document(
        "---\nname: code-reviewer\ndescription: Reviews diffs for bugs. Use after edits.\n---\n"
        "## Review Checklist\n## Output Format\n"), "agent")
    index.update("/w/.claude/agents/tests.md", Document(
        "---\nname: test-runner\ndescription: Runs the test suite and reports failures.\n---\n"
        "## Review Checklist\n"), "agent")
    index.update("/w/.claude/skills/api-conventions/SKILL.md", Document(
        "---\nname: api-conventions\ndescription: API rules.\n---\n"), "skill")
    return index


def ctx(**kw) -> CompletionContext:
    heading_counts = {(2, "Review Checklist"): 3, (2, "Output format"): 1, (3, "Gotchas"): 2}
    base = dict(kind="agent", workspace=workspace(), path=PATH, mcp_servers=("github",),
                heading_counts=heading_counts)
    base.update(kw)
    return CompletionContext(**base)


def labels(src: str, **kw) -> list[str]:
    doc, offset = at(src)
    return [c.label for c in complete(doc, offset, ctx(**kw))]


MODELS = {"sonnet", "opus", "haiku", "inherit", "fable", "claude-opus-4-5", "claude-sonnet-4-5"}
PALETTE = {"red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan"}
HEAD = "---\nname: me\ndescription: Does things.\n"

CASES = [
    # -- keys ----------------------------------------------------------------------------------
    ("keys-empty-line", "---\nname: x\n|\n---\n",
     {"description", "model", "tools", "disallowedTools", "color", "permissionMode", "skills", "memory"},
     {"name"}),
    ("keys-prefix", "---\nname: x\nmo|\n---\n", {"model"}, {"name"}),
    ("keys-not-repeated", HEAD + "model: opus\ntools: Read\n|\n---\n", {"color", "effort"},
     {"name", "description", "model", "tools"}),
    ("keys-unclosed-frontmatter", "---\nname: x\n|", {"description", "model"}, {"name"}),
    ("keys-skill-kind-not-agent", "---\nname: x\n|\n---\n", {"description"}, {"argument-hint"}),
    # -- values --------------------------------------------------------------------------------
    ("model", "---\nname: x\nmodel: |\n---\n", MODELS, {"magenta", "gpt-4"}),
    ("model-typed", "---\nname: x\nmodel: son|\n---\n", MODELS, set()),
    ("model-quoted", "---\nname: x\nmodel: \"|\"\n---\n", MODELS, set()),
    ("color", HEAD + "color: |\n---\n", PALETTE, {"magenta"}),
    ("permission-mode", HEAD + "permissionMode: |\n---\n",
     {"default", "acceptEdits", "auto", "dontAsk", "bypassPermissions", "plan"}, {"ignore", "delegate"}),
    ("effort", HEAD + "effort: |\n---\n", {"low", "medium", "high", "xhigh", "max"}, set()),
    ("memory", HEAD + "memory: |\n---\n", {"user", "project", "local"}, set()),
    ("isolation", HEAD + "isolation: |\n---\n", {"worktree"}, set()),
    ("boolean", HEAD + "background: |\n---\n", {"true", "false"}, set()),
    ("free-text-value", HEAD + "maxTurns: |\n---\n", set(), {"true", "sonnet"}),
    ("unknown-key-value", HEAD + "colour: |\n---\n", set(), {"red"}),
    # -- tools ---------------------------------------------------------------------------------
    ("tools-comma", HEAD + "tools: Read, |\n---\n", {"Grep", "Glob", "Bash", "Edit", "Agent"},
     {"Read", "Task", "MultiEdit", "LS", "NotebookRead", "AskUserQuestion"}),
    ("tools-comma-typed", HEAD + "tools: Read, Gr|\n---\n", {"Grep"}, {"Read"}),
    ("tools-flow-list", HEAD + "tools: [Read, |]\n---\n", {"Grep"}, {"Read"}),
    ("tools-block-list", HEAD + "tools:\n  - Read\n  - Grep\n  - |\n---\n", {"Glob", "Bash"},
     {"Read", "Grep", "KillShell"}),
    ("tools-block-list-later-key", HEAD + "tools:\n  - |\n  - Bash\nmodel: opus\n---\n", {"Read"}, {"Bash"}),
    ("tools-mcp", HEAD + "tools: Read, |\n---\n", {"mcp__github", "mcp__github__*"}, set()),
    ("tools-agent-entries", HEAD + "tools: Read, |\n---\n", {"Agent(code-reviewer)", "Agent(test-runner)"},
     {"Agent(me)"}),
    ("tools-inside-agent", HEAD + "tools: Read, Agent(|)\n---\n", {"code-reviewer", "test-runner", "Explore"},
     {"Read", "Grep"}),
    ("tools-inside-agent-second", HEAD + "tools: Agent(code-reviewer, |)\n---\n", {"test-runner"}, {"Grep"}),
    ("disallowed-tools", HEAD + "disallowedTools: |\n---\n", {"Write", "Edit", "Bash"}, {"MultiEdit"}),
    # -- skills --------------------------------------------------------------------------------
    ("skills-list", HEAD + "skills:\n  - |\n---\n", {"api-conventions"}, {"Read"}),
    ("skills-listed-not-again", HEAD + "skills:\n  - api-conventions\n  - |\n---\n", set(), {"api-conventions"}),
    # -- body ------------------------------------------------------------------------------------
    ("heading-h2", HEAD + "---\nYou are x.\n\n## |\n",
     {"Role", "Responsibilities", "Workflow", "Constraints", "Output Format", "Examples", "Review Checklist"},
     {"Steps", "Gotchas"}),
    ("heading-h2-no-repeat", HEAD + "---\n## Role\n## Output format\n## |\n", {"Workflow"},
     {"Role", "Output Format", "Output format"}),
    ("heading-h3", HEAD + "---\n## Workflow\n### |\n", {"Steps", "Inputs", "Gotchas"}, {"Role"}),
    ("heading-h1-title", "---\nname: code-helper\n---\n# |\n", {"Code Helper"}, {"Steps"}),
    ("heading-no-space", HEAD + "---\n##|\n", {"Role"}, set()),
    ("anchor", HEAD + "---\n## Output Format\n## Output Format\nSee [below](#|).\n",
     {"output-format", "output-format-1"}, set()),
    ("no-completion-in-prose", HEAD + "---\nYou are a reviewer|.\n", set(), {"Role", "model"}),
    ("no-completion-in-code-block", HEAD + "---\n```markdown\n## |\n```\n", set(), {"Role"}),
    ("no-completion-on-closing-fence", "---\nname: x\n|---\n", set(), {"model"}),
]


@pytest.mark.parametrize("src, offered, absent", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_offered(src, offered, absent):
    got = labels(src)
    assert offered <= set(got), sorted(offered - set(got))
    assert not (absent & set(got)), sorted(absent & set(got))


def test_nothing_offered_outside_contexts():
    assert labels(HEAD + "---\nYou are a reviewer|.\n") == []
    assert labels(HEAD + "---\n```markdown\n## |\n```\n") == []
    assert labels("---\nname: x\n|---\n") == []
    assert labels("---\nname: x\ndescription: long |text\n---\n") == []


def test_skill_kind_uses_skill_fields():
    doc, offset = at("---\nname: x\n|\n---\n", kind="skill")
    got = {c.label for c in complete(doc, offset, ctx(kind="skill"))}
    assert {"allowed-tools", "argument-hint", "context"} <= got
    assert "permissionMode" not in got


def test_deprecated_and_removed_tools_never_offered():
    got = set(labels(HEAD + "tools: |\n---\n"))
    assert not got & set(OLD_TOOLS)
    assert {name for name, t in TOOLS.items() if t.subagents} <= got


def test_key_item_details_and_order():
    doc, offset = at("---\n|\n---\n")
    items = complete(doc, offset, ctx())
    by = {c.label: c for c in items}
    assert by["model"].detail == AGENT_FIELDS["model"].summary
    assert "Default: inherit" in by["model"].documentation
    assert by["model"].kind == "property"
    # Required keys sort first.
    ordered = [c.label for c in sorted(items, key=lambda c: c.sort_text)]
    assert ordered[:2] == ["name", "description"]
    # The replaced span is the (empty) key position; the plain insertion is ``key: ``.
    assert by["tools"].plain_text == "tools: " and by["tools"].new_text == "tools: "
    assert by["tools"].span.start == by["tools"].span.end == offset


def test_enum_key_is_a_snippet_with_choices_only_when_supported():
    doc, offset = at("---\n|\n---\n")
    with_snippets = {c.label: c for c in complete(doc, offset, ctx(snippets=True))}
    pm = with_snippets["permissionMode"]
    assert pm.snippet and pm.new_text.startswith("permissionMode: ${1|default,acceptEdits,")
    assert pm.plain_text == "permissionMode: "
    assert not with_snippets["description"].snippet
    without = {c.label: c for c in complete(doc, offset, ctx(snippets=False))}
    assert not any(c.snippet for c in without.values())
    assert without["permissionMode"].new_text == "permissionMode: "


def test_key_prefix_replaces_typed_word_and_keeps_existing_colon():
    doc, offset = at("---\nname: x\nmo|del: opus\n---\n")
    item = next(c for c in complete(doc, offset, ctx()) if c.label == "model")
    assert doc.slice(item.span) == "model"
    assert item.new_text == "model"  # the colon is already there
    doc, offset = at("---\nname: x\nmo|\n---\n")
    item = next(c for c in complete(doc, offset, ctx()) if c.label == "model")
    assert doc.slice(item.span) == "mo" and item.new_text == "model: "


def test_value_replaces_the_word_under_cursor():
    doc, offset = at("---\nname: x\nmodel: so|nn\n---\n")
    item = next(c for c in complete(doc, offset, ctx()) if c.label == "sonnet")
    assert doc.slice(item.span) == "sonn"
    assert item.filter_text == "sonnet" and item.new_text == "sonnet"
    assert "balanced" in item.detail


def test_value_after_bare_colon_inserts_a_space():
    doc, offset = at("---\nname: x\nmodel:|\n---\n")
    item = next(c for c in complete(doc, offset, ctx()) if c.label == "opus")
    assert item.new_text == " opus" and item.span.start == item.span.end == offset


def test_colors_are_color_items_with_hex():
    doc, offset = at(HEAD + "color: |\n---\n")
    items = complete(doc, offset, ctx())
    assert {c.kind for c in items} == {"color"}
    assert all(c.color and c.color.startswith("#") and len(c.color) == 7 for c in items)


def test_tool_items_replace_only_the_current_entry():
    doc, offset = at(HEAD + "tools: Read,Gr|ep, Bash\n---\n")
    items = {c.label: c for c in complete(doc, offset, ctx())}
    assert "Bash" not in items and "Read" not in items
    grep = items["Grep"]
    assert doc.slice(grep.span) == "Grep"
    assert grep.new_text == " Grep"  # after a bare comma
    assert "regular expressions" in grep.detail
    assert "No permission prompt" in grep.documentation
    agent = items["Agent(code-reviewer)"]
    assert "Reviews diffs for bugs" in agent.detail and "reviewer.md" in agent.documentation


def test_agent_inside_parentheses_replaces_the_name_only():
    doc, offset = at(HEAD + "tools: Agent(code-|)\n---\n")
    item = next(c for c in complete(doc, offset, ctx()) if c.label == "code-reviewer")
    assert doc.slice(item.span) == "code-"
    assert item.new_text == "code-reviewer"


def test_headings_ranked_by_use_in_workspace():
    doc, offset = at(HEAD + "---\n## |\n")
    items = sorted(complete(doc, offset, ctx()), key=lambda c: c.sort_text)
    assert items[0].label == "Review Checklist"  # used by 3 other files
    assert items[1].label == "Output Format"  # catalogue entry, used by 1 (case-insensitive)
    assert "1 other agent file" in items[1].detail
    assert [c.label for c in items[2:5]] == ["Role", "Responsibilities", "Workflow"]
    assert all(c.kind == "keyword" for c in items)


def test_heading_replaces_title_and_inserts_space_after_hashes():
    doc, offset = at(HEAD + "---\n## Out|put\n")
    item = next(c for c in complete(doc, offset, ctx()) if c.label == "Output Format")
    assert doc.slice(item.span) == "Output"
    doc, offset = at(HEAD + "---\n##|\n")
    item = next(c for c in complete(doc, offset, ctx()) if c.label == "Role")
    assert item.new_text == " Role"


def test_top_sections_follow_the_documents_levels():
    # A document whose sections are H1s gets the top catalogue at level 1.
    got = labels(HEAD + "---\n# Role\n# Workflow\n# |\n")
    assert "Constraints" in got and "Role" not in got


def test_anchor_replaces_partial_slug():
    doc, offset = at(HEAD + "---\n## Output Format\nSee [x](#out|put).\n")
    item = next(c for c in complete(doc, offset, ctx()))
    assert item.label == "output-format" and doc.slice(item.span) == "output"


def test_non_ascii_before_cursor():
    doc, offset = at("---\nname: x\ndescription: Prüft Änderungen 😀\nmodel: |\n---\n")
    got = {c.label for c in complete(doc, offset, ctx())}
    assert MODELS <= got
    doc, offset = at("---\nname: x\ntools: Read, 😀|\n---\n")
    item = next(c for c in complete(doc, offset, ctx()) if c.label == "Grep")
    assert doc.slice(item.span) == "😀"


def test_crlf_document():
    doc, offset = at("---\r\nname: x\r\nmodel: |\r\n---\r\n")
    assert MODELS <= {c.label for c in complete(doc, offset, ctx())}


def test_slugify_matches_github():
    assert slugify("Output Format") == "output-format"
    assert slugify("What it does (and why)") == "what-it-does-and-why"
    assert slugify("AGT400 unknown-tool") == "agt400-unknown-tool"
    assert slugify("`code` **bold** [link](http://x)") == "code-bold-link"
    doc = Document("# A\n# A\n# A\n")
    assert [s for s, _ in heading_slugs(doc)] == ["a", "a-1", "a-2"]


def test_count_headings_counts_files_not_occurrences():
    docs = [Document("## Role\n## Role\n### Steps\n"), Document("## Role\n")]
    assert count_headings(docs) == {(2, "Role"): 2, (3, "Steps"): 1}


def test_read_mcp_servers(tmp_path):
    assert read_mcp_servers(tmp_path) == ()
    (tmp_path / ".mcp.json").write_text(json.dumps({"mcpServers": {"github": {}, "sentry": {"url": "x"}}}))
    assert read_mcp_servers(tmp_path) == ("github", "sentry")
    (tmp_path / ".mcp.json").write_text("{not json")
    assert read_mcp_servers(tmp_path) == ()
    (tmp_path / ".mcp.json").write_text(json.dumps({"mcpServers": ["a"]}))
    assert read_mcp_servers(tmp_path) == ()


def test_catalogue_and_triggers():
    assert len({s.title.casefold() for s in SECTIONS}) == len(SECTIONS)
    assert {":", " ", ",", "#", "("} <= set(TRIGGER_CHARACTERS)


_ALPHABET = st.sampled_from(list("---\n\n:# ,()[]-\"'abcmodeltoRsé😀\r\t") +
                            ["model: ", "tools: ", "## ", "](#", "```\n", "name: x\n", "- "])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=40).map("".join), st.data())
def test_never_raises_and_edits_stay_on_the_cursor_line(text, data):
    doc = Document(text, PATH, "agent")
    offset = data.draw(st.integers(0, len(text)))
    for c in complete(doc, offset, ctx()):
        assert c.span.start <= offset <= c.span.end, (c, offset)
        assert doc.index.line_of(c.span.start) == doc.index.line_of(c.span.end) == doc.index.line_of(offset)
        assert "\n" not in doc.slice(c.span) and "\r" not in doc.slice(c.span)
