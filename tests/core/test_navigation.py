"""Definitions, references and renames on the pure core (:mod:`agentls.services.navigation`,
:mod:`agentls.services.rename`). ``|`` marks the cursor; the workspace is :data:`FILES`."""

from __future__ import annotations

import pytest
from agentls.core.document import Document
from agentls.services import rename
from agentls.services.navigation import (
    ReferenceIndex,
    definitions_of,
    file_refs,
    symbol_matches,
    target_at,
)

LEAD = "/w/.claude/agents/lead.md"
REVIEWER = "/w/.claude/agents/reviewer.md"
SKILL = "/w/.claude/skills/api-conventions/SKILL.md"
DEPLOY = "/w/.claude/commands/deploy.md"

FILES = {
    LEAD: """---
name: lead
description: Coordinates the team. Use the code-reviewer agent after edits.
tools: Read, Agent(code-reviewer, planner), Task(test-runner)
skills:
  - api-conventions
---

Ask @agent-code-reviewer, or @"Code Reviewer (agent)". Then run /deploy and /api-conventions.
Not /usr/bin/env or https://x.io/deploy. See [the rules](../skills/api-conventions/SKILL.md#rules)
and [notes](#notes).

```sh
echo "[not a link](#notes)"
```

## Notes
""",
    REVIEWER: """---
name: "code-reviewer"
description: Reviews diffs. Use proactively.
---
Hand off to the lead agent.
""",
    SKILL: """---
name: api-conventions
description: API rules.
---
## Rules
""",
    DEPLOY: "Deploy. Invoke the code-reviewer subagent first.\n",
}


from agentls.lsp.navigation import kind_of  # noqa: E402


def workspace() -> ReferenceIndex:
    index = ReferenceIndex()
    for path, text in FILES.items():
        index.update(path, 1, file_refs(Document(text, path, kind_of(path)), path, kind_of(path)))
    return index


def at(path: str, marked: str):
    """The target at the caret in ``marked``, which must be ``FILES[path]`` with a ``|``."""
    offset = marked.index("|")
    text = marked[:offset] + marked[offset + 1:]
    assert text == FILES[path]
    doc = Document(text, path, kind_of(path))
    return doc, target_at(doc, offset, path, kind_of(path))


def caret(path: str, before: str) -> str:
    """``FILES[path]`` with a caret placed just after the first occurrence of ``before``."""
    text = FILES[path]
    i = text.index(before) + len(before)
    return text[:i] + "|" + text[i:]


def show(sites, files=FILES):
    return [(p.rsplit("/", 1)[-1], files[p][s.start:s.end] if s else None) for p, s in sites]


REFERENCE_CASES = [
    # (id, file, caret after this text, target, references as (file, text))
    ("tool-spec", LEAD, "Agent(code-rev", ("agent", "code-reviewer"), [
        ("lead.md", "code-reviewer"), ("lead.md", "code-reviewer"), ("lead.md", "code-reviewer"),
        ("lead.md", "Code Reviewer"), ("deploy.md", "code-reviewer")]),
    ("definition-name", REVIEWER, 'name: "code', ("agent", "code-reviewer"), None),
    ("at-mention", LEAD, "@agent-code", ("agent", "code-reviewer"), None),
    ("use-the-agent", LEAD, "Use the code", ("agent", "code-reviewer"), None),
    ("skill-entry", LEAD, "  - api", ("skill", "api-conventions"), [
        ("lead.md", "api-conventions"), ("lead.md", "api-conventions")]),
    ("skill-slash", LEAD, "/api-con", ("slash", "api-conventions"), [
        ("lead.md", "api-conventions"), ("lead.md", "api-conventions")]),
    ("command-slash", LEAD, "run /dep", ("slash", "deploy"), [("lead.md", "deploy")]),
    ("lead-from-body", REVIEWER, "the le", ("agent", "lead"), [("reviewer.md", "lead")]),
]


@pytest.mark.parametrize("path, before, target, refs", [c[1:] for c in REFERENCE_CASES],
                         ids=[c[0] for c in REFERENCE_CASES])
def test_references(path, before, target, refs):
    doc, found = at(path, caret(path, before))
    assert found is not None and (found.kind, found.name.lower()) == target
    got = show((p, r.span) for p, r in workspace().referencing(found))
    if refs is None:
        refs = REFERENCE_CASES[0][4]
    assert got == refs


@pytest.mark.parametrize("before", ["Not /us", "https://x.io/dep", "Coordinates th", "echo \"[not a link](#no"])
def test_nothing_to_find(before):
    doc, found = at(LEAD, caret(LEAD, before))
    assert found is None


