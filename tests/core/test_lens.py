"""Code lenses and routing on the pure core (:mod:`agentls.services.lens`,
:mod:`agentls.services.routing`)."""

from __future__ import annotations

import pytest
from agentls.rules.lint import parse
from agentls.services.lens import budget_title, lenses, used_by_title
from agentls.services.routing import ROUTING_BUDGET, ambiguous_pairs, estimate_tokens, most_similar, words

AGENT = "---\nname: reviewer\ndescription: Reviews code for bugs.\n---\nBody.\n"


def test_agent_lenses_sit_on_the_name_key():
    doc = parse(AGENT, "/w/.claude/agents/r.md")
    budget, used = lenses(doc, "agent", workspace_tokens=4210, used_by={"agent": 2, "skill": 1})
    assert doc.slice(budget.span) == "name"
    # "reviewer" (8 chars: 2 tokens) + the description (22 chars: 6 tokens)
    assert budget.title == "≈ 8 tokens · 0.1% of the 15,000-token routing budget (all agents: 4,210, 28%)"
    assert used.title == "used by 2 agents, 1 skill"


@pytest.mark.parametrize("counts, title", [
    ({}, "used by no other file"),
    ({"agent": 1}, "used by 1 agent"),
    ({"command": 3, "other": 1}, "used by 3 commands, 1 other file"),
])
def test_used_by(counts, title):
    assert used_by_title(counts) == title


def test_over_budget_says_so():
    assert "over: Claude Code warns at start-up" in budget_title(10, ROUTING_BUDGET + 1)


def test_no_budget_lens_without_a_name():
    doc = parse("---\ndescription: D.\n---\n", "/w/.claude/agents/r.md")
    assert lenses(doc, "agent") == []
    assert [lens.kind for lens in lenses(parse("Deploy.\n", "/w/.claude/commands/d.md"), "command",
                                         used_by={})] == ["used-by"]


def test_estimate():
    assert [estimate_tokens(t) for t in ("", "abc", "abcd", "abcde")] == [0, 1, 1, 2]


def test_words_leave_out_common_ones():
    assert words("Use this agent when the user asks to review Python code. Use PROACTIVELY.") == [
        "asks", "review", "python", "code"]


AGENTS = [
    ("/a.md", "python-reviewer", "Reviews Python code for style, bugs and typing mistakes after edits."),
    ("/b.md", "py-code-checker", "Reviews Python code for bugs, style and typing mistakes."),
    ("/c.md", "sql-tuner", "Tunes slow SQL queries and suggests indexes for Postgres."),
    ("/d.md", "docs-writer", "Writes release notes and user documentation."),
]


def test_ambiguous_pairs():
    pairs = ambiguous_pairs(AGENTS, threshold=0.6)
    assert [(p.a, p.b) for p in pairs] == [("py-code-checker", "python-reviewer")]
    [p] = pairs
    assert p.score >= 0.8 and {"python", "bugs", "typing", "mistakes"} <= set(p.shared)
    assert most_similar(pairs)["/a.md"] is p
    assert ambiguous_pairs(AGENTS, threshold=0.99) == []


def test_same_name_is_not_a_pair():
    same = [("/a.md", "x", "Reviews Python code."), ("/b.md", "x", "Reviews Python code.")]
    assert ambiguous_pairs(same, threshold=0.1) == []


def test_many_agents_stay_bounded():
    many = [(f"/{i}.md", f"agent-{i}", f"Handles topic{i} and topic{i + 1} with care for customers.")
            for i in range(3000)]
    pairs = ambiguous_pairs(many, threshold=0.3)
    assert pairs and all(p.score >= 0.3 for p in pairs)


def test_routing_model_most_like():
    from agentls.services.routing import RoutingModel

    model = RoutingModel()
    for path, name, desc in AGENTS:
        model.update(path, name, desc)
    best = model.most_like("/a.md")
    assert (best.b, best.b_path) == ("py-code-checker", "/b.md") and best.score >= 0.8
    batch = {p.a_path: p for p in ambiguous_pairs(AGENTS, threshold=0.1)}
    assert abs(batch["/b.md"].score - best.score) < 1e-6  # the same score as the whole-workspace table
    model.remove("/b.md")
    after = model.most_like("/a.md")
    assert after is None or after.b != "py-code-checker"
    model.update("/a.md", None, None)
    assert model.most_like("/a.md") is None and len(model) == 2
