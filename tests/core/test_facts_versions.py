"""Facts current to Claude Code 2.1.296, versioned (issue 15): what completion, hover, the JSON
Schema, ``agentls facts`` and ``agentls --version`` say about them.

The rules' side of each fact is in the fixtures (``tests/fixtures/agents/``: one per fact,
findings marked inline). ``|`` marks the cursor.
"""

from __future__ import annotations

import json

import pytest
from agentls.cli.main import main
from agentls.core.document import Document
from agentls.engine.discovery import WorkspaceIndex
from agentls.facts import KINDS, models
from agentls.facts.fields import FIELDS_BY_KIND, HOOK_EVENTS
from agentls.facts.tools import OLD_TOOLS, TOOLS
from agentls.facts.versions import (
    CLAUDE_CODE_VERSION,
    FACTS_DATE,
    newer_than,
    parse_version,
    since_text,
)
from agentls.rules.lint import Context, Extensions
from agentls.rules.ruleset import lookup
from agentls.services.completion import CompletionContext, complete
from agentls.services.docs import format_rule, rules_markdown
from agentls.services.hover import HoverContext, hover
from agentls.services.jsonschema import frontmatter_schema

PATH = "/w/.claude/agents/me.md"
HEAD = "---\nname: me\ndescription: Reviews code. Use proactively after edits.\n"


def _at(src: str, kind: str = "agent") -> tuple[Document, int]:
    offset = src.index("|")
    return Document(src[:offset] + src[offset + 1:], PATH, kind), offset


def _hover(src: str, extensions: Extensions = Extensions(), workspace: WorkspaceIndex | None = None) -> str:
    doc, offset = _at(src)
    ctx = HoverContext(kind="agent", path=PATH, extensions=extensions, workspace=workspace,
                       lint_context=Context(kind="agent", path=PATH, extensions=extensions, workspace=workspace))
    found = hover(doc, offset, ctx)
    return found.markdown if found else ""


def _labels(src: str, extensions: Extensions = Extensions()) -> list[str]:
    doc, offset = _at(src)
    return [c.label for c in complete(doc, offset, CompletionContext(kind="agent", path=PATH, extensions=extensions))]


# -- the new facts are offered and explained --------------------------------------------------------
@pytest.mark.parametrize("src, offered", [
    (HEAD + "|\n---\n", ["omitClaudeMd", "autoCompactWindow", "experimental"]),
    (HEAD + "tools: Read, |\n---\n", ["SendFeedback", "SubagentHandback", "ListAgents"]),
    (HEAD + "model: |\n---\n", ["best", "default", "opusplan", "sonnet[1m]", "opus[1m]", "fable[1m]",
                                "claude-fable-5-1", "claude-opus-5-5", "claude-sonnet-5-5", "claude-haiku-5-5"]),
], ids=["keys", "tools", "models"])
def test_completion_offers_the_facts_of_2_1_296(src, offered):
    assert set(offered) <= set(_labels(src))


