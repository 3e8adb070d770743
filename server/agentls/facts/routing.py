"""The routing budget: what Claude Code reads to choose an agent, and its limit.

Claude Code lists every custom agent's ``name`` and ``description`` for the model that
delegates; over 15,000 tokens together it shows a start-up notice ("Agent descriptions are
over the 15.0k-token limit (~N tokens)"), and every agent still loads. Source: the sub-agents
docs' errors section, 2026-09-16 (``agent-format-2026-12.md`` [SUB-0916]). The estimate is
Claude Code's rough one: a token per four characters, rounded up.
"""

from __future__ import annotations

from agentls.facts.versions import CC_ERRORS

ROUTING_BUDGET_TOKENS = 15_000
ROUTING_BUDGET_SOURCE = CC_ERRORS + " (agent descriptions over the 15.0k-token limit)"
CHARS_PER_TOKEN = 4


def estimate_tokens(text: str) -> int:
    """A token per four characters, rounded up."""
    return (len(text) + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN


def routing_tokens(name: str, description: str | None) -> int:
    """What one agent adds to the routing list: its name and description."""
    return estimate_tokens(name) + estimate_tokens(description or "")
