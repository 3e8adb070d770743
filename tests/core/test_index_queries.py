"""What the server asks the workspace index when folders go away (issue 13: no reach
into ``WorkspaceIndex._skills``): the indexed files under a folder, and a file's skill."""

from agentls.core.document import Document
from agentls.rules.index import WorkspaceIndex


def agent(path: str, name: str) -> Document:
    return Document(f"---\nname: {name}\ndescription: Reviews code.\n---\n\nBody.\n", path, "agent")


def skill(path: str, name: str) -> Document:
    return Document(f"---\nname: {name}\ndescription: Formats things.\n---\n\nBody.\n", path, "skill")


def build() -> WorkspaceIndex:
    index = WorkspaceIndex("/w")
    for path, doc, kind in [
        ("/w/a/.claude/agents/z.md", agent("/w/a/.claude/agents/z.md", "zed"), "agent"),
        ("/w/a/.claude/agents/b.md", agent("/w/a/.claude/agents/b.md", "bee"), "agent"),
        ("/w/a/.claude/skills/fmt/SKILL.md", skill("/w/a/.claude/skills/fmt/SKILL.md", "fmt"), "skill"),
        ("/w/ab/.claude/agents/c.md", agent("/w/ab/.claude/agents/c.md", "sea"), "agent"),
        ("/w/ab/.claude/skills/lint/SKILL.md", skill("/w/ab/.claude/skills/lint/SKILL.md", "lint"), "skill"),
    ]:
        index.update(path, doc, kind)
    return index


def test_paths_under_a_folder_are_its_agents_by_path_then_its_skills_and_nothing_beside_it():
    assert build().paths_under("/w/a/") == [
        "/w/a/.claude/agents/b.md", "/w/a/.claude/agents/z.md", "/w/a/.claude/skills/fmt/SKILL.md"]


def test_a_removed_file_is_no_longer_under_its_folder():
    index = build()
    index.remove("/w/a/.claude/skills/fmt/SKILL.md")
    index.remove("/w/a/.claude/agents/b.md")
    assert index.paths_under("/w/a/") == ["/w/a/.claude/agents/z.md"]


def test_skill_names_the_skill_indexed_at_a_path_and_nothing_for_an_agent_or_an_unknown_path():
    index = build()
    assert index.skill("/w/ab/.claude/skills/lint/SKILL.md") == "lint"
    assert index.skill("/w/ab/.claude/agents/c.md") is None
    assert index.skill("/w/elsewhere/SKILL.md") is None
