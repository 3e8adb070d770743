"""The registry checks itself: unique codes and names, complete docs, consistent fixes."""

from __future__ import annotations

import re

import pytest
from agentls.facts.fields import FIELDS_BY_KIND
from agentls.facts.targets import TARGETS
from agentls.rules.registry import CHECKS, RULES, Severity
from agentls.rules.ruleset import all_rules, lookup
from agentls.services.docs import format_rule

RULE_LIST = all_rules()


def test_codes_and_names_are_unique_and_well_formed():
    codes = [r.code for r in RULE_LIST]
    names = [r.name for r in RULE_LIST]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))
    for r in RULE_LIST:
        assert re.fullmatch(r"AGT\d{3}", r.code), r.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name), r.name


@pytest.mark.parametrize("rule", RULE_LIST, ids=lambda r: r.code)
def test_rule_is_documented_in_every_section(rule):
    for part in ("summary", "what", "why", "example", "how_to_fix"):
        assert getattr(rule, part).strip(), f"{rule.code} has no {part}"
    assert isinstance(rule.severity, Severity)
    assert rule.targets and rule.targets <= set(TARGETS)
    assert rule.kinds <= {k for t in rule.targets for k in TARGETS[t].kinds}
    assert rule.fixable in {None, "safe", "unsafe", "sometimes"}
    text = format_rule(rule)
    for heading in ("What it does", "Why it matters", "Example", "Fix"):
        assert f"## {heading}" in text


def test_every_rule_is_emitted_by_a_check():
    emitted = {code for _, codes in CHECKS for code in codes}
    assert emitted == set(RULES)


def test_lookup_by_code_or_name():
    assert lookup("AGT400").name == "unknown-tool"
    assert lookup("agt400").code == "AGT400"
    assert lookup("unknown-tool").code == "AGT400"
    assert lookup("nope") is None


def test_fields_have_summaries_and_value_meanings():
    for kind, fields in FIELDS_BY_KIND.items():
        for key, field in fields.items():
            assert field.summary, (kind, key)
            for value in field.values:
                assert value.meaning, (kind, key, value.name)
