"""Completion, hover and the rules read each sibling format from one field table.

Gemini CLI, GitHub Copilot, Cursor and OpenCode files are completed and hovered from
their own tables (:mod:`agentls.facts.gemini` and its siblings), never from Claude
Code's; ``|`` marks the cursor. The findings themselves are specified by the fixtures in
``tests/fixtures/workspaces/formats``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from agentls.core.document import Document
from agentls.facts import copilot, cursor, gemini, opencode
from agentls.facts.targets import (
    COPILOT,
    CURSOR,
    GEMINI_CLI,
    OPENCODE,
    Location,
    locate,
)
from agentls.rules.lint import Context, lint
from agentls.services.completion import CompletionContext, complete
from agentls.services.formats import FIELDS_BY_TARGET, format_fields, format_schema
from agentls.services.hover import HoverContext, hover
from jsonschema import Draft202012Validator

PATHS = {
    (GEMINI_CLI, "agent"): "/w/.gemini/agents/me.md",
    (COPILOT, "agent"): "/w/.github/agents/me.agent.md",
    (COPILOT, "prompt"): "/w/.github/prompts/me.prompt.md",
    (COPILOT, "instructions"): "/w/.github/instructions/me.instructions.md",
    (CURSOR, "rule"): "/w/.cursor/rules/me.mdc",
    (CURSOR, "agent"): "/w/.cursor/agents/me.md",
    (OPENCODE, "agent"): "/w/.opencode/agents/me.md",
}


def _doc(text: str, target: str, kind: str) -> tuple[Document, int, Location]:
    offset = text.index("|")
    loc = Location(kind, target)
    return Document(text[:offset] + text[offset + 1:], PATHS[(target, kind)], loc), offset, loc


def _labels(text: str, target: str, kind: str) -> list[str]:
    doc, offset, loc = _doc(text, target, kind)
    return [c.label for c in complete(doc, offset, CompletionContext(kind=loc, path=doc.path))]


def _hover(text: str, target: str, kind: str) -> str:
    doc, offset, loc = _doc(text, target, kind)
    result = hover(doc, offset, HoverContext(kind=loc, path=doc.path, findings=[]))
    return result.markdown if result is not None else ""


@pytest.mark.parametrize("target, kind", sorted(PATHS))
def test_each_path_is_located_as_its_format(target, kind):
    found = locate(PATHS[(target, kind)])
    assert (found.target, str(found)) == (target, kind)


@pytest.mark.parametrize("target, kind", sorted(PATHS))
def test_key_completion_offers_exactly_the_formats_keys(target, kind):
    expected = set(FIELDS_BY_TARGET[target][kind])
    assert set(_labels("---\n|\n---\n", target, kind)) == expected


@pytest.mark.parametrize("target, kind, text, offered, absent", [
    (GEMINI_CLI, "agent", "---\nname: me\ntools: [read_file, |]\n---\n", {"grep_search", "mcp_*", "*"},
     {"read_file", "Read", "Grep"}),
    (GEMINI_CLI, "agent", "---\nkind: |\n---\n", {"local", "remote"}, set()),
    (GEMINI_CLI, "agent", "---\nmodel: |\n---\n", {"inherit", "flash", "gemini-2.5-pro"}, {"sonnet"}),
    (COPILOT, "agent", "---\ntools: [|]\n---\n", {"read", "edit", "search", "execute", "github/*"}, {"Read"}),
    (COPILOT, "agent", "---\ntarget: |\n---\n", {"vscode", "github-copilot"}, set()),
    (COPILOT, "instructions", "---\nexcludeAgent: |\n---\n", {"code-review", "coding-agent"}, set()),
    (CURSOR, "agent", "---\nmodel: |\n---\n", {"inherit", "fast"}, {"sonnet"}),
    (CURSOR, "rule", "---\nalwaysApply: |\n---\n", {"true", "false"}, set()),
    (OPENCODE, "agent", "---\nmode: |\n---\n", {"primary", "subagent", "all"}, set()),
    (OPENCODE, "agent", "---\ncolor: |\n---\n", {"primary", "accent"}, {"red"}),
])
def test_value_completion_comes_from_the_formats_facts(target, kind, text, offered, absent):
    labels = set(_labels(text, target, kind))
    assert offered <= labels
    assert not absent & labels


@pytest.mark.parametrize("target, kind, text, needle", [
    (GEMINI_CLI, "agent", "---\nmax_t|urns: 5\n---\n", "Default: 30"),
    (GEMINI_CLI, "agent", "---\ntools: [read_f|ile]\n---\n", "nearest tool is `Read`"),
    (GEMINI_CLI, "agent", "---\ntools: [mcp_g|ithub_*]\n---\n", "MCP tool"),
    (COPILOT, "agent", "---\nuser-inv|ocable: false\n---\n", "Default: true"),
    (COPILOT, "agent", "---\ntools: [sh|ell]\n---\n", "Copilot tool alias `execute`"),
    (COPILOT, "prompt", "---\nag|ent: plan\n---\n", "custom agent"),
    (COPILOT, "instructions", "---\napply|To: '**'\n---\n", "glob"),
    (CURSOR, "rule", "---\nalways|Apply: true\n---\n", "Always"),
    (CURSOR, "agent", "---\nis_back|ground: true\n---\n", "background"),
    (OPENCODE, "agent", "---\nmo|de: subagent\n---\n", "`primary`"),
    (OPENCODE, "agent", "---\nmode: sub|agent\n---\n", "Called by primary agents"),
])
def test_hover_reads_the_formats_facts(target, kind, text, needle):
    assert needle in _hover(text, target, kind)


@pytest.mark.parametrize("target, kind", sorted(PATHS))
def test_a_claude_code_only_key_is_not_hovered_as_claude_codes(target, kind):
    # `permissionMode` is Claude Code's; no sibling format defines it.
    assert "permissionMode" not in format_fields(Location(kind, target))
    assert "How the agent handles permission prompts" not in _hover("---\npermission|Mode: plan\n---\n", target, kind)


def test_claude_code_rules_do_not_run_on_a_sibling_file():
    # `tools: read_file` is an unknown Claude Code tool (AGT400) but Gemini CLI's name.
    text = "---\nname: me\ndescription: Reviews code. Use after changes.\ntools: [read_file]\n---\nBody.\n"
    loc = Location("agent", GEMINI_CLI)
    findings = lint(Document(text, PATHS[(GEMINI_CLI, "agent")], loc),
                    Context(loc, path=PATHS[(GEMINI_CLI, "agent")], target=GEMINI_CLI))
    assert findings == []


@pytest.mark.parametrize("module", [gemini, copilot, cursor, opencode])
def test_every_sibling_fact_has_a_summary_and_a_source(module):
    for fields in module.FIELDS_BY_KIND.values():
        for field in fields.values():
            assert field.summary and field.source.startswith("https://"), field.key
            for value in field.values:
                assert value.meaning, (field.key, value.name)
    assert module.RETRIEVED


@pytest.mark.parametrize("name, accepted", [
    ("read_file", True), ("search_file_content", True), ("*", True), ("mcp_*", True),
    ("mcp_github_*", True), ("mcp_github_search_issues", True), ("discovered_tool_x", True),
    ("Read", False), ("mcp__github__search", False), ("mcp__tool", False), ("mcp_github_", False),
    ("mcp_github___", False), ("codebase_investigator", False), ("", False),
])
def test_gemini_tool_names_as_is_valid_tool_name_reads_them(name, accepted):
    assert (gemini.tool_status(name) is not None) is accepted


FORMATS = Path(__file__).parent.parent / "fixtures" / "workspaces" / "formats"


def _frontmatter(path: Path) -> dict:
    import yaml

    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1]) or {}


@pytest.mark.parametrize("path", sorted(p for p in FORMATS.rglob("*") if ".pass." in p.name),
                         ids=lambda p: p.name)
def test_every_passing_fixture_is_valid_under_its_formats_json_schema(path):
    loc = locate(path)
    if loc.target == GEMINI_CLI and _frontmatter(path).get("kind") == "remote":
        pytest.skip("the schema is the local agents'")
    schema = format_schema(loc.target, str(loc))
    Draft202012Validator.check_schema(schema)
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(_frontmatter(path))]
    assert not errors


def test_the_gemini_schema_is_as_strict_as_its_loader():
    schema = Draft202012Validator(format_schema(GEMINI_CLI, "agent"))
    assert not schema.is_valid({"name": "me", "description": "x", "maxTurns": 3})
    assert not schema.is_valid({"name": "me", "description": "x", "tools": "read_file, glob"})
    assert schema.is_valid({"name": "me", "description": "x", "tools": ["read_file"], "max_turns": 3})


@pytest.mark.parametrize("target, kind", sorted(PATHS))
def test_agentls_schema_prints_each_formats_schema(target, kind, capsys):
    import json

    from agentls.cli.main import main

    assert main(["schema", "--target", target, "--kind", kind]) == 0
    assert json.loads(capsys.readouterr().out) == format_schema(target, kind)


def test_agentls_schema_refuses_a_kind_the_target_has_not(capsys):
    from agentls.cli.main import main

    assert main(["schema", "--target", GEMINI_CLI, "--kind", "rule"]) == 2
    assert "Gemini CLI has no rule files" in capsys.readouterr().err


@pytest.mark.parametrize("target, kind", [(GEMINI_CLI, "agent"), (COPILOT, "agent")])
def test_every_tool_completion_offers_is_accepted_and_hovered(target, kind):
    offered = _labels("---\nname: me\ndescription: Reviews code.\ntools: [|]\n---\n", target, kind)
    assert offered
    for name in offered:
        text = f"---\nname: me\ndescription: Reviews code. Use after changes.\ntools: [\"{name}\"]\n---\nBody.\n"
        loc = Location(kind, target)
        path = PATHS[(target, kind)]
        findings = lint(Document(text, path, loc), Context(loc, path=path, target=target))
        assert not findings, (name, [f.message for f in findings])
        assert _hover(text.replace(f'"{name}"', f'"|{name}"'), target, kind), name
