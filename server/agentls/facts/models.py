"""Model values for ``model:`` (Claude Code subagents, skills and commands).

"Accepts the same values as the ``--model`` flag": an alias, ``inherit``, or a full
model ID. Full IDs are recognised by shape, so a model released after this list was
written is still accepted; the lists below feed completion, hover, the JSON Schema and
did-you-mean. This module is the one place these values are written down: every
consumer (``AGT300``, completion, hover, ``agentls schema``, the field table) reads it.
"""

from __future__ import annotations

import re

from agentls.facts.versions import CC_MODELS, CC_SUB

ALIASES: dict[str, str] = {
    "inherit": "Use the model of the main conversation (the default).",
    "sonnet": "The latest Sonnet model: balanced speed and capability.",
    "opus": "The latest Opus model: the most capable, for complex reasoning.",
    "haiku": "The latest Haiku model: the fastest and cheapest, for simple tasks.",
    "fable": "The latest Fable model (alias documented from 2026-06).",
}

# Accepted by ``--model`` ("`model` accepts the same values as the `--model` flag").
EXTRA_ALIASES: dict[str, str] = {
    "default": "The account's default model.",
    "best": "The most capable model available to the account.",
    "opusplan": "Opus while planning, Sonnet while executing.",
    "sonnet[1m]": "Sonnet with the 1M-token context window.",
    "opus[1m]": "Opus with the 1M-token context window.",
    "fable[1m]": "Fable with the 1M-token context window.",
}

KNOWN_IDS: dict[str, str] = {
    "claude-haiku-5-5": "Claude Haiku 5.5.",
    "claude-sonnet-5-5": "Claude Sonnet 5.5.",
    "claude-opus-5-5": "Claude Opus 5.5.",
    "claude-fable-5-1": "Claude Fable 5.1.",
    "claude-opus-5": "Claude Opus 5.",
    "claude-sonnet-5": "Claude Sonnet 5.",
    "claude-fable-5": "Claude Fable 5.",
    "claude-mythos-5": "Claude Mythos 5.",
    "claude-opus-4-8": "Claude Opus 4.8.",
    "claude-opus-4-6": "Claude Opus 4.6.",
    "claude-sonnet-4-6": "Claude Sonnet 4.6.",
    "claude-opus-4-5": "Claude Opus 4.5.",
    "claude-sonnet-4-5": "Claude Sonnet 4.5.",
    "claude-haiku-4-5": "Claude Haiku 4.5.",
    "claude-opus-4-1": "Claude Opus 4.1.",
    "claude-opus-4-0": "Claude Opus 4.",
    "claude-sonnet-4-0": "Claude Sonnet 4.",
}

# The Claude Code version from which a named value is known to work, where the changelog
# says; the others were documented before the facts' versions were tracked.
SINCE: dict[str, str] = {
    "claude-fable-5-1": "2.1.257", "claude-opus-5-5": "2.1.280", "claude-sonnet-5-5": "2.1.284",
    "claude-haiku-5-5": "2.1.293",
}


def source_of(value: str) -> str:
    """Where a named value is documented: the sub-agents page lists the aliases and
    ``inherit``; the model-configuration page the rest (``--model``'s values, model IDs)."""
    return CC_SUB if value in ALIASES else CC_MODELS


# Every named value, in the order completion and the JSON Schema list them.
NAMED: dict[str, str] = {**ALIASES, **EXTRA_ALIASES, **KNOWN_IDS}

# Model families, as they appear in full IDs (``claude-<family>-...``).
FAMILIES = ("opus", "sonnet", "haiku", "fable", "mythos")
# Families that are also an alias (``model: opus``): the nearest valid value of ``Opus 4``.
ALIAS_FAMILIES = tuple(f for f in FAMILIES if f in ALIASES)
# The Claude Code version from which a full model ID is honoured (ignored before).
IDS_HONOURED_SINCE = "2.1.74"

_FAMILY = "(?:" + "|".join(FAMILIES) + ")"
# claude-opus-4-5, claude-sonnet-4-5-20250929, claude-3-5-sonnet-20241022,
# us.anthropic.claude-sonnet-4-5-20250929-v1:0 (Bedrock), claude-opus-4-1@20250805 (Vertex)
MODEL_ID = re.compile(
    rf"(?:(?:[a-z]{{2,4}}\.)?anthropic\.)?claude-(?:\d+(?:-\d+)?-{_FAMILY}|{_FAMILY}(?:-\d+){{0,2}})"
    r"(?:-\d{8}|@\d{8})?(?:-v\d+(?::\d+)?)?(?:\[1m\])?"
)


# What a Claude model ID looks like, loosely: ``claude-`` (or a cloud prefix) and then
# letters, digits and separators. A value of this shape that agentls does not know may be a
# model released after the facts; any other value cannot be a Claude model.
CLAUDE_SHAPED = re.compile(
    r"(?:(?:[a-z]{2,4}\.)?anthropic\.)?claude-[a-z0-9][a-z0-9.\-]*(?:@\d{8})?(?::\d+)?(?:\[1m\])?",
    re.IGNORECASE)


def claude_shaped(value: str) -> bool:
    """Whether ``value`` could be a Claude model ID agentls does not know yet (a newer model)."""
    return CLAUDE_SHAPED.fullmatch(value.strip()) is not None


def kind_of(value: str) -> str | None:
    """What a built-in valid value is: ``alias``, ``extra-alias`` (accepted by ``--model``),
    ``known-id``, ``id`` (a full ID recognised by its shape); ``None`` if it is not valid."""
    if value in ALIASES:
        return "alias"
    if value in EXTRA_ALIASES:
        return "extra-alias"
    if value in KNOWN_IDS:
        return "known-id"
    if MODEL_ID.fullmatch(value) is not None:
        return "id"
    return None


def is_valid_model(value: str, extra: frozenset[str] = frozenset()) -> bool:
    """``value`` is a built-in valid model or one of ``extra`` (``extend-models``)."""
    return value in extra or kind_of(value) is not None
