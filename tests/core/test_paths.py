"""Which tool loads a file, as what, and with which others (``agentls.facts.targets``).

Each row: a path, then ``(target, kind, scope)`` or ``None`` when no tool loads the file.
Paths under ``/r`` hold no plugin manifest; the plugin tests build real folders.
"""

from __future__ import annotations

import json
import pickle

import pytest
from agentls.facts.targets import (
    ALL_KINDS,
    CLAUDE_CODE,
    COPILOT,
    CURSOR,
    GEMINI_CLI,
    OPENCODE,
    TARGETS,
    Location,
    classify,
    forget,
    locate,
)

CC, GEM, GH, CUR, OC = CLAUDE_CODE, GEMINI_CLI, COPILOT, CURSOR, OPENCODE


@pytest.mark.parametrize("path, expected", [
    # Claude Code: project (and managed) `.claude` folders; sub-folders are scanned
    ("/r/.claude/agents/a.md", (CC, "agent", "project")),
    ("/r/.claude/agents/team/b.md", (CC, "agent", "project")),
    ("/r/.claude/agents/Upper.MD", (CC, "agent", "project")),  # as the editors' file patterns
    ("/r/.claude/commands/git/commit.md", (CC, "command", "project")),
    ("/r/.claude/skills/pdf/SKILL.md", (CC, "skill", "project")),
    ("/r/.claude/skills/pdf/reference.md", None),  # a skill's resource
    ("/r/.claude/skills/pdf/agents/helper.md", None),
    ("/r/.claude/agents/README.md", None),
    # ...a `.claude/agents` folder is Claude Code's, even in a repository named `skills`
    ("/home/me/skills/.claude/agents/team.md", (CC, "agent", "project")),
    ("/home/me/skills/pdf/.claude/commands/go.md", (CC, "command", "project")),
    # an agents folder no plugin manifest declares: a library of Claude Code agents
    ("/r/plugin/agents/reviewer.md", (CC, "agent", "library")),
    ("/r/skills/pdf/SKILL.md", (CC, "skill", "library")),
    ("/r/skills/pdf/agents/helper.md", None),  # an agents/ folder inside a skill is its resource
    # documentation and its translations are not agents
    ("/r/docs/agents.md", None),
    ("/r/docs/zh/agents/reviewer.md", None),
    ("/r/docs/agents/reviewer.md", None),
    ("/r/i18n/ja/commands/go.md", None),
    ("/r/README.md", None),
    # Gemini CLI
    ("/r/.gemini/agents/reviewer.md", (GEM, "agent", "project")),
    ("/r/.gemini/agents/sub/reviewer.md", None),  # Gemini reads the folder itself only
    # GitHub Copilot (VS Code and the cloud agent)
    ("/r/.github/agents/reviewer.agent.md", (GH, "agent", "project")),
    ("/r/.github/agents/reviewer.md", (GH, "agent", "project")),  # any .md there (VS Code)
    ("/r/tools/reviewer.agent.md", (GH, "agent", "project")),
    ("/r/.github/prompts/release.prompt.md", (GH, "prompt", "project")),
    ("/r/.github/prompts/notes.md", None),
    ("/r/.github/instructions/python.instructions.md", (GH, "instructions", "project")),
    ("/r/.github/instructions/lang/py.instructions.md", (GH, "instructions", "project")),
    ("/r/.github/chatmodes/plan.chatmode.md", (GH, "agent", "project")),
    ("/r/.github/ISSUE_TEMPLATE/bug.md", None),
    # Cursor
    ("/r/.cursor/rules/style.mdc", (CUR, "rule", "project")),
    ("/r/.cursor/rules/backend/api.mdc", (CUR, "rule", "project")),
    ("/r/.cursor/agents/reviewer.md", (CUR, "agent", "project")),
    ("/r/notes.mdc", None),
    # OpenCode (V2 `agents/`, V1 `agent/`; nested paths are ids)
    ("/r/.opencode/agents/reviewer.md", (OC, "agent", "project")),
    ("/r/.opencode/agents/team/reviewer.md", (OC, "agent", "project")),
    ("/r/.opencode/agent/reviewer.md", (OC, "agent", "project")),
    ("/home/me/.config/opencode/agents/reviewer.md", (OC, "agent", "user")),
    # the deepest tool folder decides
    ("/r/.claude/agents/reviewer.agent.md", (CC, "agent", "project")),
    ("/r/.github/agents/.claude/agents/x.md", (CC, "agent", "project")),
    ("/r/agents/x.txt", None),
])
def test_locate(path, expected):
    found = locate(path)
    assert (None if found is None else (found.target, found.kind, found.scope)) == expected


def test_user_scope(monkeypatch, tmp_path):
    import agentls.facts.targets as targets

    monkeypatch.setattr(targets, "_HOME", "/home/me")
    monkeypatch.setattr(targets, "_HOME_NAME", "me")
    assert locate("/home/me/.claude/agents/a.md").scope == "user"
    assert locate("/home/me/work/.claude/agents/a.md").scope == "project"


@pytest.mark.parametrize("path, kind, plugin", [
    ("/r/.claude/agents/a.md", "agent", False),
    ("/r/.claude/skills/pdf/SKILL.md", "skill", False),
    ("/r/plugin/agents/reviewer.md", "agent", False),  # no manifest: not a plugin's
    ("/r/docs/agents.md", None, False),
    ("/r/.gemini/agents/a.md", "agent", False),
])
def test_classify_keeps_the_kind_plugin_shape(path, kind, plugin):
    assert classify(path) == (kind, plugin)