@pytest.mark.parametrize("src, fragments", [
    (HEAD + "omit|ClaudeMd: true\n---\n", ["**`omitClaudeMd`**", "Since: 2.1.271", "Source: https://code.claude.com"]),
    (HEAD + "autoCompact|Window: 300000\n---\n", ["An integer from 100,000 to 1,000,000.", "Since: 2.1.296",
                                                  "dropped"]),
    (HEAD + "experi|mental:\n  cacheTtl: 1h\n---\n", ["`cacheTtl`", "(`5m`, `1h`)", "Since: 2.1.248"]),
    (HEAD + "tools: Read, SendFeed|back\n---\n", ["**`SendFeedback`** (tool)", "Since Claude Code 2.1.238",
                                                  "Source: https://code.claude.com/docs/en/tools-reference"]),
    (HEAD + "tools: Read, Subagent|Handback\n---\n", ["Since Claude Code 2.1.271"]),
    (HEAD + "tools: L|SP\n---\n", ["foreground only"]),
    (HEAD + "tools: Task|Create\n---\n", ["only on older models"]),
    (HEAD + "tools: Read, Multi|Edit\n---\n", ["Source: https://github.com/anthropics/claude-code"]),
    (HEAD + "model: claude-opus-5|-5\n---\n", ["Claude Opus 5.5.", "Since Claude Code 2.1.280", "Source: "]),
    (HEAD + "model: b|est\n---\n", ["(model alias accepted by `--model`)"]),
    (HEAD + "model: claude-sonnet-9-pre|view\n---\n", ["it may be a model newer than agentls' facts"]),
    (HEAD + "model: gemini-p|ro\n---\n", ["it cannot be a Claude model"]),
    (HEAD + "permission|Mode: bypassPermissions\n---\n", ["only when the parent is already in `bypassPermissions`",
                                                           "2.1.267"]),
    (HEAD + "permissionMode: bypass|Permissions\n---\n", ["only when the parent is already in this mode (v2.1.267)"]),
    (HEAD + "hoo|ks:\n  PreModelSwitch: []\n---\n", ["`onFailure: continue | block` (v2.1.295)",
                                                     "`once: true` works only in skills"]),
], ids=lambda v: v if isinstance(v, str) and "\n" not in v else None)
def test_hover_shows_each_fact_with_its_version_and_source(src, fragments):
    text = _hover(src)
    for fragment in fragments:
        assert fragment in text, text


def test_max_turns_claims_no_default():
    text = _hover(HEAD + "max|Turns: 5\n---\n")
    assert "unlimited" not in text.lower() and "Default:" not in text and "no default" in text


# -- extend-keys: completed and hovered like the built-in keys -----------------------------------------
ADDED = Extensions(keys=frozenset({"reviewLevel", "name"}))  # `name` is a field already: not offered twice


def test_a_key_the_configuration_adds_is_offered_once():
    labels = _labels(HEAD + "|\n---\n", ADDED)
    assert "reviewLevel" in labels and labels.count("name") <= 1
    assert "reviewLevel" not in _labels(HEAD + "|\n---\n")
    assert "reviewLevel" not in _labels(HEAD + "reviewLevel: 3\n|\n---\n", ADDED)  # already present


def test_a_key_the_configuration_adds_is_hovered():
    assert "added in your configuration" in _hover(HEAD + "review|Level: 3\n---\n", ADDED)
    assert _hover(HEAD + "review|Level: 3\n---\n") == "" or "added" not in _hover(HEAD + "review|Level: 3\n---\n")


# -- the routing budget in hover ----------------------------------------------------------------------
def test_description_hover_shows_the_agents_share_of_the_budget():
    index = WorkspaceIndex("/w")
    text = HEAD + "---\nBody.\n"
    index.update(PATH, Document(text, PATH, "agent"), "agent")
    index.update("/w/.claude/agents/other.md", Document(
        "---\nname: other\ndescription: " + "x" * 396 + "\n---\nBody.\n", "/w/.claude/agents/other.md", "agent"), "agent")
    shown = _hover(HEAD.replace("description:", "descr|iption:") + "---\nBody.\n", workspace=index)
    assert "This agent's name and description: ~12 tokens" in shown
    assert "of the ~113 tokens of the 2 custom agents" in shown and "within Claude Code's 15,000-token budget" in shown


