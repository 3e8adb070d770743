"""Every rule. The registry (:mod:`agentls.registry`) imports no rule family: the families
register themselves when :mod:`agentls.rules` is imported. This module imports it at the
first question, not at import, so that what only needs to know of the rules (the server
answering ``initialize``, the configuration parser) does not pay for them before then."""

from __future__ import annotations

from .registry import RULES, Rule, find_rule

_loaded = False


def load_rules() -> None:
    """Import every rule family once (they register themselves)."""
    global _loaded
    if not _loaded:
        from . import rules  # noqa: F401  (import side effect: registration)

        _loaded = True


def lookup(code_or_name: str) -> Rule | None:
    """The rule with this code (any case) or name, or None."""
    load_rules()
    return find_rule(code_or_name)


def all_rules() -> list[Rule]:
    """Every rule, by code."""
    load_rules()
    return sorted(RULES.values(), key=lambda r: r.code)
