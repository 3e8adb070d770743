"""Code lenses of an agent, skill or command file: what it costs the routing list and who
uses it. Pure: the caller counts the workspace (:mod:`agentls.services.navigation`,
:mod:`agentls.services.routing`).

* agents: "≈ 120 tokens · 0.8% of the 15,000-token routing budget (all agents: 4,210, 28%)"
  over ``name:``: what its name and description add to the list Claude Code routes from;
* agents, skills and commands: "used by 2 agents, 1 skill" (the other files that name it:
  ``Agent(x)``, ``skills:``, mentions, ``/x``), or "used by no other file";
* agents whose description is as alike another's as the routing threshold: "hard to
  tell from py-checker (similarity 0.90: python, style, bugs)".
"""

from __future__ import annotations

from dataclasses import dataclass

from agentls.core.document import Document
from agentls.core.text import Span
from agentls.services.routing import ROUTING_BUDGET, Pair, routing_tokens


@dataclass(frozen=True, slots=True)
class Lens:
    span: Span
    title: str
    kind: str  # "budget", "used-by" or "alike"


def anchor_span(doc: Document) -> Span:
    """Where the lenses sit: the ``name`` key, else the first line."""
    entry = doc.get("name")
    if entry is not None:
        return entry.key_span
    end = doc.text.find("\n")
    return Span(0, len(doc.text) if end < 0 else end)


def budget_title(tokens: int, workspace_tokens: int | None) -> str:
    share = tokens / ROUTING_BUDGET
    title = f"≈ {tokens:,} tokens · {share:.1%} of the {ROUTING_BUDGET:,}-token routing budget"
    if workspace_tokens is not None:
        total = workspace_tokens / ROUTING_BUDGET
        over = " (over: Claude Code warns at start-up)" if workspace_tokens > ROUTING_BUDGET else ""
        title += f" (all agents: {workspace_tokens:,}, {total:.0%}{over})"
    return title


def used_by_title(counts: dict[str, int]) -> str:
    parts = []
    for kind in ("agent", "skill", "command"):
        n = counts.get(kind, 0)
        if n:
            parts.append(f"{n} {kind}{'s' if n != 1 else ''}")
    other = sum(n for k, n in counts.items() if k not in ("agent", "skill", "command"))
    if other:
        parts.append(f"{other} other file{'s' if other != 1 else ''}")
    return "used by " + ", ".join(parts) if parts else "used by no other file"


def alike_title(pair: Pair) -> str:
    words = ", ".join(pair.shared[:3])
    return f"hard to tell from {pair.b} (similarity {pair.score:.2f}{': ' + words if words else ''})"


def lenses(doc: Document, kind: str | None, *, workspace_tokens: int | None = None,
           used_by: dict[str, int] | None = None, alike: Pair | None = None) -> list[Lens]:
    """The lenses of one file: the routing budget (agents with a name), who uses it, and
    the agent it is hard to tell from (``alike``: a pair whose ``b`` is the other agent)."""
    out = []
    span = anchor_span(doc)
    if kind == "agent" and doc.name:
        out.append(Lens(span, budget_title(routing_tokens(doc.name, doc.description), workspace_tokens), "budget"))
    if used_by is not None and kind in ("agent", "skill", "command"):
        out.append(Lens(span, used_by_title(used_by), "used-by"))
    if alike is not None and kind == "agent":
        out.append(Lens(span, alike_title(alike), "alike"))
    return out
