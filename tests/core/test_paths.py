"""Which files are agent files, by location (``agentls.core.paths.classify``)."""

from __future__ import annotations

import pytest
from agentls.core.paths import classify


@pytest.mark.parametrize("path, kind, plugin", [
    ("/r/.claude/agents/a.md", "agent", False),
    ("/r/.claude/agents/team/b.md", "agent", False),
    ("/r/.claude/commands/git/commit.md", "command", False),
    ("/r/.claude/skills/pdf/SKILL.md", "skill", False),
    ("/r/plugin/agents/reviewer.md", "agent", True),
    ("/r/skills/pdf/SKILL.md", "skill", True),
    # an agents/ folder inside a skill is the skill's resource...
    ("/r/skills/pdf/agents/helper.md", None, False),
    # ...but a .claude/agents folder is Claude Code's, even in a repository named `skills`
    ("/home/me/skills/.claude/agents/team.md", "agent", False),
    ("/home/me/skills/pdf/.claude/commands/go.md", "command", False),
    ("/r/.claude/agents/README.md", None, False),
    ("/r/docs/agents.md", None, False),
])
def test_classify(path, kind, plugin):
    assert classify(path) == (kind, plugin)
