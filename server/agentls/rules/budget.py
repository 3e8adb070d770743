"""The routing budget: the names and descriptions of all custom agents, together.

Claude Code puts every custom agent's ``name`` and ``description`` into the prompt it
routes with. Over 15,000 tokens it shows a start-up notice ("Agent descriptions are over
the 15.0k-token limit (~N tokens)"): every agent still loads, but routing degrades.

Tokens are estimated as characters / 4, rounded up, for each agent's name and for its
description (:mod:`agentls.facts.routing`, the same estimate as the code lens). The total is
worked out once per version of the workspace index (:attr:`WorkspaceIndex.version`), not per file.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from agentls.core.document import Document
from agentls.facts.routing import (
    CHARS_PER_TOKEN,
    ROUTING_BUDGET_SOURCE,
    ROUTING_BUDGET_TOKENS,
    routing_tokens,
)
from agentls.rules.context import Context
from agentls.rules.index import AgentRecord, WorkspaceIndex
from agentls.rules.registry import Related, Severity, check, rule

F = "budget"
BUDGET_TOKENS = ROUTING_BUDGET_TOKENS  # Claude Code's limit for all custom agents' names and descriptions
MAX_RELATED = 10  # agents listed as related locations (the largest shares)

DESCRIPTION_BUDGET = rule(
    "AGT710", "agent-descriptions-over-budget", Severity.WARNING,
    f"The custom agents' names and descriptions are over Claude Code's {BUDGET_TOKENS:,}-token budget",
    what=f"""
        Adds up the `name` and `description` of the custom agents Claude Code loads together
        (one `.claude/agents` tree; a plugin's agents on their own) and reports when the total is over
        {BUDGET_TOKENS:,} tokens: once, on the agent with the largest share, listing each
        agent's share. Tokens are estimated as characters / {CHARS_PER_TOKEN}, rounded up, for
        the name and for the description.""",
    why=f"""
        Claude Code routes tasks by reading every agent's name and description. Over
        {BUDGET_TOKENS:,} tokens together it shows a start-up notice ("Agent descriptions are
        over the 15.0k-token limit") and routing degrades: agents are picked less reliably.
        Every agent still loads.""",
    example="""
        # .claude/agents/: 40 agents whose descriptions hold long <example> blocks
        ---
        name: backend-engineer
        description: |-
          Use for backend work. Examples: <example>... 2,000 words ...</example>
        ---""",
    how_to_fix="""
        Shorten the longest descriptions (move examples into the body, which is not part of
        the budget), or merge agents that overlap. The hover on a `description` shows that
        agent's share.""",
    source=ROUTING_BUDGET_SOURCE, family=F,
    identity=f"Agent descriptions over the {BUDGET_TOKENS:,}-token budget",
    severity_note="A warning: every agent loads, but delegation gets worse.",
)


def tokens(record: AgentRecord) -> int:
    """The estimated tokens of one agent's name and description."""
    return routing_tokens(record.name, record.description)


@dataclass(frozen=True, slots=True)
class Group:
    """The agents Claude Code loads together: one tree (a `.claude/agents` folder, a plugin's
    agents, a library folder of agents; :attr:`AgentRecord.tree`)."""

    total: int
    shares: tuple[tuple[AgentRecord, int], ...]  # largest first, then by path

    @property
    def over(self) -> bool:
        return self.total > BUDGET_TOKENS


_Cached = tuple[int, dict[str, Group], dict[str, tuple[str, int]]]  # index version, groups, path -> place
_CACHE: weakref.WeakKeyDictionary[WorkspaceIndex, _Cached] = weakref.WeakKeyDictionary()


def _groups(index: WorkspaceIndex) -> tuple[dict[str, Group], dict[str, tuple[str, int]]]:
    """``(groups by key, path -> (group key, its tokens))``, computed once per index version:
    every file's check then costs a look-up, not a pass over the agents."""
    found = _CACHE.get(index)
    if found is not None and found[0] == index.version:
        return found[1], found[2]
    members: dict[str, list[tuple[AgentRecord, int]]] = {}
    where: dict[str, tuple[str, int]] = {}
    for record in index.agents:
        key = record.tree or record.plugin or ""
        count = tokens(record)
        members.setdefault(key, []).append((record, count))
        where[record.path] = (key, count)
    groups = {k: Group(sum(t for _, t in v), tuple(sorted(v, key=lambda p: (-p[1], p[0].path))))
              for k, v in members.items()}
    _CACHE[index] = (index.version, groups, where)
    return groups, where


def share(index: WorkspaceIndex, path: str) -> tuple[int, Group] | None:
    """This agent's estimated tokens and its group, or ``None`` when it is not indexed."""
    groups, where = _groups(index)
    found = where.get(path)
    if found is None:
        return None
    return found[1], groups[found[0]]


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "0%"


@check(DESCRIPTION_BUDGET)
def budget(doc: Document, ctx: Context):
    if ctx.workspace is None or doc.path is None:
        return
    found = share(ctx.workspace, doc.path)
    if found is None:
        return
    _, group = found
    if not group.over or group.shares[0][0].path != doc.path:
        return  # reported once, on the agent with the largest share
    entry = doc.get("description") or doc.get("name")
    if entry is None:
        return
    count = len(group.shares)
    largest = ", ".join(f"{r.display} ~{t:,} ({percent(t, group.total)})" for r, t in group.shares[:3])
    message = (f"The {count} custom agents' names and descriptions total ~{group.total:,} tokens, over "
               f"Claude Code's {BUDGET_TOKENS:,}-token budget: it shows a start-up notice and routing "
               f"degrades. Largest shares: {largest}")
    others = [(r, t) for r, t in group.shares if r.path != doc.path]
    related = [Related(r.path, r.name_span, f"`{r.name}`: ~{t:,} tokens ({percent(t, group.total)})", r.name_line)
               for r, t in others[:MAX_RELATED]]
    yield DESCRIPTION_BUDGET.at(entry.key_span, message, related=related,
                                related_omitted=max(0, len(others) - MAX_RELATED))
