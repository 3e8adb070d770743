"""How new the facts are, and Claude Code versions as comparable values.

Every fact in this package carries ``since`` (the Claude Code version, or the docs
date, from which it holds), ``until`` where it was removed, and a source. The facts as a
whole are current to :data:`CLAUDE_CODE_VERSION`, whose docs update is dated
:data:`FACTS_DATE`: ``agentls --version``, ``agentls facts`` and the docs print both. The
research notes with retrieval dates are ``agent-format.md`` and ``agent-format-2026-12.md``.
"""

from __future__ import annotations

import re

# The newest Claude Code release the facts were checked against, and its date.
CLAUDE_CODE_VERSION = "2.1.296"
FACTS_DATE = "2026-10-10"

# Where the facts come from. A fact's ``source`` is one of these URLs (or an issue).
CC_SUB = "https://code.claude.com/docs/en/sub-agents"
CC_SKILLS = "https://code.claude.com/docs/en/skills"
CC_PLUG = "https://code.claude.com/docs/en/plugins-reference"
CC_TOOLS = "https://code.claude.com/docs/en/tools-reference"
CC_MODELS = "https://code.claude.com/docs/en/model-config"
CC_HOOKS = "https://code.claude.com/docs/en/hooks"
CC_ERRORS = "https://code.claude.com/docs/en/errors"
CC_CHANGELOG = "https://github.com/anthropics/claude-code/blob/main/CHANGELOG.md"
COPILOT_AGENTS = "https://docs.github.com/en/copilot/reference/custom-agents-configuration"
VSCODE_AGENTS = "https://code.visualstudio.com/docs/copilot/customization/custom-agents"
GEMINI_TOOLS = "https://github.com/google-gemini/gemini-cli/blob/main/docs/tools/index.md"
OPENCODE_TOOLS = "https://opencode.ai/docs/tools"

_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)")


def parse_version(text: str | None) -> tuple[int, int, int] | None:
    """``(2, 1, 296)`` for ``"2.1.296"`` or ``"v2.1.296"``; ``None`` for a docs date such as
    ``"2026-04-02 docs"`` or a value that names no version."""
    if not text:
        return None
    m = _VERSION.fullmatch(text.strip().removeprefix("v"))
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def newer_than(since: str | None, target: str | None) -> bool:
    """Whether a fact that holds ``since`` a version is newer than ``target`` (so a Claude
    Code of the target version lacks it). Unknown on either side: not newer."""
    a, b = parse_version(since), parse_version(target)
    return a is not None and b is not None and a > b


def since_text(since: str | None, until: str | None = None) -> str:
    """``"Since Claude Code 2.1.271"``, ``"Since the 2026-04-02 docs"``, ``"Removed in 2.1.178"``."""
    parts = []
    if since:
        parts.append(f"Since Claude Code {since}" if parse_version(since) else f"Since the {since}"
                     if since[:1].isdigit() else f"Since {since}")
    if until:
        parts.append(("removed in Claude Code " if parts else "Removed in Claude Code ") + until
                     if parse_version(until) else ("removed " if parts else "Removed ") + until)
    return ", ".join(parts)