# -- the JSON Schema -----------------------------------------------------------------------------------
def test_schema_shows_the_new_facts():
    props = frontmatter_schema("agent")["properties"]
    assert props["autoCompactWindow"] == {**props["autoCompactWindow"], "type": "integer", "minimum": 100_000,
                                          "maximum": 1_000_000}
    assert props["omitClaudeMd"]["type"] == "boolean"
    assert props["experimental"]["properties"]["cacheTtl"]["enum"] == ["5m", "1h"]
    assert "PreModelSwitch (since 2.1.251)" in props["hooks"]["description"]
    enum = next(p for p in props["model"]["anyOf"] if "enum" in p)
    for name in ["best", "fable[1m]", "claude-haiku-5-5"]:
        assert name in enum["enum"]
    assert "Since Claude Code 2.1.293." in enum["enumDescriptions"][enum["enum"].index("claude-haiku-5-5")]
    assert "unlimited" not in json.dumps(props["maxTurns"])
    for kind in KINDS:
        assert CLAUDE_CODE_VERSION in frontmatter_schema(kind)["$comment"]


# -- rules docs -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("code, fragment", [
    ("AGT100", "Since v2.1.296 `claude --debug` names"),
    ("AGT211", "VS Code, GitHub Copilot, OpenCode and Gemini CLI"),
    ("AGT300", "An error when the value cannot be a Claude model"),
    ("AGT403", "removes the whole tool"),
    ("AGT710", "characters / 4"),
])
def test_rule_docs_say_what_the_loader_does(code, fragment):
    assert fragment in format_rule(lookup(code))


def test_the_hover_on_a_finding_names_the_rules_source():
    from agentls.services.docs import format_rule_short

    assert "Source: https://code.claude.com/docs/en/tools-reference" in format_rule_short(lookup("AGT400"))
    assert "changelog 2.1.296" in format_rule_short(lookup("AGT100"))


def test_rules_md_names_the_facts_version():
    assert f"Facts current to Claude Code {CLAUDE_CODE_VERSION} (docs and changelog of {FACTS_DATE})" in rules_markdown()


# -- versions ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, parsed", [("2.1.296", (2, 1, 296)), ("v2.1.74", (2, 1, 74)), ("2026-04-02 docs", None),
                                          ("", None), (None, None), ("2.1", None)])
def test_parse_version(text, parsed):
    assert parse_version(text) == parsed


@pytest.mark.parametrize("since, target, newer", [
    ("2.1.296", "2.1.240", True), ("2.1.240", "2.1.296", False), ("2.1.296", "2.1.296", False),
    ("2026-04-02 docs", "2.1.0", False), ("2.1.9", "2.1.10", False), (None, "2.1.0", False),
])
def test_newer_than(since, target, newer):
    assert newer_than(since, target) is newer


def test_since_text():
    assert since_text("2.1.271") == "Since Claude Code 2.1.271"
    assert since_text("2026-04-02 docs") == "Since the 2026-04-02 docs"
    assert since_text(None, "2.1.178") == "Removed in Claude Code 2.1.178"


def test_every_fact_carries_a_source_and_versions_that_parse():
    for fields in FIELDS_BY_KIND.values():
        for f in fields.values():
            assert f.source
            assert f.until is None or parse_version(f.until)
    for tool in TOOLS.values():
        assert tool.source and (tool.since is None or parse_version(tool.since))
    for old in OLD_TOOLS.values():
        assert old.source and (old.until is None or parse_version(old.until))
    for name, since in models.SINCE.items():
        assert name in models.NAMED and parse_version(since)
    assert {"PreModelSwitch", "PostModelSwitch"} <= set(HOOK_EVENTS)