def test_definitions():
    index = workspace()
    _, t = at(LEAD, caret(LEAD, "Agent(code-rev"))
    assert show(definitions_of(t, index)) == [("reviewer.md", "code-reviewer")]  # quotes left out
    _, t = at(LEAD, caret(LEAD, "run /dep"))
    assert show(definitions_of(t, index)) == [("deploy.md", None)]  # a command is its file
    _, t = at(LEAD, caret(LEAD, "/api-con"))
    assert show(definitions_of(t, index)) == [("SKILL.md", "api-conventions")]


def test_links_to_files_and_headings():
    index = workspace()
    _, t = at(LEAD, caret(LEAD, "[the rules](../sk"))
    assert (t.kind, t.path, t.anchor) == ("link", SKILL, "rules")
    assert show(definitions_of(t, index)) == [("SKILL.md", "## Rules")]
    _, t = at(LEAD, caret(LEAD, "[notes](#no"))
    assert show(definitions_of(t, index)) == [("lead.md", "## Notes")]
    # from the heading: the links to it (the one in code is no link)
    _, t = at(LEAD, caret(LEAD, "## No"))
    assert show((p, r.span) for p, r in index.referencing(t)) == [("lead.md", "#notes")]


def test_rename_agent_everywhere():
    index = workspace()
    _, t = at(LEAD, caret(LEAD, "Agent(code-rev"))
    refs = index.referencing(t)
    edits = rename.plan("agent", t.name, "diff-reviewer", definitions_of(t, index), refs, taken=False)
    out = {}
    for path, items in edits.items():
        text = FILES[path]
        for e in reversed(items):
            text = text[:e.span.start] + e.new_text + text[e.span.end:]
        out[path] = text
    assert 'name: "diff-reviewer"' in out[REVIEWER]
    assert "Agent(diff-reviewer, planner)" in out[LEAD]
    assert "Use the diff-reviewer agent" in out[LEAD]
    assert "@agent-diff-reviewer" in out[LEAD] and '@"diff-reviewer (agent)"' in out[LEAD]
    assert "Invoke the diff-reviewer subagent" in out[DEPLOY]
    assert "code-reviewer" not in "".join(out.values()).lower().replace("code reviewer", "")


@pytest.mark.parametrize("new, taken, message", [
    ("Diff Reviewer", False, "not a valid agent name"),
    ("a" * 65, False, "longer than 64"),
    ("", False, "empty"),
    ("lead", True, "already exists"),
])
def test_rename_refused(new, taken, message):
    index = workspace()
    _, t = at(LEAD, caret(LEAD, "Agent(code-rev"))
    with pytest.raises(rename.RenameRefused, match=message):
        rename.plan("agent", t.name, new, definitions_of(t, index), index.referencing(t), taken=taken)


def test_rename_only_names():
    with pytest.raises(rename.RenameRefused, match="Only agents and skills"):
        _, t = at(LEAD, caret(LEAD, "[notes](#no"))
        rename.renamable(t)
    with pytest.raises(rename.RenameRefused, match="Nothing to rename"):
        rename.renamable(None)


def test_skill_named_by_its_folder_is_refused():
    path = "/w/.claude/skills/tidy/SKILL.md"
    index = workspace()
    index.update(path, 1, file_refs(Document("---\ndescription: Tidy.\n---\n", path, "skill"), path, "skill"))
    with pytest.raises(rename.RenameRefused, match="folder"):
        rename.plan("skill", "tidy", "neat", [(path, None)], [], taken=False)


def test_index_updates_and_removals():
    index = workspace()
    _, t = at(LEAD, caret(LEAD, "Agent(code-rev"))
    index.remove(DEPLOY)
    assert "deploy.md" not in {p.rsplit("/", 1)[-1] for p, _ in index.referencing(t)}
    index.update(LEAD, 2, None)
    assert index.referencing(t) == []
    assert index.defining("agent", "Code_Reviewer") == [REVIEWER]


@pytest.mark.parametrize("query, name, hit", [
    ("", "x", True), ("crv", "code-reviewer", True), ("CR", "code-reviewer", True), ("zz", "code-reviewer", False)])
def test_symbol_matching(query, name, hit):
    assert symbol_matches(query, name) is hit


@pytest.mark.parametrize("body", ["agent " * 50_000, "use the x agent " * 20_000, "/x " * 50_000,
                                  "[a](b.md) " * 20_000, "@agent-x " * 20_000, " " * 200_000 + "agent"])
def test_references_per_file_are_bounded(body):
    from agentls.services.navigation import MAX_REFS

    path = "/w/.claude/agents/big.md"
    refs = file_refs(Document("---\nname: big\ndescription: D.\n---\n" + body, path, "agent"), path, "agent").refs
    for kind in ("agent", "slash", "link"):
        assert sum(1 for r in refs if r.kind == kind) <= MAX_REFS