def test_trees_are_what_one_tool_loads_together():
    a, b = locate("/r/.claude/agents/a.md"), locate("/r/.claude/agents/team/b.md")
    user = locate("/home/me/.claude/agents/a.md")
    assert a.tree == b.tree == "/r/.claude/agents"
    assert user.tree != a.tree
    assert locate("/r/.gemini/agents/a.md").tree != a.tree
    assert locate("/r/one/agents/a.md").tree != locate("/r/two/agents/a.md").tree


def test_a_location_is_its_kind_and_survives_pickling():
    loc = locate("/r/.gemini/agents/a.md")
    assert loc == "agent" and isinstance(loc, str)
    back = pickle.loads(pickle.dumps(loc))
    assert isinstance(back, Location) and back.same == loc.same


def test_every_target_names_its_sources_and_kinds():
    for target in TARGETS.values():
        assert target.source and target.kinds and target.places
        for place in target.places + target.anywhere:
            assert place.source, (target.id, place)
            assert place.kind in target.kinds
    assert set(ALL_KINDS) >= {"agent", "skill", "command", "prompt", "instructions", "rule"}


# -- Claude Code plugins: the manifest decides -----------------------------------------------
def _plugin(root, manifest=None, files=()):
    (root / ".claude-plugin").mkdir(parents=True)
    (root / ".claude-plugin" / "plugin.json").write_text(json.dumps(manifest or {"name": root.name}))
    for f in files:
        (root / f).parent.mkdir(parents=True, exist_ok=True)
        (root / f).write_text("---\nname: x\ndescription: y\n---\n")
    forget()


def test_a_plugin_manifest_makes_its_default_folders_a_plugins(tmp_path):
    _plugin(tmp_path / "review", files=["agents/a.md", "agents/sub/b.md", "commands/go.md",
                                        "skills/pdf/SKILL.md", "docs/agents/c.md", "notes.md"])
    r = tmp_path / "review"
    a = locate(str(r / "agents/a.md"))
    assert (a.target, a.kind, a.scope, a.plugin) == (CC, "agent", "plugin", "review")
    assert classify(str(r / "agents/a.md")) == ("agent", True)
    assert locate(str(r / "agents/sub/b.md")).tree != a.tree  # sub-folders are part of the id
    assert locate(str(r / "commands/go.md")).kind == "command"
    assert locate(str(r / "skills/pdf/SKILL.md")).kind == "skill"
    assert locate(str(r / "docs/agents/c.md")) is None  # a folder the plugin does not declare
    assert locate(str(r / "notes.md")) is None


def test_declared_paths_replace_the_defaults(tmp_path):
    r = tmp_path / "p"
    _plugin(r, {"name": "tools", "agents": ["./custom/", "./extra/one.md"], "commands": "./cmds"},
            files=["custom/a.md", "extra/one.md", "extra/two.md", "agents/old.md", "cmds/go.md",
                   "commands/old.md"])
    assert locate(str(r / "custom/a.md")).plugin == "tools"
    assert locate(str(r / "extra/one.md")).kind == "agent"
    assert locate(str(r / "extra/two.md")) is None
    assert locate(str(r / "agents/old.md")) is None  # replaced by the declared paths
    assert locate(str(r / "cmds/go.md")).kind == "command"
    assert locate(str(r / "commands/old.md")) is None


def test_a_marketplace_declares_plugins_by_their_source_folder(tmp_path):
    (tmp_path / ".claude-plugin").mkdir()
    (tmp_path / ".claude-plugin" / "marketplace.json").write_text(json.dumps({"name": "m", "plugins": [
        {"name": "ops", "source": "./plugins/ops"},
        {"name": "remote", "source": {"source": "github", "repo": "a/b"}}]}))
    for f in ("plugins/ops/agents/a.md", "plugins/other/agents/b.md"):
        (tmp_path / f).parent.mkdir(parents=True)
        (tmp_path / f).write_text("---\nname: a\n---\n")
    forget()
    ops = locate(str(tmp_path / "plugins/ops/agents/a.md"))
    assert (ops.scope, ops.plugin) == ("plugin", "ops")
    other = locate(str(tmp_path / "plugins/other/agents/b.md"))
    assert (other.scope, other.plugin) == ("library", "")  # no manifest names it


def test_a_broken_manifest_means_the_defaults(tmp_path):
    r = tmp_path / "p"
    (r / ".claude-plugin").mkdir(parents=True)
    (r / ".claude-plugin" / "plugin.json").write_text("{not json")
    forget()
    assert locate(str(r / "agents/a.md")).plugin == "p"


def test_format_keeps_another_tools_key_order():
    """`agentls format` now meets other tools' files (discovery walks their folders): the
    documented key order it applies is Claude Code's, so another tool's file keeps its own."""
    from agentls.rules.lint import parse
    from agentls.services.formatting import format_document

    text = "---\ntools:\n  - read_file\nname: r\ndescription: d\n---\nBody.\n"
    gemini = "/r/.gemini/agents/r.md"
    assert format_document(parse(text, gemini, locate(gemini))).text == text
    claude = "/r/.claude/agents/r.md"
    assert format_document(parse(text, claude, locate(claude))).text.startswith("---\nname: r\n")