# -- agentls facts, agentls --version ----------------------------------------------------------------------
def test_version_prints_the_facts_version_and_date(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    out = capsys.readouterr().out
    assert f"Claude Code {CLAUDE_CODE_VERSION}, {FACTS_DATE}" in out


def test_facts_lists_every_fact_with_since_and_source(capsys):
    assert main(["facts"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Facts current to Claude Code {CLAUDE_CODE_VERSION} (docs and changelog of {FACTS_DATE}).")
    for line in ["  autoCompactWindow", "  SubagentHandback", "  claude-haiku-5-5", "  PreModelSwitch", "  onFailure"]:
        assert line in out
    assert main(["facts", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["claude_code_version"] == CLAUDE_CODE_VERSION and data["date"] == FACTS_DATE
    assert {t["name"] for t in data["tools"]} == set(TOOLS)
    every = [f for kind in data["fields"].values() for f in kind] + data["tools"] + data["models"] + data["hook_events"]
    assert all({"since", "until", "source"} <= set(f) and f["source"] for f in every)
    handback = next(t for t in data["tools"] if t["name"] == "SubagentHandback")
    assert handback["since"] == "2.1.271"


# -- target-version: a setting of the one settings model ------------------------------------------------
def test_target_version_is_read_from_the_editor_settings_and_reaches_the_lint_context():
    from agentls.engine.editor_settings import parse_settings
    from agentls.engine.project import lint_document, resolve

    settings, problems = parse_settings({"targetVersion": "v2.1.240"})
    assert not problems and settings.target_version == "2.1.240"
    assert parse_settings({"targetVersion": 5})[1] == ['`targetVersion` must be a Claude Code version such as '
                                                      '"2.1.240", got int']
    resolved = resolve(PATH, client=settings)
    assert resolved.target_version == "2.1.240"
    doc = Document(HEAD + "omitClaudeMd: true\n---\nBody.\n", PATH, "agent")
    codes = [f.code for f in lint_document(doc, PATH, "agent", resolved, None)]
    assert codes == ["AGT109"]
    assert not lint_document(doc, PATH, "agent", resolve(PATH, client=parse_settings({})[0]), None)


@pytest.mark.parametrize("line, target, message", [
    ("omitClaudeMd: true", "2.1.270", "`omitClaudeMd` needs Claude Code 2.1.271"),
    ("omitClaudeMd: true", "2.1.271", None),
    ("permissionMode: manual", "2.1.199", "`permissionMode: manual` needs Claude Code 2.1.200"),
    ("model: claude-sonnet-4-5", "2.1.73", "A full model ID needs Claude Code 2.1.74"),
    ("model: claude-haiku-5-5", "2.1.292", "needs Claude Code 2.1.293"),
    ("tools: Read, SendFeedback", "2.1.237", "`SendFeedback` needs Claude Code 2.1.238"),
    ("tools: Read, SendFeedback", None, None),  # no target: the newest the facts know
])
def test_what_is_newer_than_the_target_needs_a_newer_claude_code(line, target, message):
    from agentls.rules.lint import lint

    doc = Document(HEAD + line + "\n---\nBody.\n", PATH, "agent")
    found = [f.message for f in lint(doc, Context(kind="agent", path=PATH, target_version=target)) if f.code == "AGT109"]
    if message is None:
        assert not found
    else:
        assert len(found) == 1 and message in found[0]


def test_a_target_version_that_is_no_version_is_a_configuration_error(tmp_path, capsys):
    (tmp_path / "agentls.toml").write_text('target-version = "latest"\n')
    assert main(["check", str(tmp_path)]) == 2
    assert 'must be a Claude Code version such as "2.1.240"' in capsys.readouterr().err


# -- issue 14, part 5: another tool's vocabulary, said once -------------------------------------------
@pytest.mark.parametrize("tools, whose, home", [
    ("read, edit, search", "GitHub Copilot", "`.github/agents/"),
    ("read_file, glob, web_fetch, run_shell_command", "Gemini CLI", "`.gemini/agents/"),
    ("runCommands, fetch, codebase", "VS Code", "`.github/agents/"),
])
def test_a_list_in_another_tools_vocabulary_is_one_error_naming_it_and_its_folder(tools, whose, home):
    from agentls.rules.lint import lint

    doc = Document(HEAD + f"tools: {tools}\n---\nBody.\n", PATH, "agent")
    found = [f for f in lint(doc, Context(kind="agent", path=PATH)) if f.code == "AGT400"]
    assert len(found) == 1 and found[0].severity.label == "error"
    assert f"these are {whose} tool names" in found[0].message and home in found[0].message
    assert found[0].fix is None or not found[0].fix.safe
