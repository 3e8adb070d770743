"""Every rule. The registry (:mod:`agentls.rules.registry`) imports no rule family: the
families register themselves when imported, and this module imports them at the first
question, not at import, so that what only needs to know of the rules (the server
answering ``initialize``, the configuration parser) does not pay for them before then."""

from __future__ import annotations

from agentls.rules.registry import RULES, Rule, find_rule

# One module per family, in the order their rules are listed. A new family is added here.
FAMILIES = (
    "agentls.rules.frontmatter", "agentls.rules.keys", "agentls.rules.name",
    "agentls.rules.description", "agentls.rules.model", "agentls.rules.tools",
    "agentls.rules.hooks", "agentls.rules.encoding", "agentls.rules.body", "agentls.rules.workspace",
    "agentls.rules.gemini", "agentls.rules.copilot", "agentls.rules.cursor", "agentls.rules.opencode",
    "agentls.rules.budget", "agentls.rules.versions",
    "agentls.rules.suppressions")

_loaded = False


def load_rules() -> None:
    """Import every rule family once (they register themselves)."""
    global _loaded
    if not _loaded:
        import importlib

        for family in FAMILIES:
            importlib.import_module(family)  # import side effect: registration

        _loaded = True


def loaded() -> bool:
    """Whether every rule family has been imported."""
    return _loaded


def lookup(code_or_name: str) -> Rule | None:
    """The rule with this code (any case) or name, or None."""
    load_rules()
    return find_rule(code_or_name)


def all_rules() -> list[Rule]:
    """Every rule, by code."""
    load_rules()
    return sorted(RULES.values(), key=lambda r: r.code)
